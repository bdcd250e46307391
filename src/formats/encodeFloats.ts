/**
 * Encode numbers as little-endian F64, F32, F16 or BF16 bytes, the inverse of `decodeFloats` (dtype.ts).
 * F16/BF16 round to nearest, ties to even (IEEE 754-2008 §4.3.1), directly from the float64 value so there
 * is no double rounding; values beyond the largest finite number become ±Inf, NaN becomes a quiet NaN.
 */
import type { FloatDType } from './dtype';

/** Whether this platform stores typed arrays little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Round half to even; `v` is an exactly representable non-negative number. */
function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const rest = v - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The bits of `x` in a binary format with `exponentBits` exponent and `fractionBits` fraction bits
 * (F16: 5, 10; BF16: 8, 7), rounded to nearest even.
 */
function minifloatBits(x: number, exponentBits: number, fractionBits: number): number {
  const bias = 2 ** (exponentBits - 1) - 1;
  const maxExponentField = 2 ** exponentBits - 1;
  const signBit = 2 ** (exponentBits + fractionBits);
  const infinity = maxExponentField * 2 ** fractionBits;
  if (Number.isNaN(x)) return infinity | (1 << (fractionBits - 1));
  const sign = x < 0 || Object.is(x, -0) ? signBit : 0;
  const a = Math.abs(x);
  // Halfway between the largest finite value (2 − 2^−f)·2^bias and 2^(bias+1) rounds (to even) up to Inf.
  if (a >= (2 - 2 ** -(fractionBits + 1)) * 2 ** bias) return sign | infinity;
  const minNormalExponent = 1 - bias;
  if (a < 2 ** minNormalExponent) {
    // Subnormal: a multiple of 2^(minNormalExponent − fractionBits); 2^fractionBits rounds up to the smallest normal.
    return sign | roundHalfEven(a * 2 ** (fractionBits - minNormalExponent));
  }
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  let fraction = roundHalfEven((a / 2 ** exponent - 1) * 2 ** fractionBits);
  if (fraction === 2 ** fractionBits) {
    fraction = 0;
    exponent++;
  }
  return sign | ((exponent + bias) * 2 ** fractionBits) | fraction;
}

/** The binary16 bits of `x`, rounded to nearest even. */
export function numberToFloat16Bits(x: number): number {
  return minifloatBits(x, 5, 10);
}

/** The bfloat16 bits of `x`, rounded to nearest even. */
export function numberToBFloat16Bits(x: number): number {
  return minifloatBits(x, 8, 7);
}

/**
 * Encode `values` as little-endian `dtype` elements.
 *
 * @returns `values.length × (8 | 4 | 2 | 2)` bytes
 */
export function encodeFloats(values: ArrayLike<number>, dtype: FloatDType): Uint8Array {
  const n = values.length;
  if (dtype === 'F16' || dtype === 'BF16') {
    const out = new Uint8Array(2 * n);
    const toBits = dtype === 'F16' ? numberToFloat16Bits : numberToBFloat16Bits;
    for (let i = 0; i < n; i++) {
      const bits = toBits(values[i] as number);
      out[2 * i] = bits & 0xff;
      out[2 * i + 1] = bits >>> 8;
    }
    return out;
  }
  const width = dtype === 'F32' ? 4 : 8;
  if (LITTLE_ENDIAN && ((dtype === 'F32' && values instanceof Float32Array) || (dtype === 'F64' && values instanceof Float64Array))) {
    // Same type, little-endian platform: copy the bytes, keeping every bit (NaN payloads included).
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  }
  const out = new Uint8Array(width * n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    if (width === 4) view.setFloat32(4 * i, values[i] as number, true);
    else view.setFloat64(8 * i, values[i] as number, true);
  }
  return out;
}
