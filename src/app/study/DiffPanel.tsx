import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { AppState } from '../../state/appState';
import { DEFAULT_DIFF_K, MAX_DIFF_K, clampDiffK } from '../../state/slices/diffSlice';
import { selectSelectedTensorName } from '../../state/selectors';
import { useLinkedHover } from '../../views/shared/linkedHover';
import { SortableHeader } from '../../views/shared/SortableHeader';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { DiffView } from '../../views/diff/DiffView';
import { ViewActionsProvider } from '../../views/shared/viewActions';
import type { ViewActionRequest } from '../../views/shared/viewActions';
import type { DiffColumnKey, SortDirection } from '../../views/diff/diffData';
import { DIFF_COLUMNS, checkpointLabel, diffFileStem, diffRecords, diffRows, formatDiffValue, sortDiffRows } from '../../views/diff/diffData';
import { curveValueAt } from '../../views/study/studyData';
import { toCsv } from '../../../workers/layerRecords';
import { ChartExport } from '../ChartExport';
import { download } from '../download';
import './diff.css';

const selectDiff = (s: AppState) => s.diff;
const selectDiffPair = (s: AppState) => s.diffPair;
const selectStudy = (s: AppState) => s.study;

/** SVG, PNG and Embed beside each ΔW chart. */
const chartActions = ({ panel, name, title, chart }: ViewActionRequest) => <ChartExport name={name} panel={panel} title={title} chart={chart} />;

type Checkpoint = AppState['study']['checkpoints'][number];

/** The training log's accuracies at a checkpoint's step, e.g. "train 100 % · test 3.4 %" (empty without a log or a step). */
function accuracies(study: AppState['study'], c: Checkpoint | undefined): string {
  if (!c || c.step === null) return '';
  const step = c.step;
  return study.curves
    .filter((curve) => curve.fraction)
    .flatMap((curve) => {
      const v = curveValueAt(curve, step);
      return v === null ? [] : [`${curve.name.replace(/_/g, ' ')} ${(v * 100).toFixed(1)} %`];
    })
    .join(' · ');
}

/** A checkpoint's option text: its step and name. */
const optionText = (c: Checkpoint) => (c.step !== null ? `step ${c.step} · ${c.name}` : c.name);

/** A <select> of the study's checkpoints (A or B of the comparison). */
function CheckpointSelect({ checkpoints, value, onChange, testId, label }: { checkpoints: readonly Checkpoint[]; value: string; onChange: (name: string) => void; testId: string; label: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} aria-label={label}>
      {checkpoints.map((c) => (
        <option key={c.name} value={c.name}>
          {optionText(c)}
        </option>
      ))}
    </select>
  );
}

/**
 * What changed between two checkpoints of the study (issue 9): choose A (the base) and B, compare every common
 * weight (ΔW = W_B − W_A, the CLI's `--diff` numbers), read the per-layer table, and see the selected layer's ΔW
 * spectrum and principal angles. Rows are linked to the other views (click selects, hover highlights).
 */
