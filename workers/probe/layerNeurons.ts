/**
 * A layer's singular directions U and values σ (SCIENCE.md §3) from its weight as our reader reads it: dense W
 * as out × in (transposing an in × out kernel), conv kernels as their unfold matrix c_out × c_in·kh·kw
 * (`unfoldConvKernel`). `svdNeurons` diagonalises the rows × rows Gram W·Wᵀ, which suits c_out ≤ c_in·kh·kw;
 * a tall W (more outputs than inputs, e.g. a 6625 × 120 classifier head) instead goes through
 * `topSingularVectors` with all min(rows, cols) triplets, which works on the small cols × cols Gram WᵀW: the
 * same U (up to sign, fixed to the same convention) at a fraction of the cost.
 */
import type { ShouldCancel } from '../../src/analysis/cancel';
import { topSingularVectors } from '../../src/analysis/linalg/topSingularVectors';
import type { SvdNeurons } from '../../src/analysis/profiles/index';
import { svdNeurons, unfoldConvKernel } from '../../src/analysis/profiles/index';
import type { RunnableLayer } from './probeSession';

/** A layer's U and σ, with the definition of the matrix they come from ('dense' or 'conv unfold'). */
export interface LayerNeurons {
  readonly definition: string;
  readonly neurons: SvdNeurons;
}

/** U and σ of W (rows × cols, row-major) by the cheaper route for its shape. */
export function neuronsOf(w: Float32Array | Float64Array, rows: number, cols: number, shouldCancel?: ShouldCancel): SvdNeurons {
  if (rows <= cols) return svdNeurons(w, rows, cols, shouldCancel);
  const { sigma, u } = topSingularVectors(w, rows, cols, cols, shouldCancel ? { shouldCancel } : {});
  const rank = sigma.length;
  // svdNeurons' sign convention: each column of U has its largest-magnitude entry positive (the first on ties).
  for (let k = 0; k < rank; k++) {
    let largest = 0;
    let sign = 1;
    for (let i = 0; i < rows; i++) {
      const v = u[i * rank + k] as number;
      if (Math.abs(v) > largest) {
        largest = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign < 0) for (let i = 0; i < rows; i++) u[i * rank + k] = -(u[i * rank + k] as number);
  }
  return { rows, rank, U: u, sigma };
}

/**
 * The matrix W of a layer (dense: out × in; conv: the unfold matrix) and its SVD neurons.
 *
 * @param edited the weight's values in stored order when they are not the file's (an edited weight)
 */
export async function layerNeurons(layer: RunnableLayer, shouldCancel?: ShouldCancel, edited?: Float32Array): Promise<LayerNeurons> {
  const values = edited ?? (await layer.weight.read());
  const shape = layer.weight.shape;
  if (layer.matrix.kind === 'conv') {
    const { data, rows, cols } = unfoldConvKernel(values, shape, layer.matrix.layout);
    return { definition: 'conv unfold', neurons: neuronsOf(data, rows, cols, shouldCancel) };
  }
  const [r = 0, c = 0] = shape;
  if (layer.matrix.orientation === 'out×in') return { definition: 'dense', neurons: neuronsOf(values, r, c, shouldCancel) };
  // Stored in × out (Keras Dense, ONNX MatMul B, Gemm without transB): W = storedᵀ.
  const w = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) w[j * r + i] = values[i * c + j] as number;
  return { definition: 'dense', neurons: neuronsOf(w, c, r, shouldCancel) };
}
