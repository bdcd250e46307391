/**
 * Eigenvalues *and* eigenvectors of a real symmetric matrix, in float64: Householder reduction to
 * tridiagonal form with the transformations accumulated, then implicit QL with the rotations applied to
 * them (EISPACK `tred2` + `tql2`: Bowdler, Martin, Reinsch & Wilkinson, Numer. Math. 11, 1968; the same
 * formulation as the public-domain JAMA `EigenvalueDecomposition`). Golub & Van Loan, "Matrix
 * Computations", 4th ed., §8.3.
 *
 * The algorithm is usually written on a column-major V (EISPACK is Fortran). We keep Z = Vᵀ row-major,
 * which is the same memory, so the inner loops (Householder updates, QL rotations of two eigenvectors)
 * run over contiguous rows and eigenvector j ends as row j of Z.
 *
 * Cost ≈ 9·n³ flops (vs ≈ (4/3)·n³ for values only, `symmetricEigenvalues`). Used by `topEigenpairs` for
 * its Rayleigh–Ritz projections (order ~2k) and when nearly all eigenpairs are wanted.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';

/** QL sweeps allowed per eigenvalue (EISPACK uses 30). */
const MAX_SWEEPS_PER_VALUE = 60;

/** Eigenvalues with their eigenvectors. */
export interface SymmetricEigenDecomposition {
  /** The n eigenvalues, descending. */
  readonly valuesDesc: Float64Array;
  /**
   * n×n row-major float64: **row** j is the unit eigenvector of `valuesDesc[j]`. The rows are orthonormal
   * to ~n·ε. Within a multiple eigenvalue any orthonormal basis of its eigenspace may come out.
   */
  readonly vectorsByRow: Float64Array;
}

/**
 * All eigenpairs of a symmetric n×n matrix, A = Zᵀ·diag(λ)·Z.
 *
 * @param matrix n×n row-major float64, symmetric. Only the lower triangle (j ≤ i) is read. Not modified.
 * @param n Order of the matrix.
 * @param shouldCancel Polled once per Householder step and per eigenvalue; throws `AnalysisCancelled`.
 * @throws RangeError if `matrix.length !== n * n`; Error if QL does not converge (60 sweeps per value).
 */
export function symmetricEigenDecomposition(matrix: Float64Array, n: number, shouldCancel?: ShouldCancel): SymmetricEigenDecomposition {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`symmetricEigenDecomposition: bad order ${n}`);
  if (matrix.length !== n * n) {
    throw new RangeError(`symmetricEigenDecomposition: matrix has ${matrix.length} values, order ${n} needs ${n * n}`);
  }
  // Z = Vᵀ: V[a][b] lives at z[b·n + a]. V starts as the matrix; reading its lower triangle V[i][j], j ≤ i,
  // means reading z[j·n + i], the upper triangle of the row-major input, so mirror the lower one there.
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = matrix[i * n + j] as number;
      z[j * n + i] = v;
      z[i * n + j] = v;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    householderWithVectors(z, n, d, e, shouldCancel);
    qlWithVectors(z, n, d, e, shouldCancel);
  }
  // Sort descending (stable on ties, so equal inputs give equal outputs).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (d[b] as number) - (d[a] as number) || a - b);
  const valuesDesc = new Float64Array(n);
  const vectorsByRow = new Float64Array(n * n);
  order.forEach((from, to) => {
    valuesDesc[to] = d[from] as number;
    vectorsByRow.set(z.subarray(from * n, from * n + n), to * n);
  });
  return { valuesDesc, vectorsByRow };
}

/**
 * `tred2` on Z = Vᵀ: on return d is the diagonal of T, e[i] = T[i, i−1] (e[0] = 0) and Z holds the
 * accumulated orthogonal transformation (row j = column j of V).
 */
