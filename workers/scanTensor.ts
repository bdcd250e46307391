/**
 * One step of a scan: read one tensor's bytes, refuse non-finite weights, compute its spectrum.
 * No worker globals here, so the same code serves the browser worker and the Node CLI.
 *
 * A virtual LoRA tensor (`lowRank` and `factors` set, src/model/loraModel.ts), ΔW = scale·B·A of rank ≤ r, is
 * analysed from its factors (`scanLowRank`): σ by `loraSingularValues` (QR of both factors + Jacobi on r × r,
 * never forming out × in), and the ESD is the λ = σ² of those min(r, out, in) values only: the other
 * min(out, in) − r eigenvalues are exactly 0 and are left out. This is WeightWatcher's definition (0.7.5.5,
 * `analyze(peft=True)`: `WWPeftLayerIterator.update_peft_layers` replaces the lora_A layer by B·A with
 * `num_components = r`, and `combined_eigenvalues` then takes a truncated SVD with k = r), so num_evals = r and
 * every WW column (alpha, norms, rank_loss, entropy, MP fit with Q of the product) is over those r values.
 * Keeping the zeros instead would put a spike at 0 carrying most of the mass, which the power-law fit (λ > 1e-5)
 * drops anyway while the entropy and the MP fit would change meaning. Two departures from WW, both stated in the
 * report: WW analyses B·A without the scale (its norms are those of scale = 1; alpha, D, stable_rank and the
 * entropy do not depend on it), and WW's peft mode skips conv and embedding adapters and kohya/diffusers names.
 * WW's layer filters see the lora_A and lora_B tensors, i.e. min_evals compares r (`loraFilterGeometry`).
 */
import type { LowRankInfo, TensorRef } from '../src/model/types';
import type { LayerSpectrum } from '../src/analysis/spectra/layerSpectrum';
import { computeLayerSpectrum } from '../src/analysis/spectra/layerSpectrum';
import { wwSkipReason } from '../src/analysis/metrics/layerFilters';
import { loraSingularValues } from '../src/analysis/checkpoints/lora';
import { throwIfCancelled } from '../src/analysis/cancel';
import { layerReport } from '../src/analysis/metrics/layerReport';
import { layerRandomization } from '../src/analysis/metrics/layerRandomization';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { TYPESCRIPT_LINALG } from '../src/analysis/linalg/linalgBackend';
import type { Gram } from '../src/analysis/linalg/gram';
import { convDims } from '../src/analysis/spectra/convKernel';
import type { ShouldCancel } from '../src/analysis/cancel';
import { valueStats } from '../src/analysis/linalg/valueStats';
import type { AnalysisSettings, LayerResult } from './protocol';
import { toSerializedError } from './serializeError';

/**
 * The backend to use for this tensor: when a large dense layer's Gram is computed ahead on several threads,
 * a backend that returns it for exactly these values (anything else, e.g. a rescaled copy, goes to `linalg`).
 */
async function withLargeGram(ref: TensorRef, values: Float32Array | Float64Array, opts: ScanTensorOptions): Promise<LinalgBackend | undefined> {
  const base = opts.linalg ?? TYPESCRIPT_LINALG;
  const large = opts.largeGram;
  if (!large || ref.kind !== 'dense' || (opts.settings?.conv ?? 'ww-pooled') === 'operator') return opts.linalg;
  const [rows, cols] = ref.shape as [number, number];
  if (rows * cols * Math.min(rows, cols) < large.minFlops) return opts.linalg;
  const ahead = await large.compute(values, rows, cols, opts.shouldCancel);
  return { ...base, name: `${base.name}, Gram on several threads`, gram: (data, r, c, shouldCancel) => (data === values ? ahead : base.gram(data, r, c, shouldCancel)) };
}

/** `refineBelow` of computeLayerSpectrum for each exact-tail setting. */
const REFINE_BELOW = { auto: 1e-6, always: Infinity, off: 0 } as const;

/** Options of `scanTensor`. */
export interface ScanTensorOptions {
  shouldCancel?: ShouldCancel;
  onFraction?: (fraction: number) => void;
  now?: () => number;
  settings?: AnalysisSettings;
  /** Where the Gram and eigen-solve run (default: plain TypeScript). */
  linalg?: LinalgBackend;
  /** For dense layers of at least `minFlops` Gram multiply-adds: compute the Gram on several threads first. */
  largeGram?: { readonly minFlops: number; compute(values: Float32Array | Float64Array, rows: number, cols: number, shouldCancel?: ShouldCancel): Promise<Gram> };
}

