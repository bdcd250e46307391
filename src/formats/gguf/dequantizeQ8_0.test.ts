import { describe, expect, it } from 'vitest';
import { dequantizeQ8_0 } from './dequantizeQ8_0';
import { q8_0Block, quantizeQ8_0 } from './testing/writeGguf';

describe('dequantizeQ8_0', () => {
  it('gives d·q for every byte of a block, by hand', () => {
    // d = 0x3800 = 0.5 in binary16; q runs over −128, −127, …, and a few hand-picked values.
    const q = [-128, -127, -1, 0, 1, 2, 3, 127, ...Array.from({ length: 24 }, (_, i) => i - 12)];
    const values = dequantizeQ8_0(q8_0Block(0x3800, q), 32);
    expect(Array.from(values.slice(0, 8))).toEqual([-64, -63.5, -0.5, 0, 0.5, 1, 1.5, 63.5]);
    expect(Array.from(values.slice(8))).toEqual(Array.from({ length: 24 }, (_, i) => (i - 12) / 2));
  });

  it('uses each block its own scale: a subnormal, a negative and an infinite one', () => {
    const ramp = Array.from({ length: 32 }, (_, i) => i - 16);
    const bytes = new Uint8Array([...q8_0Block(0x0001, ramp), ...q8_0Block(0xc000, ramp), ...q8_0Block(0x7c00, ramp)]);
    const values = dequantizeQ8_0(bytes, 96);
    // 0x0001 = 2^−24 (the smallest subnormal); 0xc000 = −2; 0x7c00 = +Inf, so 0·Inf is NaN, as in C.
    expect(values[0]).toBe(-16 * 2 ** -24);
    expect(values[31]).toBe(15 * 2 ** -24);
    expect(values[32]).toBe(32);
    expect(values[63]).toBe(-30);
    expect(values[64]).toBe(-Infinity);
    expect(values[80]).toBeNaN();
    expect(values[95]).toBe(Infinity);
  });

  it('round-trips ggml reference quantization within half a step', () => {
    const x = Array.from({ length: 64 }, (_, i) => Math.sin(i) * (i < 32 ? 1 : 100));
    const y = dequantizeQ8_0(quantizeQ8_0(x), 64);
    for (let i = 0; i < 64; i++) expect(Math.abs((y[i] as number) - (x[i] as number))).toBeLessThanOrEqual((i < 32 ? 1 : 100) / 127 / 2 + 1e-3);
  });

  it('refuses sizes that are not whole blocks (a caller bug)', () => {
    expect(() => dequantizeQ8_0(new Uint8Array(34), 16)).toThrow(RangeError);
    expect(() => dequantizeQ8_0(new Uint8Array(33), 32)).toThrow(RangeError);
  });
});
