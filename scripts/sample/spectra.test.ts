import { describe, expect, it } from 'vitest';
import { gaussian, seededRandom } from '../../src/analysis/random/seededRandom';
import { singularValues, summarise } from './spectra';

describe('singularValues', () => {
  it('recovers the singular values of U·diag(s)·Vᵀ built from Givens rotations', () => {
    // A = diag(5, 3, 1) padded to 3×5, rotated on both sides: σ = 5, 3, 1.
    const rows = 3;
    const cols = 5;
    const a = new Float64Array(rows * cols);
    a[0] = 5;
    a[1 * cols + 1] = 3;
    a[2 * cols + 2] = 1;
    const rotateCols = (i: number, j: number, t: number): void => {
      for (let r = 0; r < rows; r++) {
        const x = a[r * cols + i] ?? 0;
        const y = a[r * cols + j] ?? 0;
        a[r * cols + i] = Math.cos(t) * x - Math.sin(t) * y;
        a[r * cols + j] = Math.sin(t) * x + Math.cos(t) * y;
      }
    };
    const rotateRows = (i: number, j: number, t: number): void => {
      for (let c = 0; c < cols; c++) {
        const x = a[i * cols + c] ?? 0;
        const y = a[j * cols + c] ?? 0;
        a[i * cols + c] = Math.cos(t) * x - Math.sin(t) * y;
        a[j * cols + c] = Math.sin(t) * x + Math.cos(t) * y;
      }
    };
    rotateCols(0, 3, 0.7);
    rotateCols(1, 4, -1.1);
    rotateCols(2, 0, 0.3);
    rotateRows(0, 1, 0.9);
    rotateRows(1, 2, -0.4);
    for (const [m, r, c] of [[a, rows, cols]] as const) {
      const s = singularValues(m, r, c);
      expect(Array.from(s).map((v) => Number(v.toFixed(10)))).toEqual([5, 3, 1]);
    }
    // The transpose has the same singular values.
    const t = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c] ?? 0;
    expect(Array.from(singularValues(t, cols, rows)).map((v) => Number(v.toFixed(10)))).toEqual([5, 3, 1]);
  });

  it('keeps Σσ² = ‖A‖²_F on a random matrix, and the summary is consistent', () => {
    const rng = seededRandom(3);
    const a = Float32Array.from({ length: 20 * 33 }, () => gaussian(rng));
    const s = singularValues(a, 20, 33);
    const frobeniusSq = a.reduce((acc, v) => acc + v * v, 0);
    expect(s.reduce((acc, v) => acc + v * v, 0)).toBeCloseTo(frobeniusSq, 6);
    const summary = summarise(s);
    expect(summary.count).toBe(20);
    expect(summary.sigmaMax).toBe(s[0]);
    expect(summary.stableRank).toBeGreaterThan(1);
    expect(summary.stableRank).toBeLessThanOrEqual(20);
    expect(summary.frobenius ** 2).toBeCloseTo(frobeniusSq, 6);
  });
});
