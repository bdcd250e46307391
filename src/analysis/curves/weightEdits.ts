/**
 * Circuit editing (issue 8, part 5; Cammarata et al., "Curve Circuits", Distill 2021, which zeroes the negative
 * weights between curve families and builds curve detectors by hand): edits to one layer's weight, applied to a
 * copy of its values, and a hand-built curve-detector kernel. Issue 9 (low-rank what-if) adds the rank-k
 * truncation of the whole weight (`lowRank`): W ← W_k, the best rank-k approximation (Eckart–Young; truncate.ts) of
 * the matrix the analysis sees, W = c_out × c_in·kh·kw with columns in OIHW order (dense: out × in).
 *
 * Units are a layer's output channels (O) and input channels (I). Layouts of the stored values (row-major):
 * - 'OIHW' [c_out, c_in, kh, kw] (ONNX / PyTorch conv), 'HWIO' [kh, kw, c_in, c_out] (TF / Keras conv);
 * - 'out×in' [c_out, c_in] and 'in×out' [c_in, c_out] (dense; kh = kw = 1).
 */
import { truncateMatrix } from '../checkpoints/truncate';
import { renderStimulus } from './stimuli';

/** How a layer's weight is stored (see the file comment). */
export type WeightLayout = 'OIHW' | 'HWIO' | 'out×in' | 'in×out';

/** One edit of one weight tensor (`tensor`: its name as the scan shows it). */
export type WeightEdit =
  | {
      readonly tensor: string;
      /** Multiply the chosen weights by `factor` (0 zeroes them). */
      readonly op: 'scale';
      /** Output units (O) whose weights are edited, or all of them. */
      readonly outUnits: readonly number[] | 'all';
      /** Input units (I) whose weights into `outUnits` are edited, or all of them. */
      readonly inUnits: readonly number[] | 'all';
      /** Which of those weights: every one, or only the positive (w > 0) or negative (w < 0) ones. */
      readonly sign: 'all' | 'positive' | 'negative';
      readonly factor: number;
    }
  | {
      readonly tensor: string;
      /** Replace one output unit's whole kernel. */
      readonly op: 'replace';
      readonly outUnit: number;
      /** c_in·kh·kw values in OIHW order for that output unit: index (i·kh + y)·kw + x (dense: c_in values). */
      readonly kernel: Float32Array;
    }
  | {
      readonly tensor: string;
      /**
       * Replace the weight by its best rank-k approximation W_k (Eckart–Young) as a c_out × c_in·kh·kw matrix
       * (dense: out × in). k ≥ min(c_out, c_in·kh·kw) leaves the values exactly as they are; k = 0 zeroes them.
       */
      readonly op: 'lowRank';
      /** A non-negative integer. */
      readonly k: number;
    };

/** The dimensions of a weight, whatever its layout. */
interface WeightDims {
  readonly cOut: number;
  readonly cIn: number;
  readonly kh: number;
  readonly kw: number;
  /** The storage index of weight (o, i, y, x). */
  readonly at: (o: number, i: number, y: number, x: number) => number;
}

function weightDims(shape: readonly number[], layout: WeightLayout): WeightDims {
  const rank = layout === 'OIHW' || layout === 'HWIO' ? 4 : 2;
  if (shape.length !== rank || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new RangeError(`applyWeightEdits: a ${layout} weight needs ${rank} positive integer dimensions, got [${shape.join(', ')}]`);
  }
  const [d0, d1, d2 = 1, d3 = 1] = shape as [number, number, number?, number?];
  switch (layout) {
    case 'OIHW':
      return { cOut: d0, cIn: d1, kh: d2, kw: d3, at: (o, i, y, x) => ((o * d1 + i) * d2 + y) * d3 + x };
    case 'HWIO':
      return { cOut: d3, cIn: d2, kh: d0, kw: d1, at: (o, i, y, x) => ((y * d1 + x) * d2 + i) * d3 + o };
    case 'out×in':
      return { cOut: d0, cIn: d1, kh: 1, kw: 1, at: (o, i) => o * d1 + i };
    case 'in×out':
      return { cOut: d1, cIn: d0, kh: 1, kw: 1, at: (o, i) => i * d1 + o };
    default:
      throw new RangeError(`applyWeightEdits: unknown layout '${String(layout)}'`);
  }
}

function unitList(units: readonly number[] | 'all', count: number, what: string): readonly number[] {
  if (units === 'all') return Array.from({ length: count }, (_, k) => k);
  for (const u of units) if (!Number.isInteger(u) || u < 0 || u >= count) throw new RangeError(`applyWeightEdits: ${what} unit ${u} out of range [0, ${count})`);
  return units;
}

/** Whether two values differ (NaN equals NaN; −0 differs from +0, so zeroing a negative weight counts). */
const differs = (a: number, b: number) => !Object.is(a, b);

/**
 * W ← W_k in place: gather the c_out × c_in·kh·kw matrix (column (i·kh + y)·kw + x) from the stored layout,
 * truncate it, and scatter it back (rounded to float32).
 */
function truncateInPlace(values: Float32Array, dims: WeightDims, k: number): void {
  const { cOut, cIn, kh, kw, at } = dims;
  const cols = cIn * kh * kw;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`applyWeightEdits: a rank k must be a non-negative integer, got ${k}`);
  // W_k = W exactly at full rank: no SVD, and no rounding through float64.
  if (k >= Math.min(cOut, cols)) return;
  const matrix = new Float32Array(cOut * cols);
  const index = (o: number, i: number, y: number, x: number) => o * cols + (i * kh + y) * kw + x;
  for (let o = 0; o < cOut; o++) for (let i = 0; i < cIn; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) matrix[index(o, i, y, x)] = values[at(o, i, y, x)] as number;
  const truncated = truncateMatrix(matrix, cOut, cols, k);
  for (let o = 0; o < cOut; o++) for (let i = 0; i < cIn; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) values[at(o, i, y, x)] = truncated[index(o, i, y, x)] as number;
}

