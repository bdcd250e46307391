import { useCallback, useMemo, useRef } from 'react';
import { notAnalysedReason } from '../../model/analysable';
import { selectModelInfo, selectResults, selectScanMetric, selectSelectedTensorName } from '../../state/selectors';
import { openFromScan, useHoverChannel } from '../shared/linkedHover';
import { metricValue, scanMetricSpec } from '../shared/metricCatalog';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { ViewActions } from '../shared/viewActions';
import { ScanMetricSelect } from '../scan/ScanMetricSelect';
import type { DepthChart, DepthChartData } from './depthChart';
import { depthChart } from './depthChart';

/**
 * The whole model: the store's scan metric for every analysed layer in depth order. Hover is linked through the
 * store without recomputing the chart's data; a click opens the layer.
 */
export function OverviewView() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const metric = scanMetricSpec(useAppStore(selectScanMetric));
  const store = useAppStoreApi();
  const data = useMemo<DepthChartData | null>(() => {
    if (!info) return null;
    const points = info.tensors.flatMap((t) => {
      const r = results[t.name];
      if (notAnalysedReason(t) !== null || r?.status !== 'ok') return [];
      const v = metricValue(r.report.columns, metric.column);
      const warning = r.report.columns.warning;
      return v !== null && Number.isFinite(v) ? [{ name: t.name, value: v, warning: typeof warning === 'string' ? warning : '' }] : [];
    });
    return {
      points,
      metric: metric.label,
      band: metric.band ?? null,
      selected,
      onSelect: (name) => openFromScan(store, name),
      onHover: (name) => store.getState().setHover(name),
    };
  }, [info, results, metric, selected, store]);
  const chart = useRef<DepthChart | null>(null);
  const factory = useCallback((root: HTMLElement) => (chart.current = depthChart(root)), []);
  const host = useChart(factory, data);
  useHoverChannel((name) => chart.current?.highlight(name));
  return (
    <figure className="plot overview" aria-label="Whole model: a metric against depth">
      <figcaption>
        <span title={`${metric.definition}. ${metric.explanation}`}>Whole model: {metric.label} by layer</span>
        <ScanMetricSelect label="Metric" testId="overview-metric" />
        <ViewActions panel="depth" name={`depth-${metric.column}`} title={`${metric.label} by layer`} chart />
      </figcaption>
      <div ref={host} className="view view-depth" data-ready={data && data.points.length > 0 ? 'true' : 'false'} />
    </figure>
  );
}
