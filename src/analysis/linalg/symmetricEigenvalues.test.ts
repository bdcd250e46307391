import { describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { gaussianMatrix, gaussianSpectrum, orthogonalMatrix } from '../testing/exactSvdMatrix';
import { symmetricEigenvalues, tridiagonalEigenvalues, tridiagonalize } from './symmetricEigenvalues';

/** Q·diag(λ)·Qᵀ with a seeded random orthogonal Q. */
function withEigenvalues(lambda: readonly number[], seed: number): Float64Array {
  const n = lambda.length;
  const q = orthogonalMatrix(n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (q[i * n + k] as number) * (lambda[k] as number) * (q[j * n + k] as number);
      a[i * n + j] = s;
    }
  }
  return a;
}

function expectClose(got: Float64Array, want: readonly number[], absTol: number): void {
  expect(got).toHaveLength(want.length);
  want.forEach((w, i) => expect(Math.abs((got[i] as number) - w)).toBeLessThanOrEqual(absTol));
}

describe('symmetricEigenvalues', () => {
  it('handles n = 0 and n = 1', () => {
    expect(symmetricEigenvalues(new Float64Array(0), 0)).toEqual(new Float64Array(0));
    expect(symmetricEigenvalues(new Float64Array([-3.5]), 1)).toEqual(new Float64Array([-3.5]));
  });

  it('solves 2×2 matrices', () => {
    expectClose(symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2), [1, 3], 1e-15);
    expectClose(symmetricEigenvalues(new Float64Array([0, 1e-200, 1e-200, 0]), 2), [-1e-200, 1e-200], 1e-215);
    expectClose(symmetricEigenvalues(new Float64Array([5, 0, 0, -1]), 2), [-1, 5], 0);
  });

  it('returns a diagonal matrix’s diagonal, sorted ascending, exactly', () => {
    const diag = [4, -2, 0, 7.25, 1e-9, 3];
    const n = diag.length;
    const a = new Float64Array(n * n);
    diag.forEach((v, i) => (a[i * n + i] = v));
    expect(Array.from(symmetricEigenvalues(a, n))).toEqual([...diag].sort((x, y) => x - y));
  });

  it('solves the tridiagonal Toeplitz matrix tridiag(−1, 2, −1): λₖ = 2 − 2cos(kπ/(n+1))', () => {
    const n = 60;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const want = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(symmetricEigenvalues(a, n), want, 1e-14);
  });

  it('splits a block-diagonal tridiagonal matrix (zero off-diagonals)', () => {
    // [[1, 2], [2, 1]] ⊕ [[5]] ⊕ [[0, 3], [3, 0]]: eigenvalues −1, 3, 5, −3, 3.
    const n = 5;
    const a = new Float64Array(n * n);
    const d = [1, 1, 5, 0, 0];
    const e = [2, 0, 0, 3];
    d.forEach((v, i) => (a[i * n + i] = v));
    e.forEach((v, i) => (a[(i + 1) * n + i] = a[i * n + i + 1] = v));
    expectClose(symmetricEigenvalues(a, n), [-3, -1, 3, 3, 5], 1e-14);
  });

  for (const [label, lambda] of [
    ['well separated', Array.from({ length: 40 }, (_, i) => i - 12.5)],
    ['with clusters and zeros', [0, 0, 0, 1, 1, 1, 1 + 1e-12, -2, -2, 10, 1e-8, 3]],
    ['graded over 12 decades', Array.from({ length: 30 }, (_, i) => 10 ** (-12 * i / 29))],
    ['irregular (Gaussian)', gaussianSpectrum(90, 8)],
  ] as const) {
    it(`recovers λ of Q·diag(λ)·Qᵀ, ${label}`, () => {
      const a = withEigenvalues(lambda, 21);
      const scale = Math.max(...lambda.map(Math.abs));
      const want = [...lambda].sort((x, y) => x - y);
      expectClose(symmetricEigenvalues(a, lambda.length), want, 1e-13 * scale);
    });
  }

  it('overwrites its input (documented) and keeps the trace', () => {
    const n = 30;
    const g = gaussianMatrix(n, n, 2);
    const a = new Float64Array(n * n);
    let trace = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * n + j] = (g[i * n + j] as number) + (g[j * n + i] as number);
      trace += a[i * n + i] as number;
    }
    const copy = a.slice();
    const lambda = symmetricEigenvalues(a, n);
    expect(a).not.toEqual(copy);
    expect(lambda.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 11);
  });

  it('reads only the lower triangle', () => {
    const lambda = [3, -1, 0.5, 2, 7];
    const a = withEigenvalues(lambda, 5);
    const n = lambda.length;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 1e6 * (i - j);
    expectClose(symmetricEigenvalues(a, n), [...lambda].sort((x, y) => x - y), 1e-13 * 7);
  });

  it('throws a clear Error when QL does not converge within the cap', () => {
    const a = new Float64Array([2, 1, 1, 2]);
    expect(() => symmetricEigenvalues(a, 2, { maxIterationsPerValue: 0 })).toThrow(/did not converge/);
  });

  it('rejects a size mismatch and honours cancellation', () => {
    expect(() => symmetricEigenvalues(new Float64Array(5), 2)).toThrow(RangeError);
    expect(() => symmetricEigenvalues(new Float64Array(9), 3, { shouldCancel: () => true })).toThrow(AnalysisCancelled);
  });
});

