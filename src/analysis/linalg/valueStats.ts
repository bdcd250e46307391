/** What one pass over a tensor's values finds: non-finite counts and the largest finite magnitude. */
export interface ValueStats {
  readonly nanCount: number;
  readonly infCount: number;
  /** max |v| over the finite values (0 when there are none). */
  readonly maxAbs: number;
}

/**
 * Count NaN and ±Inf and find max |v| in one pass. The spectrum code never feeds non-finite values
 * to the SVD: callers check `nanCount + infCount` first.
 */
export function valueStats(values: ArrayLike<number>): ValueStats {
  let maxAbs = 0;
  let nanCount = 0;
  let infCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) {
      if (Number.isNaN(v)) nanCount++;
      else infCount++;
    } else {
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
    }
  }
  return { nanCount, infCount, maxAbs };
}
