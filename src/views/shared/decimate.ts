/**
 * Indices (0-based, ascending) of the points a line through `values` needs at `columns` pixel columns:
 * per column the minimum and the maximum, in index order (uPlot's min/max decimation), so the drawn shape is
 * unchanged while the point count is at most 2 per column. Short series (≤ 4 points per column) keep every point.
 * With `dropNonPositive` (log axes), values ≤ 0 are left out. One pass over `values`: O(n) time, O(columns) memory.
 */
export function decimateMinMaxIndices(values: ArrayLike<number>, columns: number, dropNonPositive: boolean): Uint32Array {
  const n = values.length;
  const cols = Math.max(1, Math.floor(columns));
  if (n <= cols * 4) {
    const out = new Uint32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) if (!dropNonPositive || (values[i] as number) > 0) out[k++] = i;
    return out.subarray(0, k);
  }
  const out = new Uint32Array(cols * 2);
  let k = 0;
  const perColumn = n / cols;
  for (let c = 0; c < cols; c++) {
    const start = Math.floor(c * perColumn);
    const end = Math.min(n, Math.floor((c + 1) * perColumn));
    let minI = -1;
    let maxI = -1;
    let minV = Infinity;
    let maxV = -Infinity;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (dropNonPositive && !(v > 0)) continue;
      if (v < minV) {
        minV = v;
        minI = i;
      }
      if (v > maxV) {
        maxV = v;
        maxI = i;
      }
    }
    if (maxI < 0) continue;
    const first = Math.min(minI, maxI);
    const second = Math.max(minI, maxI);
    out[k++] = first;
    if (second !== first) out[k++] = second;
  }
  return out.subarray(0, k);
}

/**
 * Points (rank, value) for a line through a descending series, at most 2 per pixel column
 * (see `decimateMinMaxIndices`; ranks are 1-based).
 */
export function decimateMinMax(values: Float64Array, widthPx: number, dropNonPositive: boolean): [number, number][] {
  return Array.from(decimateMinMaxIndices(values, widthPx, dropNonPositive), (i) => [i + 1, values[i] as number]);
}

/**
 * A polyline in pixel coordinates with at most 4 points per pixel column (the first, lowest, highest and last of
 * each column, in order), for series whose x is not evenly spaced (e.g. a log axis). `px` must be ascending.
 * The drawn shape is the same as the full line's at that width. O(n).
 */
export function decimatePixelLine(px: ArrayLike<number>, py: ArrayLike<number>): [number, number][] {
  const n = Math.min(px.length, py.length);
  const out: [number, number][] = [];
  let i = 0;
  while (i < n) {
    const column = Math.floor(px[i] as number);
    let j = i;
    let lo = i;
    let hi = i;
    while (j + 1 < n && Math.floor(px[j + 1] as number) === column) {
      j++;
      if ((py[j] as number) < (py[lo] as number)) lo = j;
      if ((py[j] as number) > (py[hi] as number)) hi = j;
    }
    for (const k of [...new Set([i, Math.min(lo, hi), Math.max(lo, hi), j])]) out.push([px[k] as number, py[k] as number]);
    i = j + 1;
  }
  return out;
}
