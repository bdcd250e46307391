/**
 * Curve stimuli (SCIENCE.md §4; Cammarata et al., "Curve Detectors", Distill 2020): anti-aliased arcs, lines and
 * angles through the image centre, rendered with `renderStrokes` (stimuli/renderStroke.ts), and the sweeps over
 * orientation θ × radius r that the radial tuning plots and the orientation × curvature heatmap read.
 *
 * Geometry (pixel coordinates, x right, y down; the image centre is c = (width/2, height/2); the unit direction of
 * an angle φ is d(φ) = (cos φ, −sin φ), counter-clockwise on screen from +x):
 * - curve: the arc of the circle of radius r with centre c + r·d(θ + 90°), i.e. passing through c with tangent
 *   d(θ) there and bending to the left of it; arc length `lengthPx` centred on c (capped at a full circle).
 * - line (r = ∞; also a 'curve' whose radius is Infinity): the segment c ± (lengthPx/2)·d(θ).
 * - angle: the two segments from c to c + (lengthPx/2)·d(θ ± openingDeg/2); θ is the bisector, pointing into the
 *   angle.
 * A curve at θ and θ + 180° are mirror images (different stimuli); a line at θ and θ + 180° is the same image.
 *
 * Sweeps are r-major: stimulus index r·T + t is radius index r, orientation index t, the layout of
 * `SweepResponses.values` for one unit.
 */
import type { InputPreprocessing } from '../probeInputs/inputSpec';
import { DEFAULT_INPUT_SIDE, exampleShape } from '../probeInputs/inputSpec';
import type { InputBatch } from '../probeInputs/normalize';
import { toModelTensor } from '../probeInputs/normalize';
import { angleAtPoint, arcThroughPoint, lineThroughPoint, renderStrokes, type Stroke } from '../stimuli/renderStroke';
import type { StimulusCanvas, StimulusKind, StimulusParams, SweepGrid } from './types';

const DEG = Math.PI / 180;

/**
 * Supersampling used by {@link renderStimulus} unless told otherwise: 2 × 2 samples per pixel. The total ink of a
 * 16-px line varies with its orientation (a 90°-periodic ripple in 0.5°-step tuning curves): by 2.6 % for a 2-px
 * stroke with one sample per pixel, 1.9 % with 2 × 2, 1.3 % with 4 × 4; by 12 % for a 1-px stroke with one sample,
 * 3 % with 2 × 2. Each step costs n² times the distance evaluations.
 */
export const DEFAULT_SUPERSAMPLE = 2;

/**
 * Default stimulus for a canvas. Choices, and why:
 * - kind 'curve', θ = 0°.
 * - lengthPx = half the shorter side: about the receptive field of the mid-level layers the curve detectors live in
 *   (InceptionV1 mixed3b's theoretical receptive field is ~99 px of its 224-px input; the stroke sample's third conv
 *   sees ~16 px of 32). SCIENCE.md §4: "arc length limited to about the unit's receptive field".
 * - radiusPx = lengthPx / 2, so the arc turns through 2 rad ≈ 115°: clearly a curve, far from a circle.
 * - widthPx = 2: thin enough to be a contour, wide enough to stay anti-aliased without visible staircase.
 * - openingDeg = 90 (a right angle, used only by kind 'angle').
 * - darkOnLight = true: Distill's stimuli are dark curves on white, and the app's convention for drawn images is
 *   dark ink on light paper (the stroke sample's preprocessing inverts them to the ink-1-on-0 it was trained on).
 * @throws RangeError when the canvas sides are not positive integers.
 */
export function defaultStimulus(canvas: StimulusCanvas): StimulusParams {
  checkCanvas(canvas, 'defaultStimulus');
  const lengthPx = Math.max(4, Math.round(Math.min(canvas.width, canvas.height) / 2));
  return { kind: 'curve', thetaDeg: 0, radiusPx: lengthPx / 2, widthPx: 2, lengthPx, openingDeg: 90, darkOnLight: true };
}

/** {@link defaultStimulus} for the default 224 × 224 input: a curve of radius 56 px, length 112 px, width 2 px. */
export const DEFAULT_STIMULUS: StimulusParams = defaultStimulus({ width: DEFAULT_INPUT_SIDE, height: DEFAULT_INPUT_SIDE });

function checkCanvas(canvas: StimulusCanvas, caller: string): void {
  const { width, height } = canvas;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`${caller}: canvas sides must be positive integers, got ${width}×${height}`);
  }
}

/**
 * The stroke primitives of a stimulus, centred on the canvas (for rendering, or for drawing it as vectors).
 * @throws RangeError for a non-finite θ, a negative or non-finite length, a curve radius that is not > 0, or an
 *   opening outside [0°, 360°].
 */
