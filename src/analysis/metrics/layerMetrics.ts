/**
 * One layer's WeightWatcher-parity metrics: the row WW 0.7.5.5 `analyze()` writes to its details dataframe
 * (`apply_esd`, `apply_powerlaw`, `apply_norm_metrics`, and `apply_mp_fit` when asked), with WW's column
 * names, plus the fit diagnostics. Definitions: SCIENCE.md §2; each piece cites its own WW function.
 */
import type { MpFit } from './mpFit';
import { mpFit as fitMarchenkoPastur } from './mpFit';
import type { NormMetrics } from './normMetrics';
import { normMetrics, rankLoss, svExtremes, weakRankLoss, WEAK_RANK_TOLERANCE } from './normMetrics';
import type { PowerLawCurves, WwWarning } from './powerLawFit';
import { fitPowerLaw, WW_FIT_THRESHOLD, wwWarning } from './powerLawFit';
import type { PooledSpectrum, WwGeometryOptions } from './wwEigenvalues';
import { isWwDefinition, wwEigenvalues } from './wwEigenvalues';

/** A pooled spectrum, optionally with each matrix's σ (needed for WW's exact rank_loss and sv_min). */
export interface LayerMetricsInput extends PooledSpectrum {
  /** σ of each matrix (raw, unscaled), e.g. `LayerSpectrum.matrixSingularValues`. */
  readonly matrixSingularValues?: readonly ArrayLike<number>[];
}

/** λ normalisation (SCIENCE.md §2): none = WW; per-row = DDP's λ/rows (c_out); mp = λ/N. */
export type EigenvalueNormalization = 'none' | 'per-row' | 'mp';

/** Options for `analyzeLayerMetrics`. */
export interface LayerMetricsOptions extends WwGeometryOptions {
  /** Also run WW's MP fit (WW `mp_fit=True`). Default false, as in WW. */
  readonly mpFit?: boolean;
  /** Eigenvalues ≤ this are not power-law fitted (WW `EVALS_THRESH`, 1e-5). */
  readonly fitThreshold?: number;
  /** weak_rank_loss counts λ below this (WW `tolerance`, 1e-6). */
  readonly weakRankTolerance?: number;
  readonly normalization?: EigenvalueNormalization;
}

/** The WW details row of one layer. */
export interface WwLayerRow extends NormMetrics {
  readonly layer_type: 'dense' | 'conv2d' | 'stack';
  readonly N: number;
  readonly M: number;
  readonly rf: number;
  readonly Q: number;
  readonly num_evals: number;
  readonly alpha: number;
  readonly xmin: number;
  readonly xmax: number;
  readonly D: number;
  readonly sigma: number;
  readonly num_pl_spikes: number;
  readonly rank_loss: number;
  readonly weak_rank_loss: number;
  readonly sv_max: number;
  readonly sv_min: number;
  readonly warning: WwWarning;
  readonly status: 'success' | 'failed';
  readonly num_spikes?: number;
  readonly mp_softrank?: number;
  readonly sigma_mp?: number;
  readonly bulk_min?: number;
  readonly bulk_max?: number;
  readonly W_scale?: number;
}

/** Everything `analyzeLayerMetrics` returns. */
export interface LayerMetrics {
  readonly row: WwLayerRow;
  /** Which definition produced the numbers, e.g. "conv ww-pooled, λ = ½σ² (WW conv2d_norm)". */
  readonly definition: string;
  /** Columns that are not exactly WW's definition for this input, and why. */
  readonly approximations: readonly string[];
  /** The eigenvalues analysed, ascending. */
  readonly evals: Float64Array;
  /** Power-law diagnostics: D and α for every candidate xmin, and the chosen index. */
  readonly powerLaw: PowerLawCurves & { readonly xminIndex: number };
  /** The MP fit with its KDE and σ grid, when asked for. */
  readonly mp?: MpFit;
}

