/**
 * A GGUF writer for tests and fixtures (ggml docs/gguf.md, as gguf-py's GGUFWriter lays files out): header,
 * metadata, tensor infos, padding to the alignment, then each tensor's bytes at an aligned offset. Fields a
 * test wants to break (version, counts, n_dims, offsets, alignment) can be overridden.
 */
import { encodeFloats } from '../../encodeFloats';
import { ggmlTypes } from '../ggmlTypes';
import { GGUF_VALUE_TYPES } from '../ggufValue';

/** A value type name, e.g. `uint32`, `string`, `array`. */
export type GgufTypeName = (typeof GGUF_VALUE_TYPES)[number];

/** A metadata value to write. Arrays hold items of `itemType` (their own `type` is ignored). */
export type GgufWriteValue =
  | { readonly type: Exclude<GgufTypeName, 'string' | 'bool' | 'array'>; readonly value: number | bigint }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'array'; readonly itemType: GgufTypeName; readonly value: readonly GgufWriteValue[] };

/** Shorthands for metadata values. */
export const gv = {
  u8: (value: number): GgufWriteValue => ({ type: 'uint8', value }),
  i8: (value: number): GgufWriteValue => ({ type: 'int8', value }),
  u16: (value: number): GgufWriteValue => ({ type: 'uint16', value }),
  i16: (value: number): GgufWriteValue => ({ type: 'int16', value }),
  u32: (value: number): GgufWriteValue => ({ type: 'uint32', value }),
  i32: (value: number): GgufWriteValue => ({ type: 'int32', value }),
  f32: (value: number): GgufWriteValue => ({ type: 'float32', value }),
  bool: (value: boolean): GgufWriteValue => ({ type: 'bool', value }),
  str: (value: string): GgufWriteValue => ({ type: 'string', value }),
  u64: (value: number | bigint): GgufWriteValue => ({ type: 'uint64', value }),
  i64: (value: number | bigint): GgufWriteValue => ({ type: 'int64', value }),
  f64: (value: number): GgufWriteValue => ({ type: 'float64', value }),
  array: (itemType: GgufTypeName, value: readonly GgufWriteValue[]): GgufWriteValue => ({ type: 'array', itemType, value }),
};

/** A tensor to write. */
export interface GgufTensorToWrite {
  readonly name: string;
  /** ggml's ne, innermost first: a row-major [rows, cols] matrix is ne = [cols, rows]. */
  readonly ne: readonly number[];
  /** ggml type name (`F32`, `Q8_0`, …) or a raw type id. */
  readonly type: string | number;
  /** The stored bytes. */
  readonly data: Uint8Array;
  /** Stored offset instead of the computed one (relative to the data section). */
  readonly offset?: number | bigint;
  /** Stored n_dims instead of `ne.length` (the writer still writes `ne.length` dims). */
  readonly nDims?: number;
}

/** A GGUF file to write. */
export interface GgufToWrite {
  /** Default 3. */
  readonly version?: number;
  readonly metadata?: readonly (readonly [string, GgufWriteValue])[];
  readonly tensors?: readonly GgufTensorToWrite[];
  /** Layout alignment; default: `general.alignment` from the metadata, else 32. Does not write the key. */
  readonly alignment?: number;
  readonly tensorCount?: bigint;
  readonly kvCount?: bigint;
  /** Bytes written between the tensor infos and the padding (a hostile header). */
  readonly gap?: number;
}