function householderWithVectors(z: Float64Array, n: number, d: Float64Array, e: Float64Array, shouldCancel: ShouldCancel | undefined): void {
  for (let j = 0; j < n; j++) d[j] = z[j * n + n - 1] as number;
  for (let i = n - 1; i > 0; i--) {
    throwIfCancelled(shouldCancel);
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = z[j * n + i - 1] as number;
        z[j * n + i] = 0;
        z[i * n + j] = 0;
      }
    } else {
      // Householder vector u (in d[0..i−1]) with (I − uuᵀ/h)·x = e[i]·e_last.
      for (let k = 0; k < i; k++) {
        const dk = (d[k] as number) / scale;
        d[k] = dk;
        h += dk * dk;
      }
      let f = d[i - 1] as number;
      let g = f > 0 ? -Math.sqrt(h) : Math.sqrt(h);
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // p = S·u (S = leading i×i block, lower triangle V[k][j] = z[j·n + k]), into e.
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        const row = j * n;
        z[i * n + j] = f;
        g = (e[j] as number) + (z[row + j] as number) * f;
        for (let k = j + 1; k < i; k++) {
          const v = z[row + k] as number;
          g += v * (d[k] as number);
          e[k] = (e[k] as number) + v * f;
        }
        e[j] = g;
      }
      // q = p/h − K·u, K = uᵀp/(2h²).
      f = 0;
      for (let j = 0; j < i; j++) {
        const ej = (e[j] as number) / h;
        e[j] = ej;
        f += ej * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      // S ← S − u·qᵀ − q·uᵀ on the lower triangle.
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        const row = j * n;
        for (let k = j; k < i; k++) z[row + k] = (z[row + k] as number) - (f * (e[k] as number) + g * (d[k] as number));
        d[j] = z[row + i - 1] as number;
        z[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    throwIfCancelled(shouldCancel);
    z[i * n + n - 1] = z[i * n + i] as number;
    z[i * n + i] = 1;
    const h = d[i + 1] as number;
    const next = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = (z[next + k] as number) / h;
      for (let j = 0; j <= i; j++) {
        const row = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += (z[next + k] as number) * (z[row + k] as number);
        for (let k = 0; k <= i; k++) z[row + k] = (z[row + k] as number) - g * (d[k] as number);
      }
    }
    for (let k = 0; k <= i; k++) z[next + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = z[j * n + n - 1] as number;
    z[j * n + n - 1] = 0;
  }
  z[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * `tql2`: implicit QL with Wilkinson-type shifts on (d, e), each rotation applied to two rows of Z. An
 * off-diagonal is negligible when |e| ≤ ε·max_l(|d_l| + |e_l|) (a norm-wise test, as in EISPACK `tql2`).
 */
function qlWithVectors(z: Float64Array, n: number, d: Float64Array, e: Float64Array, shouldCancel: ShouldCancel | undefined): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let shift = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    throwIfCancelled(shouldCancel);
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS_PER_VALUE) {
          throw new Error(`symmetricEigenDecomposition: QL did not converge for eigenvalue ${l} of ${n}`);
        }
        // Shift from the leading 2×2 block.
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        shift += h;
        // Implicit QL sweep from m up to l.
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] as number;
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
          rotateRows(z, i * n, (i + 1) * n, n, c, s);
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + shift;
    e[l] = 0;
  }
}

/** (row a, row b) ← (c·a − s·b, s·a + c·b) over n entries. */
function rotateRows(z: Float64Array, a: number, b: number, n: number, c: number, s: number): void {
  for (let k = 0; k < n; k++) {
    const za = z[a + k] as number;
    const zb = z[b + k] as number;
    z[b + k] = s * za + c * zb;
    z[a + k] = c * za - s * zb;
  }
}

/** √(x² + y²) without overflow; plain arithmetic, so identical on every engine (unlike `Math.hypot`). */
export function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax > ay) {
    const t = ay / ax;
    return ax * Math.sqrt(1 + t * t);
  }
  if (ay === 0) return 0;
  const t = ax / ay;
  return ay * Math.sqrt(1 + t * t);
}
