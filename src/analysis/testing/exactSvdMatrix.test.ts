import { describe, expect, it } from 'vitest';
import {
  exactSvdMatrix,
  gaussianSpectrum,
  gradedSpectrum,
  orthogonalMatrix,
  powerLawSpectrum,
  rankDeficientSpectrum,
} from './exactSvdMatrix';

describe('orthogonalMatrix (the U and V of exactSvdMatrix)', () => {
  for (const n of [1, 2, 7, 64, 100]) {
    it(`is orthogonal and dense for n = ${n}`, () => {
      const q = orthogonalMatrix(n, 11 + n);
      let maxError = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let k = 0; k < n; k++) dot += (q[k * n + i] as number) * (q[k * n + j] as number);
          maxError = Math.max(maxError, Math.abs(dot - (i === j ? 1 : 0)));
        }
      }
      expect(maxError).toBeLessThan(1e-14);
      if (n >= 7) {
        // Well mixed: no entry close to ±1 (a permutation-like Q), few exact zeros.
        let largest = 0;
        let zeros = 0;
        for (const v of q) {
          largest = Math.max(largest, Math.abs(v));
          if (Math.abs(v) < 1e-12) zeros++;
        }
        expect(largest).toBeLessThan(0.9);
        expect(zeros / (n * n)).toBeLessThan(0.05);
      }
    });
  }

  it('depends on the seed and is reproducible', () => {
    expect(orthogonalMatrix(8, 1)).toEqual(orthogonalMatrix(8, 1));
    expect(orthogonalMatrix(8, 1)).not.toEqual(orthogonalMatrix(8, 2));
  });
});

describe('exactSvdMatrix', () => {
  it('puts σ on a 2-norm scale: ‖W‖²_F = Σσ²', () => {
    const sigma = [3, 2, 0.5];
    const w = exactSvdMatrix(5, 4, sigma, 3);
    let sum = 0;
    for (const v of w) sum += v * v;
    expect(sum).toBeCloseTo(9 + 4 + 0.25, 12);
  });

  it('rejects too many or negative σ', () => {
    expect(() => exactSvdMatrix(2, 3, [1, 1, 1], 1)).toThrow(RangeError);
    expect(() => exactSvdMatrix(2, 3, [1, -1], 1)).toThrow(RangeError);
  });
});

describe('spectrum builders', () => {
  it('graded spans 5 decades', () => {
    const s = gradedSpectrum(11);
    expect(s[0]).toBe(1);
    expect(s[10]).toBeCloseTo(1e-5, 18);
    expect(s[2]).toBeCloseTo(10 ** -1, 15);
  });
  it('power law is 1/i', () => expect(powerLawSpectrum(4)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]));
  it('rank-deficient has a third zeros', () => {
    const s = rankDeficientSpectrum(9);
    expect(s.filter((v) => v === 0)).toHaveLength(3);
    expect(s[5]).toBeCloseTo(0.01, 15);
  });
  it('gaussian is non-negative and descending', () => {
    const s = gaussianSpectrum(50, 4);
    for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1] as number);
    expect(s[49]).toBeGreaterThanOrEqual(0);
  });
});
