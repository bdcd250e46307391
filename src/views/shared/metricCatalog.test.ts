import { describe, expect, it } from 'vitest';
import { layerReport } from '../../analysis/metrics/layerReport';
import { computeLayerSpectrum } from '../../analysis/spectra/layerSpectrum';
import { gaussianMatrix } from '../../analysis/testing/exactSvdMatrix';
import {
  ALPHA_BAND,
  METRICS_BY_GROUP,
  METRIC_CATALOGUE,
  METRIC_GROUPS,
  SCAN_METRICS,
  bandOf,
  columnDefinition,
  columnLabel,
  metricSpec,
  metricValue,
  scanMetricSpec,
} from './metricCatalog';

/** Columns that only the randomised-ESD option adds (WW randomize). */
const RANDOMISED = new Set(['rand_distance', 'ww_softrank', 'rand_num_spikes', 'randomize_seed']);

describe('metric catalogue', () => {
  it('lists each column once, with a label, a definition and a one-line explanation', () => {
    const columns = METRIC_CATALOGUE.map((m) => m.column);
    expect(new Set(columns).size).toBe(columns.length);
    for (const m of METRIC_CATALOGUE) {
      expect(m.label.length, m.column).toBeGreaterThan(0);
      expect(m.definition.length, m.column).toBeGreaterThan(5);
      expect(m.explanation, m.column).toMatch(/^[A-Z0-9α].*\.$/);
      expect(m.explanation, m.column).not.toMatch(/\n/);
      expect(m.explanation.length, m.column).toBeLessThanOrEqual(160);
      expect(METRIC_GROUPS).toContain(m.group);
    }
  });

  it('names columns that the layer report produces', () => {
    const spectrum = computeLayerSpectrum(gaussianMatrix(60, 150, 3, 0.05), [60, 150], 'dense', 'OIHW');
    const report = layerReport(spectrum, { mpFit: true });
    for (const m of METRIC_CATALOGUE) {
      if (RANDOMISED.has(m.column)) continue;
      expect(report.columns, m.column).toHaveProperty(m.column);
    }
  });

  it('groups the metrics in panel order, and knows which ones plot per layer', () => {
    expect(METRICS_BY_GROUP.map((g) => g.name)).toEqual([...METRIC_GROUPS]);
    expect(METRICS_BY_GROUP.flatMap((g) => g.metrics)).toEqual(METRIC_CATALOGUE);
    expect(SCAN_METRICS[0]?.column).toBe('alpha');
    expect(SCAN_METRICS.some((m) => m.column === 'randomize_seed')).toBe(false);
    expect(scanMetricSpec('stable_rank').column).toBe('stable_rank');
    expect(scanMetricSpec('randomize_seed').column).toBe('alpha');
    expect(scanMetricSpec('no-such-column').column).toBe('alpha');
  });

  it('gives α WeightWatcher’s well-trained band 2 ≤ α ≤ 6', () => {
    expect(metricSpec('alpha')?.band).toBe(ALPHA_BAND);
    expect([1.99, 2, 6, 6.01].map((a) => bandOf(ALPHA_BAND, a))).toEqual(['below', 'within', 'within', 'above']);
  });

  it('reads values, treating a failed fit’s −1 and columns computed from it as missing', () => {
    const ok = { alpha: 3.2, alpha_weighted: -0.4, log_spectral_norm: -0.1, D: 0.05, warning: '' };
    expect(metricValue(ok, 'alpha')).toBe(3.2);
    expect(metricValue(ok, 'alpha_weighted')).toBe(-0.4);
    expect(metricValue(ok, 'log_spectral_norm')).toBe(-0.1);
    expect(metricValue(ok, 'warning')).toBeNull();
    expect(metricValue(ok, 'sigma_mp')).toBeNull();
    const failed = { alpha: -1, alpha_weighted: 0.7, D: -1, log_spectral_norm: -0.1, condition_number: Infinity, entropy: NaN };
    expect(metricValue(failed, 'alpha')).toBeNull();
    expect(metricValue(failed, 'D')).toBeNull();
    expect(metricValue(failed, 'alpha_weighted')).toBeNull();
    expect(metricValue(failed, 'log_spectral_norm')).toBe(-0.1);
    expect(metricValue(failed, 'condition_number')).toBe(Infinity);
    expect(metricValue(failed, 'entropy')).toBeNull();
  });

  it('labels and defines columns outside the catalogue', () => {
    expect(columnLabel('alpha')).toBe('α');
    expect(columnLabel('Q')).toBe('Q');
    expect(columnLabel('fit_status')).toBe('fit');
    expect(columnDefinition('alpha')).toMatch(/Clauset.*heavy/);
    expect(columnDefinition('Q')).toMatch(/N\/M/);
    expect(columnDefinition('mystery')).toBe('Column mystery');
  });
});