/** Little-endian byte sink. */
class Bytes {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  private fixed(width: number, write: (view: DataView) => void): void {
    const out = new Uint8Array(width);
    write(new DataView(out.buffer));
    this.push(out);
  }
  u8 = (v: number) => this.fixed(1, (d) => d.setUint8(0, v));
  i8 = (v: number) => this.fixed(1, (d) => d.setInt8(0, v));
  u16 = (v: number) => this.fixed(2, (d) => d.setUint16(0, v, true));
  i16 = (v: number) => this.fixed(2, (d) => d.setInt16(0, v, true));
  u32 = (v: number) => this.fixed(4, (d) => d.setUint32(0, v, true));
  i32 = (v: number) => this.fixed(4, (d) => d.setInt32(0, v, true));
  f32 = (v: number) => this.fixed(4, (d) => d.setFloat32(0, v, true));
  f64 = (v: number) => this.fixed(8, (d) => d.setFloat64(0, v, true));
  u64 = (v: number | bigint) => this.fixed(8, (d) => d.setBigUint64(0, BigInt(v), true));
  i64 = (v: number | bigint) => this.fixed(8, (d) => d.setBigInt64(0, BigInt(v), true));
  string(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    this.u64(utf8.length);
    this.push(utf8);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest !== 0) this.push(new Uint8Array(alignment - rest));
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const typeId = (name: GgufTypeName): number => GGUF_VALUE_TYPES.indexOf(name);

/** Write a value's payload (no type tag). */
function writePayload(out: Bytes, v: GgufWriteValue): void {
  switch (v.type) {
    case 'string':
      return out.string(v.value);
    case 'bool':
      return out.u8(v.value ? 1 : 0);
    case 'array':
      out.u32(typeId(v.itemType));
      out.u64(v.value.length);
      for (const item of v.value) writePayload(out, item);
      return;
    case 'uint64':
      return out.u64(v.value);
    case 'int64':
      return out.i64(v.value);
    default: {
      const n = Number(v.value);
      ({ uint8: out.u8, int8: out.i8, uint16: out.u16, int16: out.i16, uint32: out.u32, int32: out.i32, float32: out.f32, float64: out.f64 })[v.type](n);
    }
  }
}

/** The id of a ggml type name, or the id itself. */
export function ggmlTypeId(type: string | number): number {
  if (typeof type === 'number') return type;
  const found = ggmlTypes().find((t) => t.name === type);
  if (!found) throw new Error(`writeGguf: unknown ggml type ${type}`);
  return found.id;
}

/** The alignment a file's metadata asks for. */
function alignmentOf(spec: GgufToWrite): number {
  const entry = spec.metadata?.find(([k]) => k === 'general.alignment');
  return spec.alignment ?? (entry ? Number((entry[1] as { value: number }).value) : 32);
}

/** Build a GGUF file. Tensor data is placed in order, each at the next multiple of the alignment. */
export function writeGguf(spec: GgufToWrite): Uint8Array {
  const metadata = spec.metadata ?? [];
  const tensors = spec.tensors ?? [];
  const alignment = alignmentOf(spec);
  const out = new Bytes();
  out.push(new TextEncoder().encode('GGUF'));
  out.u32(spec.version ?? 3);
  out.u64(spec.tensorCount ?? BigInt(tensors.length));
  out.u64(spec.kvCount ?? BigInt(metadata.length));
  for (const [key, value] of metadata) {
    out.string(key);
    out.u32(typeId(value.type));
    writePayload(out, value);
  }
  let offset = 0;
  for (const t of tensors) {
    out.string(t.name);
    out.u32(t.nDims ?? t.ne.length);
    for (const d of t.ne) out.u64(d);
    out.u32(ggmlTypeId(t.type));
    out.u64(t.offset ?? offset);
    offset += Math.ceil(t.data.length / alignment) * alignment;
  }
  if (spec.gap) out.push(new Uint8Array(spec.gap));
  out.pad(alignment);
  for (const t of tensors) {
    out.push(t.data);
    out.pad(alignment);
  }
  return out.bytes();
}

/** Little-endian float32 bytes. */
export const f32Bytes = (values: readonly number[]): Uint8Array => encodeFloats(values, 'F32');
/** Little-endian binary16 bytes (round to nearest even). */
export const f16Bytes = (values: readonly number[]): Uint8Array => encodeFloats(values, 'F16');
/** Little-endian bfloat16 bytes. */
export const bf16Bytes = (values: readonly number[]): Uint8Array => encodeFloats(values, 'BF16');
/** Little-endian int32 bytes. */
export const i32Bytes = (values: readonly number[]): Uint8Array => new Uint8Array(Int32Array.from(values).buffer);

/** One Q8_0 block: the f16 scale's bits and 32 int8 quants. */
export function q8_0Block(scaleBits: number, quants: readonly number[]): Uint8Array {
  if (quants.length !== 32) throw new Error('q8_0Block: 32 quants per block');
  const out = new Uint8Array(34);
  out[0] = scaleBits & 0xff;
  out[1] = scaleBits >>> 8;
  quants.forEach((q, j) => (out[2 + j] = q & 0xff));
  return out;
}

/** C's roundf: halves round away from zero (Math.round rounds them up). */
const roundAway = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/**
 * Quantize values to Q8_0 as ggml's reference quantizer does (`quantize_row_q8_0_ref`): per block of 32,
 * d = max|x| / 127 stored as f16, q = round(x / d).
 */
export function quantizeQ8_0(values: readonly number[]): Uint8Array {
  if (values.length % 32 !== 0) throw new Error('quantizeQ8_0: a multiple of 32 values');
  const blocks: Uint8Array[] = [];
  for (let b = 0; b < values.length; b += 32) {
    const block = values.slice(b, b + 32);
    const amax = Math.max(...block.map(Math.abs));
    const d = Math.fround(amax / 127);
    const id = d === 0 ? 0 : Math.fround(1 / d);
    const scale = f16Bytes([d]);
    blocks.push(q8_0Block((scale[0] as number) | ((scale[1] as number) << 8), block.map((x) => roundAway(Math.fround(x * id)))));
  }
  const out = new Uint8Array(blocks.length * 34);
  blocks.forEach((blk, i) => out.set(blk, i * 34));
  return out;
}

/** `bytes` of a patterned payload (for types that are listed but not decoded, e.g. Q4_0, Q4_K). */
export function patternBytes(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 37 + seed * 11) & 0xff);
}
