import { useCallback, useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { notAnalysedReason } from '../../model/analysable';
import type { TensorInfo } from '../../model/types';
import type { LayerResult } from '../../state/resultTypes';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { selectModelInfo, selectResults, selectSelectedTensorName } from '../../state/selectors';
import { useLinkedHover } from '../shared/linkedHover';
import { formatCount, formatShape } from './format';

function statusOf(t: TensorInfo, result: LayerResult | undefined): { text: string; cls: string; title: string } {
  const reason = notAnalysedReason(t);
  if (reason) return { text: '—', cls: 'skipped', title: `Not analysed: ${reason}` };
  if (!result) return { text: '…', cls: 'pending', title: 'Waiting to be analysed' };
  if (result.status === 'ok') {
    const s = result.spectrum.singularValues[0] ?? 0;
    return { text: s.toPrecision(3), cls: 'ok', title: `σ_max = ${s}` };
  }
  if (result.status === 'non-finite') {
    return { text: 'NaN/Inf', cls: 'bad', title: `${result.nanCount} NaN and ${result.infCount} ±Inf values: not analysed` };
  }
  return { text: 'failed', cls: 'bad', title: `${result.error.code}: ${result.error.message}` };
}

/** The power-law α of an analysed layer, with WeightWatcher's warning as its class. */
function alphaOf(result: LayerResult | undefined): { text: string; cls: string; title: string } {
  if (result?.status !== 'ok') return { text: '', cls: '', title: '' };
  const { alpha, warning } = result.report.columns;
  if (typeof alpha !== 'number' || alpha < 0) return { text: '—', cls: '', title: 'power-law fit failed' };
  const w = typeof warning === 'string' ? warning : '';
  return { text: alpha.toFixed(2), cls: w ? `alpha-${w}` : '', title: `α = ${alpha}${w ? ` (${w})` : ''}${result.report.wwSkipped ? `; WeightWatcher skips this layer: ${result.report.wwSkipped}` : ''}` };
}

/**
 * The layer list: every tensor with its shape, parameter count, kind, σ_max and α once analysed. Hover is linked
 * through `useLinkedHover` (no re-render); a click or Enter opens the layer's page.
 */
export function LayerList() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const store = useAppStoreApi();
  const table = useRef<HTMLTableElement>(null);
  useLinkedHover(table);
  // A layer selected elsewhere (the overlap chart, a permalink, the scan) is scrolled into the list's view.
  useEffect(() => {
    if (selected !== null) document.getElementById(rowId(selected))?.scrollIntoView({ block: 'nearest' });
  }, [selected, info]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableSectionElement>) => {
      if (!info) return;
      const current = store.getState().selection.tensor;
      if (event.key === 'Enter' && current !== null) {
        event.preventDefault();
        store.getState().openLayer(current);
        return;
      }
      const delta = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0;
      if (delta === 0) return;
      event.preventDefault();
      const names = info.tensors.map((t) => t.name);
      const i = current === null ? -1 : names.indexOf(current);
      const next = names[Math.min(names.length - 1, Math.max(0, i + delta))];
      if (next !== undefined) {
        store.getState().selectTensor(next);
        document.getElementById(rowId(next))?.scrollIntoView({ block: 'nearest' });
      }
    },
    [info, store],
  );

  if (!info) return null;
  return (
    <table ref={table} className="layer-list" aria-label="Layers">
      <thead>
        <tr>
          <th scope="col">tensor</th>
          <th scope="col">shape</th>
          <th scope="col" className="num">params</th>
          <th scope="col">kind</th>
          <th scope="col" className="num" title="largest singular value">σ_max</th>
          <th scope="col" className="num" title="power-law exponent of the ESD tail (WeightWatcher alpha)">α</th>
        </tr>
      </thead>
      <tbody tabIndex={0} onKeyDown={onKeyDown} aria-label="Layer rows: arrow keys or j/k to move, Enter to open">
        {info.tensors.map((t) => {
          const status = statusOf(t, results[t.name]);
          const alpha = alphaOf(results[t.name]);
          const isSelected = t.name === selected;
          return (
            <tr
              key={t.name}
              id={rowId(t.name)}
              className={`layer-row status-${status.cls}${isSelected ? ' selected' : ''}`}
              aria-selected={isSelected}
              data-tensor={t.name}
              data-layer={t.name}
              data-status={status.cls}
              onClick={() => store.getState().openLayer(t.name)}
              onPointerEnter={() => store.getState().setHover(t.name)}
              onPointerLeave={() => store.getState().setHover(null)}
            >
              <td className="name" title={`${t.name} (${t.file})`}>
                {t.name}
              </td>
              <td className="shape">{formatShape(t.shape)}</td>
              <td className="num">{formatCount(t.size)}</td>
              <td className="kind" title={t.encoding ?? undefined}>
                {t.kind === 'conv2d' ? `conv ${t.layout ?? ''}` : t.kind}
                {t.op ? <span className="op" title={`used by a ${t.op} op`}> {t.op}</span> : null}
                {t.dtype !== 'F32' ? <span className="dtype"> {t.dtype}</span> : null}
              </td>
              <td className={`num status ${status.cls}`} title={status.title}>
                {status.text}
              </td>
              <td className={`num alpha ${alpha.cls}`} title={alpha.title || undefined} data-column="alpha">
                {alpha.text}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function rowId(name: string): string {
  return `layer-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
