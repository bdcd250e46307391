/**
 * Where a TensorProto's values are (onnx.proto, `message TensorProto`): in `raw_data` (fixed-width,
 * little-endian), in the typed field for its data type (`float_data`, `int32_data`, `double_data`, …), or in
 * an external file. This module finds and checks the data when a model is opened (counts only, nothing is
 * decoded) and decodes it to floats when a tensor is read.
 */
import { Reader } from 'protobufjs/light';
import type { NamedBlob } from '../../model/types';
import { decodeFloats, isFloatDType } from '../dtype';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { int64ToNumber } from './decodeOnnxModel';
import type { ExternalLocation } from './externalData';
import { resolveExternalData } from './externalData';
import type { OnnxDataType, TypedField } from './onnxDataType';
import type { Int64, TensorMessage } from './onnxSchema';
import { onnxTypes } from './onnxSchema';

/** Wire type of one unpacked element of each typed array: fixed32 floats, fixed64 doubles, varint integers. */
const ELEMENT_WIRE_TYPES: Readonly<Record<TypedField, number>> = {
  float_data: 5,
  int32_data: 0,
  string_data: 2,
  int64_data: 0,
  double_data: 1,
  uint64_data: 0,
};

/** Field numbers of TensorProto's typed arrays (onnx.proto). */
const TYPED_FIELD_NUMBERS: Readonly<Record<TypedField, number>> = {
  float_data: 4,
  int32_data: 5,
  string_data: 6,
  int64_data: 7,
  double_data: 10,
  uint64_data: 11,
};

/** A tensor's data, located but not decoded. */
export type TensorData =
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'typed'; readonly field: TypedField; readonly packed: readonly Uint8Array[]; readonly unpacked: readonly Uint8Array[]; readonly byteLength: number }
  | { readonly kind: 'external'; readonly at: ExternalLocation };

/** What a located tensor's data is checked against, and named in errors. */
export interface TensorContext {
  readonly name: string;
  /** The `.onnx` file. */
  readonly modelFile: string;
  readonly type: OnnxDataType;
  readonly size: number;
}

/**
 * A TensorProto's dims as a shape and element count.
 *
 * @throws FormatError `BAD_STRUCTURE` for a negative or non-safe dimension, or an element count over 2^53
 */
export function tensorShape(dims: readonly Int64[], name: string, modelFile: string): { shape: number[]; size: number } {
  const shape: number[] = [];
  let size = 1;
  for (const dim of dims) {
    const n = int64ToNumber(dim);
    if (n === null || n < 0) {
      throw new FormatError('BAD_STRUCTURE', `Tensor "${name}" in "${modelFile}" has an invalid dimension (${String(n ?? dim)}) in its dims.`, { file: modelFile });
    }
    shape.push(n);
    size *= n;
  }
  if (!Number.isSafeInteger(size)) {
    throw new FormatError('BAD_STRUCTURE', `Tensor "${name}" in "${modelFile}" declares dims [${shape.join(', ')}], over 2^53 elements.`, { file: modelFile });
  }
  return { shape, size };
}

/** Field number and wire type of a raw protobuf field (its leading tag varint). */
function tagOf(raw: Uint8Array): { field: number; wireType: number } | null {
  try {
    const tag = Reader.create(raw).uint32();
    return { field: tag >>> 3, wireType: tag & 7 };
  } catch {
    // A malformed tag cannot name a typed field; the decoder already skipped it, so ignore it here too.
    return null;
  }
}

/** Values stored in a typed field: packed chunks (fixed-width or varint) plus unpacked one-per-field entries. */
function typedCount(field: TypedField, packed: readonly Uint8Array[], unpacked: readonly Uint8Array[], ctx: TensorContext): number {
  let count = unpacked.length;
  const width = field === 'float_data' ? 4 : field === 'double_data' ? 8 : null;
  for (const chunk of packed) {
    if (width !== null) {
      if (chunk.length % width !== 0) {
        throw new FormatError('BAD_PROTOBUF', `Tensor "${ctx.name}" in "${ctx.modelFile}": its packed ${field} has ${chunk.length} bytes, not a whole number of ${width}-byte values.`, { file: ctx.modelFile });
      }
      count += chunk.length / width;
    } else {
      // Varints: one value ends at each byte whose top bit is clear.
      for (const byte of chunk) if (byte < 0x80) count++;
      if (chunk.length > 0 && (chunk[chunk.length - 1] as number) >= 0x80) {
        throw new FormatError('BAD_PROTOBUF', `Tensor "${ctx.name}" in "${ctx.modelFile}": its packed ${field} ends inside a varint.`, { file: ctx.modelFile });
      }
    }
  }
  return count;
}

function sizeMismatch(ctx: TensorContext, holds: string): FormatError {
  return new FormatError(
    'SIZE_MISMATCH',
    `Tensor "${ctx.name}" in "${ctx.modelFile}" is ${ctx.type.name} with ${ctx.size} elements, but ${holds}.`,
    { file: ctx.modelFile },
  );
}

/**
 * Find a tensor's data and, for float tensors, check that it holds exactly `size` values. Nothing is decoded
 * or copied: raw and packed data stay views of the file's bytes; external data is not read.
 *
 * @param files every dropped file, for external data
 * @throws FormatError `SIZE_MISMATCH` (too many or too few values), `BAD_PROTOBUF` (a packed array that is
 *   not whole), and the errors of `resolveExternalData`
 */
