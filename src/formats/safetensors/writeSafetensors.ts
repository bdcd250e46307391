/**
 * Serialise tensors to the safetensors format.
 *
 * Layout (safetensors spec, huggingface/safetensors README "Format"): 8-byte little-endian u64 N, then N bytes
 * of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, padded
 * with spaces so the data region starts 8-byte aligned, then the tensors' bytes back to back (little-endian).
 */
import type { BlobLike, DType } from '../../model/types';
import { bytesPerElement, dtypeFromName } from '../dtype';
import { encodeFloats } from '../encodeFloats';

/**
 * One tensor to write from values. F32 needs a Float32Array and F64 a Float64Array (stored as is);
 * F16 and BF16 take either and round to nearest even.
 */
export interface TensorToWrite {
  readonly name: string;
  readonly dtype: 'F32' | 'F64' | 'F16' | 'BF16';
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

/**
 * A tensor's encoded bytes: in memory, or a `BlobLike` such as a slice of the source file (`TensorRef.storedBytes`),
 * which is neither read nor copied here: the part is passed through, so an export of a large model holds only
 * what it changed.
 */
export type TensorBytes = Uint8Array | BlobLike;

/** One part of a safetensors file as {@link safetensorsParts} returns it. */
export type SafetensorsPart = Uint8Array | BlobLike;

/**
 * One tensor to write from already-encoded little-endian bytes, in any dtype (including names this app
 * does not know, such as `F8_E8M0`; their length is not checked). `B` is `Uint8Array` unless a caller
 * also passes `BlobLike` slices.
 */
export interface RawTensorToWrite<B extends TensorBytes = Uint8Array> {
  readonly name: string;
  readonly dtype: DType | (string & {});
  readonly shape: readonly number[];
  readonly bytes: B;
}

/** Byte length of a part, in memory or not. */
export function partLength(part: SafetensorsPart): number {
  return ArrayBuffer.isView(part) ? part.byteLength : part.size;
}

function tensorBytes(t: TensorToWrite | RawTensorToWrite<TensorBytes>): SafetensorsPart {
  const count = t.shape.reduce((a, b) => a * b, 1);
  if ('bytes' in t) {
    const width = bytesPerElement(dtypeFromName(t.dtype));
    const expected = width === null ? null : width * count;
    const length = partLength(t.bytes);
    if (expected !== null && expected !== length) {
      throw new RangeError(`tensor ${t.name}: shape [${t.shape.join(', ')}] of ${t.dtype} needs ${expected} bytes, got ${length}`);
    }
    return t.bytes;
  }
  if (count !== t.data.length) {
    throw new RangeError(`tensor ${t.name}: shape [${t.shape.join(', ')}] holds ${count} values, data has ${t.data.length}`);
  }
  if (t.dtype === 'F32' || t.dtype === 'F64') {
    const expected = t.dtype === 'F32' ? Float32Array : Float64Array;
    if (!(t.data instanceof expected)) throw new RangeError(`tensor ${t.name}: dtype ${t.dtype} needs a ${expected.name}`);
  }
  return encodeFloats(t.data, t.dtype);
}

/**
 * Encode tensors (in the given order) and optional string metadata as safetensors, in parts: the 8-byte length
 * and padded header first, then each tensor's bytes. Joined they are the file; a `Blob` built from them (or
 * `streamParts` writing them to disk) never needs the whole file in one buffer (a large model's export).
 *
 * With only in-memory tensors every part is a `Uint8Array`; a raw tensor whose `bytes` is a `BlobLike` (a
 * slice of the source file) becomes that very object as its part, unread.
 *
 * @param tensors values to encode (`TensorToWrite`) or raw bytes (`RawTensorToWrite`); names must be unique
 * @param metadata written as `__metadata__` when not empty (e.g. `{ format: 'pt', conv_layout: 'OIHW' }`)
 * @throws RangeError if a tensor's data length does not match its shape or dtype, or a name repeats
 */
export function safetensorsParts(tensors: readonly (TensorToWrite | RawTensorToWrite)[], metadata?: Readonly<Record<string, string>>): Uint8Array[];
export function safetensorsParts(
  tensors: readonly (TensorToWrite | RawTensorToWrite<TensorBytes>)[],
  metadata?: Readonly<Record<string, string>>,
): SafetensorsPart[];
export function safetensorsParts(
  tensors: readonly (TensorToWrite | RawTensorToWrite<TensorBytes>)[],
  metadata: Readonly<Record<string, string>> = {},
): SafetensorsPart[] {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  const chunks: SafetensorsPart[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (Object.hasOwn(header, t.name)) throw new RangeError(`tensor ${t.name}: name used twice`);
    const bytes = tensorBytes(t);
    const end = offset + partLength(bytes);
    // defineProperty: a tensor named `__proto__` must become a key, not the object's prototype.
    Object.defineProperty(header, t.name, {
      value: { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, end] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    chunks.push(bytes);
    offset = end;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const head = new Uint8Array(8 + headerBytes.length);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  head.set(headerBytes, 8);
  return [head, ...chunks];
}

/**
 * Encode tensors (in the given order) and optional string metadata as one safetensors byte array
 * ({@link safetensorsParts}, joined).
 *
 * @throws RangeError as {@link safetensorsParts}
 */
export function writeSafetensors(
  tensors: readonly (TensorToWrite | RawTensorToWrite)[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const parts = safetensorsParts(tensors, metadata);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const bytes of parts) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}
