/**
 * Everything the app and the CLI show for one analysed layer, from its spectrum: WeightWatcher's row
 * (`analyzeLayerMetrics`), WW's filter verdict, detX, the beyond-WW metrics, and what the plots need (the
 * power-law diagnostics, the MP fit's law and edges). One function, so that the app and
 * `npm run analyze` print identical numbers. Plain data: it crosses the worker boundary as is.
 */
import { beyondWwMetrics, lowRankCost } from './beyondWw';
import { detX } from './detX';
import type { WwLayerFilters } from './layerFilters';
import { wwSkipReason } from './layerFilters';
import type { EigenvalueNormalization, LayerMetricsInput } from './layerMetrics';
import { analyzeLayerMetrics } from './layerMetrics';
import type { WwGeometryOptions } from './wwEigenvalues';

/** Options of `layerReport`. */
export interface LayerReportOptions extends WwGeometryOptions {
  /** Also fit Marchenko–Pastur (WW `mp_fit=True`). */
  readonly mpFit?: boolean;
  /** WW's layer filters (defaults as WW). */
  readonly filters?: Partial<WwLayerFilters>;
  readonly normalization?: EigenvalueNormalization;
}

/** One output value. */
export type ReportValue = number | string;

/** What a plot of the power-law fit needs (SCIENCE.md §2: "D vs xmin and α vs xmin, with the chosen xmin"). */
export interface PowerLawDiagnostics {
  readonly xmins: Float64Array;
  readonly alphas: Float64Array;
  readonly Ds: Float64Array;
  /** Index of the chosen xmin in `xmins`, −1 when the fit failed. */
  readonly xminIndex: number;
  readonly alpha: number;
  readonly xmin: number;
  readonly xmax: number;
  /** Eigenvalues ≥ xmin (the tail the power law describes) over all analysed eigenvalues. */
  readonly tailFraction: number;
}

/** The MP fit as a plot needs it, in the analysed λ units. */
export interface MpOverlay {
  /** 'MP' (Q ≠ 1) or 'QC' (Q = 1, quarter circle on √λ'). */
  readonly law: 'MP' | 'QC';
  readonly sigma: number;
  readonly Q: number;
  /** λ' = λ·W_scale² is the rescaled (mean 1) variable of the fit. */
  readonly wScaleSq: number;
  readonly bulkMin: number;
  readonly bulkMax: number;
  /** λ above this are spikes (bulk_max + √TW, in λ units). */
  readonly spikeThreshold: number;
}

/** Everything shown for one layer. */
export interface LayerReport {
  /** Which definition produced the numbers (e.g. conv ww-pooled, λ = ½σ²). */
  readonly definition: string;
  /** Columns that are not exactly WW's definition for this input, and why. */
  readonly approximations: readonly string[];
  /** Why WW's default filters would skip this layer, or null. The metrics are computed anyway. */
  readonly wwSkipped: string | null;
  /** λ = evalScale·σ²: the eigenvalues analysed, from the spectrum's σ (½ for WW pooled conv). */
  readonly evalScale: number;
  /** WW's columns (WW names), then detX_num and the beyond-WW columns. */
  readonly columns: Readonly<Record<string, ReportValue>>;
  readonly powerLaw: PowerLawDiagnostics;
  readonly mp?: MpOverlay;
}

/**
 * The report of one layer.
 * @param spectrum the layer's spectrum (`computeLayerSpectrum`), with per-matrix σ where available
 */
export function layerReport(spectrum: LayerMetricsInput, options: LayerReportOptions = {}): LayerReport {
  const metrics = analyzeLayerMetrics(spectrum, options);
  const { row, evals, powerLaw } = metrics;
  const sv = spectrum.singularValues;
  const evalScale = sv.length > 0 && (sv[0] as number) > 0 ? (evals[evals.length - 1] as number) / (sv[0] as number) ** 2 : 1;
  const beyond = beyondWwMetrics(sv);
  // A rank-k factorisation is defined for one matrix (dense, conv unfold); pooled spectra have no single k.
  const cost = spectrum.matrixCount === 1 ? lowRankCost(spectrum.rows, spectrum.cols, beyond.energy_rank_90) : null;
  const columns: Record<string, ReportValue> = {
    ...(row as unknown as Record<string, ReportValue>),
    detX_num: detX(evals).detX_num,
    ...beyond,
    ...(cost ? { lowrank_ratio_90: cost.ratio } : {}),
  };
  const tail = powerLaw.xminIndex >= 0 ? evals.length - countBelow(evals, row.xmin) : 0;
  const mp = metrics.mp;
  return {
    definition: metrics.definition,
    approximations: metrics.approximations,
    wwSkipped: wwSkipReason(row, options.filters),
    evalScale,
    columns,
    powerLaw: {
      xmins: powerLaw.xmins,
      alphas: powerLaw.alphas,
      Ds: powerLaw.Ds,
      xminIndex: powerLaw.xminIndex,
      alpha: row.alpha,
      xmin: row.xmin,
      xmax: row.xmax,
      tailFraction: evals.length > 0 ? tail / evals.length : 0,
    },
    ...(mp && mp.status === 'success'
      ? {
          mp: {
            law: mp.law,
            sigma: mp.sigma_mp,
            Q: row.Q,
            wScaleSq: mp.W_scale * mp.W_scale,
            bulkMin: mp.bulk_min,
            bulkMax: mp.bulk_max,
            spikeThreshold: mp.spikeThreshold / (mp.W_scale * mp.W_scale),
          },
        }
      : {}),
  };
}

/** How many of the ascending values are below x. */
function countBelow(ascending: Float64Array, x: number): number {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ascending[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
