/**
 * `analyze model --low-rank <k|q> --out small.safetensors [--factors] [--layers a,b]`: write a copy of the model with
 * its dense and conv layers replaced by their best rank-k approximations (issue 9), through `exportLowRank`
 * (workers/exportLowRank.ts, shared with the app). The file is streamed to disk: unchanged tensors are copied
 * from the source file range by range, computed tensors wait in a spill file, one layer is in memory at a time.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { convDims } from '../src/analysis/spectra/convKernel';
import { openModel } from '../src/formats/registry';
import { isTruncatable } from '../src/model/analysable';
import type { Model, TensorRef } from '../src/model/types';
import { exportLowRank, type LowRankLayerSummary, type LowRankPlanEntry } from '../workers/exportLowRank';
import type { LayerRecord } from '../workers/layerRecords';
import type { AnalyzeArgs } from './args';
import { UsageError } from './args';
import { toCsv, toTable } from './formatRecords';
import { openFiles, openSpillFile, writeParts } from './nodeFiles';

/** The matrix of a dense or conv tensor: dense as stored, conv as its unfold c_out × c_in·kh·kw. */
function matrixSize(t: TensorRef): { rows: number; cols: number } {
  if (t.kind === 'dense') return { rows: t.shape[0] as number, cols: t.shape[1] as number };
  const d = convDims(t.shape, t.layout ?? 'OIHW');
  return { rows: d.cOut, cols: d.cIn * d.kh * d.kw };
}

/**
 * The layers to truncate: `layers` (default: every tensor `isTruncatable` accepts), leaving out, for a fixed k,
 * those with min(rows, cols) ≤ k (W_k would be W).
 * @throws UsageError when a named layer is missing or has no matrix, or nothing is left to truncate
 */
export function lowRankPlan(model: Model, lowRank: NonNullable<AnalyzeArgs['lowRank']>, layers?: readonly string[]): { plan: LowRankPlanEntry[]; unchanged: string[] } {
  let chosen = model.tensors.filter(isTruncatable);
  if (layers) {
    const missing = layers.filter((name) => !model.tensors.some((t) => t.name === name));
    if (missing.length > 0) throw new UsageError(`--layers: "${model.name}" has no tensor ${missing.map((n) => `"${n}"`).join(', ')}.`);
    const notMatrix = layers.filter((name) => !chosen.some((t) => t.name === name));
    if (notMatrix.length > 0) throw new UsageError(`--layers: ${notMatrix.map((n) => `"${n}"`).join(', ')} ${notMatrix.length === 1 ? 'is not a' : 'are not'} dense or conv float tensor${notMatrix.length === 1 ? '' : 's'}.`);
    chosen = chosen.filter((t) => layers.includes(t.name));
  }
  const plan: LowRankPlanEntry[] = [];
  const unchanged: string[] = [];
  for (const t of chosen) {
    if ('energy' in lowRank) plan.push({ tensor: t.name, energy: lowRank.energy });
    else {
      const { rows, cols } = matrixSize(t);
      if (Math.min(rows, cols) <= lowRank.k) unchanged.push(t.name);
      else plan.push({ tensor: t.name, k: lowRank.k });
    }
  }
  if (plan.length === 0) throw new UsageError(`--low-rank ${'k' in lowRank ? lowRank.k : lowRank.energy} leaves every chosen layer as it is (each has min(rows, cols) ≤ k).`);
  return { plan, unchanged };
}

/** What a --low-rank run wrote. */
export interface LowRankFileResult {
  readonly out: string;
  readonly bytes: number;
  readonly form: 'truncated' | 'factors';
  readonly summary: readonly LowRankLayerSummary[];
  /** Layers chosen but left as they are (k ≥ min(rows, cols)). */
  readonly unchanged: readonly string[];
  readonly notes: readonly string[];
  /** Parameters of every tensor, in the source and in the written file (read back from its header). */
  readonly modelParams: { readonly before: number; readonly after: number };
}

