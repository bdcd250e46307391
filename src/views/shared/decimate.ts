/**
 * Points (rank, value) for a line through a descending series, at most ~4 per pixel column:
 * per-column min and max are kept (uPlot's approach), so the drawn shape is unchanged at 100k values.
 * With `dropNonPositive` (log axes), values ≤ 0 are left out.
 */
export function decimateMinMax(values: Float64Array, widthPx: number, dropNonPositive: boolean): [number, number][] {
  const n = values.length;
  const keep = (v: number) => !dropNonPositive || v > 0;
  const out: [number, number][] = [];
  const columns = Math.max(1, Math.floor(widthPx));
  if (n <= columns * 4) {
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (keep(v)) out.push([i + 1, v]);
    }
    return out;
  }
  const perColumn = n / columns;
  for (let c = 0; c < columns; c++) {
    const start = Math.floor(c * perColumn);
    const end = Math.min(n, Math.floor((c + 1) * perColumn));
    let minI = -1;
    let maxI = -1;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (!keep(v)) continue;
      if (minI < 0 || v < (values[minI] as number)) minI = i;
      if (maxI < 0 || v > (values[maxI] as number)) maxI = i;
    }
    if (maxI < 0) continue;
    const first = Math.min(minI, maxI);
    const second = Math.max(minI, maxI);
    out.push([first + 1, values[first] as number]);
    if (second !== first) out.push([second + 1, values[second] as number]);
  }
  return out;
}
