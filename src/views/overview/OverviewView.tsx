import { useMemo, useState } from 'react';
import { notAnalysedReason } from '../../model/analysable';
import { selectHover, selectModelInfo, selectResults, selectSelectedTensorName } from '../../state/selectors';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import type { DepthChartData } from './depthChart';
import { depthChart } from './depthChart';

/** The metrics a lecturer can plot against depth, with WeightWatcher's column names. */
const METRICS: readonly { column: string; label: string; band?: { lo: number; hi: number; label: string } }[] = [
  { column: 'alpha', label: 'α', band: { lo: 2, hi: 6, label: 'WeightWatcher: well trained, 2 ≤ α ≤ 6' } },
  { column: 'alpha_weighted', label: 'α̂ = α·log10 λ_max' },
  { column: 'log_spectral_norm', label: 'log10 λ_max' },
  { column: 'stable_rank', label: 'stable rank' },
  { column: 'D', label: 'KS distance D' },
  { column: 'mp_softrank', label: 'MP soft rank' },
  { column: 'effective_rank', label: 'effective rank' },
];

/** The whole model: one metric for every analysed layer in depth order; hover and click link to the list. */
export function OverviewView() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const hovered = useAppStore(selectHover);
  const store = useAppStoreApi();
  const [column, setColumn] = useState('alpha');
  const metric = METRICS.find((m) => m.column === column) ?? METRICS[0]!;
  const data = useMemo<DepthChartData | null>(() => {
    if (!info) return null;
    const points = info.tensors.flatMap((t) => {
      const r = results[t.name];
      if (notAnalysedReason(t) !== null || r?.status !== 'ok') return [];
      const v = r.report.columns[metric.column];
      const warning = r.report.columns.warning;
      return typeof v === 'number' && v !== -1 ? [{ name: t.name, value: v, warning: typeof warning === 'string' ? warning : '' }] : [];
    });
    return {
      points,
      metric: metric.label,
      band: metric.band ?? null,
      selected,
      hovered,
      onSelect: (name) => store.getState().selectTensor(name),
      onHover: (name) => store.getState().setHover(name),
    };
  }, [info, results, metric, selected, hovered, store]);
  const host = useChart(depthChart, data);
  return (
    <figure className="plot overview" aria-label="Whole model: a metric against depth">
      <figcaption>
        Whole model: {metric.label} by layer{' '}
        <select value={column} onChange={(e) => setColumn(e.target.value)} aria-label="Metric" data-testid="overview-metric">
          {METRICS.map((m) => (
            <option key={m.column} value={m.column}>
              {m.label}
            </option>
          ))}
        </select>
      </figcaption>
      <div ref={host} className="view view-depth" data-ready={data && data.points.length > 0 ? 'true' : 'false'} />
    </figure>
  );
}
