import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFloats, float16BitsToNumber, bfloat16BitsToNumber } from './dtype';
import { encodeFloats, numberToBFloat16Bits, numberToFloat16Bits } from './encodeFloats';

describe('encodeFloats', () => {
  it('encodes every finite F16 and BF16 value to its own bits (exact round trip)', () => {
    for (let bits = 0; bits < 65536; bits++) {
      const h = float16BitsToNumber(bits);
      if (!Number.isNaN(h) && numberToFloat16Bits(h) !== bits) throw new Error(`F16 ${bits.toString(16)}`);
      const b = bfloat16BitsToNumber(bits);
      if (!Number.isNaN(b) && numberToBFloat16Bits(b) !== bits) throw new Error(`BF16 ${bits.toString(16)}`);
    }
  });

  it('rounds halfway cases to even and overflows to Inf', () => {
    // Between 1 (0x3c00) and 1 + 2^-10 (0x3c01): the midpoint goes to the even 0x3c00; the next midpoint up.
    expect(numberToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(numberToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(numberToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(numberToFloat16Bits(65520)).toBe(0x7c00);
    expect(numberToFloat16Bits(-1e9)).toBe(0xfc00);
    expect(numberToFloat16Bits(2 ** -25)).toBe(0x0000); // half the smallest subnormal: ties to even (0)
    expect(numberToFloat16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(numberToFloat16Bits(-0)).toBe(0x8000);
    expect(numberToFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(numberToBFloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(numberToBFloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(numberToBFloat16Bits(Infinity)).toBe(0x7f80);
  });

  it('picks the nearest representable value (property, seeded)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -70000, max: 70000 }), (x) => {
        const h = float16BitsToNumber(numberToFloat16Bits(x));
        const b = bfloat16BitsToNumber(numberToBFloat16Bits(x));
        // No representable neighbour is closer: compare with the values one step either side.
        for (const [value, toBits, fromBits] of [
          [h, numberToFloat16Bits, float16BitsToNumber],
          [b, numberToBFloat16Bits, bfloat16BitsToNumber],
        ] as const) {
          if (!Number.isFinite(value)) continue;
          const bits = toBits(x);
          for (const n of [bits - 1, bits + 1]) {
            const neighbour = fromBits(n & 0xffff);
            if (Number.isFinite(neighbour) && Math.sign(neighbour) === Math.sign(value)) {
              expect(Math.abs(neighbour - x)).toBeGreaterThanOrEqual(Math.abs(value - x));
            }
          }
        }
      }),
      { seed: 20240611, numRuns: 2000 },
    );
  });

  it('round-trips F32 and F64 bit for bit', () => {
    const f32 = new Float32Array([1, -0, NaN, Infinity, 1e-45, 3.4e38]);
    expect(new Uint8Array(decodeFloats(encodeFloats(f32, 'F32'), 'F32').buffer)).toEqual(new Uint8Array(f32.buffer));
    const f64 = new Float64Array([Math.E, -0, -Infinity, 5e-324]);
    expect(new Uint8Array(decodeFloats(encodeFloats(f64, 'F64'), 'F64').buffer)).toEqual(new Uint8Array(f64.buffer));
    expect(Array.from(decodeFloats(encodeFloats([0.1, 2], 'F32'), 'F32'))).toEqual([Math.fround(0.1), 2]);
  });
});
