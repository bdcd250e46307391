import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { symmetricEigenDecomposition } from './symmetricEigenDecomposition';
import { symmetricEigenvalues } from './symmetricEigenvalues';

/** (G + Gᵀ)/2 of a seeded Gaussian n×n matrix. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const g = gaussianMatrix(n, n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = ((g[i * n + j] as number) + (g[j * n + i] as number)) / 2;
  return a;
}

/** Largest |entry| of A − Zᵀ·diag(λ)·Z and of Z·Zᵀ − I. */
function decompositionErrors(a: Float64Array, n: number): { reconstruction: number; orthonormality: number; values: Float64Array } {
  const { valuesDesc, vectorsByRow: z } = symmetricEigenDecomposition(a, n);
  let reconstruction = 0;
  let orthonormality = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let t = 0; t < n; t++) {
        s += (z[t * n + i] as number) * (valuesDesc[t] as number) * (z[t * n + j] as number);
        o += (z[i * n + t] as number) * (z[j * n + t] as number);
      }
      reconstruction = Math.max(reconstruction, Math.abs(s - (a[i * n + j] as number)));
      orthonormality = Math.max(orthonormality, Math.abs(o - (i === j ? 1 : 0)));
    }
  }
  return { reconstruction, orthonormality, values: valuesDesc };
}

describe('symmetricEigenDecomposition', () => {
  for (const n of [0, 1, 2, 3, 7, 60]) {
    it(`random symmetric ${n}×${n}: A = Zᵀ·Λ·Z, Z orthogonal, λ as symmetricEigenvalues`, () => {
      const a = randomSymmetric(n, 100 + n);
      const { reconstruction, orthonormality, values } = decompositionErrors(a, n);
      const scale = Math.max(1, ...Array.from(values, Math.abs));
      expect(reconstruction).toBeLessThan(1e-13 * scale);
      expect(orthonormality).toBeLessThan(1e-13);
      const reference = symmetricEigenvalues(a.slice(), n).reverse();
      values.forEach((v, i) => expect(Math.abs(v - (reference[i] as number))).toBeLessThan(1e-13 * scale));
      expect(a).toEqual(randomSymmetric(n, 100 + n)); // input untouched
    });
  }

  it('diagonal and repeated eigenvalues (identity, zero, a block of equal values)', () => {
    const n = 6;
    const diagonal = new Float64Array(n * n);
    [3, -1, 3, 0, 3, 2].forEach((v, i) => (diagonal[i * n + i] = v));
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    for (const a of [diagonal, identity, new Float64Array(n * n)]) {
      const { reconstruction, orthonormality } = decompositionErrors(a, n);
      expect(reconstruction).toBeLessThan(1e-15);
      expect(orthonormality).toBeLessThan(1e-15);
    }
    expect(Array.from(symmetricEigenDecomposition(diagonal, n).valuesDesc)).toEqual([3, 3, 3, 2, 0, -1]);
  });

  it('reads only the lower triangle', () => {
    const a = randomSymmetric(9, 5);
    const lower = a.slice();
    for (let i = 0; i < 9; i++) for (let j = i + 1; j < 9; j++) lower[i * 9 + j] = 1e6;
    expect(symmetricEigenDecomposition(lower, 9)).toEqual(symmetricEigenDecomposition(a, 9));
  });

  it('property: any small symmetric matrix decomposes to rounding (fast-check, fixed seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const { reconstruction, orthonormality, values } = decompositionErrors(randomSymmetric(n, seed), n);
        expect(reconstruction).toBeLessThan(1e-13 * Math.max(1, ...Array.from(values, Math.abs)));
        expect(orthonormality).toBeLessThan(1e-13);
        for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1] as number);
      }),
      { seed: 7001, numRuns: 60 },
    );
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => symmetricEigenDecomposition(new Float64Array(5), 2)).toThrow(RangeError);
  });
});
