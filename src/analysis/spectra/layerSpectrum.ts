/**
 * The singular-value spectrum of one tensor: every matrix of the tensor (`tensorMatrices`), its
 * singular values (`singularValues`), pooled into one descending list (SCIENCE.md §1). Conv kernels follow
 * one of three definitions: `ww-pooled` (WeightWatcher: the kh·kw slices), `unfold` (DeepDataProfiler: one
 * c_out × c_in·kh·kw matrix) or `operator` (Sedghi et al. 2019: the circular convolution on n×n inputs).
 * Raw σ of the stored weights: no normalisation and no WeightWatcher conv scaling is applied here.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import { singularValues } from '../linalg/singularValues';
import type { ConvKernelLayout, TensorKindName } from './tensorMatrices';
import { tensorMatrices } from './tensorMatrices';
import { convDims, toOihw } from './convKernel';
import { DEFAULT_OPERATOR_INPUT_SIZE, convOperatorSingularValues } from './convOperator';

/** The conv definitions a user can pick (SCIENCE.md §1). */
export type ConvDefinition = 'ww-pooled' | 'unfold' | 'operator';
export const CONV_DEFINITIONS: readonly ConvDefinition[] = ['ww-pooled', 'unfold', 'operator'];

/** Which matrix definition produced a spectrum: 2-D as stored, a conv definition, or a pooled 3-D stack. */
export type SpectrumDefinition = 'dense' | ConvDefinition | 'stack-pooled';

/** The pooled singular values of one tensor. */
export interface LayerSpectrum {
  readonly definition: SpectrumDefinition;
  /** Rows of one analysed matrix (conv: c_out of one kernel slice). */
  readonly rows: number;
  /** Columns of one analysed matrix (conv: c_in of one kernel slice). */
  readonly cols: number;
  /** Matrices pooled: 1 (dense, conv unfold), kh·kw (conv ww-pooled), n² (conv operator), the leading dimension (stack). */
  readonly matrixCount: number;
  /** For `operator`: the input size n (n×n, circular padding, stride 1). */
  readonly operatorInputSize?: number;
  /** σ of all matrices pooled, descending, float64; length matrixCount·min(rows, cols). */
  readonly singularValues: Float64Array;
  /** Σ w² over the tensor's values, accumulated in float64 (equals Σσ² up to rounding). */
  readonly frobeniusNormSq: number;
}

/** Options for `computeLayerSpectrum`. */
export interface LayerSpectrumOptions {
  /** Polled between and inside matrices; throws `AnalysisCancelled` when it returns true. */
  readonly shouldCancel?: ShouldCancel;
  /** Called after each matrix with the number done and the total. */
  readonly onMatrixDone?: (done: number, total: number) => void;
  /** Conv definition (default `ww-pooled`); ignored for other kinds. */
  readonly conv?: ConvDefinition;
  /** Input size n for the `operator` definition (default 16). */
  readonly operatorInputSize?: number;
}

function sumOfSquares(values: Float32Array | Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    sum += v * v;
  }
  return sum;
}

/** The `unfold` and `operator` spectra of a conv kernel. */
function convWholeKernelSpectrum(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  layout: ConvKernelLayout,
  conv: 'unfold' | 'operator',
  options: LayerSpectrumOptions,
): LayerSpectrum {
  // Validate rank, shape and length exactly as the slice definition does.
  tensorMatrices(values, shape, 'conv2d', layout);
  const dims = convDims(shape, layout);
  const kernel = layout === 'OIHW' ? values : toOihw(values, dims, layout);
  const frobeniusNormSq = sumOfSquares(values);
  if (conv === 'unfold') {
    throwIfCancelled(options.shouldCancel);
    const cols = dims.cIn * dims.kh * dims.kw;
    const sv = singularValues(kernel, dims.cOut, cols, options.shouldCancel);
    options.onMatrixDone?.(1, 1);
    return { definition: 'unfold', rows: dims.cOut, cols, matrixCount: 1, singularValues: sv, frobeniusNormSq };
  }
  const n = options.operatorInputSize ?? DEFAULT_OPERATOR_INPUT_SIZE;
  const sv = convOperatorSingularValues(toOihw(kernel, dims, 'OIHW'), dims, n, options.shouldCancel, options.onMatrixDone);
  return { definition: 'operator', rows: dims.cOut, cols: dims.cIn, matrixCount: n * n, operatorInputSize: n, singularValues: sv, frobeniusNormSq };
}

/**
 * Pooled singular values of a tensor.
 *
 * @param values The tensor's values, row-major in the order of `shape`, float32 or float64. Not modified.
 * @param shape Shape as stored: 2-D dense, 3-D stack, 4-D conv kernel.
 * @param kind 'dense' | 'stack' | 'conv2d' (other kinds have no matrices and throw).
 * @param layout Conv kernel layout ('OIHW' or 'HWIO'); ignored for other kinds.
 * @throws RangeError for a kind without matrices, a rank/shape mismatch, or non-finite values.
 * @throws AnalysisCancelled when `shouldCancel` returns true.
 */
export function computeLayerSpectrum(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  kind: TensorKindName,
  layout: ConvKernelLayout,
  options: LayerSpectrumOptions = {},
): LayerSpectrum {
  const { shouldCancel, onMatrixDone } = options;
  const conv = options.conv ?? 'ww-pooled';
  if (kind === 'conv2d' && conv !== 'ww-pooled') return convWholeKernelSpectrum(values, shape, layout, conv, options);
  const matrices = tensorMatrices(values, shape, kind, layout);
  const { rows, cols, count } = matrices;
  const perMatrix = Math.min(rows, cols);
  const pooled = new Float64Array(count * perMatrix);
  for (let k = 0; k < count; k++) {
    throwIfCancelled(shouldCancel);
    pooled.set(singularValues(matrices.matrix(k), rows, cols, shouldCancel), k * perMatrix);
    onMatrixDone?.(k + 1, count);
  }
  if (count > 1) pooled.sort().reverse();

  const definition: SpectrumDefinition = kind === 'dense' ? 'dense' : kind === 'stack' ? 'stack-pooled' : 'ww-pooled';
  return { definition, rows, cols, matrixCount: count, singularValues: pooled, frobeniusNormSq: sumOfSquares(values) };
}
