import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { seededRandom } from '../random/seededRandom';
import { lowRankFactors, multiplyFactors, truncateMatrix } from './truncate';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = rng() * 2 - 1;
  return out;
}

function frobeniusSq(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) ** 2;
  return s;
}

describe('truncateMatrix', () => {
  it('keeps a hand-built rank-1 matrix exactly and removes the second direction of a rank-2 one', () => {
    // W = 3·e1·[1,0,0]ᵀ + 1·e2·[0,1,0]ᵀ: rank 1 truncation keeps only the σ = 3 part.
    const w = Float64Array.from([3, 0, 0, 0, 1, 0]);
    const w1 = truncateMatrix(w, 2, 3, 1);
    expect(Array.from(w1).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([3, 0, 0, 0, 0, 0]);
    const w2 = truncateMatrix(w, 2, 3, 2);
    for (let i = 0; i < 6; i++) expect(w2[i]).toBeCloseTo(w[i] as number, 12);
  });

  it('has the Eckart–Young error Σ_{j>k} σⱼ² (property, seeded)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 1000 }), (rows, cols, k, seed) => {
        const w = randomMatrix(rows, cols, seed);
        const sv = singularValues(w, rows, cols);
        const wk = truncateMatrix(w, rows, cols, k);
        const diff = wk.map((x, i) => (w[i] as number) - x);
        let tail = 0;
        for (let j = Math.min(k, sv.length); j < sv.length; j++) tail += (sv[j] as number) ** 2;
        expect(Math.abs(frobeniusSq(diff) - tail)).toBeLessThan(1e-9 * frobeniusSq(w) + 1e-12);
        // W_k has exactly the top min(k, ·) singular values of W.
        const svk = singularValues(wk, rows, cols);
        for (let j = 0; j < Math.min(k, sv.length); j++) expect(svk[j]).toBeCloseTo(sv[j] as number, 8);
      }),
      { seed: 9, numRuns: 60 },
    );
  });

  it('splits into balanced factors: L·R = W_k and ‖L‖_F = ‖R‖_F = √Σσ', () => {
    const w = randomMatrix(7, 5, 4);
    const f = lowRankFactors(w, 7, 5, 3);
    expect(f.k).toBe(3);
    expect(f.left.length).toBe(21);
    expect(f.right.length).toBe(15);
    const sumSigma = f.sigma.reduce((a, s) => a + s, 0);
    expect(frobeniusSq(f.left)).toBeCloseTo(sumSigma, 10);
    expect(frobeniusSq(f.right)).toBeCloseTo(sumSigma, 10);
    const wk = multiplyFactors(f);
    expect(Array.from(wk)).toEqual(Array.from(truncateMatrix(w, 7, 5, 3)));
  });

  it('caps k at min(rows, cols), gives zeros for k = 0 and rejects a bad k', () => {
    const w = randomMatrix(3, 4, 2);
    expect(lowRankFactors(w, 3, 4, 10).k).toBe(3);
    expect(Array.from(truncateMatrix(w, 3, 4, 0))).toEqual(new Array(12).fill(0));
    expect(() => truncateMatrix(w, 3, 4, -1)).toThrow(RangeError);
    expect(() => truncateMatrix(w, 3, 4, 1.5)).toThrow(RangeError);
  });
});
