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
import { refineSmallSingularValues } from '../linalg/jacobiSingularValues';
import type { LinalgBackend } from '../linalg/linalgBackend';
import { TYPESCRIPT_LINALG } from '../linalg/linalgBackend';
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
  /**
   * σ of each matrix, descending, in matrix order (conv ww-pooled: kernel position i·kw + j). WeightWatcher's
   * rank_loss and sv_min are per-matrix quantities. Absent for `operator` (n² frequency matrices).
   */
  readonly matrixSingularValues?: readonly Float64Array[];
  /** How many matrices had their smallest σ recomputed by Jacobi (see `refineBelow`). */
  readonly refinedMatrices?: number;
  /** Which linear-algebra backend computed the σ (e.g. `wasm-simd128 f64`). */
  readonly linalg?: string;
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
  /**
   * Recompute a matrix's small σ by pivoted QR + one-sided Jacobi when its Gram-route σ_min < refineBelow·σ_max
   * (the Gram route is noise below ~1e-8·σ_max, and WW's rank metrics count σ down to ~1e-13·σ_max).
   * Default 1e-6; 0 never refines.
   */
  readonly refineBelow?: number;
  /** Where the Gram and eigen-solve run (default: plain TypeScript, float64). */
  readonly linalg?: LinalgBackend;
}

/**
 * The definition and matrix sizes `computeLayerSpectrum` would use for a tensor, without computing anything:
 * lets callers apply WeightWatcher's layer filters (N, M, rf) before reading a large tensor.
 */
export function spectrumShape(
  shape: readonly number[],
  kind: 'dense' | 'conv2d' | 'stack',
  layout: ConvKernelLayout,
  options: Pick<LayerSpectrumOptions, 'conv' | 'operatorInputSize'> = {},
): Pick<LayerSpectrum, 'definition' | 'rows' | 'cols' | 'matrixCount'> {
  if (kind === 'dense') return { definition: 'dense', rows: shape[0] ?? 0, cols: shape[1] ?? 0, matrixCount: 1 };
  if (kind === 'stack') return { definition: 'stack-pooled', rows: shape[1] ?? 0, cols: shape[2] ?? 0, matrixCount: shape[0] ?? 0 };
  const { cOut, cIn, kh, kw } = convDims(shape, layout);
  const conv = options.conv ?? 'ww-pooled';
  if (conv === 'unfold') return { definition: 'unfold', rows: cOut, cols: cIn * kh * kw, matrixCount: 1 };
  if (conv === 'operator') {
    const n = options.operatorInputSize ?? DEFAULT_OPERATOR_INPUT_SIZE;
    return { definition: 'operator', rows: cOut, cols: cIn, matrixCount: n * n };
  }
  return { definition: 'ww-pooled', rows: cOut, cols: cIn, matrixCount: kh * kw };
}

/** σ of one matrix by the Gram route, with the tail refined by Jacobi when it is near the Gram noise floor. */
function matrixSingularValues(
  matrix: Float32Array | Float64Array,
  rows: number,
  cols: number,
  refineBelow: number,
  shouldCancel: ShouldCancel | undefined,
  linalg: LinalgBackend,
): { sv: Float64Array; refined: boolean } {
  const sv = singularValues(matrix, rows, cols, shouldCancel, linalg);
  const max = sv[0] ?? 0;
  const min = sv[sv.length - 1] ?? 0;
  if (sv.length > 1 && max > 0 && min < refineBelow * max) return { sv: refineSmallSingularValues(matrix, rows, cols, sv, shouldCancel), refined: true };
  return { sv, refined: false };
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
    const { sv, refined } = matrixSingularValues(kernel, dims.cOut, cols, options.refineBelow ?? 1e-6, options.shouldCancel, options.linalg ?? TYPESCRIPT_LINALG);
    options.onMatrixDone?.(1, 1);
    return { definition: 'unfold', rows: dims.cOut, cols, matrixCount: 1, singularValues: sv, matrixSingularValues: [sv], refinedMatrices: refined ? 1 : 0, linalg: (options.linalg ?? TYPESCRIPT_LINALG).name, frobeniusNormSq };
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
  const refineBelow = options.refineBelow ?? 1e-6;
  const linalg = options.linalg ?? TYPESCRIPT_LINALG;
  const each: Float64Array[] = [];
  let refinedMatrices = 0;
  for (let k = 0; k < count; k++) {
    throwIfCancelled(shouldCancel);
    const { sv, refined } = matrixSingularValues(matrices.matrix(k), rows, cols, refineBelow, shouldCancel, linalg);
    each.push(sv);
    if (refined) refinedMatrices++;
    onMatrixDone?.(k + 1, count);
  }
  let pooled: Float64Array;
  if (count === 1) pooled = each[0] ?? new Float64Array(0);
  else {
    pooled = new Float64Array(count * perMatrix);
    each.forEach((sv, k) => pooled.set(sv, k * perMatrix));
    pooled.sort().reverse();
  }

  const definition: SpectrumDefinition = kind === 'dense' ? 'dense' : kind === 'stack' ? 'stack-pooled' : 'ww-pooled';
  return { definition, rows, cols, matrixCount: count, singularValues: pooled, matrixSingularValues: each, refinedMatrices, linalg: linalg.name, frobeniusNormSq: sumOfSquares(values) };
}
