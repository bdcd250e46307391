import { describe, expect, it } from 'vitest';
import type { TensorRef } from '../src/model/types';
import { singularValues } from '../src/analysis/linalg/singularValues';
import { gaussianMatrix } from '../src/analysis/testing/exactSvdMatrix';
import { tensorVectors } from './tensorVectors';

function ref(name: string, shape: number[], kind: TensorRef['kind'], values: Float32Array | Float64Array, layout?: 'OIHW' | 'HWIO'): TensorRef {
  return { name, dtype: 'F64', shape, size: values.length, kind, file: 'f', byteLength: values.length * 8, ...(layout ? { layout } : {}), read: async () => values };
}

describe('tensorVectors', () => {
  it('dense: the top σ and unit vectors with A·v = σ·u', async () => {
    const a = gaussianMatrix(30, 50, 1, 1);
    const r = await tensorVectors(ref('w', [30, 50], 'dense', a), 4);
    expect(r.matrix).toBe('dense');
    const all = singularValues(a, 30, 50);
    for (let j = 0; j < 4; j++) {
      expect(r.sigma[j]).toBeCloseTo(all[j] as number, 10);
      for (let i = 0; i < 30; i++) {
        let av = 0;
        for (let c = 0; c < 50; c++) av += (a[i * 50 + c] as number) * (r.v[c * 4 + j] as number);
        expect(av).toBeCloseTo((r.sigma[j] as number) * (r.u[i * 4 + j] as number), 9);
      }
    }
  });

  it('conv: the unfold matrix, the same for OIHW and HWIO', async () => {
    const k = gaussianMatrix(6 * 4, 9, 2, 1);
    const oihw = await tensorVectors(ref('c', [6, 4, 3, 3], 'conv2d', k, 'OIHW'), 3);
    expect(oihw).toMatchObject({ matrix: 'unfold', rows: 6, cols: 36 });
    const hwio = new Float64Array(k.length);
    for (let o = 0; o < 6; o++) for (let c = 0; c < 4; c++) for (let p = 0; p < 9; p++) hwio[(p * 4 + c) * 6 + o] = k[(o * 4 + c) * 9 + p] as number;
    const fromHwio = await tensorVectors(ref('c', [3, 3, 4, 6], 'conv2d', hwio, 'HWIO'), 3);
    for (let j = 0; j < 3; j++) expect(fromHwio.sigma[j]).toBeCloseTo(oihw.sigma[j] as number, 12);
    await expect(tensorVectors(ref('b', [6], 'vector', new Float64Array(6)), 1)).rejects.toThrow(RangeError);
  });
});
