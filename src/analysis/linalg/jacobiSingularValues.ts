/**
 * Singular values by one-sided Jacobi (Hestenes 1958; Demmel & Veselić, "Jacobi's method is more accurate than
 * QR", SIAM J. Matrix Anal. Appl. 13(4), 1992): plane rotations orthogonalise the columns of A (m×n, m ≥ n);
 * σ are the final column norms. For A = B·D (columns of very different norms, as in layers with pruned or
 * BN-folded channels) every σ — also the tiny ones — comes out to high *relative* accuracy, which the Gram
 * route of `linalg/singularValues` cannot give below ~√ε·σ_max.
 *
 * WeightWatcher's rank metrics (matrix_rank, rank_loss, entropy: σ > σ_max·N·ε) need exactly those tiny σ,
 * so `computeLayerSpectrum` calls this for matrices whose Gram-route σ_min is near that noise floor.
 * Cost: QR ~2·m·n², then ~5·n³ flops per Jacobi sweep, a few sweeps.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';

const MAX_SWEEPS = 60;

/**
 * All min(rows, cols) singular values of A, descending.
 *
 * A is first reduced to its triangular factor R by Householder QR with column pivoting after sorting the rows
 * by decreasing norm (Businger & Golub 1965; row sorting keeps QR accurate for row-graded matrices, Cox &
 * Higham, BIT 38, 1998), and one-sided Jacobi runs on Rᵀ, which converges in a few sweeps (Drmač & Veselić,
 * "New fast and accurate Jacobi SVD algorithm I", SIAM J. Matrix Anal. Appl. 29(4), 2008). σ(Rᵀ) = σ(A).
 *
 * @param data A as rows×cols, row-major, float32 or float64. Not modified.
 */
export function jacobiSingularValues(data: Float32Array | Float64Array, rows: number, cols: number, shouldCancel?: ShouldCancel): Float64Array {
  const { a, m, n } = tallColumnMajor(data, rows, cols);
  if (n === 0) return new Float64Array(0);
  householderQrPivoted(a, m, n, shouldCancel);
  // X = Rᵀ, n×n, column i = row i of R.
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) x[i * n + j] = a[j * m + i] as number;
  return oneSidedJacobi(x, n, n, shouldCancel);
}

/** Gap between the kept and the recomputed singular values that `refineSmallSingularValues` requires. */
const DEFLATION_GAP = 100;
/** Below this fraction of σ_max, Gram-route σ may be noise (~√ε·σ_max), so they are bounded by it. */
const GRAM_NOISE = 1e-7;

/**
 * σ of A with the small ones recomputed accurately, cheaply when the spectrum has a clear gap.
 *
 * With s = the largest index such that gramSigma[s−1] ≥ 1e4·max(gramSigma[s], 1e-7·σ_max), the s large σ are
 * kept from `gramSigma` (accurate to ~1e-10 relative there) and the small ones come from the part left after
 * s steps of pivoted QR (rows sorted as above): with R = [R11 R12; 0 R22], the small σ of A are those of
 * R22·(I + XᵀX)^{-1/2}, X = R11⁻¹R12, up to a relative O((σ_small/σ_s)²) ≤ 1e-4 (`decouple`), found by
 * one-sided Jacobi. The QR must reveal the gap (100·‖R22‖_F ≤ 10·|r_ss|, checked); without a gap, or when
 * the check fails, every σ comes from `jacobiSingularValues`.
 *
 * @param gramSigma σ of A from the Gram route, descending.
 */
export function refineSmallSingularValues(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  gramSigma: Float64Array,
  shouldCancel?: ShouldCancel,
): Float64Array {
  const n = gramSigma.length;
  const max = gramSigma[0] ?? 0;
  const noise = GRAM_NOISE * max;
  let split = 0;
  for (let s = n - 1; s >= 1; s--) {
    if ((gramSigma[s - 1] as number) >= DEFLATION_GAP * Math.max(gramSigma[s] as number, noise)) {
      split = s;
      break;
    }
  }
  if (split === 0) return jacobiSingularValues(data, rows, cols, shouldCancel);
  const { a, m } = tallColumnMajor(data, rows, cols);
  householderQrPivoted(a, m, n, shouldCancel, split);
  const rm = m - split;
  const rn = n - split;
  const block = new Float64Array(rm * rn);
  let blockFrobSq = 0;
  for (let j = 0; j < rn; j++) {
    for (let i = 0; i < rm; i++) {
      const v = a[(split + j) * m + split + i] as number;
      block[j * rm + i] = v;
      blockFrobSq += v * v;
    }
  }
  const lastPivot = Math.abs(a[(split - 1) * m + split - 1] as number);
  if (!(Math.sqrt(blockFrobSq) * DEFLATION_GAP <= 10 * lastPivot)) return jacobiSingularValues(data, rows, cols, shouldCancel);
  const small = oneSidedJacobi(decouple(a, m, split, rn, block, rm), rm, rn, shouldCancel);
  const out = new Float64Array(n);
  out.set(gramSigma.subarray(0, split));
  out.set(small, split);
  return out.sort().reverse();
}