/**
 * Apply `edits` in order to a copy of a weight's values; the input is never modified. Edits naming another tensor
 * must be filtered out by the caller: every edit given applies here.
 *
 * @param values the weight, row-major in `layout` order (float32)
 * @param shape its dimensions in that order (4 for conv layouts, 2 for dense)
 * @returns the edited copy, and how many entries differ from `values` (a weight scaled by 1 does not count)
 * @throws RangeError for a shape that does not fit the layout or the values, a unit out of range, a factor that is
 *   not finite, a replacement kernel whose length is not c_in·kh·kw, a rank that is not a non-negative integer, or
 *   NaN / ±Inf in a weight to truncate
 */
export function applyWeightEdits(
  values: Float32Array,
  shape: readonly number[],
  layout: WeightLayout,
  edits: readonly WeightEdit[],
): { values: Float32Array; changed: number } {
  const dims = weightDims(shape, layout);
  const { cOut, cIn, kh, kw, at } = dims;
  if (values.length !== cOut * cIn * kh * kw) throw new RangeError(`applyWeightEdits: ${values.length} values do not fit shape [${shape.join(', ')}]`);
  const out = values.slice();
  for (const edit of edits) {
    if (edit.op === 'lowRank') {
      truncateInPlace(out, dims, edit.k);
      continue;
    }
    if (edit.op === 'replace') {
      unitList([edit.outUnit], cOut, 'output');
      if (edit.kernel.length !== cIn * kh * kw) throw new RangeError(`applyWeightEdits: a replacement kernel needs c_in·kh·kw = ${cIn * kh * kw} values, got ${edit.kernel.length}`);
      for (let i = 0; i < cIn; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) out[at(edit.outUnit, i, y, x)] = edit.kernel[(i * kh + y) * kw + x] as number;
      continue;
    }
    if (!Number.isFinite(edit.factor)) throw new RangeError(`applyWeightEdits: factor must be finite, got ${edit.factor}`);
    const outs = unitList(edit.outUnits, cOut, 'output');
    const ins = unitList(edit.inUnits, cIn, 'input');
    const keep = edit.sign === 'positive' ? (w: number) => w > 0 : edit.sign === 'negative' ? (w: number) => w < 0 : () => true;
    for (const o of outs)
      for (const i of ins)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++) {
            const k = at(o, i, y, x);
            const w = out[k] as number;
            if (keep(w)) out[k] = w * edit.factor;
          }
  }
  let changed = 0;
  for (let k = 0; k < out.length; k++) if (differs(out[k] as number, values[k] as number)) changed++;
  return { values: out, changed };
}

/** Options of {@link curveDetectorKernel}. */
export interface CurveDetectorOptions {
  readonly inChannels: number;
  readonly kh: number;
  readonly kw: number;
  /** Tangent orientation at the kernel centre, degrees counter-clockwise on screen from +x (as the stimuli). */
  readonly thetaDeg: number;
  /** Radius in pixels (the arc bends to the left of the tangent); Infinity gives a straight line. */
  readonly radiusPx: number;
  /** Stroke width in pixels. */
  readonly widthPx: number;
  /** The input channel that gets the pattern, or every one (default 'all'); the others stay 0. */
  readonly inChannel?: number | 'all';
}

/**
 * A hand-built curve detector for one output unit: the kh × kw anti-aliased image of the curve stimulus with the
 * same θ, radius and width (stimuli.ts: an arc through the kernel centre (kw/2, kh/2), ink 1 on 0, its length the
 * kernel's diagonal so it crosses the whole kernel), made zero-mean and of unit L2 norm, on each input channel used.
 * A flat image (a 1 × 1 kernel, or a stroke covering the whole kernel) has no pattern left: that channel stays 0.
 *
 * @returns c_in·kh·kw values in OIHW order for one output unit (a `replace` edit's kernel)
 * @throws RangeError for sizes that are not positive integers, an input channel out of range, or bad stimulus
 *   parameters (a radius that is not > 0, a width that is not > 0, a θ that is not finite)
 */
export function curveDetectorKernel(options: CurveDetectorOptions): Float32Array {
  const { inChannels, kh, kw, thetaDeg, radiusPx, widthPx, inChannel = 'all' } = options;
  for (const [name, v] of [['inChannels', inChannels], ['kh', kh], ['kw', kw]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`curveDetectorKernel: ${name} must be a positive integer, got ${v}`);
  }
  if (inChannel !== 'all' && (!Number.isInteger(inChannel) || inChannel < 0 || inChannel >= inChannels)) {
    throw new RangeError(`curveDetectorKernel: inChannel ${inChannel} out of range [0, ${inChannels})`);
  }
  const kind = Number.isFinite(radiusPx) ? 'curve' : 'line';
  const image = renderStimulus(
    { kind, thetaDeg, radiusPx, widthPx, lengthPx: Math.hypot(kh, kw), openingDeg: 90, darkOnLight: false },
    { width: kw, height: kh },
  );
  const area = kh * kw;
  let mean = 0;
  for (const v of image) mean += v / area;
  let norm = 0;
  for (const v of image) norm += (v - mean) ** 2;
  norm = Math.sqrt(norm);
  const out = new Float32Array(inChannels * area);
  if (!(norm > 1e-12)) return out;
  for (let i = 0; i < inChannels; i++) {
    if (inChannel !== 'all' && i !== inChannel) continue;
    for (let k = 0; k < area; k++) out[i * area + k] = ((image[k] as number) - mean) / norm;
  }
  return out;
}
