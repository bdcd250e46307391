import { useCallback, useMemo, useRef } from 'react';
import { notAnalysedReason } from '../../model/analysable';
import { selectModelInfo, selectResults, selectScanMetric, selectSelectedTensorName } from '../../state/selectors';
import { metricColor, valueDomain } from '../shared/colorScales';
import { openFromScan, useHoverChannel } from '../shared/linkedHover';
import { metricValue, scanMetricSpec } from '../shared/metricCatalog';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { ViewActions } from '../shared/viewActions';
import { ScanMetricSelect } from './ScanMetricSelect';
import type { StripCell, StripChart, StripChartData } from './stripChart';
import { stripChart } from './stripChart';

/**
 * The scan strip: every analysed layer in depth order, one cell each, coloured by the store's scan metric, with
 * the metric selector and the legend. Hover and selection are linked with the other views through the store;
 * a click opens the layer.
 */
export function StripView() {
  const info = useAppStore(selectModelInfo);
  const results = useAppStore(selectResults);
  const selected = useAppStore(selectSelectedTensorName);
  const metric = scanMetricSpec(useAppStore(selectScanMetric));
  const store = useAppStoreApi();
  const cells = useMemo<StripCell[]>(() => {
    if (!info) return [];
    return info.tensors.flatMap((t) => {
      const r = results[t.name];
      if (notAnalysedReason(t) !== null || r?.status !== 'ok') return [];
      return [{ name: t.name, value: metricValue(r.report.columns, metric.column) }];
    });
  }, [info, results, metric]);
  const scale = useMemo(() => metricColor(metric.column, valueDomain(cells.map((c) => c.value))), [metric, cells]);
  const data = useMemo<StripChartData>(
    () => ({
      cells,
      label: metric.label,
      scale,
      selected,
      onSelect: (name) => openFromScan(store, name),
      onHover: (name) => store.getState().setHover(name),
    }),
    [cells, metric, scale, selected, store],
  );
  const chart = useRef<StripChart | null>(null);
  const factory = useCallback((root: HTMLElement) => (chart.current = stripChart(root)), []);
  const host = useChart(factory, data);
  useHoverChannel((name) => chart.current?.highlight(name));
  return (
    <figure className="plot strip" aria-label="Every analysed layer, coloured by a metric">
      <figcaption>
        <span title={metric.definition}>
          Scan: {metric.label} of every analysed layer
        </span>
        <ScanMetricSelect label="Scan metric" testId="scan-metric" />
        <ViewActions panel="strip" name={`scan-${metric.column}`} title={`${metric.label} of every layer`} chart />
      </figcaption>
      <p className="metric-explanation strip-explanation">{metric.explanation}</p>
      <div ref={host} className="view view-strip" data-ready={cells.length > 0 ? 'true' : 'false'} data-metric={metric.column} />
    </figure>
  );
}
