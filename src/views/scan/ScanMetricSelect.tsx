import { selectScanMetric } from '../../state/selectors';
import { METRIC_GROUPS, SCAN_METRICS, scanMetricSpec } from '../shared/metricCatalog';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';

/**
 * A <select> of the per-layer metrics (catalogue groups as optgroups) bound to the store's scan metric, so every
 * scan view that shows one follows the same choice.
 */
export function ScanMetricSelect({ label, testId }: { label: string; testId: string }) {
  const store = useAppStoreApi();
  const metric = scanMetricSpec(useAppStore(selectScanMetric));
  return (
    <select value={metric.column} onChange={(e) => store.getState().setScanMetric(e.target.value)} aria-label={label} data-testid={testId} title={metric.definition}>
      {METRIC_GROUPS.map((group) => {
        const metrics = SCAN_METRICS.filter((m) => m.group === group);
        return metrics.length === 0 ? null : (
          <optgroup key={group} label={group}>
            {metrics.map((m) => (
              <option key={m.column} value={m.column} title={m.explanation}>
                {m.label}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}