export function stimulusStrokes(params: StimulusParams, canvas: StimulusCanvas): Stroke[] {
  checkCanvas(canvas, 'stimulusStrokes');
  const { kind, thetaDeg, radiusPx, lengthPx, openingDeg } = params;
  if (!Number.isFinite(thetaDeg)) throw new RangeError(`stimulusStrokes: thetaDeg must be finite, got ${thetaDeg}`);
  if (!(lengthPx >= 0) || !Number.isFinite(lengthPx)) throw new RangeError(`stimulusStrokes: lengthPx must be finite and ≥ 0, got ${lengthPx}`);
  const cx = canvas.width / 2;
  const cy = canvas.height / 2;
  const theta = thetaDeg * DEG;
  switch (kind) {
    case 'curve':
      if (!(radiusPx > 0)) throw new RangeError(`stimulusStrokes: a curve's radiusPx must be > 0, got ${radiusPx}`);
      return [arcThroughPoint(cx, cy, radiusPx, theta, lengthPx)];
    case 'line':
      return [lineThroughPoint(cx, cy, theta, lengthPx)];
    case 'angle':
      if (!(openingDeg >= 0 && openingDeg <= 360)) throw new RangeError(`stimulusStrokes: openingDeg must be in [0, 360], got ${openingDeg}`);
      return angleAtPoint(cx, cy, theta, openingDeg * DEG, lengthPx / 2);
  }
}

/**
 * Render one stimulus: a grey image of canvas.height rows × canvas.width columns (row-major Float32Array) in
 * [0, 1], 1 = white. darkOnLight: background 1, ink 0; otherwise background 0, ink 1. Anti-aliased as
 * `renderStrokes` (a 1/n-px linear ramp at the stroke's edges with n × n samples per pixel, n = `supersample`,
 * default {@link DEFAULT_SUPERSAMPLE}).
 * @throws RangeError for bad parameters (see {@link stimulusStrokes}), a width that is not > 0, or a bad canvas
 *   or supersampling factor.
 */
export function renderStimulus(params: StimulusParams, canvas: StimulusCanvas, options?: { readonly supersample?: number }): Float32Array {
  return renderStrokes(stimulusStrokes(params, canvas), {
    size: canvas.width,
    height: canvas.height,
    widthPx: params.widthPx,
    invert: params.darkOnLight,
    supersample: options?.supersample ?? DEFAULT_SUPERSAMPLE,
  });
}

/**
 * A grey image as RGBA bytes (grey·255 rounded, replicated to R, G and B; alpha 255), as a canvas holds it, for
 * `toModelTensor` (probeInputs/normalize.ts) or for display. Values outside [0, 1] are clamped.
 */
export function stimulusRgba(grey: Float32Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * grey.length);
  for (let i = 0; i < grey.length; i++) {
    const v = (grey[i] as number) * 255; // Uint8ClampedArray rounds half to even and clamps
    const at = 4 * i;
    out[at] = v;
    out[at + 1] = v;
    out[at + 2] = v;
    out[at + 3] = 255;
  }
  return out;
}

/**
 * Render stimuli straight into the model's input batch ([N, C, H, W] or [N, H, W, C], `exampleShape`), on a canvas
 * of preprocessing.height × preprocessing.width, through `toModelTensor` (so the preprocessing's scale, mean, std
 * and invert apply as to any image). Unlike {@link stimulusRgba} the grey levels are not rounded to bytes:
 * each pixel enters the formula as grey·255 exactly. Memory is N·C·H·W float32, e.g. 720 stimuli at 3 × 224 × 224
 * are 434 MB: split a sweep into chunks (`list.slice`) for large inputs.
 * @throws RangeError for bad stimulus parameters, a preprocessing size that is not positive integers, or a canvas
 *   that differs from it (the canvas is passed only to make that agreement explicit).
 */
export function stimulusBatch(
  list: readonly StimulusParams[],
  canvas: StimulusCanvas,
  preprocessing: InputPreprocessing,
  options?: { readonly supersample?: number },
): InputBatch {
  const size: StimulusCanvas = { width: preprocessing.width, height: preprocessing.height };
  if (canvas.width !== size.width || canvas.height !== size.height) {
    throw new RangeError(`stimulusBatch: canvas ${canvas.width}×${canvas.height} differs from the input size ${size.width}×${size.height}`);
  }
  checkCanvas(size, 'stimulusBatch');
  const perExample = exampleShape(preprocessing);
  const exampleSize = perExample.reduce((a, b) => a * b, 1);
  const data = new Float32Array(list.length * exampleSize);
  const rgba = new Float32Array(4 * size.width * size.height); // reused for every stimulus
  list.forEach((params, n) => {
    const grey = renderStimulus(params, size, options);
    for (let i = 0; i < grey.length; i++) {
      const v = (grey[i] as number) * 255;
      rgba[4 * i] = v;
      rgba[4 * i + 1] = v;
      rgba[4 * i + 2] = v;
      rgba[4 * i + 3] = 255;
    }
    toModelTensor(rgba, preprocessing, data, n * exampleSize);
  });
  return { data, shape: [list.length, ...perExample] };
}

