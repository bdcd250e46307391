import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { exactSvdMatrix, gaussianMatrix, rankDeficientSpectrum } from '../testing/exactSvdMatrix';
import { jacobiSingularValues } from '../linalg/jacobiSingularValues';
import { FLOAT64_EPS, matrixEntropy, matrixRank, normMetrics, rankLoss, svExtremes, weakRankLoss } from './normMetrics';
import { pairwiseSum } from './numpySum';

const evalsOf = (sv: Float64Array) => Float64Array.from(sv, (s) => s * s).sort();

describe('normMetrics (WW apply_norm_metrics)', () => {
  it('Σλ = ‖W‖²_F, stable rank = Σλ/λ_max ≥ 1, log metrics are log10 (seeded property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e9 }), (rows, cols, seed) => {
        const w = gaussianMatrix(rows, cols, seed, 0.3);
        const evals = evalsOf(singularValues(w, rows, cols));
        const frob = Array.from(w).reduce((s, v) => s + v * v, 0);
        const m = normMetrics(evals, 2.5, Math.max(rows, cols));
        expect(Math.abs(m.norm - frob) / frob).toBeLessThan(1e-12);
        expect(m.stable_rank).toBeGreaterThanOrEqual(1 - 1e-12);
        expect(m.log_norm).toBeCloseTo(Math.log10(m.norm), 14);
        expect(m.alpha_weighted).toBeCloseTo(2.5 * Math.log10(m.lambda_max), 12);
        expect(m.log_alpha_norm).toBeCloseTo(Math.log10(Array.from(evals).reduce((s, v) => s + v ** 2.5, 0)), 10);
        expect(m.spectral_norm).toBe(m.lambda_max);
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it('matrix_rank counts σ > σ_max·N·ε; rank_loss is per matrix; weak_rank_loss counts λ < 1e-6', () => {
    const sigma = rankDeficientSpectrum(30, 1 / 3);
    const w = exactSvdMatrix(30, 50, sigma, 5);
    // The Gram route cannot resolve σ below ~1e-8·σ_max, so the rank needs accurate small σ (Jacobi).
    expect(matrixRank(jacobiSingularValues(w, 30, 50), 50)).toBe(sigma.filter((s) => s > 0).length);
    expect(matrixRank(singularValues(w, 30, 50), 50)).toBeGreaterThan(sigma.filter((s) => s > 0).length);
    expect(matrixRank([3, 3 * 50 * FLOAT64_EPS, 3 * 50 * FLOAT64_EPS * 1.01], 50)).toBe(2);
    // Per-matrix tolerances: the tiny matrix keeps its rank although its σ are below the other's tolerance.
    expect(rankLoss([Float64Array.of(1, 1e-20), Float64Array.of(1e-15, 1e-15)], 2)).toBe(1);
    expect(weakRankLoss([1e-7, 1e-6, 0.5])).toBe(1);
  });

  it('entropy: 1 for a flat spectrum, smaller for a spiked one (WW matrix_entropy)', () => {
    expect(matrixEntropy(new Float64Array(10).fill(2), 10)).toBeCloseTo(1, 8);
    expect(matrixEntropy(Float64Array.of(10, 1, 1, 1), 4)).toBeLessThan(0.5);
  });

  it('sv_min is the largest of the matrices’ smallest σ (WW’s running max), scaled', () => {
    expect(svExtremes([Float64Array.of(4, 1), Float64Array.of(3, 2)], 0.5)).toEqual({ sv_max: 2, sv_min: 1 });
  });

  it('pairwiseSum agrees with exact sums and handles every block size', () => {
    for (const n of [0, 1, 7, 8, 9, 127, 128, 129, 1000, 20000]) {
      const ints = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
      expect(pairwiseSum(ints)).toBe(ints.reduce((s, v) => s + v, 0));
    }
    // NumPy: np.sum(np.arange(1, 201) * 0.1) == 2010.0 (pairwise); a running sum gives 2010.0000000000002.
    const tenths = Float64Array.from({ length: 200 }, (_, i) => (i + 1) * 0.1);
    expect(pairwiseSum(tenths)).toBe(2010);
    expect(tenths.reduce((s, v) => s + v, 0)).toBe(2010.0000000000002);
  });
});
