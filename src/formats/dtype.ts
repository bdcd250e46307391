/**
 * Element sizes and little-endian float decoding for the dtypes of `src/model/types.ts`.
 *
 * Bit layouts (IEEE 754-2008 §3.6 binary16/32/64; bfloat16 = the top 16 bits of a binary32):
 * F16 = 1 sign, 5 exponent (bias 15), 10 fraction bits; BF16 = 1 sign, 8 exponent (bias 127), 7 fraction bits.
 * Every F16 and BF16 value is exactly representable as a float32, so decoding is exact (subnormals, ±0,
 * ±Inf and NaN included). Stored bytes are little-endian (safetensors, ONNX, GGUF, NumPy `<` all are).
 */
import type { DType } from '../model/types';
import { FormatError } from './formatError';

/** The dtypes {@link decodeFloats} can decode. */
export type FloatDType = 'F64' | 'F32' | 'F16' | 'BF16';

const BYTES_PER_ELEMENT: Readonly<Record<Exclude<DType, 'UNKNOWN'>, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  U16: 2,
  U32: 4,
  U64: 8,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
};

/**
 * The DType named `name` (the names safetensors uses, e.g. `F32`, `BF16`, `F8_E4M3`), or `UNKNOWN`.
 * Own keys only: `constructor` or `__proto__` are not dtypes.
 */
export function dtypeFromName(name: string): DType {
  return Object.hasOwn(BYTES_PER_ELEMENT, name) ? (name as DType) : 'UNKNOWN';
}

/** Bytes per element of a dtype; `null` for `UNKNOWN` (its size is not known). */
export function bytesPerElement(dtype: DType): number | null {
  return dtype === 'UNKNOWN' ? null : BYTES_PER_ELEMENT[dtype];
}

/** Whether {@link decodeFloats} accepts this dtype. */
export function isFloatDType(dtype: DType): dtype is FloatDType {
  return dtype === 'F64' || dtype === 'F32' || dtype === 'F16' || dtype === 'BF16';
}

/** The text a listed-but-unanalysable tensor carries in `TensorInfo.unsupported`. */
export function unsupportedDtypeReason(storedDtype: string): string {
  return `dtype ${storedDtype} is not supported for analysis (supported: F32, F16, BF16, F64)`;
}

/**
 * Value of one IEEE binary16 number given its 16 bits: (−1)^s · 2^(e−15) · (1 + f/1024) for normal numbers,
 * (−1)^s · 2^−14 · f/1024 for subnormals (e = 0), ±Inf / NaN for e = 31.
 */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Value of one bfloat16 number given its 16 bits: the float32 whose upper half these bits are. */
export function bfloat16BitsToNumber(bits: number): number {
  const word = new Uint32Array([(bits & 0xffff) << 16]);
  return new Float32Array(word.buffer)[0] as number;
}

let float16Table: Float32Array | null = null;

/** All 65,536 binary16 values as float32, built once (256 KB): decoding is then one lookup per element. */
function float16Lookup(): Float32Array {
  if (float16Table === null) {
    const table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = float16BitsToNumber(bits);
    float16Table = table;
  }
  return float16Table;
}

/** Whether this platform stores typed arrays little-endian (every browser platform does in practice). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Where the bytes came from, for error messages. */
export interface DecodeSource {
  readonly file: string;
  readonly tensor: string;
}

/**
 * Decode little-endian floats: F32 → Float32Array, F64 → Float64Array, F16 and BF16 → Float32Array (exact).
 * `bytes` may start at any byte offset of its buffer. F32/F64 bytes that are suitably aligned are returned
 * as a view over the same memory (no copy: a 500 MB tensor must not cost 1 GB), so the caller hands over
 * `bytes` and must not change it afterwards; every other case returns a new array.
 *
 * @param bytes the raw element bytes, `n × bytesPerElement(dtype)` long
 * @param dtype the stored element type
 * @param source the file and tensor, named in errors
 * @throws FormatError `UNSUPPORTED_DTYPE` for any other dtype; `SIZE_MISMATCH` if the length is not a whole
 *   number of elements
 */
export function decodeFloats(bytes: Uint8Array, dtype: DType, source: DecodeSource = { file: '', tensor: '' }): Float32Array | Float64Array {
  const where = source.tensor ? `tensor "${source.tensor}"${source.file ? ` in "${source.file}"` : ''}` : 'tensor';
  if (!isFloatDType(dtype)) {
    throw new FormatError('UNSUPPORTED_DTYPE', `Cannot decode ${where}: ${unsupportedDtypeReason(dtype)}.`, { file: source.file });
  }
  const width = BYTES_PER_ELEMENT[dtype];
  if (bytes.length % width !== 0) {
    throw new FormatError(
      'SIZE_MISMATCH',
      `Cannot decode ${where}: ${bytes.length} bytes is not a whole number of ${width}-byte ${dtype} elements.`,
      { file: source.file },
    );
  }
  const n = bytes.length / width;
  switch (dtype) {
    case 'F32': {
      // Aligned little-endian bytes are viewed, not copied: a 500 MB tensor costs no second 500 MB.
      if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, n);
      const out = new Float32Array(n);
      if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes);
      else {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      }
      return out;
    }
    case 'F64': {
      if (LITTLE_ENDIAN && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, n);
      const out = new Float64Array(n);
      if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes);
      else {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      }
      return out;
    }
    case 'F16': {
      const table = float16Lookup();
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = table[(bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8)] as number;
      return out;
    }
    case 'BF16': {
      // Write the float32 bit patterns through a Uint32 view of the output: exact, NaN payloads kept.
      const out = new Float32Array(n);
      const words = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) words[i] = (((bytes[2 * i + 1] as number) << 24) | ((bytes[2 * i] as number) << 16)) >>> 0;
      return out;
    }
  }
}
