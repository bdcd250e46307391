import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classOverlap, classProfiles, inputProfiles, jaccard, jaccardMatrix, weightedJaccard } from './classProfiles';

/**
 * Three inputs over four directions, threshold 0.5 (all values exact in binary):
 * - input 0 [3, −3, 0, 0]: total 6, limit 3; ranks 0 (3), 1 (3) by index; c = 3 ≤ 3, then 6 > 3
 *   → {0, 1}, c_last = 6, weights 0.5, 0.5.
 * - input 1 [0, 2, 0, 0]: total 2, limit 1; c = 2 > 1 → {1}, weight 1.
 * - input 2 [0, −1, 1, 0]: total 2, limit 1; ranks 1, 2; c = 1 ≤ 1, then 2 > 1 → {1, 2}, weights 0.5, 0.5.
 * Inputs 0 and 1 are 'cat', input 2 is 'dog', 'bird' has none:
 *   cat = [0.5, 1.5, 0, 0] (count 2), dog = [0, 0.5, 0.5, 0] (count 1), bird = 0 (count 0).
 * Jaccard(cat, dog) = |{1}| / |{0, 1, 2}| = 1/3; weighted = (0 + 0.5 + 0 + 0) / (0.5 + 1.5 + 0.5 + 0) = 0.2.
 */
const HAND = {
  aggregates: Float64Array.from([3, -3, 0, 0, 0, 2, 0, 0, 0, -1, 1, 0]),
  n: 3,
  rank: 4,
  labels: [0, 0, 1],
  classes: ['cat', 'dog', 'bird'],
  threshold: 0.5,
} as const;

const profileOf = (label: string, weights: number[]) => ({ label, count: 1, weights: Float64Array.from(weights) });

/** Pairs of equal-length non-negative profiles with exact values and many zeros. */
const profilePairs = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 })), { maxLength: 16 })
  .map((pairs) => [pairs.map(([a]) => (a < 4 ? 0 : a / 4)), pairs.map(([, b]) => (b < 4 ? 0 : b / 4))] as const);

describe('inputProfiles and classProfiles', () => {
  it('the hand-computed three inputs, two classes and an empty one', () => {
    const { aggregates, n, rank, labels, classes, threshold } = HAND;
    const inputs = inputProfiles(aggregates, n, rank, threshold);
    expect(inputs.map((p) => Array.from(p.indices))).toEqual([[0, 1], [1], [1, 2]]);
    expect(inputs.map((p) => Array.from(p.weights))).toEqual([[0.5, 0.5], [1], [0.5, 0.5]]);
    const profiles = classProfiles(aggregates, n, rank, labels, classes, threshold);
    expect(profiles.map((p) => [p.label, p.count, Array.from(p.weights)])).toEqual([
      ['cat', 2, [0.5, 1.5, 0, 0]],
      ['dog', 1, [0, 0.5, 0.5, 0]],
      ['bird', 0, [0, 0, 0, 0]],
    ]);
    const [cat, dog, bird] = profiles as [(typeof profiles)[0], (typeof profiles)[0], (typeof profiles)[0]];
    expect(jaccard(cat.weights, dog.weights)).toBe(1 / 3);
    expect(weightedJaccard(cat.weights, dog.weights)).toBe(0.2);
    expect(jaccard(bird.weights, bird.weights)).toBe(1); // both empty
    expect(Array.from(jaccardMatrix(profiles, false))).toEqual([1, 1 / 3, 0, 1 / 3, 1, 0, 0, 0, 1]);
    expect(Array.from(jaccardMatrix(profiles, true))).toEqual([1, 0.2, 0, 0.2, 1, 0, 0, 0, 1]);
    // 'bird' has no inputs, so only the pair (cat, dog) counts.
    expect(classOverlap(profiles, false)).toBe(1 / 3);
    expect(classOverlap(profiles, true)).toBe(0.2);
    expect(classOverlap(profiles.slice(0, 1), false)).toBeNaN();
  });

  it('class overlap is the mean of the off-diagonal Jaccard entries, in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 6, maxLength: 6 })), { minLength: 4, maxLength: 16 }),
        fc.boolean(),
        (rows, weighted) => {
          const labels = rows.map(([c], i) => (i < 4 ? i : c)); // every class has an input
          const profiles = classProfiles(Float64Array.from(rows.flatMap(([, a]) => a)), rows.length, 6, labels, ['a', 'b', 'c', 'd'], 0.2);
          const m = jaccardMatrix(profiles, weighted);
          let sum = 0;
          for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) sum += m[i * 4 + j] as number;
          const overlap = classOverlap(profiles, weighted);
          expect(overlap).toBeCloseTo(sum / 6, 12);
          expect(overlap).toBeGreaterThanOrEqual(0);
          expect(overlap).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 47, numRuns: 100 },
    );
  });

  it('the default threshold is 0.1', () => {
    // input 0 with 0.1: limit 0.6, c = 3 > 0.6 → {0} only.
    expect(Array.from(inputProfiles(HAND.aggregates, 3, 4)[0]?.indices ?? [])).toEqual([0]);
  });

  it('class weights sum to the class count', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 5, maxLength: 5 })), { minLength: 1, maxLength: 12 }), (rows) => {
        // Inputs whose aggregate is all zero contribute no weight, so make every row non-zero.
        const aggregates = Float64Array.from(rows.flatMap(([, a]) => a.map((v, k) => (k === 0 && a.every((x) => x === 0) ? 1 : v))));
        const profiles = classProfiles(aggregates, rows.length, 5, rows.map(([c]) => c), ['a', 'b', 'c'], 0.3);
        profiles.forEach((p, c) => {
          expect(p.count).toBe(rows.filter(([label]) => label === c).length);
          expect(p.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(p.count, 12);
        });
      }),
      { seed: 31, numRuns: 100 },
    );
  });

  it('rejects mismatched shapes and labels', () => {
    expect(() => inputProfiles(new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => classProfiles(new Float64Array(6), 2, 3, [0], ['a'])).toThrow(/labels/);
    expect(() => classProfiles(new Float64Array(6), 2, 3, [0, 2], ['a', 'b'])).toThrow(/label 2 of input 1/);
    expect(() => classProfiles(new Float64Array(6), 2, 3, [0, 0.5], ['a', 'b'])).toThrow(RangeError);
  });
});

