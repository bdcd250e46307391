/**
 * The k largest singular values of a dense matrix *with* their left and right singular vectors, in
 * float64: the "SVD neurons" of SCIENCE.md §3 (Praggastis et al., arXiv 2208.06894) need U and V, not
 * only σ.
 *
 * Route (Golub & Van Loan, "Matrix Computations", 4th ed., §8.6.1 and §10.1):
 * 1. C = Gram of the smaller side (AᵀA when rows ≥ cols, else AAᵀ), float64, through the `LinalgBackend`.
 * 2. Its k largest eigenpairs by thick-restart block Lanczos (`topEigenpairs`), or a dense decomposition
 *    when k is a large part of min(rows, cols). Their eigenvectors are the singular vectors of that side.
 * 3. The other side by one product, L = A·V (or Aᵀ·U), then one-sided Jacobi on L with the rotations
 *    repeated on V (`orthogonalizeColumns`): L·Y = U·Σ exactly, U orthonormal even for σ ≈ 0. Columns that
 *    are exactly zero get an orthonormal completion from seeded random vectors.
 * 4. Signs fixed so that the largest-magnitude entry of every vⱼ is positive (first one on exact ties).
 *
 * Accuracy is the Gram route's: σⱼ to relative ~ε·(σ₁/σⱼ)², vectors to an angle ~ε·σ₁²/gapⱼ where gapⱼ is
 * the distance from σⱼ² to the other σ². Well-separated σ ≥ 1e-3·σ₁ come out to ~1e-10; directions below
 * ~1e-8·σ₁ are not resolved (COMPUTE.md, "Why float64 matters"). `residuals` reports the achieved accuracy.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import { seededRandom } from '../random/seededRandom';
import type { LinalgBackend } from './linalgBackend';
import { TYPESCRIPT_LINALG } from './linalgBackend';
import { matrixTimesVectors, matrixTransposeTimesVectors } from './matrixTimesVectors';
import { dotAt, orthonormalizeBlock } from './orthonormalizeBlock';
import { orthogonalizeColumns } from './orthogonalizeColumns';
import { topEigenpairs } from './topEigenpairs';
import { valueStats } from './valueStats';

/** Outside [2⁻⁴⁹⁰, 2⁴⁹⁰] squares (and their sums) could leave float64's range: rescale first (as `singularValues`). */
const SAFE_MAX = 2 ** 490;
const SAFE_MIN = 2 ** -490;
/** A recovered column shorter than this fraction of σ₁ is treated as exactly zero (completed, not normalised). */
const ZERO_COLUMN = 1e-150;

/** Options for `topSingularVectors`. */
export interface TopSingularVectorsOptions {
  /** Polled in every iteration and block product; throws `AnalysisCancelled` when it returns true. */
  readonly shouldCancel?: ShouldCancel;
  /** Where the Gram runs (default: plain TypeScript, float64). It must follow `gramOfSmallerSide`'s convention. */
  readonly linalg?: LinalgBackend;
  /** Target of ‖Aᵀuⱼ − σⱼvⱼ‖/σ₁ for the Lanczos stopping test (default 1e-12); never below rounding. */
  readonly tolerance?: number;
  /** Lanczos restarts allowed (default 300). The best vectors so far are returned with `converged: false`. */
  readonly maxIterations?: number;
  /** Seed of the random start block (default 1). The same seed gives the same result. */
  readonly seed?: number;
}

/** The top-k singular triplets, A·vⱼ = σⱼ·uⱼ and Aᵀ·uⱼ = σⱼ·vⱼ. */
export interface TopSingularVectors {
  /** min(k, rows, cols) singular values, descending, ≥ 0. */
  readonly sigma: Float64Array;
  /** rows×k row-major: column j is the unit left singular vector uⱼ. */
  readonly u: Float64Array;
  /** cols×k row-major: column j is the unit right singular vector vⱼ (largest-magnitude entry > 0). */
  readonly v: Float64Array;
  /** Rayleigh–Ritz steps of the Lanczos iteration (0 when the dense route ran). */
  readonly iterations: number;
  /** Products of the Gram with a vector (0 when the dense route ran). */
  readonly gramProducts: number;
  /** 'krylov' (thick-restart Lanczos) or 'dense' (full eigen-decomposition of the Gram). */
  readonly method: 'krylov' | 'dense';
  /** Whether the stopping test was met within `maxIterations`. */
  readonly converged: boolean;
  /**
   * Per triplet, the residual of the side that step 3 does not enforce, from a fresh product with A, over σ₁:
   * ‖Aᵀ·uⱼ − σⱼ·vⱼ‖/σ₁ when rows ≥ cols (V came from the Gram), ‖A·vⱼ − σⱼ·uⱼ‖/σ₁ otherwise. The other side
   * holds by construction (L·Y = U·Σ) to rounding, so this is the full SVD residual to rounding; an angle
   * error θ in a vector shows up here as ≈ θ·(gap to the nearest other σ)/σ₁. 0 for a zero matrix.
   */
  readonly residuals: Float64Array;
}

