import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { projectAggregate, projectAggregateBatch } from './projection';
import type { SvdNeurons } from './svdNeurons';
import { svdNeurons } from './svdNeurons';

/** P = Uᵀ·(A − b·1ᵀ), rank × positions, the naive way. */
function naiveProjection(s: SvdNeurons, a: ArrayLike<number>, positions: number, bias: ArrayLike<number> | null): Float64Array {
  const p = new Float64Array(s.rank * positions);
  for (let k = 0; k < s.rank; k++) for (let t = 0; t < positions; t++) {
    let v = 0;
    for (let o = 0; o < s.rows; o++) v += (s.U[o * s.rank + k] as number) * ((a[o * positions + t] as number) - (bias ? (bias[o] as number) : 0));
    p[k * positions + t] = v;
  }
  return p;
}

const sumSq = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0);

/** A seeded layer with c_out = rows ≤ cols, so rank = rows and U is square orthogonal. */
const layers = fc.record({
  rows: fc.integer({ min: 1, max: 8 }),
  extraCols: fc.integer({ min: 0, max: 6 }),
  positions: fc.integer({ min: 1, max: 9 }),
  seed: fc.integer({ min: 0, max: 1e9 }),
});

describe('projectAggregate', () => {
  it('a hand-computed 2×3 layer, 2 positions, with a bias: mean and (signed) max', () => {
    // W = [[3, −2, 0], [4, 1.5, 0]] has U = [[0.6, 0.8], [0.8, −0.6]] (svdNeurons.test.ts).
    // A = [[2, 1], [0, 1]], b = (1, −1) → A − b·1ᵀ = [[1, 0], [1, 2]].
    // P row 1 = 0.6·[1, 0] + 0.8·[1, 2] = [1.4, 1.6]; row 2 = 0.8·[1, 0] − 0.6·[1, 2] = [0.2, −1.2].
    // mean = [1.5, −0.5]; max = [1.6, 0.2] (the signed maximum: −1.2 has the larger |value| but loses).
    const s = svdNeurons([3, -2, 0, 4, 1.5, 0], 2, 3);
    const a = [2, 1, 0, 1];
    const mean = projectAggregate(s, a, 2, [1, -1], 'mean');
    const max = projectAggregate(s, a, 2, [1, -1], 'max');
    [1.5, -0.5].forEach((v, k) => expect(mean[k]).toBeCloseTo(v, 13));
    [1.6, 0.2].forEach((v, k) => expect(max[k]).toBeCloseTo(v, 13));
  });

  it('matches the naive Uᵀ·(A − b·1ᵀ) followed by mean / max, for tall and wide layers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e9 }), (rows, cols, positions, seed) => {
        const s = svdNeurons(gaussianMatrix(rows, cols, seed), rows, cols);
        const a = gaussianMatrix(rows, positions, seed + 1);
        const b = gaussianMatrix(1, rows, seed + 2);
        const p = naiveProjection(s, a, positions, b);
        const mean = projectAggregate(s, a, positions, b, 'mean');
        const max = projectAggregate(s, a, positions, b, 'max');
        expect(mean).toHaveLength(s.rank);
        for (let k = 0; k < s.rank; k++) {
          const row = Array.from(p.subarray(k * positions, (k + 1) * positions));
          expect(mean[k]).toBeCloseTo(row.reduce((x, y) => x + y, 0) / positions, 12);
          expect(max[k]).toBeCloseTo(Math.max(...row), 12);
        }
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('linear in A − b·1ᵀ; ‖P‖_F = ‖A − b·1ᵀ‖_F when rank = c_out', () => {
    fc.assert(
      fc.property(layers, fc.double({ min: -3, max: 3, noNaN: true }), ({ rows, extraCols, positions, seed }, alpha) => {
        const cols = rows + extraCols;
        const s = svdNeurons(gaussianMatrix(rows, cols, seed), rows, cols);
        const a1 = gaussianMatrix(rows, positions, seed + 1);
        const a2 = gaussianMatrix(rows, positions, seed + 2);
        const b = gaussianMatrix(1, rows, seed + 3);
        const centred = a1.map((v, i) => v - (b[Math.floor(i / positions)] as number));
        // The bias is exactly a shift of A, in both modes.
        const withBias = projectAggregate(s, a1, positions, b, 'mean');
        const shifted = projectAggregate(s, centred, positions, null, 'mean');
        withBias.forEach((v, k) => expect(v).toBeCloseTo(shifted[k] as number, 12));
        const maxWithBias = projectAggregate(s, a1, positions, b, 'max');
        const maxShifted = projectAggregate(s, centred, positions, null, 'max');
        maxWithBias.forEach((v, k) => expect(v).toBeCloseTo(maxShifted[k] as number, 12));
        // mean(α·A₁ + A₂) = α·mean(A₁) + mean(A₂).
        const combined = projectAggregate(s, a1.map((v, i) => alpha * v + (a2[i] as number)), positions, null, 'mean');
        const m1 = projectAggregate(s, a1, positions, null, 'mean');
        const m2 = projectAggregate(s, a2, positions, null, 'mean');
        combined.forEach((v, k) => expect(v).toBeCloseTo(alpha * (m1[k] as number) + (m2[k] as number), 11));
        // P itself, one position at a time: transpose A to positions × c_out × 1 and batch it.
        const perPosition = new Float64Array(rows * positions);
        for (let o = 0; o < rows; o++) for (let t = 0; t < positions; t++) perPosition[t * rows + o] = a1[o * positions + t] as number;
        const pT = projectAggregateBatch(s, perPosition, positions, 1, b, 'max'); // positions × rank = Pᵀ
        expect(sumSq(pT) / sumSq(centred)).toBeCloseTo(1, 12);
        // With one position, mean and max are both P itself.
        projectAggregateBatch(s, perPosition, positions, 1, b, 'mean').forEach((v, i) => expect(v).toBeCloseTo(pT[i] as number, 12));
        // The mean over positions of Pᵀ's rows is the 'mean' aggregate.
        for (let k = 0; k < s.rank; k++) {
          let sum = 0;
          for (let t = 0; t < positions; t++) sum += pT[t * s.rank + k] as number;
          expect(sum / positions).toBeCloseTo(withBias[k] as number, 12);
        }
      }),
      { seed: 99, numRuns: 60 },
    );
  });

  it('a batch equals its inputs one by one', () => {
    const s = svdNeurons(gaussianMatrix(5, 12, 1), 5, 12);
    const [n, positions] = [4, 6];
    const batch = gaussianMatrix(n, 5 * positions, 2);
    const b = [0.1, -0.2, 0.3, 0, 1];
    for (const mode of ['mean', 'max'] as const) {
      const out = projectAggregateBatch(s, batch, n, positions, b, mode);
      expect(out).toHaveLength(n * s.rank);
      for (let i = 0; i < n; i++) {
        const one = projectAggregate(s, batch.subarray(i * 5 * positions, (i + 1) * 5 * positions), positions, b, mode);
        expect(out.subarray(i * s.rank, (i + 1) * s.rank)).toEqual(one);
      }
    }
    expect(projectAggregateBatch(s, [], 0, positions, b, 'mean')).toEqual(new Float64Array(0));
  });

  it('NaN propagates into the aggregate; bad lengths throw', () => {
    const s = svdNeurons([3, -2, 0, 4, 1.5, 0], 2, 3);
    for (const mode of ['mean', 'max'] as const) {
      const out = projectAggregate(s, [NaN, 1, 0, 1], 2, null, mode);
      expect(Array.from(out, Number.isNaN)).toEqual([true, true]);
      const late = projectAggregate(s, [1, NaN, 0, 1], 2, null, mode); // NaN after a finite maximum
      expect(Array.from(late, Number.isNaN)).toEqual([true, true]);
    }
    expect(() => projectAggregate(s, [1, 2, 3], 2, null, 'mean')).toThrow(RangeError);
    expect(() => projectAggregate(s, [], 0, null, 'mean')).toThrow(/positions/);
    expect(() => projectAggregate(s, [1, 2, 3, 4], 2, [1], 'max')).toThrow(/bias/);
    expect(() => projectAggregateBatch(s, [1, 2, 3, 4], 2, 2, null, 'max')).toThrow(RangeError);
  });
});
