import { describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { gramOfSmallerSide } from './gram';

/** Reference Gram by the definition, one inner product at a time. */
function naiveGram(a: ArrayLike<number>, rows: number, cols: number): { gram: Float64Array; n: number } {
  const n = Math.min(rows, cols);
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (rows >= cols) for (let t = 0; t < rows; t++) s += (a[t * cols + i] as number) * (a[t * cols + j] as number);
      else for (let t = 0; t < cols; t++) s += (a[i * cols + t] as number) * (a[j * cols + t] as number);
      gram[i * n + j] = s;
    }
  }
  return { gram, n };
}

describe('gramOfSmallerSide', () => {
  // Shapes cover: n not a multiple of 4, depth not a multiple of the panel (64), both orientations, square.
  const shapes: [number, number][] = [[1, 1], [3, 1], [1, 5], [37, 13], [13, 37], [130, 9], [9, 130], [66, 66], [200, 70]];
  for (const [rows, cols] of shapes) {
    it(`matches the definition for ${rows}×${cols}`, () => {
      const a = gaussianMatrix(rows, cols, rows * 1000 + cols);
      const got = gramOfSmallerSide(a, rows, cols);
      const want = naiveGram(a, rows, cols);
      expect(got.n).toBe(Math.min(rows, cols));
      let scale = 0;
      for (const v of want.gram) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < want.gram.length; i++) {
        expect(Math.abs((got.gram[i] as number) - (want.gram[i] as number))).toBeLessThanOrEqual(1e-13 * scale);
      }
    });
  }

  it('is exactly symmetric', () => {
    const { gram, n } = gramOfSmallerSide(gaussianMatrix(50, 23, 5), 50, 23);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(gram[i * n + j]).toBe(gram[j * n + i]);
  });

  it('accumulates float32 input in float64', () => {
    // 1 + 2⁻¹² is exact in float32; its square 1 + 2⁻¹¹ + 2⁻²⁴ is not, but is exact in float64.
    const x = Math.fround(1 + 2 ** -12);
    const { gram } = gramOfSmallerSide(new Float32Array([x, x]), 2, 1);
    expect(gram[0]).toBe(2 * (1 + 2 ** -11 + 2 ** -24));
    expect(gram[0]).not.toBe(Math.fround(2 * Math.fround(x * x)));
  });

  it('handles empty matrices', () => {
    expect(gramOfSmallerSide(new Float64Array(0), 0, 5)).toEqual({ gram: new Float64Array(0), n: 0 });
    expect(gramOfSmallerSide(new Float64Array(0), 4, 0).n).toBe(0);
  });

  it('rejects a length that does not match the shape', () => {
    expect(() => gramOfSmallerSide(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });

  it('stops with AnalysisCancelled when asked', () => {
    let calls = 0;
    const a = gaussianMatrix(300, 200, 1);
    expect(() => gramOfSmallerSide(a, 300, 200, () => ++calls > 3)).toThrow(AnalysisCancelled);
    expect(calls).toBe(4);
  });
});
