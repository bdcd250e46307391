import { describe, expect, it } from 'vitest';
import { scanTensor } from './scanTensor';
import type { TensorRef } from '../src/model/types';

const ref = (name: string, shape: number[], values: Float32Array, kind: TensorRef['kind'] = 'dense'): TensorRef => ({
  name,
  dtype: 'F32',
  shape,
  size: values.length,
  kind,
  file: 'f.safetensors',
  byteLength: values.byteLength,
  read: async () => values,
});

describe('scanTensor', () => {
  it('returns the spectrum of a readable tensor', async () => {
    // diag(3, 4) padded: σ = 4, 3.
    const result = await scanTensor(ref('w', [2, 3], new Float32Array([3, 0, 0, 0, 4, 0])), {});
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(Array.from(result.spectrum.singularValues)).toEqual([4, 3]);
    expect(result.spectrum.frobeniusNormSq).toBe(25);
  });

  it('flags NaN and Inf without computing', async () => {
    const result = await scanTensor(ref('w', [2, 2], new Float32Array([NaN, 1, -Infinity, NaN])), {});
    expect(result).toEqual({ tensor: 'w', status: 'non-finite', nanCount: 2, infCount: 1 });
  });

  it('turns a read failure into a failed result with its code', async () => {
    const failing: TensorRef = {
      ...ref('w', [2, 2], new Float32Array(4)),
      read: async () => {
        throw Object.assign(new Error('gone'), { name: 'FormatError', code: 'READ_FAILED', file: 'f.safetensors' });
      },
    };
    const result = await scanTensor(failing, {});
    expect(result).toMatchObject({ status: 'failed', error: { code: 'READ_FAILED', file: 'f.safetensors', message: 'gone' } });
  });

  it('lets cancellation through instead of reporting it as a failure', async () => {
    const big = new Float32Array(300 * 300).map((_, i) => Math.sin(i));
    await expect(scanTensor(ref('w', [300, 300], big), { shouldCancel: () => true })).rejects.toMatchObject({ name: 'AnalysisCancelled' });
  });
});
