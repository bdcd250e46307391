/**
 * Eigenvalues (no vectors) of a real symmetric matrix, in float64:
 * 1. Householder reduction to tridiagonal form T = QᵀAQ, values only (Q is never formed).
 *    Golub & Van Loan, "Matrix Computations", 4th ed., §8.3.1; the same reduction as EISPACK `tred1`.
 * 2. Implicit QL iteration with Wilkinson-style shifts on T, values only (Bowdler, Martin, Reinsch &
 *    Wilkinson, "The QR and QL algorithms for symmetric matrices", Numer. Math. 11, 1968; EISPACK `tql1`).
 *
 * The reduction works on the lower triangle, row by row, so every inner loop runs over contiguous
 * memory of a row-major buffer. Cost ≈ (4/3)·n³ flops for the reduction plus O(n²) for QL.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';

/** Unit roundoff of float64 (2⁻⁵³). */
const UNIT_ROUNDOFF = 2 ** -53;
/** Off-diagonals below this are treated as zero even when the neighbouring diagonal is zero. */
const TINY = Number.MIN_VALUE / Number.EPSILON;
/** Default QL iteration cap per eigenvalue (EISPACK uses 30; a few more cost nothing). */
const DEFAULT_MAX_ITERATIONS = 60;

/** Options for `symmetricEigenvalues` and `tridiagonalEigenvalues`. */
export interface SymmetricEigenvaluesOptions {
  /**
   * Polled once per Householder step and every 64 eigenvalues of the QL step; throws `AnalysisCancelled`
   * when it returns true.
   */
  readonly shouldCancel?: ShouldCancel;
  /** QL iterations allowed per eigenvalue before giving up with an Error. Default 60. */
  readonly maxIterationsPerValue?: number;
}

/**
 * All eigenvalues of a symmetric n×n matrix: `tridiagonalize`, then `tridiagonalEigenvalues`.
 *
 * @param matrix n×n row-major float64. Only the lower triangle (j ≤ i) is read, and **it is
 *   overwritten** (used as workspace): pass a copy if you still need the matrix.
 * @param n Order of the matrix.
 * @returns The n eigenvalues, ascending, float64.
 * @throws RangeError if `matrix.length !== n * n`.
 * @throws Error if the QL iteration does not converge within the iteration cap.
 */
export function symmetricEigenvalues(matrix: Float64Array, n: number, options: SymmetricEigenvaluesOptions = {}): Float64Array {
  const { diagonal, subDiagonal } = tridiagonalize(matrix, n, options.shouldCancel);
  return tridiagonalEigenvalues(diagonal, subDiagonal, options);
}

/** A symmetric tridiagonal matrix T by its two distinct diagonals. */
export interface SymmetricTridiagonal {
  /** T[i, i], length n. */
  readonly diagonal: Float64Array;
  /** T[i + 1, i] = T[i, i + 1], length max(n − 1, 0). */
  readonly subDiagonal: Float64Array;
}

/**
 * Householder reduction of a symmetric matrix to a tridiagonal T = QᵀAQ with the same eigenvalues
 * (values only: Q is not formed). Cost ≈ (4/3)·n³ flops.
 *
 * @param matrix n×n row-major float64. Only the lower triangle (j ≤ i) is read, and **it is
 *   overwritten** (used as workspace).
 * @param shouldCancel Polled once per Householder step; throws `AnalysisCancelled` when it returns true.
 * @throws RangeError if `matrix.length !== n * n`.
 */
export function tridiagonalize(matrix: Float64Array, n: number, shouldCancel?: ShouldCancel): SymmetricTridiagonal {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`tridiagonalize: bad order ${n}`);
  if (matrix.length !== n * n) {
    throw new RangeError(`tridiagonalize: matrix has ${matrix.length} values, order ${n} needs ${n * n}`);
  }
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  reduceLowerTriangle(matrix, n, diagonal, offDiagonal, shouldCancel);
  return { diagonal, subDiagonal: offDiagonal.slice(1) };
}

/**
 * Eigenvalues of a symmetric tridiagonal matrix by implicit QL (see `tridiagonalQl`). O(n²) flops
 * (a few per eigenvalue per sweep). Inputs are not modified.
 *
 * @param diagonal T[i, i], length n.
 * @param subDiagonal T[i + 1, i], length n − 1 (or 0 when n = 0).
 * @param options `maxIterationsPerValue` (default 60) and `shouldCancel` (polled every 64 eigenvalues).
 * @returns The n eigenvalues, ascending, float64.
 * @throws RangeError on mismatched lengths; Error if the QL iteration does not converge within the cap;
 *   `AnalysisCancelled` when `shouldCancel` returns true.
 */
