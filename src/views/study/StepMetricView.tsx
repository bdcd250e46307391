import { useCallback, useMemo, useRef, useState } from 'react';
import { selectScanMetric, selectSelectedTensorName } from '../../state/selectors';
import type { AppState } from '../../state/appState';
import { openFromScan, useHoverChannel } from '../shared/linkedHover';
import { scanMetricSpec } from '../shared/metricCatalog';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { ViewActions } from '../shared/viewActions';
import { ScanMetricSelect } from '../scan/ScanMetricSelect';
import type { StepChart, StepChartData } from './stepChart';
import { stepChart } from './stepChart';
import { metricSeries, stepAxis } from './studyData';

const selectStudy = (s: AppState) => s.study;

/** Training-log milestones worth a line on the chart, with their labels (the grokking sample's names). */
const MILESTONE_LABELS: Readonly<Record<string, string>> = {
  train99: 'train 99 %',
  testLossPeak: 'test loss peak',
  test10: 'test 10 %',
  test50: 'test 50 %',
  test99: 'test 99 %',
};

/**
 * Every matched layer's metric (the store's scan metric, shared with the scan) against training step, with the
 * training log's accuracies. Clicking picks the checkpoint every page shows.
 */
export function StepMetricView() {
  const study = useAppStore(selectStudy);
  const { checkpoints, layers, results, current, curves, milestones } = study;
  const selected = useAppStore(selectSelectedTensorName);
  const metric = scanMetricSpec(useAppStore(selectScanMetric));
  const store = useAppStoreApi();
  const [log, setLog] = useState(false);
  const data = useMemo<StepChartData | null>(() => {
    if (checkpoints.length === 0) return null;
    return {
      series: metricSeries({ checkpoints, layers, results }, metric.column),
      axis: stepAxis({ checkpoints }),
      names: checkpoints.map((c) => c.name),
      xScale: log ? 'log' : 'linear',
      metric: metric.label,
      band: metric.band ?? null,
      curves: curves.filter((c) => c.fraction),
      milestones: Object.entries(milestones).flatMap(([k, at]) => (MILESTONE_LABELS[k] ? [{ at, label: MILESTONE_LABELS[k] as string }] : [])),
      current,
      selected,
      onCheckpoint: (i) => void store.getState().setStudyCheckpoint(i),
      onSelect: (name) => store.getState().selectTensor(name),
      onHover: (name) => store.getState().setHover(name),
    };
  }, [checkpoints, layers, results, current, curves, milestones, metric, selected, log, store]);
  const chart = useRef<StepChart | null>(null);
  const factory = useCallback((root: HTMLElement) => (chart.current = stepChart(root)), []);
  const host = useChart(factory, data);
  useHoverChannel((name) => chart.current?.highlight(name));
  const points = data?.series.reduce((n, s) => n + s.points.length, 0) ?? 0;
  return (
    <figure className="plot study-steps" aria-label="A metric against training step">
      <figcaption>
        <span title={`${metric.definition}. ${metric.explanation}`}>{metric.label} against training step</span>
        <ScanMetricSelect label="Metric" testId="study-metric" />
        <label className="inline-check" title="A logarithmic step axis (linear near 0, so step 0 stays on it)">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid="study-log-steps" /> log steps
        </label>
        <ViewActions panel="steps" name={`steps-${metric.column}`} title={`${metric.label} against training step`} chart />
      </figcaption>
      <div ref={host} className="view view-steps" data-testid="study-steps" data-points={points} data-ready={points > 0 ? 'true' : 'false'} onDoubleClick={() => selected && openFromScan(store, selected)} />
    </figure>
  );
}
