/**
 * The singular-value spectrum of one tensor: every matrix of the tensor (`tensorMatrices`), its
 * singular values (`singularValues`), pooled into one descending list (SCIENCE.md §1).
 * Raw σ of the stored weights: no normalisation and no WeightWatcher conv scaling is applied here.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import { singularValues } from '../linalg/singularValues';
import type { ConvKernelLayout, TensorKindName } from './tensorMatrices';
import { tensorMatrices } from './tensorMatrices';

/** Which matrix definition produced a spectrum: 2-D as stored, WW pooled conv slices, or a pooled 3-D stack. */
export type SpectrumDefinition = 'dense' | 'ww-pooled' | 'stack-pooled';

/** The pooled singular values of one tensor. */
export interface LayerSpectrum {
  readonly definition: SpectrumDefinition;
  /** Rows of one analysed matrix (conv: c_out of one kernel slice). */
  readonly rows: number;
  /** Columns of one analysed matrix (conv: c_in of one kernel slice). */
  readonly cols: number;
  /** Matrices pooled: 1 (dense), kh·kw (conv), the leading dimension (stack). */
  readonly matrixCount: number;
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
}

const DEFINITION: Record<'dense' | 'conv2d' | 'stack', SpectrumDefinition> = {
  dense: 'dense',
  conv2d: 'ww-pooled',
  stack: 'stack-pooled',
};

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

  let frobeniusNormSq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    frobeniusNormSq += v * v;
  }
  const definition = DEFINITION[kind as 'dense' | 'conv2d' | 'stack'];
  return { definition, rows, cols, matrixCount: count, singularValues: pooled, frobeniusNormSq };
}