/**
 * An orientation × radius grid: θ = k·thetaStepDeg for k = 0 … 360/thetaStepDeg − 1 (SCIENCE.md §4: 0.5° steps, 720
 * samples), and the radii sorted ascending (Infinity = a straight line).
 * @throws RangeError when the step is not > 0 or does not divide 360° (to 1e-9), or a radius is not > 0 (NaN), or
 *   there are no radii.
 */
export function sweepGrid(options: { readonly thetaStepDeg?: number; readonly radiiPx: ArrayLike<number> }): SweepGrid {
  const step = options.thetaStepDeg ?? 0.5;
  const count = Math.round(360 / step);
  if (!(step > 0) || count < 1 || Math.abs(count * step - 360) > 1e-9) {
    throw new RangeError(`sweepGrid: thetaStepDeg must be > 0 and divide 360, got ${step}`);
  }
  const thetasDeg = new Float64Array(count);
  for (let k = 0; k < count; k++) thetasDeg[k] = k * step;
  const radiiPx = Float64Array.from(options.radiiPx);
  if (radiiPx.length === 0) throw new RangeError('sweepGrid: at least one radius is needed');
  for (const r of radiiPx) if (!(r > 0)) throw new RangeError(`sweepGrid: radii must be > 0 (Infinity for a line), got ${r}`);
  radiiPx.sort();
  return { thetasDeg, radiiPx };
}

/**
 * `count` radii spaced geometrically from minPx to maxPx inclusive: r_i = minPx·(maxPx/minPx)^(i/(count−1))
 * (equal steps in log r, i.e. in log curvature; count 1 gives [minPx]).
 * @throws RangeError unless 0 < minPx ≤ maxPx < ∞ and count is a positive integer.
 */
export function logRadii(minPx: number, maxPx: number, count: number): Float64Array {
  if (!(minPx > 0) || !(maxPx >= minPx) || !Number.isFinite(maxPx)) throw new RangeError(`logRadii: need 0 < minPx ≤ maxPx < ∞, got ${minPx}, ${maxPx}`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`logRadii: count must be a positive integer, got ${count}`);
  const out = new Float64Array(count);
  const ratio = Math.log(maxPx / minPx);
  for (let i = 0; i < count; i++) out[i] = count === 1 ? minPx : minPx * Math.exp((ratio * i) / (count - 1));
  if (count > 1) out[count - 1] = maxPx;
  return out;
}

/**
 * A radius grid for stimuli of arc length L (default: {@link defaultStimulus}'s, half the canvas's shorter side):
 * 8 radii on a log grid from max(2, L / 1.5π) (the arc turns through 270°: an open hook, short of the full circle
 * that any smaller radius would be capped at) to 4·L (the arc turns through 14°, sagitta L²/8r = L/32 px: 3.5 px
 * at L = 112, still visibly bent), then Infinity (the line).
 * @throws RangeError when the canvas sides are not positive integers or the length is not finite and > 0.
 */
export function defaultRadii(canvas: StimulusCanvas, lengthPx = defaultStimulus(canvas).lengthPx): Float64Array {
  checkCanvas(canvas, 'defaultRadii');
  if (!(lengthPx > 0) || !Number.isFinite(lengthPx)) throw new RangeError(`defaultRadii: lengthPx must be finite and > 0, got ${lengthPx}`);
  const minPx = Math.max(2, lengthPx / (1.5 * Math.PI));
  const finite = logRadii(minPx, Math.max(minPx, 4 * lengthPx), 8);
  const out = new Float64Array(finite.length + 1);
  out.set(finite);
  out[finite.length] = Infinity;
  return out;
}

/**
 * Every stimulus of a sweep, r-major: index r·T + t has radiusPx = grid.radiiPx[r] and thetaDeg = grid.thetasDeg[t]
 * (T = number of orientations), the layout of `SweepResponses.values` for one unit. Kind: 'angle' stays 'angle'
 * (the radius is carried along but ignored); otherwise 'line' for an infinite radius and 'curve' for a finite one.
 */
export function sweepParams(
  base: Omit<StimulusParams, 'thetaDeg' | 'radiusPx' | 'kind'> & { readonly kind: StimulusKind },
  grid: SweepGrid,
): StimulusParams[] {
  const out: StimulusParams[] = [];
  for (const radiusPx of grid.radiiPx) {
    const kind: StimulusKind = base.kind === 'angle' ? 'angle' : Number.isFinite(radiusPx) ? 'curve' : 'line';
    for (const thetaDeg of grid.thetasDeg) out.push({ ...base, kind, radiusPx, thetaDeg });
  }
  return out;
}
