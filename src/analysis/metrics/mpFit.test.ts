import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { linearKde, numpyArange, numpyLinspace } from './mpDensity';
import { mpFit } from './mpFit';
import { nelderMead1d } from './nelderMead1d';

const evalsOf = (w: Float64Array, rows: number, cols: number) => Float64Array.from(singularValues(w, rows, cols), (s) => s * s);

describe('mpFit (WW mp_fit)', () => {
  it('a Gaussian random matrix fits MP with σ ≈ 1 in mean-1 units and no spikes (Q = 4)', () => {
    const w = gaussianMatrix(800, 200, 3, 0.05);
    const fit = mpFit(evalsOf(w, 800, 200), 800, 200);
    expect(fit).toMatchObject({ status: 'success', law: 'MP' });
    expect(Math.abs(fit.sigma_mp - 1)).toBeLessThan(0.05);
    expect(fit.num_spikes).toBeLessThanOrEqual(1);
    expect(fit.mp_softrank).toBeGreaterThan(0.8);
    // bulk edges come back in unscaled λ units.
    expect(fit.bulk_max).toBeCloseTo(((fit.sigma_mp * 1.5) ** 2) / fit.W_scale ** 2, 12);
  });

  it('a planted rank-1 signal shows up as a spike and lowers mp_softrank', () => {
    const rows = 600;
    const cols = 150;
    const w = gaussianMatrix(rows, cols, 8, 0.05);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = (w[i * cols + j] as number) + 0.02 * Math.sin(i) * Math.cos(j);
    const fit = mpFit(evalsOf(w, rows, cols), rows, cols);
    expect(fit.num_spikes).toBeGreaterThanOrEqual(1);
    expect(fit.mp_softrank).toBeLessThan(0.5);
  });

  it('Q = 1 uses the quarter-circle law on √λ (bulk_min = 0)', () => {
    const w = gaussianMatrix(300, 300, 4, 0.05);
    const fit = mpFit(evalsOf(w, 300, 300), 300, 300);
    expect(fit.law).toBe('QC');
    expect(fit.bulk_min).toBe(0);
    expect(fit.status).toBe('success');
  });

  it('fails like WW (every column −1) when there is nothing to fit', () => {
    expect(mpFit([], 10, 5)).toMatchObject({ status: 'failed', num_spikes: -1, sigma_mp: -1, bulk_max: -1, W_scale: -1 });
    expect(mpFit([0, 0, 0], 10, 5).status).toBe('failed');
  });

  it('NumPy grids: arange and linspace reproduce NumPy’s values', () => {
    // np.arange(0.05*0.7, 2.0*0.7, 0.01*0.7): 196 points (rounding adds one); np.linspace(0, 2.3, 1000)[[1, 998, 999]]
    const a = numpyArange(0.05 * 0.7, 2.0 * 0.7, 0.01 * 0.7);
    expect(a).toHaveLength(196);
    expect([a[0], a[1], a[194], a[195]]).toEqual([0.034999999999999996, 0.041999999999999996, 1.3929999999999998, 1.3999999999999997]);
    const l = numpyLinspace(0, 2.3, 1000);
    expect([l[1], l[998], l[999]]).toEqual([0.002302302302302302, 2.2976976976976977, 2.3]);
  });

  it('linear KDE equals the direct sum of triangular kernels', () => {
    const values = Float64Array.from({ length: 200 }, (_, i) => Math.abs(Math.sin(i * 1.7)) * 3);
    const grid = numpyLinspace(0, 3.5, 100);
    const kde = linearKde(values, grid, 0.1);
    grid.forEach((x, g) => {
      let direct = 0;
      for (const v of values) if (Math.abs(x - v) < 0.1) direct += 1 - Math.abs(x - v) / 0.1;
      expect(kde[g]).toBeCloseTo(direct / (values.length * 0.1), 12);
    });
  });

  it('Nelder–Mead finds a smooth 1-D minimum to fmin’s tolerance', () => {
    const r = nelderMead1d((x) => (x - 0.7) ** 2 + 3, 0.2);
    expect(Math.abs(r.x - 0.7)).toBeLessThan(2e-4);
    expect(r.fx).toBeCloseTo(3, 7);
  });
});
