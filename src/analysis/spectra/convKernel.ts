/**
 * A 4-D conv kernel read as K[o, c, p, q] (c_out, c_in, kh, kw) whatever its stored layout, for the conv
 * definitions that need whole-kernel access (`unfold`, `operator`; SCIENCE.md §1).
 */
import type { ConvKernelLayout } from './tensorMatrices';

/** Dimensions of a conv kernel, in OIHW terms. */
export interface ConvDims {
  readonly cOut: number;
  readonly cIn: number;
  readonly kh: number;
  readonly kw: number;
}

/** The dimensions of a stored 4-D kernel. */
export function convDims(shape: readonly number[], layout: ConvKernelLayout): ConvDims {
  const [a, b, c, d] = shape as readonly [number, number, number, number];
  return layout === 'OIHW' ? { cOut: a, cIn: b, kh: c, kw: d } : { cOut: d, cIn: c, kh: a, kw: b };
}

/**
 * The kernel as OIHW row-major float64: a view-free copy for HWIO, the values themselves (widened) for OIHW.
 * Index of K[o, c, p, q] is ((o·c_in + c)·kh + p)·kw + q.
 */
export function toOihw(values: Float32Array | Float64Array, dims: ConvDims, layout: ConvKernelLayout): Float64Array {
  if (layout === 'OIHW') return values instanceof Float64Array ? values : Float64Array.from(values);
  const { cOut, cIn, kh, kw } = dims;
  const out = new Float64Array(values.length);
  for (let p = 0; p < kh; p++) {
    for (let q = 0; q < kw; q++) {
      for (let c = 0; c < cIn; c++) {
        // HWIO: K[o, c, p, q] sits at ((p·kw + q)·c_in + c)·c_out + o.
        const src = ((p * kw + q) * cIn + c) * cOut;
        for (let o = 0; o < cOut; o++) out[((o * cIn + c) * kh + p) * kw + q] = values[src + o] as number;
      }
    }
  }
  return out;
}
