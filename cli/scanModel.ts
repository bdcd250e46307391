/**
 * Scan the analysable tensors of an opened model, one after another, into output records. LoRA adapters are
 * scanned as their updates B·A (src/model/loraModel.ts, workers/scanTensor.ts), as in the app.
 */
import { findLoraPairs } from '../src/analysis/checkpoints';
import { wwSkipReason } from '../src/analysis/metrics/layerFilters';
import { wwGeometry } from '../src/analysis/metrics/wwEigenvalues';
import { spectrumShape } from '../src/analysis/spectra/layerSpectrum';
import { notAnalysedReason } from '../src/model/analysable';
import { withLoraAdapters } from '../src/model/loraModel';
import type { Model, NamedBlob, TensorRef } from '../src/model/types';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import type { AnalysisSettings } from '../workers/protocol';
import { loraFilterGeometry, scanTensor } from '../workers/scanTensor';
import type { LayerRecord } from '../workers/layerRecords';
import { layerRecord } from '../workers/layerRecords';

/** What a scan prints: one record per analysed layer, plus what was skipped and why. */
export interface ScanOutput {
  readonly settings: AnalysisSettings;
  readonly layers: LayerRecord[];
  readonly skipped: { name: string; reason: string }[];
  readonly notes: string[];
  /** The linear-algebra backend that computed the σ. */
  readonly linalg: string;
}

/** Why this tensor is left out under WW's filters (N, M, rf known from the shape: nothing is read). */
function filteredOut(ref: TensorRef, settings: AnalysisSettings): string | null {
  if (ref.lowRank) return wwSkipReason(loraFilterGeometry(ref.lowRank, ref.shape[0] ?? 0, ref.shape[1] ?? 0), settings.filters);
  if (ref.kind !== 'dense' && ref.kind !== 'conv2d' && ref.kind !== 'stack') return null;
  const shape = spectrumShape(ref.shape, ref.kind, ref.layout ?? 'OIHW', settings);
  const kernel = ref.kind === 'conv2d' ? (ref.layout === 'HWIO' ? ref.shape.slice(0, 2) : ref.shape.slice(2)) : null;
  return wwSkipReason(wwGeometry(shape, kernel ? { kernelSize: kernel as [number, number] } : {}), settings.filters);
}

/**
 * Scan the model's analysable tensors in order, leaving out (unread) those WW's filters skip.
 * @param onProgress called before each tensor (for a progress line on stderr)
 * @param files the files the model was opened from: an `adapter_config.json` among them gives LoRA's scale
 */
export async function scanModel(
  opened: Model,
  settings: AnalysisSettings,
  linalg: LinalgBackend,
  onProgress: (done: number, total: number, name: string) => void = () => {},
  files: readonly NamedBlob[] = [],
): Promise<ScanOutput> {
  const model = await withLoraAdapters(opened, findLoraPairs, files);
  const skipped: { name: string; reason: string }[] = [];
  const todo: TensorRef[] = [];
  for (const t of model.tensors) {
    const reason = notAnalysedReason(t) ?? filteredOut(t, settings);
    if (reason === null) todo.push(t);
    else skipped.push({ name: t.name, reason });
  }
  const layers: LayerRecord[] = [];
  for (const [i, ref] of todo.entries()) {
    onProgress(i, todo.length, ref.name);
    layers.push(layerRecord(ref, await scanTensor(ref, { settings, linalg })));
  }
  const filtered = skipped.filter((s) => /min_evals|max_evals|max_N/.test(s.reason));
  const adapters = model.tensors.filter((t) => t.lowRank);
  const factors = skipped.filter((s) => model.tensors.some((t) => t.name === s.name && t.loraFactorOf !== undefined));
  const noMatrix = skipped.length - filtered.length - factors.length;
  const unknownScale = adapters.filter((t) => t.lowRank?.scaleKnown === false).length;
  const notes = [
    ...(filtered.length ? [`${filtered.length} layers left out by WeightWatcher's filters: ${filtered.map((s) => `${s.name} (${s.reason})`).join(', ')}`] : []),
    ...(adapters.length
      ? [
          `${adapters.length} LoRA adapter${adapters.length === 1 ? '' : 's'} treated as their updates ΔW = scale·B·A (λ of the r nonzero σ, WeightWatcher's peft definition); their ${factors.length} factor tensors are not analysed on their own${unknownScale ? `; ${unknownScale} with no lora_alpha found: scale 1 assumed (drop adapter_config.json with the weights)` : ''}`,
        ]
      : []),
    ...(noMatrix > 0 ? [`${noMatrix} tensors have no matrix to analyse (1-D, non-float, depthwise)`] : []),
  ];
  return { settings, layers, skipped, notes, linalg: linalg.name };
}