/** An `ok` result's times in ms: all of it from `start`, the read, and the metrics from `metricsStart` to `end`. */
const timings = (start: number, readMs: number, metricsStart: number, end: number) => ({ ms: end - start, readMs, metricsMs: end - metricsStart });

/** A failure after the read as a `failed` result; cancellation (`AnalysisCancelled`) is rethrown so it stops the scan. */
function analysisFailed(ref: TensorRef, error: unknown): LayerResult {
  if (error instanceof Error && error.name === 'AnalysisCancelled') throw error;
  return { tensor: ref.name, status: 'failed', error: toSerializedError(error) };
}

/**
 * Analyse one tensor. Cancellation propagates as `AnalysisCancelled`; every other failure becomes a
 * `failed` result so one bad layer never stops the scan.
 */
export async function scanTensor(ref: TensorRef, opts: ScanTensorOptions): Promise<LayerResult> {
  if (ref.lowRank && ref.factors) return scanLowRank(ref, ref.lowRank, ref.factors, opts);
  const now = opts.now ?? (() => Date.now());
  const start = now();
  let values: Float32Array | Float64Array;
  try {
    values = await ref.read();
  } catch (error) {
    return { tensor: ref.name, status: 'failed', error: toSerializedError(error) };
  }
  const readMs = now() - start;
  const { nanCount, infCount, maxAbs } = valueStats(values);
  if (nanCount + infCount > 0) return { tensor: ref.name, status: 'non-finite', nanCount, infCount };
  try {
    await opts.linalg?.prepare?.();
    const linalg = maxAbs > 0 ? await withLargeGram(ref, values, opts) : opts.linalg;
    const spectrum = computeLayerSpectrum(values, ref.shape, ref.kind, ref.layout ?? 'OIHW', {
      shouldCancel: opts.shouldCancel,
      onMatrixDone: (done, total) => opts.onFraction?.(done / total),
      conv: opts.settings?.conv,
      operatorInputSize: opts.settings?.operatorInputSize,
      refineBelow: REFINE_BELOW[opts.settings?.exactTail ?? 'auto'],
      ...(linalg ? { linalg } : {}),
    });
    const layout = ref.layout ?? 'OIHW';
    const dims = ref.kind === 'conv2d' ? convDims(ref.shape, layout) : null;
    const metricsStart = now();
    const report = layerReport(spectrum, {
      mpFit: opts.settings?.mpFit,
      filters: opts.settings?.filters,
      normalization: opts.settings?.normalization,
      ...(dims ? { kernelSize: [dims.kh, dims.kw] as const } : {}),
    });
    const randomization = opts.settings?.randomize
      ? layerRandomization(values, ref.shape, ref.kind, layout, spectrum.singularValues, report, { seed: opts.settings.randomizeSeed, linalg: opts.linalg, shouldCancel: opts.shouldCancel })
      : null;
    // The columns join the report (and so the CSV/JSON records); the randomised ESD rides beside it for the trap view.
    const full = randomization ? { ...report, columns: { ...report.columns, ...randomization.columns } } : report;
    const end = now();
    return {
      tensor: ref.name,
      status: 'ok',
      spectrum,
      report: full,
      ...(randomization ? { randomized: randomization.esd } : {}),
      ...timings(start, readMs, metricsStart, end),
    };
  } catch (error) {
    return analysisFailed(ref, error);
  }
}

/**
 * WW's filter geometry of a LoRA pair: WW filters the lora_A (r × in) and lora_B (out × r) tensors before it
 * replaces A by B·A, so a pair is analysed when both pass: M·rf = r against min_evals / max_evals, and
 * max(out, in) against max_N.
 */
export function loraFilterGeometry(lowRank: Pick<LowRankInfo, 'rank'>, rows: number, cols: number): { N: number; M: number; rf: number } {
  return { N: Math.max(rows, cols), M: Math.min(lowRank.rank, rows, cols), rf: 1 };
}

