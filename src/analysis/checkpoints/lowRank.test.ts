import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { energyRank } from '../metrics/beyondWw';
import { factorisationCost, modelTotals, rankForEnergy } from './lowRank';

describe('rankForEnergy', () => {
  it('is the smallest k holding the fraction of Σσ², on hand numbers', () => {
    // σ² = 16, 9, 4, 1 (total 30): 16/30 = 0.53, 25/30 = 0.83, 29/30 = 0.967, 30/30 = 1.
    const sigma = [4, 3, 2, 1];
    expect(rankForEnergy(sigma, 0.5)).toBe(1);
    expect(rankForEnergy(sigma, 0.6)).toBe(2);
    expect(rankForEnergy(sigma, 0.9)).toBe(3);
    expect(rankForEnergy(sigma, 0.99)).toBe(4);
    expect(rankForEnergy(sigma, 1)).toBe(4);
    // Exactly on a boundary: σ² = 1, 1 → half the energy at k = 1.
    expect(rankForEnergy([1, 1], 0.5)).toBe(1);
  });

  it('gives 0 for an empty or all-zero spectrum and ignores trailing zeros', () => {
    expect(rankForEnergy([], 0.9)).toBe(0);
    expect(rankForEnergy(new Float64Array(5), 0.9)).toBe(0);
    expect(rankForEnergy([2, 0, 0, 0], 1)).toBe(1);
  });

  it('agrees with the energy rank metric and grows with the fraction (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e3, noNaN: true }), { maxLength: 30 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, q) => {
        const sigma = Float64Array.from(values).sort().reverse();
        expect(rankForEnergy(sigma, q)).toBe(energyRank(sigma, q));
        expect(rankForEnergy(sigma, q)).toBeLessThanOrEqual(rankForEnergy(sigma, Math.min(1, q + 0.05)));
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('throws RangeError on a fraction outside (0, 1] or a bad σ', () => {
    expect(() => rankForEnergy([1], 0)).toThrow(RangeError);
    expect(() => rankForEnergy([1], 1.01)).toThrow(RangeError);
    expect(() => rankForEnergy([1], NaN)).toThrow(RangeError);
    expect(() => rankForEnergy([1, -1], 0.9)).toThrow(RangeError);
    expect(() => rankForEnergy([1, NaN], 0.9)).toThrow(RangeError);
  });
});

describe('factorisationCost', () => {
  it('counts a dense layer per input vector (GPT-2 MLP 768 → 3072 at rank 64)', () => {
    const cost = factorisationCost({ rows: 3072, cols: 768, k: 64 });
    expect(cost).toEqual({
      denseParams: 2_359_296,
      factorParams: 64 * (3072 + 768), // 245,760
      denseMacs: 2_359_296,
      factorMacs: 245_760,
      ratio: 245_760 / 2_359_296,
      breakEvenRank: 614, // 3072·768/3840 = 614.4
      macsPer: 'input vector',
    });
  });

  it('counts a conv layer as its unfold matrix: k-channel kh×kw conv + 1×1 conv', () => {
    // 64 → 128 channels, 3×3: unfold 128 × 576. Rank 32: 32·(576 + 128) = 22,528 vs 73,728.
    const perPosition = factorisationCost({ rows: 128, cols: 64, k: 32, spatial: { kh: 3, kw: 3 } });
    expect(perPosition).toMatchObject({ denseParams: 73_728, factorParams: 22_528, denseMacs: 73_728, factorMacs: 22_528, macsPer: 'output position' });
    expect(perPosition.breakEvenRank).toBe(104); // 128·576/704 = 104.7
    const perImage = factorisationCost({ rows: 128, cols: 64, k: 32, spatial: { kh: 3, kw: 3, hOut: 28, wOut: 28 } });
    expect(perImage).toMatchObject({ denseMacs: 73_728 * 784, factorMacs: 22_528 * 784, macsPer: 'image' });
    expect(perImage.ratio).toBeCloseTo(22_528 / 73_728, 15);
  });

  it('multiplies by the number of stacked matrices and handles break-even exactly', () => {
    expect(factorisationCost({ rows: 4, cols: 4, k: 2, matrices: 3 })).toMatchObject({ denseParams: 48, factorParams: 48, ratio: 1, breakEvenRank: 1 });
    expect(factorisationCost({ rows: 0, cols: 5, k: 0 })).toMatchObject({ denseParams: 0, factorParams: 0, breakEvenRank: 0 });
    expect(factorisationCost({ rows: 0, cols: 5, k: 0 }).ratio).toBeNaN();
    expect(factorisationCost({ rows: 1, cols: 1, k: 1 }).breakEvenRank).toBe(0);
  });

  it('makes the factorisation smaller exactly when k ≤ breakEvenRank (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 5 }), (rows, cols, kh) => {
        const max = Math.min(rows, cols * kh * kh);
        const spatial = kh > 1 ? { kh, kw: kh } : undefined;
        const even = factorisationCost({ rows, cols, k: 0, spatial }).breakEvenRank;
        for (const k of [even, even + 1].filter((x) => x >= 1 && x <= max)) {
          const cost = factorisationCost({ rows, cols, k, spatial });
          expect(cost.factorParams < cost.denseParams).toBe(k <= even);
        }
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it('throws RangeError on bad sizes, too large a rank, or half an output size', () => {
    expect(() => factorisationCost({ rows: 4, cols: 3, k: 4 })).toThrow(RangeError);
    expect(() => factorisationCost({ rows: 4, cols: 3, k: 4, spatial: { kh: 3, kw: 3 } })).not.toThrow();
    expect(() => factorisationCost({ rows: -1, cols: 3, k: 0 })).toThrow(RangeError);
    expect(() => factorisationCost({ rows: 4, cols: 3, k: 1.5 })).toThrow(RangeError);
    expect(() => factorisationCost({ rows: 4, cols: 3, k: 1, spatial: { kh: 3, kw: 3, hOut: 7 } })).toThrow(RangeError);
  });
});

describe('modelTotals', () => {
  const dense = factorisationCost({ rows: 100, cols: 50, k: 10 }); // 5000 vs 1500
  const wasteful = factorisationCost({ rows: 10, cols: 10, k: 8 }); // 100 vs 160
  const conv = factorisationCost({ rows: 16, cols: 8, k: 4, spatial: { kh: 3, kw: 3, hOut: 10, wOut: 10 } }); // 1152 vs 352, ×100

  it('sums parameters and MACs, optionally keeping layers dense when factorising does not pay', () => {
    expect(modelTotals([dense, wasteful])).toEqual({
      layers: 2,
      denseParams: 5100,
      factorParams: 1660,
      denseMacs: 5100,
      factorMacs: 1660,
      ratio: 1660 / 5100,
      macRatio: 1660 / 5100,
      macsComplete: true,
      keptDense: 0,
    });
    expect(modelTotals([dense, wasteful, conv], { keepDenseWhenLarger: true })).toMatchObject({
      denseParams: 5100 + 1152,
      factorParams: 1500 + 100 + 352,
      denseMacs: 5100 + 115_200,
      factorMacs: 1500 + 100 + 35_200,
      keptDense: 1,
      macsComplete: true,
    });
  });

  it('says when MAC totals mix per-position conv counts, and handles no layers', () => {
    const perPosition = factorisationCost({ rows: 16, cols: 8, k: 4, spatial: { kh: 3, kw: 3 } });
    expect(modelTotals([dense, perPosition]).macsComplete).toBe(false);
    const empty = modelTotals([]);
    expect(empty.layers).toBe(0);
    expect(empty.ratio).toBeNaN();
  });
});
