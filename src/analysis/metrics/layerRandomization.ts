/**
 * The randomised-ESD columns of one layer (SCIENCE.md §2, "Randomised ESD / correlation traps"; WW 0.7.5.5
 * `apply_randomize`): the layer's matrices with their entries shuffled (seeded), their ESD against the layer's.
 * Only for the definitions WeightWatcher has (dense, ww-pooled conv); others get no columns.
 */
import type { LinalgBackend } from '../linalg/linalgBackend';
import { singularValues } from '../linalg/singularValues';
import type { ConvKernelLayout, TensorKindName } from '../spectra/tensorMatrices';
import { tensorMatrices } from '../spectra/tensorMatrices';
import type { LayerReport } from './layerReport';
import { randomizedEsd } from './randomizedEsd';

/** The default seed of the shuffles (reported with the results). */
export const DEFAULT_RANDOMIZE_SEED = 20241123;

/** Columns with WW's names: rand_distance, ww_softrank, max_rand_eval, ww_maxdist, rand_num_spikes, randomize_seed. */
export function layerRandomization(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  kind: TensorKindName,
  layout: ConvKernelLayout,
  sv: Float64Array,
  report: LayerReport,
  options: { seed?: number; linalg?: LinalgBackend } = {},
): Record<string, number> | null {
  if (kind !== 'dense' && kind !== 'conv2d') return null;
  if (!/^(dense|conv ww-pooled)/.test(report.definition)) return null;
  const seed = options.seed ?? DEFAULT_RANDOMIZE_SEED;
  const m = tensorMatrices(values, shape, kind, layout);
  const matrices = Array.from({ length: m.count }, (_, k) => ({ data: m.matrix(k), rows: m.rows, cols: m.cols }));
  const evals = sv.map((s) => report.evalScale * s * s);
  const N = Number(report.columns.N);
  const M = Number(report.columns.M);
  const r = randomizedEsd(matrices, evals, {
    seed,
    lambdaScale: report.evalScale,
    geometry: { N, M },
    singularValues: (data, rows, cols) => singularValues(data, rows, cols, undefined, options.linalg),
  });
  return {
    rand_distance: r.rand_distance,
    ww_softrank: r.ww_softrank,
    max_rand_eval: r.max_rand_eval,
    ww_maxdist: r.ww_maxdist,
    ...(r.correlation_traps !== undefined ? { rand_num_spikes: r.correlation_traps } : {}),
    randomize_seed: seed,
  };
}
