/**
 * `analyze --diff a b`: what changed from model A to model B, layer by layer (issue 9; fine-tune vs base,
 * checkpoint vs init). The definitions and the computation are `workers/diffTensors.ts`, shared with the app's
 * analysis worker, so both print identical numbers. Models holding LoRA adapters are compared through their B·A
 * updates (src/model/loraModel.ts), as the app opens them. One layer in memory at a time.
 */
import { basename } from 'node:path';
import { findLoraPairs } from '../src/analysis/checkpoints';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { openModel } from '../src/formats/registry';
import { withLoraAdapters } from '../src/model/loraModel';
import type { Model } from '../src/model/types';
import { diffModelLayers, planModelDiff } from '../workers/diffTensors';
import type { LayerRecord } from '../workers/layerRecords';
import { openFiles } from './nodeFiles';

/** One record per compared layer, and the layers that could not be compared. */
export async function diffModels(
  pathA: string,
  pathB: string,
  k: number,
  linalg: LinalgBackend,
  onProgress: (text: string) => void,
): Promise<{ records: LayerRecord[]; notCompared: { name: string; detail: string }[] }> {
  const a = await openFiles([pathA]);
  const b = await openFiles([pathB]);
  let ma: Model | null = null;
  let mb: Model | null = null;
  try {
    ma = await withLoraAdapters(await openModel(a.files), findLoraPairs, a.files);
    mb = await withLoraAdapters(await openModel(b.files), findLoraPairs, b.files);
    const plan = planModelDiff(ma, mb, { labels: [basename(pathA), basename(pathB)] });
    const records: LayerRecord[] = [];
    const layers = diffModelLayers(plan, { k, linalg, onLayerStart: (done, total, name) => onProgress(`[${done + 1}/${total}] ${name}`) });
    for await (const layer of layers) records.push(layer.record);
    return { records, notCompared: plan.notCompared.map((m) => ({ name: m.name, detail: m.detail })) };
  } finally {
    ma?.dispose?.();
    mb?.dispose?.();
    await a.close();
    await b.close();
  }
}