describe('tridiagonalize', () => {
  it('keeps the eigenvalues, the trace and the Frobenius norm, and returns n − 1 sub-diagonal values', () => {
    const lambda = [3, -1, 0.5, 2, 7, -4, 1e-3];
    const n = lambda.length;
    const a = withEigenvalues(lambda, 3);
    let frobenius2 = 0;
    for (let i = 0; i < n * n; i++) frobenius2 += (a[i] as number) ** 2;
    const { diagonal, subDiagonal } = tridiagonalize(a.slice(), n);
    expect(diagonal).toHaveLength(n);
    expect(subDiagonal).toHaveLength(n - 1);
    let t2 = 0;
    diagonal.forEach((d) => (t2 += d * d));
    subDiagonal.forEach((e) => (t2 += 2 * e * e));
    expect(t2 / frobenius2).toBeCloseTo(1, 14);
    expectClose(tridiagonalEigenvalues(diagonal, subDiagonal), [...lambda].sort((x, y) => x - y), 1e-13 * 7);
  });

  it('handles n = 0 and n = 1, and rejects a size mismatch', () => {
    expect(tridiagonalize(new Float64Array(0), 0)).toEqual({ diagonal: new Float64Array(0), subDiagonal: new Float64Array(0) });
    expect(tridiagonalize(new Float64Array([2.5]), 1)).toEqual({ diagonal: new Float64Array([2.5]), subDiagonal: new Float64Array(0) });
    expect(() => tridiagonalize(new Float64Array(5), 2)).toThrow(RangeError);
  });
});

describe('tridiagonalEigenvalues', () => {
  it('solves tridiag(−1, 2, −1) directly, ascending, without touching its inputs', () => {
    const n = 50;
    const diagonal = new Float64Array(n).fill(2);
    const subDiagonal = new Float64Array(n - 1).fill(-1);
    const want = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(tridiagonalEigenvalues(diagonal, subDiagonal), want, 1e-14);
    expect(diagonal.every((d) => d === 2)).toBe(true);
    expect(subDiagonal.every((e) => e === -1)).toBe(true);
  });

  it('polls for cancellation every 64 eigenvalues, and passes the iteration cap on', () => {
    const diagonal = new Float64Array(200).fill(2);
    const subDiagonal = new Float64Array(199).fill(-1);
    let calls = 0;
    tridiagonalEigenvalues(diagonal, subDiagonal, { shouldCancel: () => (calls++, false) });
    expect(calls).toBe(3);
    expect(() => tridiagonalEigenvalues(diagonal, subDiagonal, { shouldCancel: () => true })).toThrow(AnalysisCancelled);
    expect(() => tridiagonalEigenvalues(diagonal, subDiagonal, { maxIterationsPerValue: 0 })).toThrow(/did not converge/);
  });

  it('rejects mismatched lengths', () => {
    expect(() => tridiagonalEigenvalues(new Float64Array(3), new Float64Array(3))).toThrow(RangeError);
    expect(tridiagonalEigenvalues(new Float64Array(0), new Float64Array(0))).toEqual(new Float64Array(0));
  });
});
