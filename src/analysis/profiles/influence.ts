/**
 * Influential singular directions of one input (SCIENCE.md §3; Praggastis et al., arXiv 2208.06894;
 * DeepDataProfiler v2.0.1 `SVDProfiler.influential_svd_neurons`).
 *
 * Sort |aggregate| descending (ties by direction index, so the result is deterministic) and take the
 * cumulative sums c_0 ≤ c_1 ≤ … ≤ c_{m−1} = total. Keep the longest prefix with c_i ≤ threshold·total, plus
 * one more direction, so at least one is always kept; weight_i = |aggregate_i| / c_last, where c_last is the
 * cumulative sum at the last kept direction, so the weights sum to 1.
 *
 * Differences from DDP's code, on purpose: DDP divides by the cumulative sum *before* the extra direction
 * (by the total when the prefix is empty), so its weights do not sum to 1; we follow SCIENCE.md. Directions
 * whose aggregate is exactly 0 are never kept (they can only be reached with threshold = 1, where they would
 * carry weight 0; DDP drops them too, through `weights.bool()`).
 */

/** The influential directions of one input. */
export interface Influence {
  /** Kept directions, by decreasing |aggregate| (ties by increasing index). */
  readonly indices: Uint32Array;
  /** Their weights |aggregate| / c_last, same order: positive, non-increasing, summing to 1 (empty when nothing is kept). */
  readonly weights: Float64Array;
}

/**
 * The influential directions of one aggregate vector.
 *
 * @param aggregate One value per singular direction (`projectAggregate`'s output), any sign.
 * @param threshold Fraction of the total |aggregate| that the prefix may reach before the extra direction,
 *   in [0, 1]; DDP's default is 0.1. 0 keeps only the largest; 1 keeps every non-zero direction.
 * @returns Indices and weights; both empty when every aggregate is 0 (or there are none).
 * @throws RangeError if an aggregate is NaN or infinite, or the threshold is outside [0, 1].
 */
export function influentialDirections(aggregate: ArrayLike<number>, threshold = 0.1): Influence {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`influentialDirections: threshold must be in [0, 1], got ${threshold}`);
  const m = aggregate.length;
  const magnitude = new Float64Array(m);
  let nonZero = 0;
  for (let i = 0; i < m; i++) {
    const v = aggregate[i] as number;
    if (!Number.isFinite(v)) {
      throw new RangeError(`influentialDirections: aggregate[${i}] is ${v}; the activations or the projection hold NaN or infinite values`);
    }
    magnitude[i] = Math.abs(v);
    if (v !== 0) nonZero++;
  }
  if (nonZero === 0) return { indices: new Uint32Array(0), weights: new Float64Array(0) };

  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => (magnitude[b] as number) - (magnitude[a] as number) || a - b);

  // The total is the last cumulative sum in the same order, so c_{m−1} = total exactly.
  let total = 0;
  for (let r = 0; r < nonZero; r++) total += magnitude[order[r] as number] as number;
  const limit = threshold * total;

  // First rank whose cumulative sum exceeds the limit: the extra direction after the longest prefix.
  let kept = nonZero;
  let cumulative = 0;
  for (let r = 0; r < nonZero; r++) {
    cumulative += magnitude[order[r] as number] as number;
    if (cumulative > limit) {
      kept = r + 1;
      break;
    }
  }
  const last = cumulative; // c at the last kept rank (= total when the loop ran to the end)

  const indices = order.slice(0, kept);
  const weights = new Float64Array(kept);
  for (let r = 0; r < kept; r++) weights[r] = (magnitude[indices[r] as number] as number) / last;
  return { indices, weights };
}
