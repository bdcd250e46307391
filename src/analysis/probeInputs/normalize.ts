/**
 * RGBA pixels → the model's input tensor, by the formula of {@link InputPreprocessing} (inputSpec.ts):
 * x' = invert ? 255 − x : x, value = (x'·scale − mean[c]) / std[c], with grey = luma 0.299 R + 0.587 G + 0.114 B
 * (ITU-R BT.601, as PIL's `convert('L')` and TF's `rgb_to_grayscale`) for one channel. Alpha is ignored: the
 * browser loader composites transparent images over white before it reads their pixels.
 */
import type { InputPreprocessing } from './inputSpec';
import { exampleShape } from './inputSpec';

/** A batch of examples in the model's layout: N first, then {@link exampleShape}. Same shape as `ProbeBatch`. */
export interface InputBatch {
  /** N × C × H × W values, float32, in `shape` order. */
  readonly data: Float32Array;
  /** [N, C, H, W] for NCHW, [N, H, W, C] for NHWC. */
  readonly shape: readonly number[];
}

/** BT.601 luma weights (they sum to 1, so inverting before or after the luma gives the same grey). */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * One example in the model's layout. `pixels` is row-major RGBA, p.height × p.width pixels (already resized),
 * values 0..255 (a Uint8ClampedArray from a canvas, or any array of numbers on that scale). Writes into `out` at
 * `offset` when given (to fill a batch without copies), else into a new Float32Array of C·H·W values.
 * Throws RangeError when `pixels` is not 4·H·W long or `out` is too short (a caller bug, not a user error).
 */
export function toModelTensor(pixels: ArrayLike<number>, p: InputPreprocessing, out?: Float32Array, offset = 0): Float32Array {
  const { height, width, channels } = p;
  const plane = height * width;
  if (pixels.length !== 4 * plane) {
    throw new RangeError(`toModelTensor: expected ${width}×${height} RGBA pixels (${4 * plane} values), got ${pixels.length} values`);
  }
  const size = channels * plane;
  const target = out ?? new Float32Array(size);
  if (offset < 0 || offset + size > target.length) {
    throw new RangeError(`toModelTensor: output of ${target.length} values has no room for ${size} at offset ${offset}`);
  }
  // value = x'·a[c] + b[c] with a = scale/std, b = −mean/std.
  const a: number[] = [];
  const b: number[] = [];
  for (let c = 0; c < channels; c++) {
    const std = p.std[c] ?? 1;
    a.push(p.scale / std);
    b.push(-(p.mean[c] ?? 0) / std);
  }
  // Source RGBA offsets of the tensor's channels: R, G, B or B, G, R.
  const source = p.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  const chw = p.layout === 'NCHW';
  for (let i = 0; i < plane; i++) {
    const at = 4 * i;
    for (let c = 0; c < channels; c++) {
      let x: number;
      if (channels === 1) {
        x = LUMA[0] * (pixels[at] ?? 0) + LUMA[1] * (pixels[at + 1] ?? 0) + LUMA[2] * (pixels[at + 2] ?? 0);
      } else {
        x = pixels[at + (source[c] ?? c)] ?? 0;
      }
      if (p.invert) x = 255 - x;
      target[offset + (chw ? c * plane + i : i * channels + c)] = x * (a[c] ?? 1) + (b[c] ?? 0);
    }
  }
  return target;
}

/**
 * Stack single examples (each C·H·W values in p's layout, as {@link toModelTensor} makes them) into one batch.
 * Throws RangeError when an example has the wrong length.
 */
export function stackBatch(examples: readonly Float32Array[], p: InputPreprocessing): InputBatch {
  const perExample = exampleShape(p);
  const size = perExample.reduce((x, y) => x * y, 1);
  const data = new Float32Array(examples.length * size);
  examples.forEach((example, n) => {
    if (example.length !== size) {
      throw new RangeError(`stackBatch: example ${n} has ${example.length} values; ${perExample.join('×')} needs ${size}`);
    }
    data.set(example, n * size);
  });
  return { data, shape: [examples.length, ...perExample] };
}

