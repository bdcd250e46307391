/**
 * Tuning summaries of a curve sweep (SCIENCE.md §4; Cammarata et al., "Curve Detectors", Distill 2020). For unit u
 * with responses v[r, t] (radius index r, orientation index t, `SweepResponses.values[(u·R + r)·T + t]`):
 *
 * - preferred radius r* = argmax_r max_t v[r, t]; preferred θ t* = argmax_t v[r*, t]; ties go to the first index.
 *   peak = v[r*, t*]; mean = (1/T) Σ_t v[r*, t].
 * - rectified curve at r*: w_t = v[r*, t] − min_t v[r*, t] ≥ 0. Subtracting the minimum (rather than clipping at 0)
 *   makes every summary below invariant to any positive affine map a·v + b (a > 0), so raw responses,
 *   pre-activations and z-scores (`zScore`) of one unit give the same selectivity and echo.
 * - selectivity = 1 − CV = |Σ_t w_t e^{i k θ_t}| / Σ_t w_t, the circular variance CV of Ringach, Shapley & Hawken,
 *   "Orientation selectivity in macaque V1: diversity and laminar dependence", J. Neurosci. 22(13), 2002 (their
 *   CV = 1 − |Σ r_k e^{i2θ_k}| / Σ r_k), taken over the stimulus's own period: k = 1 (360°) for a curve, whose θ and
 *   θ + 180° are mirror images, and k = 2 (doubled angles, 180°) for a line (r = ∞), which is its own 180° rotation
 *   (option `periodicLines`, default true). A unit that answers one stimulus only has selectivity → 1, a flat curve 0
 *   (also when Σ w = 0).
 * - orientationSelectivity: the same with k = 2 at every radius (axial): high for a curve detector with a strong
 *   echo, whose direction selectivity is lower.
 * - echo: the curve s = w smoothed by a circular box of half-width ECHO_SMOOTHING_DEG (in samples:
 *   ⌊ECHO_SMOOTHING_DEG / (360°/T)⌋, assuming the uniform θ grid `sweepGrid` makes); among the local maxima of s
 *   (s_t > s_{t−1} and s_t ≥ s_{t+1}, circularly) whose θ lies within ECHO_WINDOW_DEG of θ* + 180°, the largest.
 *   Its θ and value are those of the largest raw v within the box around it; ratio = (v_echo − min v) / (peak −
 *   min v) (= v_echo / peak when the minimum is 0, as after a ReLU). Reported when ratio ≥ ECHO_MIN_RATIO, else null.
 *   Null for a line preference with `periodicLines` (a line at θ + 180° is the same image, a trivial echo of 1).
 */
import type { SweepResponses, UnitTuning } from './types';

/** An echo must reach this fraction of the peak (above the curve's minimum). */
export const ECHO_MIN_RATIO = 0.3;
/** An echo must lie within this many degrees of the preferred θ + 180°. */
export const ECHO_WINDOW_DEG = 45;
/** Half-width (degrees) of the circular box filter applied before local maxima are sought (against pixel jitter). */
export const ECHO_SMOOTHING_DEG = 2;

/** Options of {@link unitTuning}. */
export interface TuningOptions {
  /**
   * Treat the radius Infinity as a line, 180°-periodic: its selectivity uses doubled angles and it has no echo.
   * Default true; set false for sweeps where Infinity is not a line (e.g. angles, whose radius is ignored).
   */
  readonly periodicLines?: boolean;
}

