import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { analyzeLayerMetrics } from './layerMetrics';

describe('analyzeLayerMetrics', () => {
  it('dense: a WW row with every column, Σλ = ‖W‖²_F, diagnostics curves, definition label', () => {
    const w = gaussianMatrix(120, 80, 1, 0.1);
    const spectrum = computeLayerSpectrum(w, [120, 80], 'dense', 'OIHW');
    const result = analyzeLayerMetrics(spectrum, { mpFit: true });
    const { row } = result;
    expect(row).toMatchObject({ layer_type: 'dense', N: 120, M: 80, rf: 1, Q: 1.5, num_evals: 80, status: 'success', matrix_rank: 80, rank_loss: 0 });
    expect(Math.abs(row.norm - spectrum.frobeniusNormSq) / row.norm).toBeLessThan(1e-12);
    expect(row.sv_max ** 2).toBeCloseTo(row.lambda_max, 12);
    expect(row.sigma_mp).toBeGreaterThan(0);
    expect(result.powerLaw.Ds).toHaveLength(79);
    expect(result.definition).toMatch(/dense/);
    expect(result.approximations).toEqual([]);
  });

  it('conv: λ = ½σ²; without per-matrix σ, rank_loss and sv_min are flagged as pooled approximations', () => {
    const k = gaussianMatrix(16 * 8, 9, 2, 0.1);
    const exact = computeLayerSpectrum(k, [16, 8, 3, 3], 'conv2d', 'OIHW');
    const { matrixSingularValues: _each, ...pooled } = exact;
    const a = analyzeLayerMetrics(pooled);
    const b = analyzeLayerMetrics(exact);
    expect(a.approximations).toHaveLength(1);
    expect(b.approximations).toEqual([]);
    expect(b.row).toMatchObject({ layer_type: 'conv2d', N: 16, M: 8, rf: 9, num_evals: 72 });
    expect(b.row.norm).toBeCloseTo(0.5 * pooled.frobeniusNormSq, 12);
    expect(b.row.alpha).toBe(a.row.alpha);
    expect(b.row.sv_min).toBeGreaterThanOrEqual(a.row.sv_min);
  });

  it('normalisation switch scales λ (α unchanged) and says so in the label', () => {
    const w = gaussianMatrix(50, 30, 3, 0.1);
    const spectrum = computeLayerSpectrum(w, [50, 30], 'dense', 'OIHW');
    const none = analyzeLayerMetrics(spectrum);
    const mp = analyzeLayerMetrics(spectrum, { normalization: 'mp' });
    expect(mp.row.norm).toBeCloseTo(none.row.norm / 50, 12);
    expect(mp.row.alpha).toBeCloseTo(none.row.alpha, 9);
    expect(mp.definition).toMatch(/divided by N/);
  });
});