/** What the report says the numbers are (the file comment has the reasoning). */
function lowRankDefinition(lowRank: LowRankInfo, rows: number, cols: number, count: number): string {
  const matrix = lowRank.layerKind === 'conv' ? `the unfold matrix ${rows}×${cols} (out × in·kh·kw)` : `${rows}×${cols}`;
  return `LoRA update ΔW = scale·B·A, ${matrix}, r = ${lowRank.rank}: λ = σ² of its ${count} singular values from the factors; the other ${Math.min(rows, cols) - count} are exactly 0 and left out (WeightWatcher 0.7.5.5 peft=True: the lora_BA layer, truncated SVD with k = r)`;
}

/** Where these numbers depart from WW's peft mode, or need a caveat. */
function lowRankNotes(lowRank: LowRankInfo, randomize: boolean): string[] {
  const notes: string[] = [];
  if (!lowRank.scaleKnown) notes.push(`LoRA scale unknown: ${lowRank.scaleSource}`);
  if (lowRank.scale !== 1) {
    notes.push(`WeightWatcher analyses B·A without the scale; here λ include scale² = ${lowRank.scale * lowRank.scale} (${lowRank.scaleSource}): alpha, D, stable_rank and entropy are unchanged, the norm columns are not`);
  }
  if (lowRank.layerKind !== 'linear' || lowRank.convention !== 'peft') {
    notes.push(`WeightWatcher's peft mode does not analyse ${lowRank.layerKind !== 'linear' ? `${lowRank.layerKind} adapters` : `${lowRank.convention} names`}; its formulas are applied to this spectrum`);
  }
  if (lowRank.magnitudeTensor !== undefined) notes.push(`DoRA: the magnitude vector "${lowRank.magnitudeTensor}" is not applied; this is the direction update scale·B·A alone`);
  if (randomize) notes.push('randomised ESD not computed for LoRA updates');
  return notes;
}

/** `scanTensor` for a virtual LoRA tensor: σ from the factors (see the file comment). */
async function scanLowRank(ref: TensorRef, lowRank: LowRankInfo, factors: NonNullable<TensorRef['factors']>, opts: ScanTensorOptions): Promise<LayerResult> {
  const now = opts.now ?? (() => Date.now());
  const start = now();
  let a: Float32Array | Float64Array;
  let b: Float32Array | Float64Array;
  try {
    [a, b] = await Promise.all([factors.a.read(), factors.b.read()]);
  } catch (error) {
    return { tensor: ref.name, status: 'failed', error: toSerializedError(error) };
  }
  const readMs = now() - start;
  const statsA = valueStats(a);
  const statsB = valueStats(b);
  const nanCount = statsA.nanCount + statsB.nanCount;
  const infCount = statsA.infCount + statsB.infCount;
  if (nanCount + infCount > 0) return { tensor: ref.name, status: 'non-finite', nanCount, infCount };
  try {
    throwIfCancelled(opts.shouldCancel);
    const [rows, cols] = ref.shape as [number, number];
    const sigma = loraSingularValues(a, b, lowRank.rank, rows, cols, lowRank.scale);
    opts.onFraction?.(1);
    let frobeniusNormSq = 0;
    for (const s of sigma) frobeniusNormSq += s * s;
    const spectrum: LayerSpectrum = {
      definition: 'dense',
      rows,
      cols,
      matrixCount: 1,
      singularValues: sigma,
      matrixSingularValues: [sigma],
      refinedMatrices: 0,
      linalg: 'factored: Householder QR of A and B, one-sided Jacobi on r × r',
      frobeniusNormSq,
    };
    const metricsStart = now();
    const settings = opts.settings;
    const report = layerReport(spectrum, { mpFit: settings?.mpFit, filters: settings?.filters, normalization: settings?.normalization });
    const end = now();
    return {
      tensor: ref.name,
      status: 'ok',
      spectrum,
      report: {
        ...report,
        definition: lowRankDefinition(lowRank, rows, cols, sigma.length),
        approximations: [...report.approximations, ...lowRankNotes(lowRank, settings?.randomize === true)],
        wwSkipped: wwSkipReason(loraFilterGeometry(lowRank, rows, cols), settings?.filters),
        columns: { ...report.columns, lora_rank: lowRank.rank, lora_scale: lowRank.scale, lora_scale_source: lowRank.scaleSource },
      },
      ...timings(start, readMs, metricsStart, end),
    };
  } catch (error) {
    return analysisFailed(ref, error);
  }
}
