/** Layer records as CSV or an aligned text table (the JSON form is `JSON.stringify`). */

/** One output row: column name → value. */
export type LayerRecord = Readonly<Record<string, string | number | boolean | null>>;

/** The union of the records' columns, in first-seen order. */
export function columnsOf(records: readonly LayerRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/** A number as printed: full precision (round-trips), so the CLI and the app can be compared exactly. */
function cell(value: LayerRecord[string] | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row. */
export function toCsv(records: readonly LayerRecord[], columns = columnsOf(records)): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const r of records) lines.push(columns.map((c) => csvCell(cell(r[c]))).join(','));
  return `${lines.join('\n')}\n`;
}

/** A number shortened for reading on a terminal (the CSV and JSON keep full precision). */
function short(value: LayerRecord[string] | undefined): string {
  if (typeof value !== 'number' || Number.isInteger(value)) return cell(value);
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
