import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { influentialDirections } from './influence';

/** Indices sorted by |value| descending, ties by index: the order the rule walks. */
function rankOrder(values: readonly number[]): number[] {
  return values.map((_, i) => i).sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number) || a - b);
}

const aggregates = fc.array(
  fc.oneof(fc.constant(0), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: -4, max: 4 })),
  { minLength: 0, maxLength: 40 },
);

describe('influentialDirections', () => {
  it('the DDP default threshold 0.1 on [0.05, −3, 1, 0.5]', () => {
    // |v| = [0.05, 3, 1, 0.5], total 4.55, 0.1·total = 0.455. Sorted: direction 1 (3), 2 (1), 3 (0.5), 0 (0.05);
    // cumulative sums 3, 4, 4.5, 4.55. The longest prefix with c ≤ 0.455 is empty; plus one: {1}, weight 3/3 = 1.
    const { indices, weights } = influentialDirections([0.05, -3, 1, 0.5]);
    expect(Array.from(indices)).toEqual([1]);
    expect(Array.from(weights)).toEqual([1]);
  });

  it('threshold 0.9 on the same vector keeps three', () => {
    // 0.9·4.55 = 4.095: c = 3 and 4 are ≤ 4.095 (prefix {1, 2}); plus one: {1, 2, 3}, c_last = 4.5.
    // weights = 3/4.5, 1/4.5, 0.5/4.5 = 2/3, 2/9, 1/9.
    const { indices, weights } = influentialDirections([0.05, -3, 1, 0.5], 0.9);
    expect(Array.from(indices)).toEqual([1, 2, 3]);
    [2 / 3, 2 / 9, 1 / 9].forEach((w, r) => expect(weights[r]).toBeCloseTo(w, 15));
  });

  it('a flat profile: twenty equal values, threshold 0.1', () => {
    // total 20, 0.1·20 = 2: c = 1, 2 are ≤ 2 (directions 0, 1, ties by index); plus one: {0, 1, 2}, c_last = 3.
    const { indices, weights } = influentialDirections(new Array<number>(20).fill(-1));
    expect(Array.from(indices)).toEqual([0, 1, 2]);
    expect(Array.from(weights)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('threshold 0 keeps the largest; threshold 1 keeps every non-zero direction', () => {
    expect(Array.from(influentialDirections([1, -2, 2], 0).indices)).toEqual([1]);
    const all = influentialDirections([0, 2, 0, -1], 1);
    expect(Array.from(all.indices)).toEqual([1, 3]);
    expect(Array.from(all.weights)).toEqual([2 / 3, 1 / 3]);
  });

  it('all zero or empty → nothing kept; NaN, ±∞ and a bad threshold throw', () => {
    for (const v of [[], [0, 0, -0]]) {
      const { indices, weights } = influentialDirections(v);
      expect(indices).toHaveLength(0);
      expect(weights).toHaveLength(0);
    }
    expect(() => influentialDirections([1, NaN, 2])).toThrow(RangeError);
    expect(() => influentialDirections([1, NaN, 2])).toThrow(/aggregate\[1\] is NaN/);
    expect(() => influentialDirections([Infinity])).toThrow(RangeError);
    for (const t of [-0.1, 1.5, NaN]) expect(() => influentialDirections([1], t)).toThrow(/threshold/);
  });

  it('properties: weights positive, non-increasing, sum to 1; the kept set is exactly the rule’s', () => {
    fc.assert(
      fc.property(aggregates, fc.double({ min: 0, max: 1, noNaN: true }), (values, threshold) => {
        const { indices, weights } = influentialDirections(values, threshold);
        const order = rankOrder(values).filter((i) => values[i] !== 0);
        if (order.length === 0) {
          expect(indices).toHaveLength(0);
          return;
        }
        const kept = indices.length;
        expect(Array.from(indices)).toEqual(order.slice(0, kept));
        expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
        weights.forEach((w, r) => {
          expect(w).toBeGreaterThan(0);
          if (r > 0) expect(w).toBeLessThanOrEqual(weights[r - 1] as number);
        });
        // Rule: every kept rank but the last is within threshold·total; the last one (if not every
        // non-zero direction was kept) is the first to exceed it, so no shorter prefix satisfies the rule.
        const mags = order.map((i) => Math.abs(values[i] as number));
        const cumulative: number[] = [];
        mags.reduce((s, m) => (cumulative.push(s + m), s + m), 0);
        const limit = threshold * (cumulative.at(-1) as number);
        expect(kept).toBeGreaterThanOrEqual(1);
        for (let r = 0; r < kept - 1; r++) expect(cumulative[r]).toBeLessThanOrEqual(limit);
        if (kept < order.length) expect(cumulative[kept - 1]).toBeGreaterThan(limit);
        // Weights are |value| over the cumulative sum at the last kept rank.
        weights.forEach((w, r) => expect(w).toBe((mags[r] as number) / (cumulative[kept - 1] as number)));
      }),
      { seed: 424242, numRuns: 300 },
    );
  });

  it('the sign of an aggregate does not matter', () => {
    fc.assert(
      fc.property(aggregates, (values) => {
        expect(influentialDirections(values.map((v) => -v))).toEqual(influentialDirections(values));
      }),
      { seed: 5, numRuns: 100 },
    );
  });
});
