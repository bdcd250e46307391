/**
 * The `operator` conv definition (Sedghi, Gupta & Long, "The Singular Values of Convolutional Layers",
 * ICLR 2019; SCIENCE.md §1): the exact singular values of the convolution as a linear map on c_in × n × n
 * inputs with circular padding and stride 1. For each frequency (u, v) ∈ [0, n)² the c_out × c_in complex
 * matrix P(u, v) = Σ_{p,q} K[:, :, p, q]·e^{−2πi(up + vq)/n}; the spectrum is the union of their singular
 * values, n²·min(c_in, c_out) of them, and Σσ² = n²·‖K‖²_F (Parseval).
 *
 * Each P is Hermitian-squared through its real embedding [[Re, −Im], [Im, Re]], whose singular values are
 * those of P, each twice. P(−u, −v) is the complex conjugate of P(u, v), with the same singular values, so
 * only one of each conjugate pair is decomposed. Exact only for circular padding and stride 1.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import { singularValues } from '../linalg/singularValues';
import { cos, sin } from '../math/trig';
import type { ConvDims } from './convKernel';

/** Default input size n: a common feature-map size that keeps the n² small SVDs affordable. */
export const DEFAULT_OPERATOR_INPUT_SIZE = 16;

/** Frequencies (u, v) with a conjugate partner, as index pairs: the first of each pair is decomposed. */
function representative(u: number, v: number, n: number): boolean {
  const cu = (n - u) % n;
  const cv = (n - v) % n;
  return u < cu || (u === cu && v <= cv);
}

/**
 * All n²·min(c_out, c_in) singular values of the circular convolution, descending.
 *
 * @param kernel K as OIHW row-major float64 (`toOihw`)
 * @param n input height and width; at least max(kh, kw)
 * @param onFrequencyDone progress: frequencies done, and the total decomposed
 * @throws RangeError when n is not an integer ≥ max(kh, kw), or the result would exceed 2²⁷ values
 */
export function convOperatorSingularValues(
  kernel: Float64Array,
  dims: ConvDims,
  n: number,
  shouldCancel?: ShouldCancel,
  onFrequencyDone?: (done: number, total: number) => void,
): Float64Array {
  const { cOut, cIn, kh, kw } = dims;
  if (!Number.isInteger(n) || n < Math.max(kh, kw, 1)) {
    throw new RangeError(`convOperatorSingularValues: input size n = ${n} must be an integer ≥ the kernel size ${kh}×${kw}`);
  }
  const perFrequency = Math.min(cOut, cIn);
  if (n * n * perFrequency > 2 ** 27) throw new RangeError(`convOperatorSingularValues: n = ${n} gives ${n * n * perFrequency} singular values, too many`);
  // Twiddles e^{−2πi·t/n} for t in [0, n), by the engine-independent sin/cos (Math.sin/cos differ by an ulp
  // between Chromium and Node on a few % of arguments).
  const twiddleRe = Float64Array.from({ length: n }, (_, t) => cos((2 * Math.PI * t) / n));
  const twiddleIm = Float64Array.from({ length: n }, (_, t) => -sin((2 * Math.PI * t) / n));
  const taps = kh * kw;
  const total = Array.from({ length: n * n }, (_, f) => representative(Math.floor(f / n), f % n, n)).filter(Boolean).length;
  const out = new Float64Array(n * n * perFrequency);
  const rows = 2 * cOut;
  const cols = 2 * cIn;
  const embedding = new Float64Array(rows * cols);
  const wRe = new Float64Array(taps);
  const wIm = new Float64Array(taps);
  let filled = 0;
  let done = 0;
  for (let u = 0; u < n; u++) {
    for (let v = 0; v < n; v++) {
      if (!representative(u, v, n)) continue;
      throwIfCancelled(shouldCancel);
      for (let p = 0; p < kh; p++) {
        for (let q = 0; q < kw; q++) {
          const t = (u * p + v * q) % n;
          wRe[p * kw + q] = twiddleRe[t] as number;
          wIm[p * kw + q] = twiddleIm[t] as number;
        }
      }
      for (let o = 0; o < cOut; o++) {
        for (let c = 0; c < cIn; c++) {
          const base = (o * cIn + c) * taps;
          let re = 0;
          let im = 0;
          for (let k = 0; k < taps; k++) {
            const w = kernel[base + k] as number;
            re += w * (wRe[k] as number);
            im += w * (wIm[k] as number);
          }
          // [[Re, −Im], [Im, Re]]
          embedding[o * cols + c] = re;
          embedding[o * cols + cIn + c] = -im;
          embedding[(cOut + o) * cols + c] = im;
          embedding[(cOut + o) * cols + cIn + c] = re;
        }
      }
      const doubled = singularValues(embedding, rows, cols, shouldCancel);
      const copies = (n - u) % n === u && (n - v) % n === v ? 1 : 2;
      for (let copy = 0; copy < copies; copy++) {
        for (let i = 0; i < perFrequency; i++) out[filled++] = doubled[2 * i] as number;
      }
      onFrequencyDone?.(++done, total);
    }
  }
  return out.sort().reverse();
}
