import { memo, useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { LayerResult } from '../../state/resultTypes';
import { selectModelInfo, selectResults, selectSelectedTensorName } from '../../state/selectors';
import { formatCount } from '../layers/format';
import { formatNumber } from '../shared/chart';
import { openFromScan, useLinkedHover } from '../shared/linkedHover';
import { columnDefinition, columnLabel } from '../shared/metricCatalog';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { ViewActions } from '../shared/viewActions';
import type { CellValue, LayerRow, SortDirection } from './layerRows';
import { buildLayerRows, cellValue, filterRows, parseLayerQuery, queryColumns, sortRows, tableColumns } from './layerRows';
import { SortableHeader } from '../shared/SortableHeader';

/** The filter syntax, as the input's placeholder and help line say it. */
const FILTER_PLACEHOLDER = 'Filter: conv  alpha>6  alpha<2  warning:over-trained  kind:conv2d  -kind:vector';
const FILTER_HELP =
  'Words match layer names and kinds. column>n, column<n, >=, <=, =n compare a column (alpha, D, stable_rank, depth…); column:text matches text (warning:over-trained, kind:conv2d, status:ok); a leading - excludes. All terms must hold.';

const BASE_TITLES: Record<string, string> = {
  depth: 'Position of the tensor in the model (depth order)',
  name: 'Tensor name as stored in the file',
  shape: 'Shape as stored',
  kind: 'What the tensor is for the analysis (dense, conv2d, stack, vector…)',
  params: 'Number of values in the tensor',
  status: 'ok: analysed; pending: waiting; skipped: not analysed (1-D, unsupported dtype…); non-finite: NaN/Inf values; failed',
};

/** A cell's text: integers as is, other numbers short (formatNumber), ∞, or — for no value. */
function cellText(column: string, v: CellValue): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (column === 'params') return formatCount(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '—' : v > 0 ? '∞' : '−∞';
  return Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : formatNumber(v);
}

/** A cell's title: the full value as computed (a failed fit's −1 included), or why the layer has none. */
function cellTitle(row: LayerRow, column: string, v: CellValue): string | undefined {
  if (column === 'status') return row.note || undefined;
  if (column === 'name') return row.name;
  const raw = row.metrics[column];
  if (raw === undefined) return v === null ? undefined : String(v);
  if (v === null && typeof raw === 'number') return `${column} = ${raw}: no value (a failed fit reports −1)`;
  return `${column} = ${String(raw)}`;
}

const LayerTableRow = memo(function LayerTableRow({ row, columns, selected, tabbable }: { row: LayerRow; columns: readonly string[]; selected: boolean; tabbable: boolean }) {
  const store = useAppStoreApi();
  const warning = row.metrics.warning;
  return (
    <tr
      className={`scan-row status-${row.status}${selected ? ' selected' : ''}${typeof warning === 'string' && warning ? ` warn-${warning}` : ''}`}
      data-layer={row.name}
      data-status={row.status}
      aria-current={selected ? 'true' : undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => openFromScan(store, row.name)}
      onPointerEnter={() => store.getState().setHover(row.name)}
      onPointerLeave={() => store.getState().setHover(null)}
      onFocus={() => store.getState().setHover(row.name)}
      onBlur={() => {
        if (store.getState().hover === row.name) store.getState().setHover(null);
      }}
    >
      {columns.map((c) => {
        const v = cellValue(row, c);
        const numeric = typeof v === 'number' || typeof row.metrics[c] === 'number';
        const cls = `${numeric ? 'num' : ''}${c === 'name' ? ' name' : ''}${c === 'status' ? ` status-${row.status}` : ''}`.trim();
        return c === 'name' ? (
          <th key={c} scope="row" className={cls} title={cellTitle(row, c, v)}>
            {row.name}
          </th>
        ) : (
          <td key={c} className={cls || undefined} title={cellTitle(row, c, v)} data-column={c}>
            {cellText(c, v)}
          </td>
        );
      })}
    </tr>
  );
});

/**
 * Every layer with every metric: a sortable, filterable table (sticky header, horizontal scroll). Hover is
 * linked through the store without re-rendering; a click, or Enter on a focused row, opens the layer; arrow keys
 * move between rows.
 */
export function LayerTable() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const store = useAppStoreApi();
  const helpId = useId();
  const [cache] = useState(() => new WeakMap<LayerResult, LayerRow>());
  const rows = useMemo(() => (info ? buildLayerRows(info.tensors, results, cache) : []), [info, results, cache]);
  const columnsKey = tableColumns(rows).join('\n');
  const columns = useMemo(() => columnsKey.split('\n'), [columnsKey]);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [sort, setSort] = useState<{ column: string; direction: SortDirection }>({ column: 'depth', direction: 'ascending' });
  const parsed = useMemo(() => parseLayerQuery(deferredQuery, queryColumns(rows)), [deferredQuery, rows]);
  const shown = useMemo(() => sortRows(filterRows(rows, parsed), sort.column, sort.direction), [rows, parsed, sort]);
  const table = useRef<HTMLTableElement>(null);
  useLinkedHover(table);

  const tabbable = shown.some((r) => r.name === selected) ? selected : (shown[0]?.name ?? null);

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = event.target instanceof HTMLElement ? event.target.closest('tr') : null;
    const name = tr?.getAttribute('data-layer');
    if (!tr || !name) return;
    let next: Element | null = null;
    if (event.key === 'Enter') {
      event.preventDefault();
      openFromScan(store, name);
      return;
    } else if (event.key === 'ArrowDown' || event.key === 'j') next = tr.nextElementSibling;
    else if (event.key === 'ArrowUp' || event.key === 'k') next = tr.previousElementSibling;
    else if (event.key === 'Home') next = tr.parentElement?.firstElementChild ?? null;
    else if (event.key === 'End') next = tr.parentElement?.lastElementChild ?? null;
    else return;
    event.preventDefault();
    const nextName = next?.getAttribute('data-layer');
    if (next instanceof HTMLElement && nextName) {
      next.focus();
      store.getState().selectTensor(nextName);
    }
  };

  const sortBy = (column: string) =>
    setSort((s) => (s.column === column ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' }));

  if (!info) return null;
  return (
    <section className="layer-table-panel" aria-label="Layer table">
      <div className="layer-table-tools">
        <input
          type="search"
          className="layer-filter"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={FILTER_PLACEHOLDER}
          aria-label="Filter layers"
          aria-describedby={helpId}
          data-testid="layer-filter"
          spellCheck={false}
        />
        <span className="layer-table-count" data-testid="layer-count" aria-live="polite">
          {shown.length} of {rows.length} layers
        </span>
        <ViewActions panel="table" name="layers" title="all layers and metrics" chart={false} />
        {parsed.problems.length > 0 ? (
          <span className="filter-problems" role="alert">
            {parsed.problems.join('; ')}
          </span>
        ) : null}
      </div>
      <p id={helpId} className="filter-help">
        {FILTER_HELP}
      </p>
      <div className="layer-table-scroll">
        <table ref={table} className="layer-table" aria-label="All layers and metrics">
          <SortableHeader columns={columns.map((c) => ({ key: c, label: c === 'depth' ? '#' : columnLabel(c), title: BASE_TITLES[c] ?? columnDefinition(c), className: c === 'name' ? 'name' : undefined }))} sort={sort} onSort={sortBy} />
          <tbody onKeyDown={onKeyDown}>
            {shown.map((r) => (
              <LayerTableRow key={r.name} row={r} columns={columns} selected={r.name === selected} tabbable={r.name === tabbable} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