export function DiffPanel() {
  const study = useAppStore(selectStudy);
  const diff = useAppStore(selectDiff);
  const pair = useAppStore(selectDiffPair);
  const selected = useAppStore(selectSelectedTensorName);
  const store = useAppStoreApi();
  const [pick, setPick] = useState<{ a: string | null; b: string | null; k: number | null }>({ a: null, b: null, k: null });
  const [kText, setKText] = useState<string | null>(null);
  const [sort, setSort] = useState<{ column: DiffColumnKey; direction: SortDirection }>({ column: 'order', direction: 'ascending' });
  const table = useRef<HTMLTableElement>(null);
  useLinkedHover(table);

  const names = study.checkpoints.map((c) => c.name);
  const known = (name: string | null | undefined): name is string => name != null && names.includes(name);
  // The choice: the user's, else the pair shown (or asked for by a permalink), else the first and the shown checkpoint.
  const a = known(pick.a) ? pick.a : known(pair?.a) ? (pair?.a as string) : (names[0] ?? '');
  const b = known(pick.b) ? pick.b : known(pair?.b) ? (pair?.b as string) : (names[study.current] ?? names[names.length - 1] ?? '');
  const k = pick.k ?? pair?.k ?? DEFAULT_DIFF_K;
  const running = diff.status === 'running';

  const rows = useMemo(() => diffRows(diff.results, diff.layers), [diff.results, diff.layers]);
  const shown = useMemo(() => sortDiffRows(rows, sort.column, sort.direction), [rows, sort]);

  if (study.status === 'none' || study.checkpoints.length < 2) return null;

  const byName = (name: string | null) => study.checkpoints.find((c) => c.name === name);
  const run = () => {
    setKText(null);
    void store.getState().runDiff(a, b, k);
  };
  const sortBy = (column: DiffColumnKey) => setSort((s) => (s.column === column ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: column === 'order' || column === 'name' ? 'ascending' : 'descending' }));
  const select = (name: string) => store.getState().selectTensor(name);
  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = event.target instanceof HTMLElement ? event.target.closest('tr') : null;
    const name = tr?.getAttribute('data-layer');
    if (!tr || !name) return;
    let next: Element | null = null;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select(name);
      return;
    } else if (event.key === 'ArrowDown') next = tr.nextElementSibling;
    else if (event.key === 'ArrowUp') next = tr.previousElementSibling;
    else return;
    event.preventDefault();
    const nextName = next?.getAttribute('data-layer');
    if (next instanceof HTMLElement && nextName) {
      next.focus();
      select(nextName);
    }
  };

  const shownA = diff.a ?? a;
  const shownB = diff.b ?? b;
  const stem = diffFileStem(shownA, shownB);
  const records = () => diffRecords(shownA, shownB, diff.results, diff.layers);
  const exportJson = () => {
    const side = (name: string) => ({ name, step: byName(name)?.step ?? null });
    const body = { a: side(shownA), b: side(shownB), k: diff.k, records: records(), not_compared: diff.notCompared };
    download(`${stem}.json`, `${JSON.stringify(body, null, 1)}\n`, 'application/json');
  };
  const p = diff.progress;
  const fraction = p && p.total > 0 ? Math.min(1, (p.done + p.fraction) / p.total) : 0;
  const totalMs = diff.wallMs ?? Object.values(diff.results).reduce((s, r) => s + r.ms, 0);
  const accA = accuracies(study, byName(diff.a ?? a));
  const accB = accuracies(study, byName(diff.b ?? b));
  const labelA = byName(shownA) ? checkpointLabel(byName(shownA) as Checkpoint) : shownA;
  const labelB = byName(shownB) ? checkpointLabel(byName(shownB) as Checkpoint) : shownB;
  const tabbable = shown.some((r) => r.name === selected) ? selected : (shown[0]?.name ?? null);

  return (
    <section className="diff-panel" aria-label="Difference between two checkpoints" data-testid="diff-panel" data-diff={diff.status}>
      <h3>What changed between two checkpoints: ΔW = W_B − W_A</h3>
      <p className="hint diff-hint">
        Every weight both checkpoints have with one name and shape, compared as matrices: how large the change is next to the weights, how many directions it
        spreads over (the spectrum of ΔW), and whether the top singular directions were kept or replaced (principal angles). The same numbers as{' '}
        <code>npm run analyze -- --diff A B</code>.
      </p>
      <div className="diff-controls">
        <label>
          <span>A (base)</span>
          <CheckpointSelect checkpoints={study.checkpoints} value={a} onChange={(name) => setPick((s) => ({ ...s, a: name }))} testId="diff-a" label="Checkpoint A (the base)" />
        </label>
        <button type="button" className="button small diff-swap" title="Swap A and B" aria-label="Swap A and B" onClick={() => setPick((s) => ({ ...s, a: b, b: a }))}>
          ⇄
        </button>
        <label>
          <span>B</span>
          <CheckpointSelect checkpoints={study.checkpoints} value={b} onChange={(name) => setPick((s) => ({ ...s, b: name }))} testId="diff-b" label="Checkpoint B" />
        </label>
        <label title={`Singular directions of W_A and W_B whose subspaces are compared (1–${MAX_DIFF_K}; more than min(N, M) compares min(N, M))`}>
          <span>k</span>
          <input
            type="number"
            className="diff-k"
            min={1}
            max={MAX_DIFF_K}
            step={1}
            value={kText ?? String(k)}
            data-testid="diff-k"
            aria-label="Subspace size k"
            onChange={(e) => {
              setKText(e.target.value);
              const v = Number(e.target.value);
              if (e.target.value.trim() !== '' && Number.isFinite(v)) setPick((s) => ({ ...s, k: clampDiffK(v) }));
            }}
            onBlur={() => setKText(null)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !running && a !== b) run();
            }}
          />
        </label>
        {running ? (
          <button type="button" className="button" onClick={() => store.getState().cancelDiff()} data-testid="diff-cancel">
            Cancel
          </button>
        ) : (
          <button type="button" className="button primary" disabled={a === b || !a || !b} title={a === b ? 'Choose two different checkpoints' : 'Compare B with A in every common weight'} onClick={run} data-testid="diff-run">
            Compare
          </button>
        )}
        {running ? (
          <span className="diff-progress" aria-live="polite">
            <progress max={1} value={fraction} aria-label="Comparison progress" />
            <span className="progress-text">{p ? `${p.done} / ${p.total} layers${p.tensor ? ` · ${p.tensor}` : ''}` : 'opening both checkpoints…'}</span>
          </span>
        ) : diff.status === 'done' || diff.status === 'cancelled' ? (
          <span className="diff-status" data-testid="diff-status">
            {diff.layers.length} layer{diff.layers.length === 1 ? '' : 's'} compared{diff.status === 'cancelled' ? ' (cancelled)' : ''} in {totalMs < 1000 ? `${Math.round(totalMs)} ms` : `${(totalMs / 1000).toFixed(1)} s`}
          </span>
        ) : null}
        <span className="diff-export">
          <button type="button" className="button small" disabled={rows.length === 0} data-testid="diff-export-csv" title={`${stem}.csv: one row per layer`} onClick={() => download(`${stem}.csv`, toCsv(records()), 'text/csv')}>
            CSV
          </button>
          <button type="button" className="button small" disabled={rows.length === 0} data-testid="diff-export-json" title={`${stem}.json: the pair, k, one record per layer, the layers not compared`} onClick={exportJson}>
            JSON
          </button>
        </span>
      </div>
      {diff.a !== null && diff.b !== null ? (
        <p className="diff-pair" data-testid="diff-pair">
          <span className="diff-side">
            <strong>A</strong> {labelA}
            {accA ? <span className="diff-acc"> ({accA})</span> : null}
          </span>
          <span aria-hidden="true"> → </span>
          <span className="diff-side">
            <strong>B</strong> {labelB}
            {accB ? <span className="diff-acc"> ({accB})</span> : null}
          </span>
          <span className="diff-acc"> · k = {diff.k}</span>
        </p>
      ) : null}
      {diff.status === 'error' && diff.error ? (
        <p className="error-text diff-error" role="alert" data-testid="diff-error" data-error-code={diff.error.code}>
          {diff.error.message}
          {diff.error.remedy ? <span className="error-remedy"> {diff.error.remedy}</span> : null}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <div className="diff-table-scroll">
          <table ref={table} className="layer-table diff-table" aria-label="The change of every compared layer" data-testid="diff-table">
            <SortableHeader
              columns={DIFF_COLUMNS.map((c) => ({ key: c.key, label: c.label, title: c.title, className: c.numeric ? 'num' : c.key === 'name' ? 'name' : undefined }))}
              sort={sort}
              onSort={sortBy}
            />
            <tbody onKeyDown={onKeyDown}>
              {shown.map((r) => {
                const isSelected = r.name === selected;
                return (
                  <tr
                    key={r.name}
                    className={`scan-row${isSelected ? ' selected' : ''}`}
                    data-layer={r.name}
                    aria-current={isSelected ? 'true' : undefined}
                    tabIndex={r.name === tabbable ? 0 : -1}
                    onClick={() => select(r.name)}
                    onPointerEnter={() => store.getState().setHover(r.name)}
                    onPointerLeave={() => store.getState().setHover(null)}
                    onFocus={() => store.getState().setHover(r.name)}
                    onBlur={() => {
                      if (store.getState().hover === r.name) store.getState().setHover(null);
                    }}
                  >
                    {DIFF_COLUMNS.map((c) => {
                      const v = r.values[c.key];
                      if (c.key === 'name') {
                        return (
                          <th key={c.key} scope="row" className="name" title={r.name}>
                            {r.name}
                          </th>
                        );
                      }
                      const of = c.key === 'delta_energy_rank_90' || c.key === 'delta_matrix_rank' ? r.m : null;
                      return (
                        <td key={c.key} className={c.numeric ? 'num' : undefined} data-column={c.key} title={typeof v === 'number' ? `${c.key} = ${v}` : undefined}>
                          {formatDiffValue(c.key, v)}
                          {of !== null && v !== null ? <span className="diff-of"> / {of}</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ViewActionsProvider value={chartActions}>
        <DiffView />
      </ViewActionsProvider>
      {diff.notCompared.length > 0 ? (
        <section className="study-mismatches diff-not-compared" data-testid="diff-not-compared">
          <h4>Not compared</h4>
          <ul>
            {diff.notCompared.map((n) => (
              <li key={n.name}>
                <strong>{n.name}</strong>: {n.detail}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
