import { describe, expect, it } from 'vitest';
import type { DType } from '../model/types';
import { bfloat16BitsToNumber, bytesPerElement, decodeFloats, dtypeFromName, float16BitsToNumber } from './dtype';
import { FormatError } from './formatError';
import { u16le } from './testing/buildSafetensors';

/** binary16 bit patterns and their values (IEEE 754-2008 binary16; values worked out by hand). */
const F16_CASES: [number, number][] = [
  [0x0000, 0],
  [0x8000, -0],
  [0x3c00, 1],
  [0xc000, -2],
  [0x3555, 0.333251953125],
  [0x7bff, 65504], // largest finite
  [0x0400, 2 ** -14], // smallest normal
  [0x03ff, (1023 / 1024) * 2 ** -14], // largest subnormal
  [0x0001, 2 ** -24], // smallest subnormal
  [0x8001, -(2 ** -24)],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
];

/** bfloat16 bit patterns and their values (the upper half of a binary32). */
const BF16_CASES: [number, number][] = [
  [0x0000, 0],
  [0x8000, -0],
  [0x3f80, 1],
  [0xc000, -2],
  [0x4049, 3.140625],
  [0x7f7f, (2 - 2 ** -7) * 2 ** 127], // largest finite
  [0x0080, 2 ** -126], // smallest normal
  [0x0001, 2 ** -133], // smallest subnormal
  [0x807f, -(127 / 128) * 2 ** -126], // largest negative subnormal
  [0x7f80, Infinity],
  [0xff80, -Infinity],
];

function expectSame(actual: ArrayLike<number>, expected: readonly number[]) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(actual[i], expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`).toBe(true);
}

describe('bytesPerElement and dtypeFromName', () => {
  it('knows every dtype', () => {
    const sizes: [DType, number | null][] = [
      ['F64', 8], ['F32', 4], ['F16', 2], ['BF16', 2], ['I64', 8], ['I32', 4], ['I16', 2], ['I8', 1],
      ['U8', 1], ['U16', 2], ['U32', 4], ['U64', 8], ['BOOL', 1], ['F8_E4M3', 1], ['F8_E5M2', 1], ['UNKNOWN', null],
    ];
    for (const [dtype, size] of sizes) expect(bytesPerElement(dtype)).toBe(size);
    expect(dtypeFromName('BF16')).toBe('BF16');
    expect(dtypeFromName('F8_E8M0')).toBe('UNKNOWN');
    expect(dtypeFromName('constructor')).toBe('UNKNOWN');
    expect(dtypeFromName('__proto__')).toBe('UNKNOWN');
  });
});

describe('decodeFloats', () => {
  it('decodes F16 exactly, including ±0, subnormals, ±Inf and NaN', () => {
    const bits = [...F16_CASES.map(([b]) => b), 0x7e00, 0xfe01];
    const out = decodeFloats(u16le(bits), 'F16');
    expect(out).toBeInstanceOf(Float32Array);
    expectSame(Array.from(out).slice(0, F16_CASES.length), F16_CASES.map(([, v]) => v));
    expect(Number.isNaN(out[F16_CASES.length])).toBe(true);
    expect(Number.isNaN(out[F16_CASES.length + 1])).toBe(true);
    for (const [b, v] of F16_CASES) expect(Object.is(float16BitsToNumber(b), v)).toBe(true);
  });

  it('decodes BF16 exactly, including ±0, subnormals, ±Inf and NaN', () => {
    const bits = [...BF16_CASES.map(([b]) => b), 0x7fc0, 0xffc1];
    const out = decodeFloats(u16le(bits), 'BF16');
    expect(out).toBeInstanceOf(Float32Array);
    expectSame(Array.from(out).slice(0, BF16_CASES.length), BF16_CASES.map(([, v]) => v));
    expect(Number.isNaN(out[BF16_CASES.length])).toBe(true);
    expect(Number.isNaN(out[BF16_CASES.length + 1])).toBe(true);
    for (const [b, v] of BF16_CASES) expect(Object.is(bfloat16BitsToNumber(b), v)).toBe(true);
  });

  it('decodes every F16 bit pattern to the same value as the formula', () => {
    const all = u16le(Array.from({ length: 65536 }, (_, i) => i));
    const out = decodeFloats(all, 'F16');
    for (let i = 0; i < 65536; i++) {
      const v = float16BitsToNumber(i);
      if (!(Number.isNaN(v) ? Number.isNaN(out[i]) : Object.is(out[i], v))) throw new Error(`bits ${i.toString(16)}: ${out[i]} vs ${v}`);
    }
  });

  it('decodes F32 and F64 little-endian from unaligned offsets', () => {
    const f32 = new Float32Array([1.5, -0, Infinity, 3.4028234663852886e38, 1e-45]);
    const f64 = new Float64Array([Math.PI, -0, -Infinity, 5e-324, 1e308]);
    for (const offset of [0, 1, 3, 5]) {
      const buf32 = new Uint8Array(offset + f32.byteLength);
      buf32.set(new Uint8Array(f32.buffer), offset);
      const out32 = decodeFloats(buf32.subarray(offset), 'F32');
      expect(out32).toBeInstanceOf(Float32Array);
      expectSame(out32, Array.from(f32));
      const buf64 = new Uint8Array(offset + f64.byteLength);
      buf64.set(new Uint8Array(f64.buffer), offset);
      const out64 = decodeFloats(buf64.subarray(offset), 'F64');
      expect(out64).toBeInstanceOf(Float64Array);
      expectSame(out64, Array.from(f64));
      const out16 = decodeFloats(new Uint8Array([0, ...u16le([0x3c00, 0xc000])]).subarray(1), 'F16');
      expectSame(out16, [1, -2]);
    }
  });

  it('reads F32 bytes as little-endian regardless of how they are laid out', () => {
    // 1.0f = 0x3f800000, stored LE as 00 00 80 3f.
    expectSame(decodeFloats(new Uint8Array([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]), 'F32'), [1, -2]);
    // 1.0 = 0x3ff0000000000000.
    expectSame(decodeFloats(new Uint8Array([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]), 'F64'), [1]);
  });

  it('views aligned F32/F64 bytes without copying, and copies unaligned ones', () => {
    const aligned = new Uint8Array([0, 0, 0x80, 0x3f]);
    const view = decodeFloats(aligned, 'F32');
    expect(view.buffer).toBe(aligned.buffer);
    expect(view[0]).toBe(1);
    const backing = new Uint8Array([9, 0, 0, 0x80, 0x3f]);
    const unaligned = backing.subarray(1);
    const copy = decodeFloats(unaligned, 'F32');
    expect(copy.buffer).not.toBe(backing.buffer);
    backing[4] = 0;
    expect(copy[0]).toBe(1);
  });

  it('refuses other dtypes with UNSUPPORTED_DTYPE and ragged lengths with SIZE_MISMATCH', () => {
    for (const dtype of ['I8', 'I32', 'U8', 'BOOL', 'F8_E4M3', 'F8_E5M2', 'UNKNOWN'] as const) {
      expect(() => decodeFloats(new Uint8Array(4), dtype, { file: 'm.safetensors', tensor: 'q' })).toThrowError(
        expect.objectContaining({ code: 'UNSUPPORTED_DTYPE', file: 'm.safetensors', message: expect.stringContaining('"q"') }),
      );
    }
    try {
      decodeFloats(new Uint8Array(3), 'F16', { file: 'm.safetensors', tensor: 'w' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).code).toBe('SIZE_MISMATCH');
      expect((e as FormatError).message).toContain('"w"');
    }
  });
});