/**
 * The trailing block corrected for the coupling R12: with R = [R11 R12; 0 R22] and X = R11⁻¹R12, the small
 * singular vectors are z = [−X·y; y] and the small σ are those of R22·(I + XᵀX)^{-1/2} (up to a relative
 * O((σ_small/σ_min(R11))²)). Returns block·L⁻ᵀ, L the Cholesky factor of I + XᵀX; block = Q₂·R22, m₂×k.
 */
function decouple(a: Float64Array, m: number, s: number, k: number, block: Float64Array, m2: number): Float64Array {
  // X = R11⁻¹·R12 by back substitution, column by column (s×k, column-major).
  const x = new Float64Array(s * k);
  for (let c = 0; c < k; c++) {
    const col = (s + c) * m;
    for (let i = s - 1; i >= 0; i--) {
      let v = a[col + i] as number;
      for (let j = i + 1; j < s; j++) v -= (a[j * m + i] as number) * (x[c * s + j] as number);
      x[c * s + i] = v / (a[i * m + i] as number);
    }
  }
  // G = I + XᵀX and its Cholesky factor L (lower, row-major k×k).
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let g = i === j ? 1 : 0;
      for (let r = 0; r < s; r++) g += (x[i * s + r] as number) * (x[j * s + r] as number);
      for (let p = 0; p < j; p++) g -= (l[i * k + p] as number) * (l[j * k + p] as number);
      l[i * k + j] = i === j ? Math.sqrt(g) : g / (l[j * k + j] as number);
    }
  }
  // Each row b of the block becomes b' with L·b' = b (B' = B·L⁻ᵀ), forward substitution.
  const out = new Float64Array(m2 * k);
  for (let r = 0; r < m2; r++) {
    for (let i = 0; i < k; i++) {
      let v = block[i * m2 + r] as number;
      for (let p = 0; p < i; p++) v -= (l[i * k + p] as number) * (out[p * m2 + r] as number);
      out[i * m2 + r] = v / (l[i * k + i] as number);
    }
  }
  return out;
}

/** A as an m×n column-major float64 matrix with m ≥ n (Aᵀ when A is wide), rows sorted by decreasing norm. */
function tallColumnMajor(data: Float32Array | Float64Array, rows: number, cols: number): { a: Float64Array; m: number; n: number } {
  if (data.length !== rows * cols) throw new RangeError(`jacobiSingularValues: ${data.length} values for ${rows}×${cols}`);
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  // Column j of the m×n working matrix at [j·m, (j+1)·m): a column of A when tall, a row of A otherwise.
  const a = new Float64Array(m * n);
  if (tall) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[j * m + i] = data[i * cols + j] as number;
  } else {
    for (let k = 0; k < data.length; k++) a[k] = data[k] as number;
  }
  if (n > 0) sortRowsByNorm(a, m, n);
  return { a, m, n };
}

/** σ of the m×n column-major matrix `a` (m ≥ n) by cyclic one-sided Jacobi; `a` is overwritten. */
function oneSidedJacobi(a: Float64Array, m: number, n: number, shouldCancel?: ShouldCancel): Float64Array {
  sortColumnsByNorm(a, m, n);
  const tol = Math.sqrt(m) * 2 ** -52;
  const norms = new Float64Array(n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    throwIfCancelled(shouldCancel);
    for (let j = 0; j < n; j++) norms[j] = dot(a, j * m, j * m, m);
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const alpha = norms[p] as number;
        const beta = norms[q] as number;
        if (alpha === 0 || beta === 0) continue;
        const gamma = dot(a, p * m, q * m, m);
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotations++;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.hypot(1, t);
        const s = c * t;
        rotate(a, p * m, q * m, m, c, s);
        norms[p] = alpha - t * gamma;
        norms[q] = beta + t * gamma;
      }
    }
    if (rotations === 0) break;
  }
  const sigma = new Float64Array(n);
  for (let j = 0; j < n; j++) sigma[j] = Math.sqrt(dot(a, j * m, j * m, m));
  return sigma.sort().reverse();
}

