import { describe, expect, it } from 'vitest';
import type { InputPreprocessing } from './inputSpec';
import { defaultPreprocessing } from './inputSpec';
import { resizeRgba, stackBatch, toBatch, toModelTensor } from './normalize';

/** 1 × 2 image: a pure-red pixel, then (10, 20, 30). */
const pixels = new Uint8ClampedArray([255, 0, 0, 255, 10, 20, 30, 255]);
const base: InputPreprocessing = {
  height: 1,
  width: 2,
  channels: 3,
  layout: 'NCHW',
  channelOrder: 'RGB',
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  invert: false,
};
const list = (a: Float32Array): number[] => Array.from(a, (v) => Math.round(v * 1e6) / 1e6);

describe('toModelTensor', () => {
  it('writes NCHW as planes and NHWC as interleaved pixels', () => {
    expect(list(toModelTensor(pixels, base))).toEqual([255, 10, 0, 20, 0, 30]);
    expect(list(toModelTensor(pixels, { ...base, layout: 'NHWC' }))).toEqual([255, 0, 0, 10, 20, 30]);
  });

  it('swaps red and blue for BGR', () => {
    expect(list(toModelTensor(pixels, { ...base, channelOrder: 'BGR' }))).toEqual([0, 30, 0, 20, 255, 10]);
    expect(list(toModelTensor(pixels, { ...base, channelOrder: 'BGR', layout: 'NHWC' }))).toEqual([0, 0, 255, 30, 20, 10]);
  });

  it('applies (x·scale − mean) / std per channel, in tensor order', () => {
    const p = { ...base, scale: 1 / 255, mean: [0.5, 0.25, 0], std: [0.5, 0.25, 2] };
    // red pixel: R (1 − 0.5)/0.5 = 1, G (0 − 0.25)/0.25 = −1, B 0/2 = 0; second: 10/255, 20/255, 30/255.
    const expected = [1, (10 / 255 - 0.5) / 0.5, -1, (20 / 255 - 0.25) / 0.25, 0, 30 / 255 / 2];
    toModelTensor(pixels, p).forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 6));
  });

  it('makes grey from BT.601 luma and inverts before scaling', () => {
    const grey = { ...base, channels: 1 as const, mean: [0], std: [1] };
    const luma = [0.299 * 255, 0.299 * 10 + 0.587 * 20 + 0.114 * 30];
    toModelTensor(pixels, grey).forEach((v, i) => expect(v).toBeCloseTo(luma[i] ?? NaN, 4));
    toModelTensor(pixels, { ...grey, invert: true, scale: 1 / 255 }).forEach((v, i) => expect(v).toBeCloseTo((255 - (luma[i] ?? 0)) / 255, 6));
    // Inverted colour: 255 − x per channel.
    expect(list(toModelTensor(pixels, { ...base, invert: true }))).toEqual([0, 245, 255, 235, 255, 225]);
  });

  it('writes into a batch at an offset and rejects wrong sizes with a clear message', () => {
    const out = new Float32Array(12);
    toModelTensor(pixels, base, out, 6);
    expect(list(out.subarray(6))).toEqual([255, 10, 0, 20, 0, 30]);
    expect(() => toModelTensor(new Uint8ClampedArray(12), base)).toThrow(/expected 2×1 RGBA pixels \(8 values\), got 12/);
    expect(() => toModelTensor(pixels, base, new Float32Array(8), 4)).toThrow(RangeError);
  });
});

describe('stackBatch and toBatch', () => {
  it('puts N first, then the layout', () => {
    const a = toModelTensor(pixels, base);
    const batch = stackBatch([a, a], base);
    expect(batch.shape).toEqual([2, 3, 1, 2]);
    expect(list(batch.data)).toEqual([...list(a), ...list(a)]);
    const nhwc = { ...base, layout: 'NHWC' as const };
    expect(toBatch([pixels, pixels, pixels], nhwc).shape).toEqual([3, 1, 2, 3]);
    expect(list(toBatch([pixels], nhwc).data)).toEqual(list(toModelTensor(pixels, nhwc)));
  });

  it('rejects an example of the wrong length', () => {
    expect(() => stackBatch([new Float32Array(5)], base)).toThrow(/example 0 has 5 values; 3×1×2 needs 6/);
  });

  it('stacks zero examples into an empty batch', () => {
    const p = defaultPreprocessing(undefined);
    expect(toBatch([], p).shape).toEqual([0, 3, 224, 224]);
  });
});

describe('resizeRgba', () => {
  const ramp = new Float32Array([0, 0, 0, 255, 100, 100, 100, 255]); // 1 × 2
  it('copies exactly at the same size', () => {
    expect(Array.from(resizeRgba(ramp, 1, 2, 1, 2))).toEqual(Array.from(ramp));
  });
  it('interpolates when enlarging and averages when shrinking', () => {
    // 1×2 → 1×4: half-pixel centres at 0.25, 0.75, 1.25, 1.75 source px → clamped 0, 0.25, 0.75, 1.
    const up = resizeRgba(ramp, 1, 2, 1, 4);
    expect([0, 1, 2, 3].map((i) => up[4 * i])).toEqual([0, 25, 75, 100]);
    expect([0, 1, 2, 3].map((i) => up[4 * i + 3])).toEqual([255, 255, 255, 255]);
    const down = resizeRgba(ramp, 1, 2, 1, 1);
    expect(Array.from(down)).toEqual([50, 50, 50, 255]);
    const square = resizeRgba(new Float32Array(4 * 4 * 4).map((_, i) => (i % 4 === 0 ? i : 0)), 4, 4, 2, 2);
    // Each output pixel is the mean of a 2 × 2 block of R = 4·(pixel index).
    expect([0, 1, 2, 3].map((i) => square[4 * i])).toEqual([10, 18, 42, 50]);
  });
});