/** Every image (RGBA, p.height × p.width) through {@link toModelTensor}, straight into one batch. */
export function toBatch(images: readonly ArrayLike<number>[], p: InputPreprocessing): InputBatch {
  const perExample = exampleShape(p);
  const size = perExample.reduce((x, y) => x * y, 1);
  const data = new Float32Array(images.length * size);
  images.forEach((pixels, n) => toModelTensor(pixels, p, data, n * size));
  return { data, shape: [images.length, ...perExample] };
}

/** Source taps and weights of each output index along one axis. */
function axisTaps(from: number, to: number): { index: number[]; weight: number[] }[] {
  const ratio = from / to;
  const taps: { index: number[]; weight: number[] }[] = [];
  for (let o = 0; o < to; o++) {
    const index: number[] = [];
    const weight: number[] = [];
    if (ratio <= 1) {
      // Upscaling (or equal): linear interpolation between the two nearest source centres (half-pixel centres).
      const s = Math.min(from - 1, Math.max(0, (o + 0.5) * ratio - 0.5));
      const i0 = Math.floor(s);
      const i1 = Math.min(from - 1, i0 + 1);
      const t = s - i0;
      index.push(i0, i1);
      weight.push(1 - t, t);
    } else {
      // Downscaling: average the source pixels the output pixel covers, weighted by overlap (a box filter).
      const start = o * ratio;
      const end = (o + 1) * ratio;
      for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
        const overlap = Math.min(end, i + 1) - Math.max(start, i);
        if (overlap > 0) {
          index.push(i);
          weight.push(overlap / ratio);
        }
      }
    }
    taps.push({ index, weight });
  }
  return taps;
}

/**
 * Resize row-major RGBA pixels (any 0..255-scale numbers) from srcHeight × srcWidth to dstHeight × dstWidth:
 * bilinear when enlarging, area-averaging when shrinking, separably per axis. Returns Float32Array RGBA
 * (unrounded, so an exact copy comes back when the sizes are equal). For images the app renders itself (the stroke
 * set); dropped images are resized by the browser's canvas.
 */
export function resizeRgba(pixels: ArrayLike<number>, srcHeight: number, srcWidth: number, dstHeight: number, dstWidth: number): Float32Array {
  if (pixels.length !== 4 * srcHeight * srcWidth) {
    throw new RangeError(`resizeRgba: expected ${srcWidth}×${srcHeight} RGBA pixels, got ${pixels.length} values`);
  }
  const columns = axisTaps(srcWidth, dstWidth);
  const rows = axisTaps(srcHeight, dstHeight);
  // Horizontal pass: srcHeight × dstWidth.
  const mid = new Float32Array(4 * srcHeight * dstWidth);
  for (let y = 0; y < srcHeight; y++) {
    for (let x = 0; x < dstWidth; x++) {
      const tap = columns[x];
      if (!tap) continue;
      for (let k = 0; k < 4; k++) {
        let v = 0;
        tap.index.forEach((i, j) => (v += (tap.weight[j] ?? 0) * (pixels[4 * (y * srcWidth + i) + k] ?? 0)));
        mid[4 * (y * dstWidth + x) + k] = v;
      }
    }
  }
  // Vertical pass: dstHeight × dstWidth.
  const out = new Float32Array(4 * dstHeight * dstWidth);
  for (let y = 0; y < dstHeight; y++) {
    const tap = rows[y];
    if (!tap) continue;
    for (let x = 0; x < dstWidth; x++) {
      for (let k = 0; k < 4; k++) {
        let v = 0;
        tap.index.forEach((i, j) => (v += (tap.weight[j] ?? 0) * (mid[4 * (i * dstWidth + x) + k] ?? 0)));
        out[4 * (y * dstWidth + x) + k] = v;
      }
    }
  }
  return out;
}
