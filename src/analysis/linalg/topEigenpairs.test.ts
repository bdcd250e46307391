import { describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { gaussianMatrix, orthogonalMatrix, powerLawSpectrum } from '../testing/exactSvdMatrix';
import { gramOfSmallerSide } from './gram';
import { topEigenpairs } from './topEigenpairs';

/** C = Q·diag(λ)·Qᵀ with a seeded orthogonal Q (n×n row-major); eigenvector i is column i of Q. */
function knownSpectrum(lambda: readonly number[], seed: number): { c: Float64Array; q: Float64Array; n: number } {
  const n = lambda.length;
  const q = orthogonalMatrix(n, seed);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += (q[i * n + t] as number) * (lambda[t] as number) * (q[j * n + t] as number);
      c[i * n + j] = s;
      c[j * n + i] = s;
    }
  }
  return { c, q, n };
}

/** ‖(I − Q_S·Q_Sᵀ)·Z‖_F for the vectors Z (one after the other) and the columns S = [from, to) of Q. */
function distanceToColumns(z: Float64Array, count: number, q: Float64Array, n: number, from: number, to: number): number {
  let sum = 0;
  for (let j = 0; j < count; j++) {
    const r = z.slice(j * n, (j + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let c = from; c < to; c++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += (q[i * n + c] as number) * (r[i] as number);
        for (let i = 0; i < n; i++) r[i] = (r[i] as number) - d * (q[i * n + c] as number);
      }
    }
    for (let i = 0; i < n; i++) sum += (r[i] as number) ** 2;
  }
  return Math.sqrt(sum);
}

describe('topEigenpairs', () => {
  const lambda = powerLawSpectrum(160).map((s) => s * s);
  const { c, q, n } = knownSpectrum(lambda, 3);

  for (const method of ['krylov', 'dense'] as const) {
    it(`${method}: the top 6 of a known spectrum`, () => {
      const r = topEigenpairs(c, n, 6, { method });
      expect(r.method).toBe(method);
      expect(r.converged).toBe(true);
      for (let j = 0; j < 6; j++) {
        expect(Math.abs((r.valuesDesc[j] as number) - (lambda[j] as number))).toBeLessThan(1e-14);
        expect(distanceToColumns(r.vectors.subarray(j * n, (j + 1) * n), 1, q, n, j, j + 1)).toBeLessThan(1e-12);
      }
    });
  }

  it('an eigenvalue of multiplicity 7 (block size 4) is found in full', () => {
    const clustered = [9, 9, 9, 9, 9, 9, 9, 4, 1, ...powerLawSpectrum(151).map((s) => s / 2)];
    const known = knownSpectrum(clustered, 4);
    const r = topEigenpairs(known.c, known.n, 9, { method: 'krylov' });
    expect(r.converged).toBe(true);
    clustered.slice(0, 9).forEach((v, j) => expect(Math.abs((r.valuesDesc[j] as number) - v)).toBeLessThan(1e-12));
    expect(distanceToColumns(r.vectors, 7, known.q, known.n, 0, 7)).toBeLessThan(1e-11);
  });

  it('a 7-fold eigenvalue above a dense bulk: the block is widened (smaller blocks alone miss copies)', () => {
    // Diagonal, so rounding adds no stray components; the bulk keeps the Krylov space from going invariant.
    // Without widening, block sizes 1 and 2 stop with 5 and 6 copies of 9 and report convergence.
    const order = 400;
    const values = [9, 9, 9, 9, 9, 9, 9, ...Array.from({ length: order - 7 }, (_, i) => 8 * (1 - i / (order - 7)))];
    const diagonal = new Float64Array(order * order);
    values.forEach((v, i) => {
      const at = (i * 37) % order;
      diagonal[at * order + at] = v;
    });
    for (const blockSize of [1, 2, 4]) {
      const r = topEigenpairs(diagonal, order, 9, { method: 'krylov', blockSize });
      expect(r.converged).toBe(true);
      values.slice(0, 9).forEach((v, j) => expect(Math.abs((r.valuesDesc[j] as number) - v)).toBeLessThan(1e-12));
    }
  });

  it('rank-deficient: zero eigenvalues with orthonormal null vectors', () => {
    const known = knownSpectrum([5, 4, 3, ...Array<number>(157).fill(0)], 5);
    const r = topEigenpairs(known.c, known.n, 6, { method: 'krylov' });
    expect(r.converged).toBe(true);
    for (let j = 0; j < 6; j++) {
      for (let l = 0; l < 6; l++) {
        let d = 0;
        for (let i = 0; i < known.n; i++) d += (r.vectors[j * known.n + i] as number) * (r.vectors[l * known.n + i] as number);
        expect(Math.abs(d - (j === l ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
    for (let j = 3; j < 6; j++) expect(Math.abs(r.valuesDesc[j] as number)).toBeLessThan(1e-13);
  });

  it('a Gaussian Gram (a dense top of the spectrum): same values as the dense route', () => {
    const { gram, n: order } = gramOfSmallerSide(gaussianMatrix(400, 250, 6), 400, 250);
    const krylov = topEigenpairs(gram, order, 10);
    const dense = topEigenpairs(gram, order, 10, { method: 'dense' });
    expect(krylov.method).toBe('krylov');
    krylov.valuesDesc.forEach((v, j) => expect(Math.abs(v - (dense.valuesDesc[j] as number))).toBeLessThan(1e-11 * (dense.valuesDesc[0] as number)));
  });

  it('reports converged: false when the restarts run out', () => {
    const { gram, n: order } = gramOfSmallerSide(gaussianMatrix(400, 250, 7), 400, 250);
    const r = topEigenpairs(gram, order, 10, { maxIterations: 1 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(1);
    for (let j = 1; j < 10; j++) expect(r.valuesDesc[j]).toBeLessThanOrEqual(r.valuesDesc[j - 1] as number);
  });

  it('is deterministic for a seed and cancellable', () => {
    expect(topEigenpairs(c, n, 4)).toEqual(topEigenpairs(c, n, 4));
    expect(() => topEigenpairs(c, n, 4, { shouldCancel: () => true })).toThrow(AnalysisCancelled);
  });

  it('rejects bad k and sizes', () => {
    expect(() => topEigenpairs(c, n, n + 1)).toThrow(RangeError);
    expect(() => topEigenpairs(c, n, -1)).toThrow(RangeError);
    expect(() => topEigenpairs(new Float64Array(3), 2, 1)).toThrow(RangeError);
  });
});