/**
 * The k largest singular triplets of A.
 *
 * Cost: the Gram (min·min·max/2 multiply-adds), a few hundred Gram–vector products for k ≲ 50, and two
 * products of A with k vectors (rows·cols·k each: the recovery and the residual check). 768×3072 in plain
 * TypeScript: ~0.7–1.4 s for k = 10…50, of which the Gram is ~0.6 s. All 768 triplets (dense route): 14–20 s,
 * dominated by the products and by `orthogonalizeColumns` on graded spectra.
 *
 * @param data A as rows×cols, row-major, float32 or float64. Not modified.
 * @param k Wanted triplets; more than min(rows, cols) gives min(rows, cols).
 * @throws RangeError on a bad shape or k, or if A holds NaN or ±Inf; `AnalysisCancelled` when cancelled.
 */
export function topSingularVectors(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  k: number,
  options: TopSingularVectorsOptions = {},
): TopSingularVectors {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`topSingularVectors: bad shape ${rows}×${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`topSingularVectors: data has ${data.length} values, shape ${rows}×${cols} needs ${rows * cols}`);
  }
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`topSingularVectors: k = ${k} is not a non-negative integer`);
  const { maxAbs, nanCount, infCount } = valueStats(data);
  if (nanCount + infCount > 0) {
    throw new RangeError(`topSingularVectors: the ${rows}×${cols} matrix holds ${nanCount} NaN and ${infCount} infinite values`);
  }
  const count = Math.min(k, rows, cols);
  if (count === 0 || maxAbs === 0) return zeroMatrixResult(rows, cols, count);
  const { shouldCancel } = options;

  // Extreme magnitudes: scale by a power of two (exact) so the squares stay in range.
  let matrix = data;
  let unscale = 1;
  if (maxAbs > SAFE_MAX || maxAbs < SAFE_MIN) {
    unscale = 2 ** Math.round(Math.log2(maxAbs));
    const scaled = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) scaled[i] = (data[i] as number) / unscale;
    matrix = scaled;
  }

  // Small side: the Gram's eigenvectors. Tall A (rows ≥ cols): C = AᵀA, small = V, big = U = A·V.
  const tall = rows >= cols;
  const small = tall ? cols : rows;
  const big = tall ? rows : cols;
  const { gram, n } = (options.linalg ?? TYPESCRIPT_LINALG).gram(matrix, rows, cols, shouldCancel);
  if (n !== small) throw new RangeError(`topSingularVectors: the Gram backend returned order ${n}, expected ${small}`);
  const eigen = topEigenpairs(gram, n, count, {
    shouldCancel,
    tolerance: options.tolerance,
    maxIterations: options.maxIterations,
    seed: options.seed,
  });
  throwIfCancelled(shouldCancel);
  const smallVectors = eigen.vectors;
  const bigVectors = new Float64Array(count * big);
  if (tall) matrixTimesVectors(matrix, rows, cols, smallVectors, count, bigVectors, shouldCancel);
  else matrixTransposeTimesVectors(matrix, rows, cols, smallVectors, count, bigVectors, shouldCancel);
  orthogonalizeColumns(bigVectors, big, smallVectors, small, count, shouldCancel);
  const sigma = normalizeSorted(bigVectors, big, smallVectors, small, count, options.seed ?? 1);
  fixSigns(tall ? smallVectors : bigVectors, tall ? small : big, tall ? bigVectors : smallVectors, tall ? big : small, count);

  const uVectors = tall ? bigVectors : smallVectors;
  const vVectors = tall ? smallVectors : bigVectors;
  const residuals = tall
    ? sideResiduals(matrix, rows, cols, uVectors, vVectors, sigma, count, true, shouldCancel)
    : sideResiduals(matrix, rows, cols, vVectors, uVectors, sigma, count, false, shouldCancel);
  for (let j = 0; j < count; j++) sigma[j] = unscale * (sigma[j] as number);
  return {
    sigma,
    u: toRowMajor(uVectors, rows, count),
    v: toRowMajor(vVectors, cols, count),
    iterations: eigen.iterations,
    gramProducts: eigen.products,
    method: eigen.method,
    converged: eigen.converged,
    residuals,
  };
}

/**
 * σⱼ = ‖bigⱼ‖; sort the pairs by σ descending (stable), normalise the big vectors, and replace exactly-zero
 * ones by an orthonormal completion (seeded random vectors orthogonalised against the others).
 */
function normalizeSorted(bigVectors: Float64Array, big: number, smallVectors: Float64Array, small: number, k: number, seed: number): Float64Array {
  const norms = Array.from({ length: k }, (_, j) => Math.sqrt(dotAt(bigVectors, j * big, bigVectors, j * big, big)));
  const order = norms.map((_, j) => j).sort((a, b) => (norms[b] as number) - (norms[a] as number) || a - b);
  const bigCopy = bigVectors.slice(0, k * big);
  const smallCopy = smallVectors.slice(0, k * small);
  const sigma = new Float64Array(k);
  const threshold = ZERO_COLUMN * (norms[order[0] as number] as number);
  let nonZero = 0;
  order.forEach((from, to) => {
    const norm = norms[from] as number;
    smallVectors.set(smallCopy.subarray(from * small, from * small + small), to * small);
    if (norm > threshold) {
      for (let i = 0; i < big; i++) bigVectors[to * big + i] = (bigCopy[from * big + i] as number) / norm;
      sigma[to] = norm;
      nonZero = to + 1;
    }
  });
  if (nonZero < k) {
    const completion = new Float64Array((k - nonZero) * big);
    const width = orthonormalizeBlock(bigVectors, nonZero, completion, k - nonZero, big, seededRandom(seed ^ 0x9e3779b9));
    if (width !== k - nonZero) throw new Error('topSingularVectors: no orthonormal completion (k > the larger side?)');
    bigVectors.set(completion, nonZero * big);
  }
  return sigma;
}

/** Flip each pair (vⱼ, uⱼ) so that vⱼ's largest-magnitude entry (the first, on exact ties) is positive. */
function fixSigns(v: Float64Array, vLength: number, u: Float64Array, uLength: number, k: number): void {
  for (let j = 0; j < k; j++) {
    let best = 0;
    let bestAbs = -1;
    for (let i = 0; i < vLength; i++) {
      const a = Math.abs(v[j * vLength + i] as number);
      if (a > bestAbs) {
        bestAbs = a;
        best = v[j * vLength + i] as number;
      }
    }
    if (best < 0) {
      for (let i = j * vLength; i < (j + 1) * vLength; i++) v[i] = -(v[i] as number);
      for (let i = j * uLength; i < (j + 1) * uLength; i++) u[i] = -(u[i] as number);
    }
  }
}

/**
 * ‖Aᵀ·xⱼ − σⱼ·yⱼ‖/σ₁ (`transpose`; x = u, y = v) or ‖A·xⱼ − σⱼ·yⱼ‖/σ₁ (x = v, y = u), with a fresh product.
 */
function sideResiduals(
  matrix: Float32Array | Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  y: Float64Array,
  sigma: Float64Array,
  k: number,
  transpose: boolean,
  shouldCancel: ShouldCancel | undefined,
): Float64Array {
  const length = transpose ? cols : rows;
  const product = new Float64Array(k * length);
  if (transpose) matrixTransposeTimesVectors(matrix, rows, cols, x, k, product, shouldCancel);
  else matrixTimesVectors(matrix, rows, cols, x, k, product, shouldCancel);
  const sigmaMax = sigma[0] as number;
  const residuals = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const s = sigma[j] as number;
    let sum = 0;
    for (let i = j * length; i < (j + 1) * length; i++) sum += ((product[i] as number) - s * (y[i] as number)) ** 2;
    residuals[j] = Math.sqrt(sum) / sigmaMax;
  }
  return residuals;
}

/** k vectors of length `length` (one after the other) → length×k row-major (vector j = column j). */
function toRowMajor(vectors: Float64Array, length: number, k: number): Float64Array {
  const out = new Float64Array(length * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < length; i++) out[i * k + j] = vectors[j * length + i] as number;
  return out;
}

/** σ = 0 with the first k standard basis vectors on both sides (A = 0, or k = 0). */
function zeroMatrixResult(rows: number, cols: number, k: number): TopSingularVectors {
  const u = new Float64Array(rows * k);
  const v = new Float64Array(cols * k);
  for (let j = 0; j < k; j++) {
    u[j * k + j] = 1;
    v[j * k + j] = 1;
  }
  return {
    sigma: new Float64Array(k),
    u,
    v,
    iterations: 0,
    gramProducts: 0,
    method: 'dense',
    converged: true,
    residuals: new Float64Array(k),
  };
}