export function locateTensorData(t: TensorMessage, ctx: TensorContext, files: readonly NamedBlob[]): TensorData | null {
  const { type, size } = ctx;
  const checked = isFloatDType(type.dtype);
  const width = type.bytesPerElement;
  const expectedBytes = width === null ? null : Math.ceil(size * width);
  if (t.data_location === 1 || t.external_data.length > 0) {
    const at = resolveExternalData(t.external_data, ctx.name, ctx.modelFile, expectedBytes, files);
    if (checked && at.length !== expectedBytes) throw sizeMismatch(ctx, `its external data in "${at.file.name}" has ${at.length} bytes, not ${expectedBytes}`);
    return { kind: 'external', at };
  }
  if (t.raw_data.length > 0) {
    if (checked && t.raw_data.length !== expectedBytes) throw sizeMismatch(ctx, `its raw_data has ${t.raw_data.length} bytes, not ${expectedBytes}`);
    return { kind: 'raw', bytes: t.raw_data };
  }
  const field = type.field;
  if (field !== null) {
    const packed = t[field];
    const number = TYPED_FIELD_NUMBERS[field];
    const unpacked = (t.$unknowns ?? []).filter((raw) => {
      const tag = tagOf(raw);
      // Unpacked elements only; a wrong wire type is skipped by the decoder too, so counts stay consistent.
      return tag !== null && tag.field === number && tag.wireType === ELEMENT_WIRE_TYPES[field];
    });
    if (packed.length > 0 || unpacked.length > 0) {
      const byteLength = [...packed, ...unpacked].reduce((n, b) => n + b.length, 0);
      if (checked) {
        const count = typedCount(field, packed, unpacked, ctx);
        if (count !== size * type.valuesPerElement) throw sizeMismatch(ctx, `its ${field} holds ${count} values`);
      }
      return { kind: 'typed', field, packed, unpacked, byteLength };
    }
  }
  if (checked && size > 0) throw sizeMismatch(ctx, 'it holds no data (no raw_data, no typed values, no external data)');
  return null;
}

/** Byte length of located data (0 when there is none). */
export function dataByteLength(data: TensorData | null): number {
  if (data === null) return 0;
  return data.kind === 'raw' ? data.bytes.length : data.kind === 'external' ? data.at.length : data.byteLength;
}

/** Concatenate byte arrays. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Decode typed-field values (any packing) to numbers with protobufjs: packed chunks are re-tagged as fields. */
function typedValues(data: Extract<TensorData, { kind: 'typed' }>): number[] {
  const tag = (TYPED_FIELD_NUMBERS[data.field] << 3) | 2;
  const parts: Uint8Array[] = [];
  for (const chunk of data.packed) {
    const header: number[] = [tag];
    for (let n = chunk.length; ; n = Math.floor(n / 128)) {
      header.push(n >= 128 ? (n % 128) | 0x80 : n);
      if (n < 128) break;
    }
    parts.push(Uint8Array.from(header), chunk);
  }
  const message = onnxTypes().TensorValues.decode(concat([...parts, ...data.unpacked])) as unknown as Record<TypedField, readonly number[]>;
  return [...message[data.field]];
}

/**
 * Decode a float tensor's located data: raw and external bytes through `decodeFloats`; `float_data` and
 * `double_data` as F32 / F64; `int32_data` for FLOAT16 and BFLOAT16 holds each value's 16 bits (onnx.proto).
 * Always returns a new array (raw data is a view of the whole file, which must not be aliased).
 *
 * @throws FormatError `READ_FAILED` (external file unreadable), `BAD_PROTOBUF` (malformed typed values)
 */
export async function decodeTensorData(data: TensorData | null, ctx: TensorContext): Promise<Float32Array | Float64Array> {
  const dtype = ctx.type.dtype;
  const source = { file: data?.kind === 'external' ? data.at.file.name : ctx.modelFile, tensor: ctx.name };
  if (data === null) return decodeFloats(new Uint8Array(0), dtype, source);
  if (data.kind === 'raw') return decodeFloats(data.bytes.slice(), dtype, source);
  if (data.kind === 'external') {
    const { file, offset, length } = data.at;
    return decodeFloats(await readBytes(file, offset, offset + length), dtype, source);
  }
  if (data.unpacked.length === 0 && (data.field === 'float_data' || data.field === 'double_data')) {
    return decodeFloats(concat(data.packed), data.field === 'float_data' ? 'F32' : 'F64', source);
  }
  let values: number[];
  try {
    values = typedValues(data);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new FormatError('BAD_PROTOBUF', `Tensor "${ctx.name}" in "${ctx.modelFile}": its ${data.field} values are malformed (${why}).`, { file: ctx.modelFile, cause });
  }
  if (values.length !== ctx.size * ctx.type.valuesPerElement) {
    throw new FormatError('BAD_PROTOBUF', `Tensor "${ctx.name}" in "${ctx.modelFile}": its ${data.field} decodes to ${values.length} values, not ${ctx.size}.`, { file: ctx.modelFile });
  }
  if (data.field === 'double_data') return Float64Array.from(values);
  if (data.field === 'float_data') return Float32Array.from(values);
  // int32_data carries 16-bit patterns for FLOAT16 / BFLOAT16 (onnx.proto: "bit-wise converted to an uint16_t").
  const bits = new Uint8Array(values.length * 2);
  values.forEach((v, i) => {
    bits[2 * i] = v & 0xff;
    bits[2 * i + 1] = (v >>> 8) & 0xff;
  });
  return decodeFloats(bits, dtype, source);
}
