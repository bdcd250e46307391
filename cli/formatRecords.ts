/** Layer records as an aligned text table (CSV and records: workers/layerRecords.ts, shared with the app). */
import type { LayerRecord } from '../workers/layerRecords';
import { cellText, columnsOf } from '../workers/layerRecords';

export type { LayerRecord } from '../workers/layerRecords';
export { columnsOf, toCsv } from '../workers/layerRecords';

/** A number shortened for reading on a terminal (the CSV and JSON keep full precision). */
function short(value: LayerRecord[string] | undefined): string {
  if (typeof value !== 'number' || Number.isInteger(value)) return cellText(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : value.toPrecision(4);
}

/** Columns padded to their widest cell, numbers right-aligned. */
export function toTable(records: readonly LayerRecord[], columns = columnsOf(records)): string {
  const rows = records.map((r) => columns.map((c) => short(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((row) => (row[i] as string).length)));
  const numeric = columns.map((c) => records.length > 0 && records.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined));
  const line = (cells: readonly string[]) =>
    cells.map((text, i) => (numeric[i] ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number))).join('  ').trimEnd();
  return `${[line(columns), ...rows.map(line)].join('\n')}\n`;
}