export function tridiagonalEigenvalues(diagonal: Float64Array, subDiagonal: Float64Array, options: SymmetricEigenvaluesOptions = {}): Float64Array {
  const n = diagonal.length;
  if (subDiagonal.length !== Math.max(n - 1, 0)) {
    throw new RangeError(`tridiagonalEigenvalues: ${n} diagonal values need ${Math.max(n - 1, 0)} sub-diagonal values, got ${subDiagonal.length}`);
  }
  const d = diagonal.slice();
  const e = new Float64Array(n); // e[i] couples i and i + 1; e[n − 1] = 0
  e.set(subDiagonal);
  tridiagonalQl(d, e, options.maxIterationsPerValue ?? DEFAULT_MAX_ITERATIONS, options.shouldCancel);
  return d.sort();
}

/**
 * Householder tridiagonalisation of the lower triangle of `a`, from the last row up.
 * On return `d[i]` is T[i, i] and `e[i]` is T[i, i−1] (e[0] = 0). `a` is destroyed.
 *
 * Step i reflects the leading i×i block S so that row i becomes (0, …, 0, e[i]) (see `householderVector`);
 * with p = Su/h, K = uᵀp/(2h), q = p − K·u the reflected block is S − uqᵀ − quᵀ (Golub & Van Loan
 * §8.3.1; the classic `tred2` formulas). To halve memory traffic, the rank-2 update of step i and the
 * product S'u' of step i−1 share one pass: row i−1 is updated first (it defines u'), then every other
 * row is updated and immediately multiplied by u'.
 *
 * The unblocked WASM kernel (kernels/tridiag.ts) repeats this order of operations exactly, so the two give
 * bit-identical results (checked in src/analysis/wasm/tridiagWasm.test.ts): change them together.
 */
function reduceLowerTriangle(a: Float64Array, n: number, d: Float64Array, e: Float64Array, shouldCancel: ShouldCancel | undefined): void {
  if (n === 0) return;
  let u = new Float64Array(n);
  let p = new Float64Array(n);
  let nextU = new Float64Array(n);
  let nextP = new Float64Array(n);
  let h = householderVector(a, n, n - 1, u, d, e);
  if (h > 0) lowerTimesVector(a, n, n - 1, u, p);
  for (let i = n - 1; i >= 1; i--) {
    throwIfCancelled(shouldCancel);
    const last = i - 1; // the block being reflected is rows/columns 0..last
    if (h === 0) {
      if (last >= 1) {
        h = householderVector(a, n, last, u, d, e);
        if (h > 0) lowerTimesVector(a, n, last, u, p);
      }
      continue;
    }
    // p ← q = p/h − K·u with K = uᵀp/(2h²).
    let uDotP = 0;
    for (let j = 0; j <= last; j++) {
      const pj = (p[j] as number) / h;
      p[j] = pj;
      uDotP += (u[j] as number) * pj;
    }
    const halfK = uDotP / (2 * h);
    for (let j = 0; j <= last; j++) p[j] = (p[j] as number) - halfK * (u[j] as number);
    // Row `last` first: after its update it is the next step's pivot row.
    updateRow(a, n, last, u, p);
    if (last === 0) break;
    const nextH = householderVector(a, n, last, nextU, d, e);
    if (nextH > 0) {
      for (let j = 0; j < last; j++) updateRowTimesVector(a, n, j, u, p, nextU, nextP);
    } else {
      for (let j = 0; j < last; j++) updateRow(a, n, j, u, p);
    }
    [u, nextU] = [nextU, u];
    [p, nextP] = [nextP, p];
    h = nextH;
  }
  d[0] = a[0] as number;
  e[0] = 0;
}

/**
 * Set d[i] = A[i, i] and build the Householder vector for row i: with x = A[i, 0..i−1] scaled by
 * 1/Σ|x| (against overflow), g = −sign(x_last)·‖x‖ and u = x − g·e_last, so that
 * (I − uuᵀ/h)·x = g·e_last with h = ‖u‖²/2. Stores e[i] = Σ|x|·g and u in `u[0..i−1]`; returns h, or 0
 * (with e[i] = x_last) when the row is already reduced (only x_last non-zero: tridiagonal input, zero rows).
 */
function householderVector(a: Float64Array, n: number, i: number, u: Float64Array, d: Float64Array, e: Float64Array): number {
  const row = i * n;
  const last = i - 1;
  d[i] = a[row + i] as number;
  const xLast = a[row + last] as number;
  let scale = 0;
  for (let k = 0; k < last; k++) scale += Math.abs(a[row + k] as number);
  if (scale === 0) {
    e[i] = xLast;
    return 0;
  }
  scale += Math.abs(xLast);
  let h = 0;
  for (let k = 0; k <= last; k++) {
    const x = (a[row + k] as number) / scale;
    u[k] = x;
    h += x * x;
  }
  const f = u[last] as number;
  const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
  e[i] = scale * g;
  u[last] = f - g;
  return h - f * g;
}

