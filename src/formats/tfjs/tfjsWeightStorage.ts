/**
 * How one TF.js weight is stored, following tfjs-core 4.22 `io/io_utils.ts` (`getWeightBytelength`,
 * `decodeWeight`) case by case:
 *
 * - with a `quantization` key (whatever the dtype), each element takes `DTYPE_VALUE_SIZE_MAP[quantization.dtype]`
 *   bytes: `uint8` 1, `uint16` 2 (little-endian), `float16` 2 (IEEE binary16). A float32 weight quantized to
 *   uint8 or uint16 needs numeric `min` and `scale` and decodes as `q·scale + min`; quantized to float16 it
 *   decodes exactly. tfjs rounds an int32 weight quantized to uint8/uint16 to integers (listed, unsupported here).
 * - otherwise by `dtype`: `float32` 4 bytes, `int32` 4, `bool` 1, `complex64` 8 (interleaved re, im),
 *   `string` a 4-byte little-endian length before each element's bytes (variable size). `float16`, `uint8` and
 *   `uint16` are sized too (tfjs-core sizes them, then refuses to decode them).
 * Anything else has an unknown element size, so no later weight of its group can be located either.
 */
import type { DType } from '../../model/types';
import { unsupportedDtypeReason } from '../dtype';
import { describeJsonValue, isPlainObject } from './jsonValues';
import type { ManifestEntry } from './tfjsManifest';

/** How stored bytes become float32 values. */
export type TfjsDecoder =
  | { readonly kind: 'float32' }
  | { readonly kind: 'float16' }
  /** tfjs-core affine dequantization: value = q·scale + min, q an unsigned 8- or 16-bit integer. */
  | { readonly kind: 'affine'; readonly bits: 8 | 16; readonly min: number; readonly scale: number };

/** The storage of one weight. */
export interface TfjsWeightStorage {
  /** Bytes per stored element; `'string'` for length-prefixed strings; `null` when unknown. */
  readonly width: number | 'string' | null;
  /** The dtype listed for the tensor (the manifest's `dtype`: quantized float32 weights are F32). */
  readonly dtype: DType;
  /** How to decode, or `null` when the tensor is listed but not read. */
  readonly decoder: TfjsDecoder | null;
  /** Why it is not read (set exactly when `decoder` is null). */
  readonly unsupported?: string;
  /** How the stored values become floats when that is not plain float32. */
  readonly encoding?: string;
}

/** Bytes per element of the quantized storage dtypes (tfjs-core `DTYPE_VALUE_SIZE_MAP`). */
const QUANTIZED_WIDTH: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };

/**
 * Unquantized dtypes: the DType they are listed as and their element size (tfjs-core `DTYPE_VALUE_SIZE_MAP`,
 * which also sizes `float16`, `uint8` and `uint16`: `decodeWeight` refuses those without quantization, but
 * the weights after them are still located with these sizes).
 */
const PLAIN: Readonly<Record<string, { dtype: DType; width: number | 'string' }>> = {
  float32: { dtype: 'F32', width: 4 },
  int32: { dtype: 'I32', width: 4 },
  bool: { dtype: 'BOOL', width: 1 },
  complex64: { dtype: 'UNKNOWN', width: 8 },
  string: { dtype: 'UNKNOWN', width: 'string' },
  float16: { dtype: 'F16', width: 2 },
  uint8: { dtype: 'U8', width: 1 },
  uint16: { dtype: 'U16', width: 2 },
};

function listedDtype(dtype: string): DType {
  return Object.hasOwn(PLAIN, dtype) ? (PLAIN[dtype] as { dtype: DType }).dtype : 'UNKNOWN';
}

function unsupported(width: number | 'string' | null, dtype: DType, reason: string): TfjsWeightStorage {
  return { width, dtype, decoder: null, unsupported: reason };
}

/** A JS number usable in `q·scale + min`: finite (JSON cannot write NaN; 1e999 parses as Infinity). */
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function quantizedStorage(entry: ManifestEntry): TfjsWeightStorage {
  const q = entry.quantization;
  const dtype = listedDtype(entry.dtype);
  if (!isPlainObject(q) || typeof q.dtype !== 'string' || !Object.hasOwn(QUANTIZED_WIDTH, q.dtype)) {
    const found = isPlainObject(q) ? `quantization dtype ${describeJsonValue(q.dtype)}` : `quantization ${describeJsonValue(q)}`;
    return unsupported(null, dtype, `${found} is not one TF.js knows (uint8, uint16, float16), so its size is unknown`);
  }
  const qtype = q.dtype;
  const width = QUANTIZED_WIDTH[qtype] as number;
  if (entry.dtype === 'int32' && qtype !== 'float16') return unsupported(width, 'I32', `${unsupportedDtypeReason('I32')}; stored ${qtype}-quantized`);
  if (entry.dtype !== 'float32') {
    return unsupported(width, dtype, `a ${describeJsonValue(entry.dtype)} weight cannot be ${qtype}-quantized (tfjs-core refuses it)`);
  }
  if (qtype === 'float16') return { width, dtype: 'F32', decoder: { kind: 'float16' }, encoding: 'float16-quantized: IEEE binary16 values, widened exactly to float32' };
  const { min, scale } = q;
  if (!isFiniteNumber(min) || !isFiniteNumber(scale)) {
    return unsupported(width, 'F32', `${qtype} quantization without numeric "min" and "scale" (found ${describeJsonValue(min)}, ${describeJsonValue(scale)})`);
  }
  return {
    width,
    dtype: 'F32',
    decoder: { kind: 'affine', bits: qtype === 'uint8' ? 8 : 16, min, scale },
    encoding: `${qtype} dequantized: min + scale·q (min = ${min}, scale = ${scale}; computed in float64, stored float32)`,
  };
}

/**
 * The storage of a manifest entry: element size, listed dtype, decoder or the reason it is not read.
 * Never throws: an odd entry is listed as unsupported.
 */
export function tfjsWeightStorage(entry: ManifestEntry): TfjsWeightStorage {
  if (entry.quantized) return quantizedStorage(entry);
  if (!Object.hasOwn(PLAIN, entry.dtype)) {
    return unsupported(null, 'UNKNOWN', `dtype ${describeJsonValue(entry.dtype)} is not a TF.js weight dtype, so its size is unknown`);
  }
  const { dtype, width } = PLAIN[entry.dtype] as { dtype: DType; width: number | 'string' };
  if (entry.dtype === 'float32') return { width, dtype, decoder: { kind: 'float32' } };
  if (entry.dtype === 'string') return unsupported(width, dtype, 'string weights (length-prefixed bytes) are not numbers to analyse');
  if (entry.dtype === 'complex64') return unsupported(width, dtype, 'complex64 weights are not supported for analysis');
  if (entry.dtype === 'int32' || entry.dtype === 'bool') return unsupported(width, dtype, unsupportedDtypeReason(dtype));
  return unsupported(width, dtype, `dtype ${entry.dtype} without quantization is not a TF.js weight dtype (tfjs-core refuses to load it)`);
}
