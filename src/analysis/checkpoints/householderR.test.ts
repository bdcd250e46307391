import { describe, expect, it } from 'vitest';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { householderR } from './householderR';

describe('householderR', () => {
  it('gives RᵀR = XᵀX with zeros below the diagonal, for tall, wide and rank-deficient X', () => {
    for (const [m, n] of [[9, 4], [3, 5], [6, 6]] as const) {
      const x = gaussianMatrix(m, n, m * 10 + n);
      if (m === 6) for (let i = 0; i < m; i++) x[i * n + 5] = 2 * (x[i * n + 1] as number);
      const p = Math.min(m, n);
      const r = householderR(x, m, n);
      for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let xx = 0;
          let rr = 0;
          for (let l = 0; l < m; l++) xx += (x[l * n + i] as number) * (x[l * n + j] as number);
          for (let l = 0; l < p; l++) rr += (r[l * n + i] as number) * (r[l * n + j] as number);
          expect(rr).toBeCloseTo(xx, 12);
        }
      }
    }
  });
});

describe('householderR errors', () => {
  it('throws RangeError on a bad shape', () => {
    expect(() => householderR(new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => householderR(new Float64Array(0), -1, 0)).toThrow(RangeError);
  });

  it('survives huge and zero columns', () => {
    const r = householderR(new Float64Array([1e300, 0, 1e300, 0, 0, 0]), 3, 2);
    expect(Math.abs(r[0]!)).toBeCloseTo(Math.SQRT2 * 1e300, -285);
    expect(r[3]).toBe(0);
  });
});
