/**
 * Spectral summaries beyond WeightWatcher, with their standard definitions (SCIENCE.md §2, "Beyond WW").
 * All take singular values σ (any order, ≥ 0).
 * - effective rank = exp(H(p)), p_i = σ_i/Σσ, H = −Σ p ln p (0 ln 0 = 0) (Roy & Vetterli, "The effective rank:
 *   a measure of effective dimensionality", EUSIPCO 2007).
 * - energy rank k@q = the smallest k with Σ_{i≤k} σ_i² ≥ q·Σσ² (σ descending).
 * - condition number σ₁/σ_M (∞ when σ_M = 0).
 * - low-rank cost: a rank-k factorisation of an m×n matrix stores k(m+n) numbers instead of mn (Yang et al.,
 *   CVPR-W 2020), per matrix of the layer.
 */
import { exp, log } from '../math/elementary';

/** exp of the Shannon entropy of σ/Σσ: between 1 and the number of non-zero σ. NaN for an all-zero spectrum. */
export function effectiveRank(sv: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < sv.length; i++) total += sv[i] as number;
  if (!(total > 0)) return NaN;
  let entropy = 0;
  for (let i = 0; i < sv.length; i++) {
    const p = (sv[i] as number) / total;
    if (p > 0) entropy -= p * log(p);
  }
  return exp(entropy);
}

/** Smallest k whose top-k σ² hold at least the fraction q of Σσ² (0 for an all-zero spectrum). */
export function energyRank(sv: ArrayLike<number>, q: number): number {
  const squares = Float64Array.from(sv, (v) => v * v).sort().reverse();
  let total = 0;
  for (const s of squares) total += s;
  if (!(total > 0)) return 0;
  let running = 0;
  for (let k = 0; k < squares.length; k++) {
    running += squares[k] as number;
    if (running >= q * total) return k + 1;
  }
  return squares.length;
}

/** σ_max/σ_min over the values given (∞ when the smallest is 0, NaN when empty). */
export function conditionNumber(sv: ArrayLike<number>): number {
  if (sv.length === 0) return NaN;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < sv.length; i++) {
    const v = sv[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === 0 ? Infinity : hi / lo;
}

/** Parameters (= MACs per input vector) of `matrices` m×n matrices, dense vs rank-k factorised. */
export interface LowRankCost {
  readonly dense: number;
  readonly lowRank: number;
  /** lowRank / dense: below 1 the factorisation is cheaper. */
  readonly ratio: number;
}

/** Cost of replacing each m×n matrix by a rank-k product (k(m+n) instead of mn). */
export function lowRankCost(rows: number, cols: number, k: number, matrices = 1): LowRankCost {
  const dense = matrices * rows * cols;
  const lowRank = matrices * k * (rows + cols);
  return { dense, lowRank, ratio: dense > 0 ? lowRank / dense : NaN };
}

/** The beyond-WW summary of one layer's σ. */
export interface BeyondWwMetrics {
  readonly effective_rank: number;
  readonly energy_rank_90: number;
  readonly energy_rank_99: number;
  readonly condition_number: number;
}

/** All of the above for one spectrum. */
export function beyondWwMetrics(sv: ArrayLike<number>): BeyondWwMetrics {
  return {
    effective_rank: effectiveRank(sv),
    energy_rank_90: energyRank(sv, 0.9),
    energy_rank_99: energyRank(sv, 0.99),
    condition_number: conditionNumber(sv),
  };
}
