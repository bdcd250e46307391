/**
 * One step of a scan: read one tensor's bytes, refuse non-finite weights, compute its spectrum.
 * No worker globals here, so the same code serves the browser worker and the Node CLI.
 */
import type { TensorRef } from '../src/model/types';
import { computeLayerSpectrum } from '../src/analysis/spectra/layerSpectrum';
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
async function withLargeGram(ref: TensorRef, values: Float32Array | Float64Array, opts: Parameters<typeof scanTensor>[1]): Promise<LinalgBackend | undefined> {
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

/**
 * Analyse one tensor. Cancellation propagates as `AnalysisCancelled`; every other failure becomes a
 * `failed` result so one bad layer never stops the scan.
 */
export async function scanTensor(
  ref: TensorRef,
  opts: {
    shouldCancel?: ShouldCancel;
    onFraction?: (fraction: number) => void;
    now?: () => number;
    settings?: AnalysisSettings;
    /** Where the Gram and eigen-solve run (default: plain TypeScript). */
    linalg?: LinalgBackend;
    /** For dense layers of at least `minFlops` Gram multiply-adds: compute the Gram on several threads first. */
    largeGram?: { readonly minFlops: number; compute(values: Float32Array | Float64Array, rows: number, cols: number, shouldCancel?: ShouldCancel): Promise<Gram> };
  },
): Promise<LayerResult> {
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
      ms: end - start,
      readMs,
      metricsMs: end - metricsStart,
    };
  } catch (error) {
    if (error instanceof Error && error.name === 'AnalysisCancelled') throw error;
    return { tensor: ref.name, status: 'failed', error: toSerializedError(error) };
  }
}
