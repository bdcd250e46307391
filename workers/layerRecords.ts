/**
 * One output record per analysed layer, with WeightWatcher's column names, and CSV — shared by the CLI
 * (`npm run analyze --csv/--json`) and the app's metrics export, so both write the same files.
 */
import type { TensorInfo } from '../src/model/types';
import type { LayerResult } from './protocol';

/** One output row: column name → value. */
export type LayerRecord = Readonly<Record<string, string | number | boolean | null>>;

/** The record of one scanned tensor: name and shape, then WeightWatcher's columns, then ours. */
export function layerRecord(tensor: Pick<TensorInfo, 'name' | 'shape' | 'dtype'>, result: LayerResult): LayerRecord {
  const base = { name: tensor.name, shape: tensor.shape.join('x'), dtype: tensor.dtype };
  if (result.status === 'non-finite') return { ...base, status: 'non-finite', nan_count: result.nanCount, inf_count: result.infCount };
  if (result.status === 'failed') return { ...base, status: 'failed', error: `${result.error.code ?? ''} ${result.error.message}`.trim() };
  const { report } = result;
  return { ...base, ...report.columns, definition: report.definition, ...(report.approximations.length ? { approximations: report.approximations.join('; ') } : {}) };
}

/** The union of the records' columns, in first-seen order. */
export function columnsOf(records: readonly LayerRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** A value as written: numbers in full precision (they round-trip), so files can be compared exactly. */
export function cellText(value: LayerRecord[string] | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row. */
export function toCsv(records: readonly LayerRecord[], columns = columnsOf(records)): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const r of records) lines.push(columns.map((c) => csvCell(cellText(r[c]))).join(','));
  return `${lines.join('\n')}\n`;
}