/**
 * p[0..size−1] = S·u for the symmetric block S = A[0..size−1, 0..size−1] stored in the lower triangle.
 * Row j contributes S[j,k]·u[k] to p[j] and S[j,k]·u[j] to p[k] (k < j); p[j] is assigned when row j
 * is reached, before any later row adds to it, so p needs no clearing.
 */
function lowerTimesVector(a: Float64Array, n: number, size: number, u: Float64Array, p: Float64Array): void {
  for (let j = 0; j < size; j++) {
    const rj = j * n;
    const uj = u[j] as number;
    let s = (a[rj + j] as number) * uj;
    for (let k = 0; k < j; k++) {
      const v = a[rj + k] as number;
      s += v * (u[k] as number);
      p[k] = (p[k] as number) + v * uj;
    }
    p[j] = s;
  }
}

/** Row j of the lower triangle: A[j, 0..j] −= u[j]·q[0..j] + q[j]·u[0..j]. */
function updateRow(a: Float64Array, n: number, j: number, u: Float64Array, q: Float64Array): void {
  const rj = j * n;
  const uj = u[j] as number;
  const qj = q[j] as number;
  for (let k = 0; k <= j; k++) a[rj + k] = (a[rj + k] as number) - uj * (q[k] as number) - qj * (u[k] as number);
}

/** `updateRow` fused with row j's share of p' = S'·u' (as in `lowerTimesVector`), one pass over the row. */
function updateRowTimesVector(
  a: Float64Array,
  n: number,
  j: number,
  u: Float64Array,
  q: Float64Array,
  nextU: Float64Array,
  nextP: Float64Array,
): void {
  const rj = j * n;
  const uj = u[j] as number;
  const qj = q[j] as number;
  const nextUj = nextU[j] as number;
  let s = 0;
  for (let k = 0; k < j; k++) {
    const v = (a[rj + k] as number) - uj * (q[k] as number) - qj * (u[k] as number);
    a[rj + k] = v;
    s += v * (nextU[k] as number);
    nextP[k] = (nextP[k] as number) + v * nextUj;
  }
  const diagonal = (a[rj + j] as number) - 2 * uj * qj;
  a[rj + j] = diagonal;
  nextP[j] = s + diagonal * nextUj;
}

/**
 * Implicit QL on the symmetric tridiagonal (d, e) with e[i] = T[i + 1, i] (e[n − 1] = 0, workspace); on
 * return d holds the eigenvalues (unordered). Each sweep chases a bulge from the bottom of the unreduced
 * block [l, m] up to l with Givens rotations, using the shift from the leading 2×2 block (Wilkinson's
 * choice, which makes convergence cubic in practice). An off-diagonal is negligible when
 * |e| ≤ u·(|d_m| + |d_{m+1}|) (u = unit roundoff), which keeps small eigenvalues relatively accurate.
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, maxIterationsPerValue: number, shouldCancel: ShouldCancel | undefined): void {
  const n = d.length;
  for (let l = 0; l < n; l++) {
    if ((l & 63) === 63) throwIfCancelled(shouldCancel);
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const scale = Math.abs(d[m] as number) + Math.abs(d[m + 1] as number);
        const off = Math.abs(e[m] as number);
        if (off <= UNIT_ROUNDOFF * scale || off <= TINY) break;
      }
      if (m === l) break; // d[l] has converged
      if (iterations++ >= maxIterationsPerValue) {
        throw new Error(
          `symmetricEigenvalues: QL iteration did not converge for eigenvalue ${l} of ${n} after ${maxIterationsPerValue} iterations`,
        );
      }
      const el = e[l] as number;
      // Shift: the eigenvalue of the leading 2×2 block [[d_l, e_l], [e_l, d_{l+1}]] nearer d_l.
      let g = ((d[l + 1] as number) - (d[l] as number)) / (2 * el);
      let r = hypot(g, 1);
      g = (d[m] as number) - (d[l] as number) + el / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let deflatedEarly = false;
      for (let i = m - 1; i >= l; i--) {
        const ei = e[i] as number;
        const f = s * ei;
        const b = c * ei;
        r = hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation underflowed: the block splits at i+1. Undo the pending shift and restart.
          d[i + 1] = (d[i + 1] as number) - p;
          e[m] = 0;
          deflatedEarly = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = (d[i + 1] as number) - p;
        r = ((d[i] as number) - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (deflatedEarly) continue;
      d[l] = (d[l] as number) - p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/** √(x² + y²) without overflow or harmful underflow (faster than `Math.hypot` for two arguments). */
function hypot(x: number, y: number): number {
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
