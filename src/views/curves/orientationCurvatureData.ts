/**
 * Data shaping of the orientation × curvature heatmap: θ columns binned for drawing, radius rows on a log axis
 * (with the line, r = ∞, as a row of its own) and the colour domain.
 */

/** At most this many θ columns are drawn (a 0.5° sweep has 720; 180 columns of 2° are still finer than a pixel or two). */
export const MAX_DRAWN_COLUMNS = 180;

/** θ columns as drawn: column c spans [startDeg[c], endDeg[c]) and shows the mean of its samples. */
export interface ThetaBins {
  readonly columns: number;
  /** Samples per column (the last may have fewer). */
  readonly perColumn: number;
  readonly startDeg: Float64Array;
  readonly endDeg: Float64Array;
  /** rows × columns, row-major: the mean of each column's finite samples (NaN when it has none). */
  readonly values: Float64Array;
}

/**
 * Bin the T columns of a rows × T matrix into at most `maxColumns` columns of k = ⌈T / maxColumns⌉ consecutive
 * samples each, averaging the finite ones (the mean, not the max: a bin shows the response over its 2°, and the
 * hover reads the exact sample). A column ends where the next begins; the last ends at 360°.
 * @param thetasDeg T ascending orientations in [0, 360)
 * @param values rows × T, row-major
 */
export function binThetaColumns(thetasDeg: Float64Array, values: Float64Array, rows: number, maxColumns = MAX_DRAWN_COLUMNS): ThetaBins {
  const t = thetasDeg.length;
  const k = Math.max(1, Math.ceil(t / Math.max(1, maxColumns)));
  const columns = Math.ceil(t / k);
  const startDeg = new Float64Array(columns);
  const endDeg = new Float64Array(columns);
  const out = new Float64Array(rows * columns);
  for (let c = 0; c < columns; c++) {
    startDeg[c] = thetasDeg[c * k] as number;
    endDeg[c] = c + 1 < columns ? (thetasDeg[(c + 1) * k] as number) : 360;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      let sum = 0;
      let n = 0;
      for (let i = c * k; i < Math.min(t, (c + 1) * k); i++) {
        const v = values[r * t + i] as number;
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      out[r * columns + c] = n > 0 ? sum / n : NaN;
    }
  }
  return { columns, perColumn: k, startDeg, endDeg, values: out };
}

/** A finite radius's row on the log axis: its index in `radiiPx` and its band's edges (px), geometric midpoints. */
export interface RadiusBand {
  readonly index: number;
  readonly radiusPx: number;
  readonly lo: number;
  readonly hi: number;
}

/** The rows of the heatmap: finite radii ascending with their log-axis bands, and the line's row index (−1: none). */
export interface RadiusRows {
  readonly bands: readonly RadiusBand[];
  readonly lineIndex: number;
}

/**
 * Finite positive radii sorted ascending, each with a band from the geometric midpoint with its lower neighbour to
 * the one with its upper neighbour (the outer bands mirrored, in log space), so log-spaced radii get equal rows and
 * uneven ones get rows as wide as their spacing. Infinity is the line's row; other radii (≤ 0, NaN) are skipped.
 */
export function radiusRows(radiiPx: ArrayLike<number>): RadiusRows {
  let lineIndex = -1;
  const finite: { index: number; radiusPx: number }[] = [];
  for (let i = 0; i < radiiPx.length; i++) {
    const r = radiiPx[i] as number;
    if (r === Infinity) lineIndex = lineIndex < 0 ? i : lineIndex;
    else if (Number.isFinite(r) && r > 0) finite.push({ index: i, radiusPx: r });
  }
  finite.sort((a, b) => a.radiusPx - b.radiusPx);
  const n = finite.length;
  const mid = (i: number) => Math.sqrt((finite[i] as { radiusPx: number }).radiusPx * (finite[i + 1] as { radiusPx: number }).radiusPx);
  const bands = finite.map((f, i) => {
    if (n === 1) return { ...f, lo: f.radiusPx / Math.SQRT2, hi: f.radiusPx * Math.SQRT2 };
    const hi = i + 1 < n ? mid(i) : (f.radiusPx * f.radiusPx) / mid(i - 1);
    const lo = i > 0 ? mid(i - 1) : (f.radiusPx * f.radiusPx) / mid(i);
    return { ...f, lo, hi };
  });
  return { bands, lineIndex };
}

/** The colour scale's kind and domain. */
export interface HeatmapDomain {
  /** Diverging (symmetric around 0) when some value is negative; sequential from 0 otherwise. */
  readonly kind: 'diverging' | 'sequential';
  readonly lo: number;
  readonly hi: number;
}

/** The colour domain of `values`: [−m, m] with m = max |v| when any v < 0, else [0, max]; never empty. */
export function heatmapDomain(values: ArrayLike<number>): HeatmapDomain {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return { kind: 'sequential', lo: 0, hi: 1 };
  if (lo < 0) {
    const m = Math.max(-lo, hi);
    return { kind: 'diverging', lo: -m, hi: m };
  }
  return { kind: 'sequential', lo: 0, hi: hi > 0 ? hi : 1 };
}

/** The index of the sample nearest `thetaDeg` on the circle (θ wraps at 360°); −1 for an empty grid. */
export function nearestThetaIndex(thetasDeg: Float64Array, thetaDeg: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < thetasDeg.length; i++) {
    const d = Math.abs((((((thetasDeg[i] as number) - thetaDeg) % 360) + 540) % 360) - 180);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** The largest finite value of a rows × T matrix and where it is (−1s when there is none). */
export function argMax(values: Float64Array, t: number): { row: number; column: number; value: number } {
  let at = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v) && (at < 0 || v > (values[at] as number))) at = i;
  }
  return at < 0 || t <= 0 ? { row: -1, column: -1, value: NaN } : { row: Math.floor(at / t), column: at % t, value: values[at] as number };
}
