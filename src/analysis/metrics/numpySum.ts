/**
 * Summation in NumPy's order. `np.sum` of a contiguous float64 array uses pairwise summation
 * (NumPy's `pairwise_sum` in `loops_utils.h.src`): blocks of fewer than 8 values are added in order; up to
 * 128 values use eight interleaved partial sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the
 * tail in order; longer ranges are split at ⌊n/2⌋ rounded down to a multiple of 8 and summed recursively.
 *
 * WeightWatcher sums eigenvalues with `np.sum`; adding in the same order keeps our norms bit-for-bit closer to
 * its numbers (and is more accurate than a running sum: error O(ε log n) instead of O(ε n)).
 */

/** Σ values[start … start+count−1] in NumPy's pairwise order. */
export function pairwiseSum(values: ArrayLike<number>, start = 0, count = values.length - start): number {
  if (count < 8) {
    let sum = -0;
    for (let i = 0; i < count; i++) sum += values[start + i] as number;
    return count === 0 ? 0 : sum;
  }
  if (count <= 128) {
    const r = new Float64Array(8);
    for (let k = 0; k < 8; k++) r[k] = values[start + k] as number;
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] = (r[k] as number) + (values[start + i + k] as number);
    }
    let sum = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < count; i++) sum += values[start + i] as number;
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}
