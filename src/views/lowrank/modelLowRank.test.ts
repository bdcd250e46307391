import { describe, expect, it } from 'vitest';
import { modelLowRank } from './modelLowRank';

const dense = (name: string, rows: number, cols: number, sv: number[]) => ({
  name,
  shape: [rows, cols],
  spectrum: { definition: 'dense', matrixCount: 1, rows, cols, singularValues: Float64Array.from(sv) },
});

describe('modelLowRank', () => {
  it('gives each layer its 90 / 99 % ranks and sums the factorisations, keeping a layer dense when factors are larger', () => {
    // a: 100×50, σ² = 81, 9, 1, 0.01 (Σ 91.01): 81/91.01 = 0.89 < 0.9 → k90 = 2; 90/91.01 = 0.989 < 0.99 → k99 = 3.
    const a = dense('a', 100, 50, [9, 3, 1, 0.1]);
    // b: 4×4 with a flat spectrum: k90 = k99 = 4, and a rank-4 factorisation (32 params) is larger than dense (16).
    const b = dense('b', 4, 4, [1, 1, 1, 1]);
    const m = modelLowRank([a, b]);
    expect(m.rows.map((r) => [r.name, r.k90, r.k99])).toEqual([
      ['a', 2, 3],
      ['b', 4, 4],
    ]);
    expect(m.rows[0]?.at90.factorParams).toBe(2 * 150);
    expect(m.totals90.denseParams).toBe(5000 + 16);
    // b stays dense (16), a is factorised (300).
    expect(m.totals90.factorParams).toBe(300 + 16);
    expect(m.totals90.keptDense).toBe(1);
    expect(m.totals99.factorParams).toBe(3 * 150 + 16);
  });

  it('lists pooled conv spectra apart, with why', () => {
    const conv = { name: 'c', shape: [8, 4, 3, 3], layout: 'OIHW' as const, spectrum: { definition: 'ww-pooled', matrixCount: 9, rows: 8, cols: 4, singularValues: new Float64Array(36).fill(1) } };
    const unfold = { name: 'u', shape: [8, 4, 3, 3], layout: 'OIHW' as const, spectrum: { definition: 'unfold', matrixCount: 1, rows: 8, cols: 36, singularValues: Float64Array.from([5, 1, 0.5, 0.1, 0, 0, 0, 0]) } };
    const m = modelLowRank([conv, unfold]);
    expect(m.skipped).toEqual([{ name: 'c', reason: expect.stringContaining('unfold') }]);
    expect(m.rows.map((r) => r.name)).toEqual(['u']);
    expect(m.rows[0]?.geometry).toEqual({ rows: 8, cols: 4, spatial: { kh: 3, kw: 3 } });
  });
});
