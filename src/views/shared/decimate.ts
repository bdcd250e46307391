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
