import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowRankSummary, truncationGeometry } from './lowRankData';

describe('low-rank what-if', () => {
  it('a hand case: σ = (3, 2, 1) of a 3 × 5 dense layer', () => {
    const s = lowRankSummary([3, 2, 1], { rows: 3, cols: 5 }, 1);
    // e_1 = 9 / 14; error √(5/14); params 1·(3 + 5) = 8 vs 15.
    expect(s.energyKept).toBeCloseTo(9 / 14, 15);
    expect(s.relativeError).toBeCloseTo(Math.sqrt(5 / 14), 15);
    expect(s.cost.factorParams).toBe(8);
    expect(s.cost.denseParams).toBe(15);
    expect(s.k90).toBe(2); // 13/14 ≥ 0.9
    expect(s.k99).toBe(3);
    expect(lowRankSummary([3, 2, 1], { rows: 3, cols: 5 }, 99).k).toBe(3);
    expect(lowRankSummary([3, 2, 1], { rows: 3, cols: 5 }, 0).k).toBe(1);
  });

  it('a conv under unfold is factorised as a k-channel kh×kw conv then a 1×1 conv', () => {
    const g = truncationGeometry('unfold', 1, 32, 16 * 9, [32, 16, 3, 3], 'OIHW');
    expect(g).toEqual({ rows: 32, cols: 16, spatial: { kh: 3, kw: 3 } });
    if ('reason' in g) return;
    const s = lowRankSummary(new Float64Array(32).fill(1), g, 4);
    expect(s.cost.factorParams).toBe(4 * (16 * 9 + 32));
    expect(s.cost.denseParams).toBe(32 * 16 * 9);
    expect(truncationGeometry('unfold', 1, 32, 144, [3, 3, 16, 32], 'HWIO')).toEqual({ rows: 32, cols: 16, spatial: { kh: 3, kw: 3 } });
  });

  it('pooled spectra say why there is no what-if', () => {
    expect(truncationGeometry('ww-pooled', 9, 32, 16, [32, 16, 3, 3], 'OIHW')).toMatchObject({ reason: expect.stringContaining('unfold') });
  });

  it('the error falls and the energy kept rises with k; full rank is exact', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }), (raw) => {
        const sigma = [...raw].sort((a, b) => b - a);
        let last = -1;
        for (let k = 1; k <= sigma.length; k++) {
          const s = lowRankSummary(sigma, { rows: sigma.length, cols: sigma.length + 3 }, k);
          expect(s.energyKept).toBeGreaterThanOrEqual(last - 1e-15);
          expect(s.relativeError ** 2 + s.energyKept).toBeCloseTo(1, 12);
          last = s.energyKept;
        }
        expect(lowRankSummary(sigma, { rows: sigma.length, cols: sigma.length }, sigma.length).relativeError).toBeCloseTo(0, 7);
      }),
      { seed: 53, numRuns: 100 },
    );
  });
});