/** Per-unit mean and standard deviation of the responses to a baseline set (see {@link baselineStats}). */
export interface BaselineStats {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/**
 * Mean and population standard deviation (divisor n, numpy's default ddof = 0) of each unit over a baseline set
 * (two passes, for accuracy).
 * @param values n × units row-major responses: values[i·units + u] is unit u's response to baseline input i.
 * @throws RangeError when n or units is not a positive integer, or values has not n·units entries.
 */
export function baselineStats(values: Float64Array | Float32Array, n: number, units: number): BaselineStats {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`baselineStats: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`baselineStats: units must be a positive integer, got ${units}`);
  if (values.length !== n * units) throw new RangeError(`baselineStats: ${values.length} values, ${n} × ${units} needs ${n * units}`);
  const mean = new Float64Array(units);
  const std = new Float64Array(units);
  for (let i = 0; i < n; i++) for (let u = 0; u < units; u++) mean[u] = (mean[u] as number) + (values[i * units + u] as number);
  for (let u = 0; u < units; u++) mean[u] = (mean[u] as number) / n;
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < units; u++) {
      const d = (values[i * units + u] as number) - (mean[u] as number);
      std[u] = (std[u] as number) + d * d;
    }
  }
  for (let u = 0; u < units; u++) std[u] = Math.sqrt((std[u] as number) / n);
  return { mean, std };
}

/**
 * Responses in standard deviations of each unit's baseline: (v − mean[u]) / std[u], with std[u] = 0 (a unit
 * constant on the baseline) replaced by 1, so that unit is only centred. Same grid and layout.
 * @throws RangeError when the stats do not have one entry per unit or the values do not fit the grid.
 */
export function zScore(responses: SweepResponses, stats: BaselineStats): SweepResponses {
  const { units, values } = responses;
  const perUnit = checkResponses(responses, 'zScore');
  if (stats.mean.length !== units || stats.std.length !== units) {
    throw new RangeError(`zScore: stats for ${stats.mean.length}/${stats.std.length} units, responses have ${units}`);
  }
  const out = new Float64Array(values.length);
  for (let u = 0; u < units; u++) {
    const m = stats.mean[u] as number;
    const s = stats.std[u] as number;
    const scale = s > 0 ? 1 / s : 1;
    for (let i = u * perUnit; i < (u + 1) * perUnit; i++) out[i] = ((values[i] as number) - m) * scale;
  }
  return { grid: responses.grid, units, values: out };
}

/** R·T after checking the layout. */
function checkResponses(responses: SweepResponses, caller: string): number {
  const T = responses.grid.thetasDeg.length;
  const R = responses.grid.radiiPx.length;
  if (T < 1 || R < 1) throw new RangeError(`${caller}: empty grid (${R} radii × ${T} orientations)`);
  if (!Number.isInteger(responses.units) || responses.units < 0) throw new RangeError(`${caller}: bad unit count ${responses.units}`);
  if (responses.values.length !== responses.units * R * T) {
    throw new RangeError(`${caller}: ${responses.values.length} values, ${responses.units} units × ${R} radii × ${T} orientations needs ${responses.units * R * T}`);
  }
  return R * T;
}

/** |Σ w_t e^{i k θ_t}| / Σ w_t for w_t = v_t − min v over one row, 0 when Σ w = 0. */
function resultantLength(values: Float64Array, start: number, thetasDeg: Float64Array, min: number, k: number): number {
  let sum = 0;
  let re = 0;
  let im = 0;
  for (let t = 0; t < thetasDeg.length; t++) {
    const w = (values[start + t] as number) - min;
    const phi = (k * (thetasDeg[t] as number) * Math.PI) / 180;
    sum += w;
    re += w * Math.cos(phi);
    im += w * Math.sin(phi);
  }
  return sum > 0 ? Math.min(1, Math.hypot(re, im) / sum) : 0;
}

/** Circular distance between two angles in degrees, in [0, 180]. */
function circularDistanceDeg(a: number, b: number): number {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? 360 - d : d;
}

/** The echo of the row starting at `start` (see the file header), or null. */
function findEcho(
  values: Float64Array,
  start: number,
  thetasDeg: Float64Array,
  preferredThetaDeg: number,
  peak: number,
  min: number,
): { thetaDeg: number; ratio: number } | null {
  const T = thetasDeg.length;
  if (T < 3 || !(peak > min)) return null;
  const h = Math.min(Math.floor(ECHO_SMOOTHING_DEG / (360 / T)), Math.floor((T - 1) / 2));
  const at = (t: number): number => values[start + (((t % T) + T) % T)] as number;
  const smooth = new Float64Array(T);
  let running = 0;
  for (let j = -h; j <= h; j++) running += at(j);
  for (let t = 0; t < T; t++) {
    smooth[t] = running;
    running += at(t + h + 1) - at(t - h);
  }
  const target = preferredThetaDeg + 180;
  let best = -1;
  for (let t = 0; t < T; t++) {
    const s = smooth[t] as number;
    if (!(s > (smooth[(t + T - 1) % T] as number) && s >= (smooth[(t + 1) % T] as number))) continue;
    if (circularDistanceDeg(thetasDeg[t] as number, target) > ECHO_WINDOW_DEG) continue;
    if (best < 0 || s > (smooth[best] as number)) best = t;
  }
  if (best < 0) return null;
  let echoT = best;
  for (let j = -h; j <= h; j++) if (at(best + j) > at(echoT)) echoT = (((best + j) % T) + T) % T;
  const ratio = (at(echoT) - min) / (peak - min);
  return ratio >= ECHO_MIN_RATIO ? { thetaDeg: thetasDeg[echoT] as number, ratio } : null;
}

/**
 * The tuning summary of unit u (formulas in the file header).
 * @throws RangeError for a unit index out of range, values that do not fit the grid, or a non-finite response of u.
 */
export function unitTuning(responses: SweepResponses, u: number, options?: TuningOptions): UnitTuning {
  const perUnit = checkResponses(responses, 'unitTuning');
  if (!Number.isInteger(u) || u < 0 || u >= responses.units) throw new RangeError(`unitTuning: unit ${u} out of range [0, ${responses.units})`);
  const { values, grid } = responses;
  const { thetasDeg, radiiPx } = grid;
  const T = thetasDeg.length;
  const base = u * perUnit;
  let rBest = 0;
  let tBest = 0;
  let peak = -Infinity;
  for (let r = 0; r < radiiPx.length; r++) {
    for (let t = 0; t < T; t++) {
      const v = values[base + r * T + t] as number;
      if (!Number.isFinite(v)) throw new RangeError(`unitTuning: unit ${u} has a non-finite response ${v} at radius ${r}, θ ${t}`);
      if (v > peak) {
        peak = v;
        rBest = r;
        tBest = t;
      }
    }
  }
  const start = base + rBest * T;
  let min = Infinity;
  let sum = 0;
  for (let t = 0; t < T; t++) {
    const v = values[start + t] as number;
    sum += v;
    if (v < min) min = v;
  }
  const preferredRadiusPx = radiiPx[rBest] as number;
  const preferredThetaDeg = thetasDeg[tBest] as number;
  const isLine = options?.periodicLines !== false && preferredRadiusPx === Infinity;
  return {
    unit: u,
    preferredThetaDeg,
    preferredRadiusPx,
    peak,
    mean: sum / T,
    selectivity: resultantLength(values, start, thetasDeg, min, isLine ? 2 : 1),
    echo: isLine ? null : findEcho(values, start, thetasDeg, preferredThetaDeg, peak, min),
    orientationSelectivity: resultantLength(values, start, thetasDeg, min, 2),
    preferredRadiusIndex: rBest,
    preferredThetaIndex: tBest,
  };
}

/**
 * {@link unitTuning} of every unit, in unit order.
 * @throws RangeError as {@link unitTuning}.
 */
export function tuneAll(responses: SweepResponses, options?: TuningOptions): UnitTuning[] {
  const out: UnitTuning[] = [];
  for (let u = 0; u < responses.units; u++) out.push(unitTuning(responses, u, options));
  return out;
}

/** What {@link rankUnits} sorts by. */
export type TuningRank = 'selectivity' | 'peak' | 'curvature';

/** Curvature 1/r in px⁻¹ of the preferred radius (0 for a line). */
export function preferredCurvature(t: UnitTuning): number {
  return 1 / t.preferredRadiusPx;
}

/**
 * The tunings sorted by decreasing selectivity, peak, or curvature 1/preferredRadiusPx (a line's 0 last), as a
 * new array. Ties keep the input order; NaN keys go last.
 */
export function rankUnits(tunings: readonly UnitTuning[], by: TuningRank): UnitTuning[] {
  const key = (t: UnitTuning): number => (by === 'selectivity' ? t.selectivity : by === 'peak' ? t.peak : preferredCurvature(t));
  const keyed = tunings.map((t, i) => ({ t, i, k: key(t) }));
  keyed.sort((a, b) => {
    const an = Number.isNaN(a.k);
    const bn = Number.isNaN(b.k);
    if (an !== bn) return an ? 1 : -1;
    if (!an && a.k !== b.k) return b.k - a.k;
    return a.i - b.i;
  });
  return keyed.map((x) => x.t);
}