describe('jaccard and weightedJaccard', () => {
  it('Jaccard: symmetric, in [0, 1], J(a, a) = 1', () => {
    fc.assert(
      fc.property(profilePairs, ([a, b]) => {
        const j = jaccard(a, b);
        expect(j).toBe(jaccard(b, a));
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(jaccard(a, a)).toBe(1);
        const inA = a.map((v) => v > 0);
        const inB = b.map((v) => v > 0);
        const both = inA.filter((x, k) => x && inB[k]).length;
        const either = inA.filter((x, k) => x || inB[k]).length;
        expect(j).toBe(either === 0 ? 1 : both / either);
      }),
      { seed: 17, numRuns: 200 },
    );
  });

  it('weighted Jaccard: symmetric, ≤ 1, and = 1 exactly when the profiles are equal', () => {
    fc.assert(
      fc.property(profilePairs, ([a, b]) => {
        const w = weightedJaccard(a, b);
        expect(w).toBe(weightedJaccard(b, a));
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThanOrEqual(1);
        expect(weightedJaccard(a, a)).toBe(1);
        const equal = a.every((v, k) => v === b[k]);
        expect(w === 1).toBe(equal);
        // On 0/1 profiles it is the plain Jaccard of the supports.
        const sa = a.map((v) => (v > 0 ? 1 : 0));
        const sb = b.map((v) => (v > 0 ? 1 : 0));
        expect(weightedJaccard(sa, sb)).toBe(jaccard(a, b));
      }),
      { seed: 18, numRuns: 200 },
    );
  });

  it('edge cases: both zero → 1; negative, NaN or different lengths throw', () => {
    expect(weightedJaccard([0, 0], [0, 0])).toBe(1);
    expect(jaccard([], [])).toBe(1);
    expect(weightedJaccard([1, 0], [0, 1])).toBe(0);
    expect(() => weightedJaccard([1, -1], [1, 1])).toThrow(RangeError);
    expect(() => weightedJaccard([NaN], [1])).toThrow(RangeError);
    expect(() => jaccard([1], [1, 2])).toThrow(/different lengths/);
  });

  it('jaccardMatrix is symmetric with a unit diagonal', () => {
    const profiles = [profileOf('a', [1, 0, 2]), profileOf('b', [0, 1, 2]), profileOf('c', [1, 1, 0])];
    for (const weighted of [false, true]) {
      const m = jaccardMatrix(profiles, weighted);
      for (let i = 0; i < 3; i++) {
        expect(m[i * 3 + i]).toBe(1);
        for (let j = 0; j < 3; j++) expect(m[i * 3 + j]).toBe(m[j * 3 + i]);
      }
    }
    expect(Array.from(jaccardMatrix(profiles, false))).toEqual([1, 1 / 3, 1 / 3, 1 / 3, 1, 1 / 3, 1 / 3, 1 / 3, 1]);
    expect(jaccardMatrix([], true)).toHaveLength(0);
  });
});
