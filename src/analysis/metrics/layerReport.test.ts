import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { analyzeLayerMetrics } from './layerMetrics';
import { layerReport } from './layerReport';

describe('layerReport', () => {
  it('carries WW’s row unchanged, plus detX, beyond-WW columns and the plot data', () => {
    const w = gaussianMatrix(120, 300, 4, 0.05);
    const spectrum = computeLayerSpectrum(w, [120, 300], 'dense', 'OIHW');
    const report = layerReport(spectrum, { mpFit: true });
    const { row } = analyzeLayerMetrics(spectrum, { mpFit: true });
    for (const [k, v] of Object.entries(row)) expect(report.columns[k]).toBe(v);
    expect(report.columns).toHaveProperty('detX_num');
    expect(report.columns.energy_rank_90).toBeGreaterThan(0);
    expect(report.columns.lowrank_ratio_90).toBeGreaterThan(0);
    expect(report.evalScale).toBeCloseTo(1, 12);
    expect(report.wwSkipped).toBeNull();
    expect(report.powerLaw.xmins[report.powerLaw.xminIndex]).toBe(row.xmin);
    expect(report.powerLaw.tailFraction).toBeCloseTo(row.num_pl_spikes / row.num_evals, 12);
    expect(report.mp?.law).toBe('MP');
    expect(report.mp?.bulkMax).toBe(row.bulk_max);
    expect(report.mp!.spikeThreshold).toBeGreaterThan(report.mp!.bulkMax);
  });

  it('pooled conv: λ = ½σ², no single-matrix low-rank cost; WW’s filter verdict is reported', () => {
    const k = gaussianMatrix(8 * 4, 9, 5, 0.1);
    const report = layerReport(computeLayerSpectrum(k, [8, 4, 3, 3], 'conv2d', 'OIHW'));
    expect(report.evalScale).toBeCloseTo(0.5, 12);
    expect(report.columns).not.toHaveProperty('lowrank_ratio_90');
    expect(report.definition).toMatch(/ww-pooled/);
    const tiny = layerReport(computeLayerSpectrum(gaussianMatrix(3, 3, 1, 1), [3, 3], 'dense', 'OIHW'));
    expect(tiny.wwSkipped).toMatch(/min_evals/);
    expect(layerReport(computeLayerSpectrum(gaussianMatrix(3, 3, 1, 1), [3, 3], 'dense', 'OIHW'), { filters: { minEvals: 0 } }).wwSkipped).toBeNull();
  });
});
