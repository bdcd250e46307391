import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { jensenShannonDistance, randomizedEsd } from './randomizedEsd';

const svd = (data: Float64Array, rows: number, cols: number) => singularValues(data, rows, cols);

describe('randomizedEsd (WW apply_random_esd)', () => {
  it('is reproducible from its seed; shuffling keeps Σλ = ‖W‖²_F', () => {
    const w = gaussianMatrix(60, 40, 2, 0.1);
    const evals = Float64Array.from(singularValues(w, 60, 40), (s) => s * s);
    const a = randomizedEsd([{ data: w, rows: 60, cols: 40 }], evals, { seed: 42, singularValues: svd, geometry: { N: 60, M: 40 } });
    const b = randomizedEsd([{ data: w, rows: 60, cols: 40 }], evals, { seed: 42, singularValues: svd });
    expect(a.seed).toBe(42);
    expect(Array.from(a.distanceEvals)).toEqual(Array.from(b.distanceEvals));
    expect(a.replicas).toBe(5); // < 100 eigenvalues: WW pools 5 shuffles
    const total = (x: Float64Array) => x.reduce((s, v) => s + v, 0);
    expect(total(a.distanceEvals)).toBeCloseTo(total(evals), 9);
    // A random matrix stays random: its ESD barely moves and it has no correlation traps.
    expect(a.rand_distance).toBeLessThan(0.1);
    expect(a.ww_softrank).toBeGreaterThan(0.7);
    expect(a.correlation_traps).toBeLessThanOrEqual(1);
  });

  it('a structured matrix loses its top eigenvalue when shuffled (ww_softrank ≪ 1)', () => {
    const rows = 80;
    const cols = 50;
    const w = gaussianMatrix(rows, cols, 5, 0.01);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = (w[i * cols + j] as number) + 0.2 * Math.cos(i / 7) * Math.sin(j / 5 + 1);
    const evals = Float64Array.from(singularValues(w, rows, cols), (s) => s * s);
    const r = randomizedEsd([{ data: w, rows, cols }], evals, { seed: 1, singularValues: svd });
    expect(r.ww_softrank).toBeLessThan(0.5);
    expect(r.rand_distance).toBeGreaterThan(0.05);
  });

  it('Jensen–Shannon distance: 0 for proportional vectors, symmetric, ≤ √ln2', () => {
    expect(jensenShannonDistance([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 12);
    const d = jensenShannonDistance([1, 0, 0], [0, 0, 1]);
    expect(d).toBeCloseTo(Math.sqrt(Math.LN2), 12);
    expect(jensenShannonDistance([1, 2, 5], [3, 1, 1])).toBeCloseTo(jensenShannonDistance([3, 1, 1], [1, 2, 5]), 14);
  });
});

describe('jensenShannonDistance edge cases', () => {
  it('is 0, never NaN, for identical vectors (rounding can make the divergence slightly negative)', () => {
    const v = Float64Array.from({ length: 25 }, (_, i) => 0.1 + Math.sqrt(i) / 7);
    expect(jensenShannonDistance(v, Float64Array.from(v))).toBe(0);
  });
});
