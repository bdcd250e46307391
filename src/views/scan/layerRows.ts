/**
 * The rows of the whole-model layer table, and how they sort and filter. Pure: tensors and results in, rows out,
 * so it is unit-tested in Node.
 *
 * Filter syntax (space-separated terms, all must hold; a leading `-` negates a term):
 * - `conv` — free text, matched in the name or kind (case-insensitive);
 * - `alpha>6`, `alpha<2`, `D<=0.05`, `depth>=10`, `num_spikes=0`, `warning!=over-trained` — compare a column;
 * - `warning:over-trained`, `kind:conv2d`, `status:ok`, `name:attn` — the column's text contains the value.
 * Columns are the table's (WeightWatcher names); a metric's label works too (`α>6`).
 */
import { notAnalysedReason } from '../../model/analysable';
import type { TensorInfo } from '../../model/types';
import type { LayerResult } from '../../state/resultTypes';
import { formatShape } from '../layers/format';
import { METRIC_CATALOGUE, metricSpec, metricValue } from '../shared/metricCatalog';

/** Where a layer is in the scan. */
export type RowStatus = 'ok' | 'pending' | 'skipped' | 'non-finite' | 'failed';

/** One row of the table: a tensor of the model, and its metrics once analysed. */
export interface LayerRow {
  readonly name: string;
  /** Position in the model's tensor list (depth order), from 0. */
  readonly index: number;
  /** e.g. `64×3×5×5`. */
  readonly shape: string;
  readonly kind: string;
  /** Number of values in the tensor. */
  readonly params: number;
  readonly status: RowStatus;
  /** Why a row has no metrics (not analysed, NaN/Inf, failure), '' otherwise. */
  readonly note: string;
  /** The report's columns as computed (WeightWatcher's `status` renamed `fit_status`). */
  readonly metrics: Readonly<Record<string, number | string>>;
}

/** The columns every row has, in table order; `depth` is the 1-based position in the model. */
export const BASE_COLUMNS = ['depth', 'name', 'shape', 'kind', 'params', 'status'] as const;
export type BaseColumn = (typeof BASE_COLUMNS)[number];

export type SortDirection = 'ascending' | 'descending';

/** A cell's value: a number, a string, or null when the layer has none. */
export type CellValue = number | string | null;

/**
 * One row per tensor, in model order.
 * @param results the scan's results by tensor name (missing = not analysed yet)
 * @param cache rows already built, by result: a row whose result did not change is returned as the same object
 *   (so a table can skip re-rendering it while a scan adds results)
 */
export function buildLayerRows(
  tensors: readonly TensorInfo[],
  results: Readonly<Record<string, LayerResult | undefined>>,
  cache?: WeakMap<LayerResult, LayerRow>,
): LayerRow[] {
  return tensors.map((t, index) => {
    const reason = notAnalysedReason(t);
    const r = reason === null ? results[t.name] : undefined;
    const cached = r ? cache?.get(r) : undefined;
    if (cached && cached.name === t.name && cached.index === index) return cached;
    const row = layerRow(t, index, reason, r);
    if (r) cache?.set(r, row);
    return row;
  });
}

function layerRow(t: TensorInfo, index: number, reason: string | null, r: LayerResult | undefined): LayerRow {
  const base = { name: t.name, index, shape: formatShape(t.shape), kind: t.kind, params: t.size };
  if (reason !== null) return { ...base, status: 'skipped', note: reason, metrics: {} };
  if (!r) return { ...base, status: 'pending', note: 'waiting to be analysed', metrics: {} };
  if (r.status === 'non-finite') return { ...base, status: 'non-finite', note: `${r.nanCount} NaN and ${r.infCount} ±Inf values`, metrics: {} };
  if (r.status === 'failed') return { ...base, status: 'failed', note: `${r.error.code}: ${r.error.message}`, metrics: {} };
  const metrics = Object.fromEntries(Object.entries(r.report.columns).map(([k, v]) => [k === 'status' ? 'fit_status' : k, v]));
  return { ...base, status: 'ok', note: '', metrics };
}

/** The metric columns present in any row: the catalogue's first, in its order, then the others as first seen. */
export function metricColumns(rows: readonly LayerRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.metrics)) seen.add(k);
  const known = METRIC_CATALOGUE.map((m) => m.column).filter((c) => seen.has(c));
  const others = [...seen].filter((c) => !metricSpec(c));
  return [...known, ...others];
}

/**
 * The value of a cell. Metric numbers go through `metricValue` (a failed fit's −1 is no value); NaN and '' are
 * no value.
 */
export function cellValue(row: LayerRow, column: string): CellValue {
  switch (column) {
    case 'depth':
      return row.index + 1;
    case 'name':
    case 'shape':
    case 'kind':
    case 'status':
      return row[column];
    case 'params':
      return row.params;
  }
  const v = row.metrics[column];
  if (typeof v === 'number') return metricSpec(column) ? metricValue(row.metrics, column) : Number.isNaN(v) ? null : v;
  return v === undefined || v === '' ? null : v;
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * Rows sorted by a column: numbers numerically, text with numeric collation (`layer2` before `layer10`); rows
 * without a value last in either direction; ties in depth order.
 */
export function sortRows(rows: readonly LayerRow[], column: string, direction: SortDirection): LayerRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row) => ({ row, value: cellValue(row, column) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        if (a.value === b.value) return a.row.index - b.row.index;
        return a.value === null ? 1 : -1;
      }
      return sign * compare(a.value, b.value) || a.row.index - b.row.index;
    })
    .map((e) => e.row);
}

