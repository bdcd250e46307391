/**
 * The randomised-ESD columns of one layer (SCIENCE.md §2, "Randomised ESD / correlation traps"; WW 0.7.5.5
 * `apply_randomize`): the layer's matrices with their entries shuffled (seeded), their ESD against the layer's.
 * Only for the definitions WeightWatcher has (dense, ww-pooled conv); others get no columns.
 * Besides WW's columns it returns the randomised ESD itself, for the correlation-trap view (Martin & Mahoney,
 * JMLR 2021, §5.5): the shuffled layer's λ and the MP fit that tells its bulk from its traps.
 */
import type { ShouldCancel } from '../cancel';
import type { LinalgBackend } from '../linalg/linalgBackend';
import { singularValues } from '../linalg/singularValues';
import type { ConvKernelLayout, TensorKindName } from '../spectra/tensorMatrices';
import { tensorMatrices } from '../spectra/tensorMatrices';
import type { LayerReport } from './layerReport';
import { randomizedEsd } from './randomizedEsd';

/** The default seed of the shuffles (reported with the results). */
export const DEFAULT_RANDOMIZE_SEED = 20241123;

/**
 * The randomised ESD of one layer, as a plot needs it. Every λ is in the layer's analysed units
 * (λ = evalScale·σ², e.g. ½σ² for WW pooled conv, divided by the normalisation if one is set), so it can be
 * drawn on the same axis as the layer's own λ.
 */
export interface RandomizedLayerEsd {
  /** λ_rand of the `replicas` pooled shuffles, ascending: replicas × the layer's eigenvalue count, float64. */
  readonly eigenvaluesAsc: Float64Array;
  /** Seed of the shuffles (WW's column randomize_seed). */
  readonly seed: number;
  /** Shuffles pooled (WW: 5 when the layer has < 100 eigenvalues, else 1). */
  readonly replicas: number;
  /** The randomised ESD's MP bulk edges (WW rand_bulk_min / rand_bulk_max), in λ units; absent when the fit failed. */
  readonly bulkMin?: number;
  readonly bulkMax?: number;
  /** λ_rand above this (bulk_max + √TW) are correlation traps (WW rand_num_spikes counts them); absent when the fit failed. */
  readonly spikeThreshold?: number;
}

/** What `layerRandomization` returns. */
export interface LayerRandomization {
  /** Columns with WW's names: rand_distance, ww_softrank, max_rand_eval, ww_maxdist, rand_num_spikes, randomize_seed. */
  readonly columns: Record<string, number>;
  /** The randomised ESD behind the columns (not a column: it stays out of CSV/JSON records). */
  readonly esd: RandomizedLayerEsd;
}

/**
 * Shuffle the layer's entries (seeded), recompute its ESD and compare it with the layer's.
 *
 * @param values The tensor's entries as stored (row-major, `shape`).
 * @param sv The layer's singular values (its spectrum, pooled over matrices), any order.
 * @param report The layer's report: its definition, evalScale and WW's N and M.
 * @param options.shouldCancel Checked inside each shuffle's SVD (a cancelled scan stops here too).
 * @returns null for the definitions WeightWatcher cannot randomise (anything but dense and ww-pooled conv).
 */
export function layerRandomization(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  kind: TensorKindName,
  layout: ConvKernelLayout,
  sv: Float64Array,
  report: LayerReport,
  options: { seed?: number; linalg?: LinalgBackend; shouldCancel?: ShouldCancel } = {},
): LayerRandomization | null {
  if (!canRandomize(kind, report.definition)) return null;
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
    singularValues: (data, rows, cols) => singularValues(data, rows, cols, options.shouldCancel, options.linalg),
  });
  const fit = r.trapFit;
  const fitted = fit !== undefined && r.trapSpikeThreshold !== undefined;
  return {
    columns: {
      rand_distance: r.rand_distance,
      ww_softrank: r.ww_softrank,
      max_rand_eval: r.max_rand_eval,
      ww_maxdist: r.ww_maxdist,
      ...(r.correlation_traps !== undefined ? { rand_num_spikes: r.correlation_traps } : {}),
      randomize_seed: seed,
    },
    esd: {
      eigenvaluesAsc: r.randEvals,
      seed,
      replicas: r.replicas,
      ...(fitted ? { bulkMin: fit.bulk_min, bulkMax: fit.bulk_max, spikeThreshold: r.trapSpikeThreshold } : {}),
    },
  };
}

/**
 * Whether WeightWatcher can randomise a layer of this kind and definition (`LayerReport.definition`): dense
 * layers and WW's pooled conv. Other definitions (conv unfold, operator) have no WW randomisation.
 */
export function canRandomize(kind: TensorKindName, definition: string): boolean {
  return (kind === 'dense' || kind === 'conv2d') && /^(dense|conv ww-pooled)/.test(definition);
}
