import { describe, expect, it } from 'vitest';
import { beyondWwMetrics, conditionNumber, effectiveRank, energyRank, lowRankCost } from './beyondWw';
import { detX } from './detX';

describe('detX (WW detX_constraint)', () => {
  it('keeps the top eigenvalues until the product of the rescaled tail drops below 1', () => {
    // Mean 1 already: λ' = λ = (0.2, 0.2, 0.4, 3.2). From the top: 3.2 → 1.28 → 0.256 < 1 at index 1 → 3 kept.
    const r = detX(Float64Array.of(0.2, 0.2, 0.4, 3.2));
    expect(r.detX_num).toBe(3);
    expect(r.detX_idx).toBe(1);
    expect(r.detX_val).toBe(0.2);
    expect(r.detX_val_unrescaled).toBeCloseTo(0.2, 14);
  });
  it('WW’s edge cases: < 2 values or all equal → 0', () => {
    expect(detX(Float64Array.of(1)).detX_num).toBe(0);
    expect(detX(Float64Array.of(2, 2, 2)).detX_num).toBe(0);
  });
});

describe('beyond WW (Roy & Vetterli effective rank, energy rank, condition number, low-rank cost)', () => {
  it('effective rank: n for a flat spectrum, 1 for a single value', () => {
    expect(effectiveRank([2, 2, 2, 2])).toBeCloseTo(4, 12);
    expect(effectiveRank([5, 0, 0])).toBe(1);
  });
  it('energy rank k@q and condition number', () => {
    expect(energyRank([3, 1, 1, 1], 0.9)).toBe(3); // 9+1+1 = 11 ≥ 0.9·12
    expect(energyRank([3, 1, 1, 1], 0.5)).toBe(1);
    expect(conditionNumber([4, 2, 0.5])).toBe(8);
    expect(conditionNumber([1, 0])).toBe(Infinity);
    expect(beyondWwMetrics([1, 1]).energy_rank_99).toBe(2);
  });
  it('low-rank cost k(m+n) vs mn', () => {
    expect(lowRankCost(768, 3072, 64)).toEqual({ dense: 768 * 3072, lowRank: 64 * 3840, ratio: (64 * 3840) / (768 * 3072) });
  });
});
