import { describe, expect, it } from 'vitest';
import { tensorMatrices } from './tensorMatrices';

const iota = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('tensorMatrices', () => {
  it('returns a 2-D tensor as stored, without copying', () => {
    const values = new Float32Array([1, 2, 3, 4, 5, 6]);
    const m = tensorMatrices(values, [2, 3], 'dense', 'OIHW');
    expect([m.rows, m.cols, m.count]).toEqual([2, 3, 1]);
    expect(m.matrix(0)).toBe(values);
  });

  it('splits a 3-D stack by its leading index', () => {
    const m = tensorMatrices(iota(24), [4, 2, 3], 'stack', 'OIHW');
    expect([m.rows, m.cols, m.count]).toEqual([2, 3, 4]);
    expect(Array.from(m.matrix(2))).toEqual([12, 13, 14, 15, 16, 17]);
  });

  it('slices an OIHW kernel at each kernel position: W[:, :, i, j] is c_out × c_in', () => {
    // shape (c_out 2, c_in 3, kh 2, kw 2): value = 1000·o + 100·c + 10·i + j
    const shape = [2, 3, 2, 2];
    const values = new Float64Array(24);
    for (let o = 0; o < 2; o++) for (let c = 0; c < 3; c++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      values[((o * 3 + c) * 2 + i) * 2 + j] = 1000 * o + 100 * c + 10 * i + j;
    }
    const m = tensorMatrices(values, shape, 'conv2d', 'OIHW');
    expect([m.rows, m.cols, m.count]).toEqual([2, 3, 4]);
    // k = 3 is (i, j) = (1, 1).
    expect(Array.from(m.matrix(3))).toEqual([11, 111, 211, 1011, 1111, 1211]);
  });

  it('slices an HWIO kernel and transposes each slice to c_out × c_in', () => {
    // shape (kh 2, kw 2, c_in 3, c_out 2): same values as the OIHW case, stored in HWIO order.
    const values = new Float64Array(24);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let c = 0; c < 3; c++) for (let o = 0; o < 2; o++) {
      values[((i * 2 + j) * 3 + c) * 2 + o] = 1000 * o + 100 * c + 10 * i + j;
    }
    const m = tensorMatrices(values, [2, 2, 3, 2], 'conv2d', 'HWIO');
    expect([m.rows, m.cols, m.count]).toEqual([2, 3, 4]);
    expect(Array.from(m.matrix(1))).toEqual([1, 101, 201, 1001, 1101, 1201]);
    expect(Array.from(m.matrix(3))).toEqual([11, 111, 211, 1011, 1111, 1211]);
  });

  it('rejects kinds without matrices, rank mismatches, bad sizes and bad indices', () => {
    expect(() => tensorMatrices(iota(3), [3], 'vector', 'OIHW')).toThrow(RangeError);
    expect(() => tensorMatrices(iota(6), [2, 3], 'conv2d', 'OIHW')).toThrow(/4-D/);
    expect(() => tensorMatrices(iota(6), [1, 2, 3], 'dense', 'OIHW')).toThrow(/2-D/);
    expect(() => tensorMatrices(iota(5), [2, 3], 'dense', 'OIHW')).toThrow(RangeError);
    expect(() => tensorMatrices(iota(6), [2, 3], 'dense', 'OIHW').matrix(1)).toThrow(RangeError);
  });
});