/**
 * Export and write the file named by `args.out`.
 * @throws UsageError when `--out` is one of the input files, or as {@link lowRankPlan}
 */
export async function writeLowRank(model: Model, args: AnalyzeArgs, linalg: LinalgBackend, onProgress: (done: number, total: number, name: string) => void): Promise<LowRankFileResult> {
  const out = resolve(args.out ?? '');
  if (args.files.some((f) => resolve(f) === out)) throw new UsageError(`--out "${args.out}" is the model being read; choose another file.`);
  const { plan, unchanged } = lowRankPlan(model, args.lowRank ?? { k: 1 }, args.layers);
  const form = args.factors ? 'factors' : 'truncated';
  const spill = await openSpillFile(join(dirname(out), `.${basename(out)}.spill`));
  let bytes: number;
  let exported;
  try {
    exported = await exportLowRank(model, plan, { form, linalg, onProgress, store: (b) => spill.store(b) });
    bytes = await writeParts(exported.parts, out);
  } finally {
    await spill.close();
  }
  const written = await openFiles([out]);
  let after = 0;
  try {
    for (const t of (await openModel(written.files)).tensors) after += t.size;
  } finally {
    await written.close();
  }
  const before = model.tensors.reduce((n, t) => n + t.size, 0);
  return { out, bytes, form, summary: exported.summary, unchanged, notes: exported.notes, modelParams: { before, after } };
}

function records(result: LowRankFileResult, shapes: ReadonlyMap<string, readonly number[]>): LayerRecord[] {
  return result.summary.map((s) => ({
    name: s.tensor,
    shape: (shapes.get(s.tensor) ?? []).join('x'),
    matrix: `${s.rows}x${s.cols}`,
    k: s.k,
    energy_kept: s.energyKept,
    rel_error: s.relError,
    params_before: s.paramsBefore,
    params_after: s.paramsAfter,
  }));
}

const percent = (after: number, before: number) => (before > 0 ? `${((100 * after) / before).toFixed(1)}%` : 'n/a');

/** The run as a table with totals (default), CSV (one row per layer) or one JSON document. */
export function formatLowRank(result: LowRankFileResult, model: Model, output: 'table' | 'json' | 'csv'): string {
  const rows = records(result, new Map(model.tensors.map((t) => [t.name, t.shape])));
  const layerBefore = result.summary.reduce((n, s) => n + s.paramsBefore, 0);
  const layerAfter = result.summary.reduce((n, s) => n + s.paramsAfter, 0);
  const factored = result.summary.reduce((n, s) => n + s.k * (s.rows + s.cols), 0);
  if (output === 'json') {
    const { out, bytes, form, unchanged, notes, modelParams } = result;
    return `${JSON.stringify({ out, bytes, form, layers: rows, layerParams: { before: layerBefore, after: layerAfter, factored }, modelParams, unchanged, notes }, null, 1)}\n`;
  }
  if (output === 'csv') return toCsv(rows);
  const { before, after } = result.modelParams;
  const lines = [
    `${result.summary.length} layers ${result.form === 'factors' ? 'stored as factor pairs' : 'truncated'}: ${layerBefore} → ${layerAfter} parameters (${percent(layerAfter, layerBefore)})`,
    `model: ${before} → ${after} parameters (${percent(after, before)})`,
    ...(result.form === 'truncated' ? [`truncated weights keep their shapes; as factor pairs (--factors) these layers would hold ${factored} parameters (${percent(factored, layerBefore)})`] : []),
    ...(result.unchanged.length > 0 ? [`left as they are (min(rows, cols) ≤ k): ${result.unchanged.join(', ')}`] : []),
    ...result.notes,
    `wrote ${result.out} (${result.bytes} bytes)`,
  ];
  return toTable(rows) + lines.map((l) => `# ${l}\n`).join('');
}
