/**
 * WeightWatcher's norm and rank metrics of one layer's pooled, scaled ESD (SCIENCE.md §2, "Norm metrics";
 * WW 0.7.5.5 `apply_norm_metrics`, `apply_esd` / `combined_eigenvalues`, and `matrix_rank`,
 * `calc_rank_loss`, `matrix_entropy` in weightwatcher/RMT_Util.py). λ = σ² of the matrices WW analyses.
 *
 * - norm = Σλ (= ‖W‖²_F), log_norm = log10 norm; spectral_norm = lambda_max = max λ, log_spectral_norm = log10 λ_max
 * - alpha_weighted = α·log10 λ_max; log_alpha_norm = log10 Σ λ^α; stable_rank = Σλ / λ_max
 * - matrix_rank = #{σ > σ_max·N·ε} (ε = float64 machine epsilon, N = WW's N; numpy's `matrix_rank` rule)
 * - rank_loss = Σ over the layer's matrices of (#σ − their own matrix_rank), each with its own σ_max
 * - weak_rank_loss = #{λ < 1e-6} (WW's `tolerance`, an absolute threshold on eigenvalues)
 * - entropy = −Σ p ln p / ln(rank + 1e-10), p = λ/Σλ + 1e-10 (WW `matrix_entropy`)
 * - sv_max = max σ; sv_min = the largest of the matrices' smallest σ (WW keeps a running max of each matrix's
 *   min; for one matrix that is its smallest σ)
 * Sums run in NumPy's pairwise order (`pairwiseSum`) over ascending λ, as WW's `np.sum` does.
 */
import { pairwiseSum } from './numpySum';
import { log, log10, pow } from '../math/elementary';

/** float64 machine epsilon, `np.finfo(float).eps`. */
export const FLOAT64_EPS = 2 ** -52;
/** WW's `EPSILON`, added to p and to the rank in `matrix_entropy`. */
export const ENTROPY_EPSILON = 1e-10;
/** WW's `WEAK_RANK_LOSS_TOLERANCE` on eigenvalues. */
export const WEAK_RANK_TOLERANCE = 1e-6;

/** The norm metrics, with WW's column names. */
export interface NormMetrics {
  readonly norm: number;
  readonly log_norm: number;
  readonly spectral_norm: number;
  readonly log_spectral_norm: number;
  readonly alpha_weighted: number;
  readonly log_alpha_norm: number;
  readonly stable_rank: number;
  readonly matrix_rank: number;
  readonly entropy: number;
  readonly lambda_max: number;
}

/**
 * Norm metrics of an ESD.
 *
 * @param evalsAscending λ sorted ascending (WW sorts its pooled eigenvalues), length ≥ 1.
 * @param alpha The power-law α (−1 after a failed fit, as WW carries it into α̂ and log_alpha_norm).
 * @param N WW's N (larger dimension) for the rank tolerance.
 */
export function normMetrics(evalsAscending: Float64Array, alpha: number, N: number): NormMetrics {
  const norm = pairwiseSum(evalsAscending);
  const spectralNorm = maxOf(evalsAscending);
  const logSpectralNorm = log10(spectralNorm);
  const powered = new Float64Array(evalsAscending.length);
  for (let i = 0; i < powered.length; i++) powered[i] = pow(evalsAscending[i] as number, alpha);
  const sv = sqrtAll(evalsAscending);
  return {
    norm,
    log_norm: log10(norm),
    spectral_norm: spectralNorm,
    log_spectral_norm: logSpectralNorm,
    alpha_weighted: alpha * logSpectralNorm,
    log_alpha_norm: log10(pairwiseSum(powered)),
    stable_rank: norm / spectralNorm,
    matrix_rank: matrixRank(sv, N),
    entropy: matrixEntropy(sv, N),
    lambda_max: spectralNorm,
  };
}

/** #{σ > tol}, tol = max σ·N·ε unless given (numpy `matrix_rank`, WW `matrix_rank`). */
export function matrixRank(sv: ArrayLike<number>, N: number, tol?: number): number {
  const threshold = tol ?? maxOf(sv) * N * FLOAT64_EPS;
  let rank = 0;
  for (let i = 0; i < sv.length; i++) if ((sv[i] as number) > threshold) rank++;
  return rank;
}

/** WW `calc_rank_loss` summed over a layer's matrices: Σ (#σ − matrix_rank(σ, N)). */
export function rankLoss(matrixSingularValues: readonly ArrayLike<number>[], N: number): number {
  let loss = 0;
  for (const sv of matrixSingularValues) loss += sv.length - matrixRank(sv, N);
  return loss;
}

/** #{λ < tolerance} (WW `weak_rank_loss`). */
export function weakRankLoss(evals: ArrayLike<number>, tolerance = WEAK_RANK_TOLERANCE): number {
  let count = 0;
  for (let i = 0; i < evals.length; i++) if ((evals[i] as number) < tolerance) count++;
  return count;
}

/**
 * WW `matrix_entropy`: −Σ p ln p / ln(rank + 1e-10) with p = σ²/Σσ² + 1e-10, rank = `matrixRank(σ, N)`.
 * Lies in [0, 1] up to the 1e-10 terms for a full-rank spectrum; 1 for a flat spectrum.
 *
 * @param sv Singular values in WW's order (ascending √λ); the order only affects rounding.
 */
export function matrixEntropy(sv: ArrayLike<number>, N: number): number {
  const rank = matrixRank(sv, N) + ENTROPY_EPSILON;
  const evals = new Float64Array(sv.length);
  for (let i = 0; i < evals.length; i++) evals[i] = (sv[i] as number) * (sv[i] as number);
  const total = pairwiseSum(evals);
  const terms = new Float64Array(evals.length);
  for (let i = 0; i < evals.length; i++) {
    const p = (evals[i] as number) / total + ENTROPY_EPSILON;
    terms[i] = p * log(p);
  }
  return -pairwiseSum(terms) / log(rank);
}

/** sv_max and sv_min as WW reports them: max σ, and the running max over matrices of each matrix's min σ. */
export function svExtremes(matrixSingularValues: readonly ArrayLike<number>[], scale = 1): { sv_max: number; sv_min: number } {
  let svMax = 0;
  let svMin = 0;
  for (const sv of matrixSingularValues) {
    if (sv.length === 0) continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < sv.length; i++) {
      const v = (sv[i] as number) * scale;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    svMax = Math.max(svMax, hi);
    svMin = Math.max(svMin, lo);
  }
  return { sv_max: svMax, sv_min: svMin };
}

function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  return max;
}

function sqrtAll(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.sqrt(values[i] as number);
  return out;
}
