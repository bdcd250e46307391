/**
 * Top-k singular triplets of one tensor, on demand (later views need U and V: SVD neurons, direction plots).
 * Dense tensors use the matrix as stored; conv kernels their `unfold` matrix c_out × c_in·kh·kw (OIHW column
 * order c, i, j), as DeepDataProfiler does. No worker globals: reusable from Node.
 */
import { topSingularVectors } from '../src/analysis/linalg/topSingularVectors';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { convDims, toOihw } from '../src/analysis/spectra/convKernel';
import type { TensorRef } from '../src/model/types';
import type { ShouldCancel } from '../src/analysis/cancel';

/** k singular triplets of a tensor's matrix. */
export interface SingularVectorsResult {
  readonly tensor: string;
  /** The matrix decomposed: 'dense' (as stored) or 'unfold' (conv: c_out × c_in·kh·kw, OIHW order). */
  readonly matrix: 'dense' | 'unfold';
  readonly rows: number;
  readonly cols: number;
  /** σ, descending (k of them, fewer if the matrix is smaller). */
  readonly sigma: Float64Array;
  /** Left vectors, rows×k row-major: column j is uⱼ. */
  readonly u: Float64Array;
  /** Right vectors, cols×k row-major: column j is vⱼ. */
  readonly v: Float64Array;
  readonly ms: number;
}

/**
 * @throws RangeError for tensors that are not dense or conv, or hold NaN/Inf
 */
export async function tensorVectors(ref: TensorRef, k: number, options: { linalg?: LinalgBackend; shouldCancel?: ShouldCancel; now?: () => number } = {}): Promise<SingularVectorsResult> {
  const now = options.now ?? (() => Date.now());
  const start = now();
  const values = await ref.read();
  let data: Float32Array | Float64Array;
  let rows: number;
  let cols: number;
  let matrix: 'dense' | 'unfold';
  if (ref.kind === 'dense') {
    [rows, cols] = ref.shape as [number, number];
    data = values;
    matrix = 'dense';
  } else if (ref.kind === 'conv2d') {
    const layout = ref.layout ?? 'OIHW';
    const dims = convDims(ref.shape, layout);
    data = layout === 'OIHW' ? values : toOihw(values, dims, layout);
    rows = dims.cOut;
    cols = dims.cIn * dims.kh * dims.kw;
    matrix = 'unfold';
  } else {
    throw new RangeError(`Singular vectors need a dense or conv tensor; "${ref.name}" is ${ref.kind}.`);
  }
  const { sigma, u, v } = topSingularVectors(data, rows, cols, k, {
    ...(options.linalg ? { linalg: options.linalg } : {}),
    ...(options.shouldCancel ? { shouldCancel: options.shouldCancel } : {}),
  });
  return { tensor: ref.name, matrix, rows, cols, sigma, u, v, ms: now() - start };
}
