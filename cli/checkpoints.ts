/**
 * `analyze --checkpoints`: several checkpoints of one model as a study over training steps (issue 9). Each file or
 * folder is one checkpoint; they are ordered by the step in their names (`orderCheckpoints`), their layers matched
 * by name and shape (`matchLayers`; mismatches are listed on stderr), and each is scanned by the same core as a
 * single model, one after another, so only one checkpoint is open at a time.
 */
import { basename } from 'node:path';
import { matchLayers, orderCheckpoints } from '../src/analysis/checkpoints';
import { openModel } from '../src/formats/registry';
import { notAnalysedReason } from '../src/model/analysable';
import type { AnalysisSettings } from '../workers/protocol';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import type { LayerRecord } from '../workers/layerRecords';
import { openFiles } from './nodeFiles';
import { scanModel } from './scanModel';
import { toCsv, toTable } from './formatRecords';

/** The metrics the terminal table shows per layer and step (the CSV and JSON have every column). */
const STUDY_COLUMNS = ['checkpoint', 'step', 'alpha', 'stable_rank', 'effective_rank', 'energy_rank_90', 'energy_rank_99', 'log_spectral_norm', 'num_spikes', 'warning'];

export interface StudyOutput {
  readonly checkpoints: readonly { readonly name: string; readonly step: number | null }[];
  readonly mismatches: readonly { readonly name: string; readonly kind: string; readonly detail: string }[];
  /** One record per checkpoint and matched layer, in step order, with `checkpoint` and `step` first. */
  readonly records: readonly LayerRecord[];
}

/** Scan every checkpoint and keep the layers they all have. */
export async function studyCheckpoints(paths: readonly string[], settings: AnalysisSettings, linalg: LinalgBackend, onProgress: (text: string) => void): Promise<StudyOutput> {
  const order = orderCheckpoints(paths);
  const label = (path: string) => basename(path.replace(/[/\\]+$/, ''));
  const shapes = [];
  for (const c of order) {
    const opened = await openFiles([c.name]);
    try {
      const model = await openModel(opened.files);
      shapes.push(model.tensors.filter((t) => notAnalysedReason(t) === null).map((t) => ({ name: t.name, shape: t.shape })));
      model.dispose?.();
    } finally {
      await opened.close();
    }
  }
  const match = matchLayers(
    shapes,
    order.map((c) => label(c.name)),
  );
  const matched = new Set(match.matched.map((m) => m.name));
  const records: LayerRecord[] = [];
  for (const [i, c] of order.entries()) {
    const opened = await openFiles([c.name]);
    try {
      const model = await openModel(opened.files);
      const scan = await scanModel(model, settings, linalg, (done, total, name) => onProgress(`[checkpoint ${i + 1}/${order.length}] [${done}/${total}] ${name}`));
      for (const r of scan.layers) if (matched.has(String(r.name))) records.push({ checkpoint: label(c.name), step: c.step, ...r });
      model.dispose?.();
    } finally {
      await opened.close();
    }
  }
  return { checkpoints: order.map((c) => ({ name: label(c.name), step: c.step })), mismatches: match.mismatches, records };
}

/** The study as text: CSV, JSON, or one table per layer (its metrics by step). */
export function formatStudy(study: StudyOutput, output: 'table' | 'csv' | 'json'): string {
  if (output === 'csv') return toCsv(study.records);
  if (output === 'json') return `${JSON.stringify(study, null, 1)}\n`;
  const layers = [...new Set(study.records.map((r) => String(r.name)))];
  const blocks = layers.map((layer) => {
    const rows = study.records.filter((r) => r.name === layer);
    const columns = STUDY_COLUMNS.filter((c) => rows.some((r) => c in r));
    return `## ${layer} (${rows[0]?.shape ?? ''})\n${toTable(rows, columns)}`;
  });
  const notes = study.mismatches.map((m) => `# not compared: ${m.name}: ${m.detail}`);
  return `${[...blocks, ...notes, '# all columns: --csv or --json'].join('\n')}\n`;
}
