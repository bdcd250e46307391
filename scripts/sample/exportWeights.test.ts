import { describe, expect, it } from 'vitest';
import { denseToOutIn, hwioToOihw, toPytorchTensors } from './exportWeights';

describe('exportWeights', () => {
  it('moves HWIO element [h, w, i, o] to OIHW [o, i, h, w]', () => {
    const [kh, kw, ci, co] = [2, 3, 4, 5];
    const hwio = Float32Array.from({ length: kh * kw * ci * co }, (_, k) => k);
    const oihw = hwioToOihw(hwio, kh, kw, ci, co);
    for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
      expect(oihw[((o * ci + i) * kh + h) * kw + w]).toBe(hwio[((h * kw + w) * ci + i) * co + o]);
    }
  });

  it('transposes a dense kernel, and reorders a flattened H×W×C input to (c, h, w)', () => {
    const plain = denseToOutIn(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2); // [in=3, out=2]
    expect(Array.from(plain)).toEqual([1, 3, 5, 2, 4, 6]);
    // in = H·W·C = 1·2·2; TF input index (h, w, c) = w*2 + c; PyTorch index (c, h, w) = c*2 + w.
    const kernel = Float32Array.from([10, 11, 12, 13]); // out = 1: value = 10 + TF input index
    const reordered = denseToOutIn(kernel, 4, 1, [1, 2, 2]);
    // PyTorch column (c=0,w=0)=TF 0, (c=0,w=1)=TF 2, (c=1,w=0)=TF 1, (c=1,w=1)=TF 3.
    expect(Array.from(reordered)).toEqual([10, 12, 11, 13]);
    expect(() => denseToOutIn(kernel, 4, 1, [2, 2, 2])).toThrow(RangeError);
  });

  it('names tensors <layer>.weight / <layer>.bias with PyTorch shapes', () => {
    const tensors = toPytorchTensors([
      { name: 'conv1', kind: 'conv', kernel: new Float32Array(5 * 5 * 1 * 16), kernelShape: [5, 5, 1, 16], bias: new Float32Array(16) },
      { name: 'fc1', kind: 'dense', kernel: new Float32Array(512 * 64), kernelShape: [512, 64], bias: new Float32Array(64), flattenFrom: [4, 4, 32] },
    ]);
    expect(tensors.map((t) => [t.name, t.shape])).toEqual([
      ['conv1.weight', [16, 1, 5, 5]],
      ['conv1.bias', [16]],
      ['fc1.weight', [64, 512]],
      ['fc1.bias', [64]],
    ]);
  });
});