/** A comparison operator of the filter syntax. */
export type QueryOperator = '<' | '<=' | '>' | '>=' | '=' | '!=' | ':';

/** One term of a filter. */
export type QueryTerm =
  | { readonly kind: 'text'; readonly text: string; readonly negate: boolean }
  | { readonly kind: 'condition'; readonly column: string; readonly op: QueryOperator; readonly value: string; readonly negate: boolean }
  /** A condition on a column that does not exist: matches nothing. */
  | { readonly kind: 'invalid'; readonly text: string };

/** A parsed filter: its terms, and what is wrong with it (shown to the user; faulty terms match nothing). */
export interface LayerQuery {
  readonly terms: readonly QueryTerm[];
  readonly problems: readonly string[];
}

const CONDITION = /^([^<>=!:]+)(<=|>=|!=|<|>|=|:)(.*)$/s;
const NUMERIC_OPS = new Set<QueryOperator>(['<', '<=', '>', '>=']);

/**
 * Parse a filter (syntax in the module comment).
 * @param columns the columns a condition may name (others are reported as problems); all when omitted
 */
export function parseLayerQuery(query: string, columns?: readonly string[]): LayerQuery {
  const terms: QueryTerm[] = [];
  const problems: string[] = [];
  for (const raw of query.trim().split(/\s+/)) {
    if (raw === '' || raw === '-') continue;
    const negate = raw.startsWith('-');
    const token = negate ? raw.slice(1) : raw;
    const m = CONDITION.exec(token);
    if (!m) {
      terms.push({ kind: 'text', text: token.toLowerCase(), negate });
      continue;
    }
    const [, name = '', op = ':', value = ''] = m;
    if (value === '') continue; // still being typed
    const column = resolveColumn(name, columns);
    if (column === null) {
      problems.push(`unknown column “${name}”`);
      terms.push({ kind: 'invalid', text: raw });
      continue;
    }
    if (NUMERIC_OPS.has(op as QueryOperator) && !Number.isFinite(Number(value))) problems.push(`“${value}” is not a number (in ${token})`);
    terms.push({ kind: 'condition', column, op: op as QueryOperator, value, negate });
  }
  return { terms, problems };
}

/** The column a name in a filter means: exact, else a unique case-insensitive match, else a metric's label. */
function resolveColumn(name: string, columns: readonly string[] | undefined): string | null {
  const all = columns ?? [...BASE_COLUMNS, ...METRIC_CATALOGUE.map((m) => m.column)];
  if (all.includes(name) || (columns === undefined && /^[A-Za-z_]\w*$/.test(name))) return name;
  const lower = all.filter((c) => c.toLowerCase() === name.toLowerCase());
  if (lower.length === 1) return lower[0] as string;
  const byLabel = METRIC_CATALOGUE.find((m) => m.label === name);
  return byLabel && all.includes(byLabel.column) ? byLabel.column : null;
}

function matchesCondition(row: LayerRow, term: Extract<QueryTerm, { kind: 'condition' }>): boolean {
  const v = cellValue(row, term.column);
  const wanted = Number(term.value);
  switch (term.op) {
    case '<':
      return typeof v === 'number' && v < wanted;
    case '<=':
      return typeof v === 'number' && v <= wanted;
    case '>':
      return typeof v === 'number' && v > wanted;
    case '>=':
      return typeof v === 'number' && v >= wanted;
    case '=':
      return equals(v, term.value);
    case '!=':
      return !equals(v, term.value);
    case ':':
      return v !== null && String(v).toLowerCase().includes(term.value.toLowerCase());
  }
}

function equals(v: CellValue, text: string): boolean {
  if (v === null) return false;
  if (typeof v === 'number') return text.trim() !== '' && v === Number(text);
  return v.toLowerCase() === text.toLowerCase();
}

function matches(row: LayerRow, term: QueryTerm): boolean {
  if (term.kind === 'invalid') return false;
  const hit = term.kind === 'text' ? row.name.toLowerCase().includes(term.text) || row.kind.toLowerCase().includes(term.text) : matchesCondition(row, term);
  return term.negate ? !hit : hit;
}

/**
 * The rows a filter keeps, in their order. A condition on an unknown column keeps nothing (see `problems`).
 * @param query the filter text, or one parsed with `parseLayerQuery`
 */
export function filterRows(rows: readonly LayerRow[], query: string | LayerQuery): LayerRow[] {
  const parsed = typeof query === 'string' ? parseLayerQuery(query, queryColumns(rows)) : query;
  if (parsed.terms.length === 0) return [...rows];
  return rows.filter((row) => parsed.terms.every((t) => matches(row, t)));
}

/** Every column of the table for these rows: the base columns, then the metric columns. */
export function tableColumns(rows: readonly LayerRow[]): string[] {
  return [...BASE_COLUMNS, ...metricColumns(rows)];
}

/** The columns a filter may name: the table's, and every catalogue metric (a layer may not have it yet). */
export function queryColumns(rows: readonly LayerRow[]): string[] {
  return [...new Set([...tableColumns(rows), ...METRIC_CATALOGUE.map((m) => m.column)])];
}