/**
 * In place: `steps` steps (default n) of Householder QR with column pivoting of the m×n column-major `a`
 * (m ≥ n); on return its first `steps` rows hold R's and the trailing block is the part still to reduce (column norms downdated as in LAPACK's xLAQP2, recomputed when cancellation threatens).
 */
function householderQrPivoted(a: Float64Array, m: number, n: number, shouldCancel?: ShouldCancel, steps = n): void {
  const vn1 = new Float64Array(n);
  const vn2 = new Float64Array(n);
  for (let j = 0; j < n; j++) vn2[j] = vn1[j] = Math.sqrt(dot(a, j * m, j * m, m));
  const tol3z = Math.sqrt(2 ** -52);
  for (let k = 0; k < steps; k++) {
    if (k % 16 === 0) throwIfCancelled(shouldCancel);
    let p = k;
    for (let j = k + 1; j < n; j++) if ((vn1[j] as number) > (vn1[p] as number)) p = j;
    if (p !== k) {
      swapColumns(a, m, p, k);
      vn1[p] = vn1[k] as number;
      vn2[p] = vn2[k] as number;
    }
    // Reflector H = I − τ·v·vᵀ with v = (1, a[k+1..m)/(x₀ − β)), mapping x = a[k..m) of column k to β·e₁.
    const col = k * m;
    let tail = 0;
    for (let i = k + 1; i < m; i++) tail = Math.hypot(tail, a[col + i] as number);
    const x0 = a[col + k] as number;
    if (tail === 0) continue;
    const beta = -(x0 >= 0 ? 1 : -1) * Math.hypot(x0, tail);
    const tau = (beta - x0) / beta;
    const scale = 1 / (x0 - beta);
    for (let i = k + 1; i < m; i++) a[col + i] = (a[col + i] as number) * scale;
    a[col + k] = beta;
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      let w = a[cj + k] as number;
      for (let i = k + 1; i < m; i++) w += (a[col + i] as number) * (a[cj + i] as number);
      w *= tau;
      a[cj + k] = (a[cj + k] as number) - w;
      for (let i = k + 1; i < m; i++) a[cj + i] = (a[cj + i] as number) - w * (a[col + i] as number);
      // Downdate the remaining norm of column j.
      const norm = vn1[j] as number;
      if (norm !== 0) {
        const r = Math.abs(a[cj + k] as number) / norm;
        const temp = Math.max(0, 1 - r * r);
        const ratio = norm / (vn2[j] as number);
        if (temp * ratio * ratio <= tol3z) {
          let s = 0;
          for (let i = k + 1; i < m; i++) s = Math.hypot(s, a[cj + i] as number);
          vn1[j] = s;
          vn2[j] = s;
        } else vn1[j] = norm * Math.sqrt(temp);
      }
    }
    // Column k below the diagonal now holds v; R needs zeros there.
    for (let i = k + 1; i < m; i++) a[col + i] = 0;
  }
}

function swapColumns(a: Float64Array, m: number, p: number, q: number): void {
  for (let i = 0; i < m; i++) {
    const t = a[p * m + i] as number;
    a[p * m + i] = a[q * m + i] as number;
    a[q * m + i] = t;
  }
}

/** Reorder the rows (entries i of every column) by decreasing norm. */
function sortRowsByNorm(a: Float64Array, m: number, n: number): void {
  const norms = new Float64Array(m);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) norms[i] = Math.hypot(norms[i] as number, a[j * m + i] as number);
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => (norms[y] as number) - (norms[x] as number));
  const column = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) column[i] = a[j * m + (order[i] as number)] as number;
    a.set(column, j * m);
  }
}

function dot(a: Float64Array, p: number, q: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    s0 += (a[p + i] as number) * (a[q + i] as number);
    s1 += (a[p + i + 1] as number) * (a[q + i + 1] as number);
  }
  if (i < m) s0 += (a[p + i] as number) * (a[q + i] as number);
  return s0 + s1;
}

function rotate(a: Float64Array, p: number, q: number, m: number, c: number, s: number): void {
  for (let i = 0; i < m; i++) {
    const x = a[p + i] as number;
    const y = a[q + i] as number;
    a[p + i] = c * x - s * y;
    a[q + i] = s * x + c * y;
  }
}

/** Reorder the columns by decreasing norm (de Rijk's pivoting: faster convergence). */
function sortColumnsByNorm(a: Float64Array, m: number, n: number): void {
  const order = Array.from({ length: n }, (_, j) => ({ j, norm: dot(a, j * m, j * m, m) })).sort((x, y) => y.norm - x.norm);
  const copy = a.slice();
  order.forEach(({ j }, k) => a.set(copy.subarray(j * m, (j + 1) * m), k * m));
}