/** WW's metrics of one layer from its pooled spectrum. */
export function analyzeLayerMetrics(spectrum: LayerMetricsInput, options: LayerMetricsOptions = {}): LayerMetrics {
  const ww = wwEigenvalues(spectrum, options);
  const { N, M, rf, Q, layer_type } = ww;
  const normalization = options.normalization ?? 'none';
  const factor = normalization === 'per-row' ? 1 / spectrum.rows : normalization === 'mp' ? 1 / N : 1;
  const evals = factor === 1 ? ww.evals : ww.evals.map((v) => v * factor);
  const svScale = ww.svScale * Math.sqrt(factor);
  const approximations: string[] = [];
  if (!isWwDefinition(spectrum.definition)) approximations.push(`'${spectrum.definition}': WeightWatcher has no such definition; its formulas are applied to this spectrum`);

  const fit = fitPowerLaw(evals, { threshold: options.fitThreshold ?? WW_FIT_THRESHOLD });
  const norms = normMetrics(evals, fit.alpha, N);
  let perMatrix = spectrum.matrixSingularValues;
  if (perMatrix === undefined) {
    perMatrix = [spectrum.singularValues];
    if (spectrum.matrixCount > 1) approximations.push('rank_loss and sv_min from the pooled σ: per-matrix σ were not given');
  }
  const scaledPerMatrix = svScale === 1 ? perMatrix : perMatrix.map((sv) => Float64Array.from(sv, (v) => v * svScale));
  const { sv_max, sv_min } = svExtremes(scaledPerMatrix);
  let row: WwLayerRow = {
    layer_type,
    N,
    M,
    rf,
    Q,
    num_evals: evals.length,
    alpha: fit.alpha,
    xmin: fit.xmin,
    xmax: fit.xmax,
    D: fit.D,
    sigma: fit.sigma,
    num_pl_spikes: fit.num_pl_spikes,
    ...norms,
    rank_loss: rankLoss(scaledPerMatrix, N),
    weak_rank_loss: weakRankLoss(evals, options.weakRankTolerance ?? WEAK_RANK_TOLERANCE),
    sv_max,
    sv_min,
    warning: wwWarning(fit.alpha),
    status: fit.status,
  };
  let mp: MpFit | undefined;
  if (options.mpFit) {
    mp = fitMarchenkoPastur(evals, N, M);
    const { num_spikes, sigma_mp, mp_softrank, bulk_min, bulk_max, W_scale } = mp;
    row = { ...row, num_spikes, sigma_mp, mp_softrank, bulk_min, bulk_max, W_scale };
  }
  return {
    row,
    definition: definitionLabel(spectrum.definition, normalization),
    approximations,
    evals,
    powerLaw: { ...fit.curves, xminIndex: fit.xminIndex },
    ...(mp ? { mp } : {}),
  };
}

const DEFINITION_LABELS: Record<PooledSpectrum['definition'], string> = {
  dense: 'dense, λ = σ² (WeightWatcher 0.7.5.5 parity)',
  'ww-pooled': 'conv ww-pooled: kernel slices pooled, λ = ½σ² (WeightWatcher 0.7.5.5 conv2d_norm)',
  unfold: 'conv unfold: one c_out × c_in·kh·kw matrix, λ = σ² (DeepDataProfiler; no WeightWatcher equivalent)',
  operator: 'conv operator: circular-convolution singular values, λ = σ² (Sedghi et al. 2019; no WeightWatcher equivalent)',
  'stack-pooled': '3-D stack pooled, λ = σ² (no WeightWatcher equivalent)',
};

function definitionLabel(definition: PooledSpectrum['definition'], normalization: EigenvalueNormalization): string {
  const base = DEFINITION_LABELS[definition];
  if (normalization === 'per-row') return `${base}; λ divided by rows (DDP per-row)`;
  if (normalization === 'mp') return `${base}; λ divided by N (MP scaling)`;
  return base;
}
