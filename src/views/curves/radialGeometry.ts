/**
 * Geometry of the Distill "Curve Detectors" radial tuning plot (SCIENCE.md §4): angle = θ, radius =
 * inner + value / max · R with inner = 0.3 R. The inner circle is therefore the zero response; a negative response
 * falls inside it (and is clamped at the centre below −0.3 · max).
 */

/** The inner circle as a fraction of R (SCIENCE.md §4). */
export const INNER_FRACTION = 0.3;

/**
 * The unit length R of a plot whose outer circle (value = max) is `outerPx` from the centre: outer = inner + R = 1.3 R.
 */
export function radiusUnit(outerPx: number): number {
  return outerPx / (1 + INNER_FRACTION);
}

/** Distance from the centre (px) of `value` with the shared `max` and unit length `unitPx`; NaN → the inner circle. */
export function radialRadius(value: number, max: number, unitPx: number): number {
  const v = Number.isFinite(value) && max > 0 ? value / max : 0;
  return Math.max(0, (INNER_FRACTION + v) * unitPx);
}

/**
 * θ (degrees, counter-clockwise on screen from +x) as d3.lineRadial's angle (radians, clockwise from 12 o'clock):
 * θ = 0° → π/2 (right), θ = 90° → 0 (up).
 */
export function radialAngle(thetaDeg: number): number {
  return Math.PI / 2 - (thetaDeg * Math.PI) / 180;
}

/** Screen coordinates (px, y down) of the point at θ degrees and distance `r` from the centre. */
export function polarPoint(thetaDeg: number, r: number): [number, number] {
  const a = (thetaDeg * Math.PI) / 180;
  return [r * Math.cos(a), -r * Math.sin(a)];
}

/**
 * The max shared by the units shown: the largest finite value over all of them; when none is positive (e.g. only
 * negative pre-activations), the largest |value|; 1 when there is no finite value at all.
 */
export function sharedMax(units: readonly { readonly values: ArrayLike<number> }[]): number {
  let hi = -Infinity;
  let abs = 0;
  for (const u of units) {
    for (let i = 0; i < u.values.length; i++) {
      const v = u.values[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v > hi) hi = v;
      if (Math.abs(v) > abs) abs = Math.abs(v);
    }
  }
  return hi > 0 ? hi : abs > 0 ? abs : 1;
}

/** Small multiples: how many columns of cells at least `minCellPx` wide fit in `widthPx`, and the cell size. */
export function gridLayout(count: number, widthPx: number, minCellPx: number): { columns: number; rows: number; cellPx: number } {
  const columns = Math.max(1, Math.min(Math.max(1, count), Math.floor(widthPx / minCellPx)));
  return { columns, rows: Math.ceil(Math.max(0, count) / columns), cellPx: widthPx / columns };
}
