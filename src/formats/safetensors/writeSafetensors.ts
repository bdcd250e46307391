/**
 * Serialise tensors to the safetensors format.
 *
 * Layout (safetensors spec): 8-byte little-endian u64 N, then N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, padded with spaces
 * so the data region starts 8-byte aligned, then the tensors' bytes back to back (little-endian).
 */

/** One tensor to write. Only float dtypes the app itself produces are supported. */
export interface TensorToWrite {
  readonly name: string;
  readonly dtype: 'F32' | 'F64';
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

/**
 * Encode tensors (in the given order) and optional string metadata as one safetensors byte array.
 * Throws RangeError if a tensor's data length does not match its shape or its dtype.
 */
export function writeSafetensors(
  tensors: readonly TensorToWrite[],
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new RangeError(`tensor ${t.name}: shape [${t.shape.join(', ')}] holds ${count} values, data has ${t.data.length}`);
    }
    const expected = t.dtype === 'F32' ? Float32Array : Float64Array;
    if (!(t.data instanceof expected)) throw new RangeError(`tensor ${t.name}: dtype ${t.dtype} needs a ${expected.name}`);
    const end = offset + t.data.byteLength;
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, end] };
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
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    // Typed arrays are in platform byte order; every platform the app runs on is little-endian.
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
