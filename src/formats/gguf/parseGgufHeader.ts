/**
 * Read the header of a GGUF file (ggml docs/gguf.md, "File Structure"), little-endian throughout:
 *
 *   u32 magic "GGUF" (0x46554747) · u32 version · u64 tensor_count · u64 metadata_kv_count
 *   metadata_kv_count × { string key · u32 value_type · value }          (see ggufValue.ts)
 *   tensor_count × { string name · u32 n_dims · u64 ne[n_dims] · u32 ggml_type · u64 offset }
 *   padding to `general.alignment` (default 32) · tensor data; each offset is relative to its start
 *
 * Versions 2 and 3 share this layout (3 added big-endian files, which are refused here). Version 1 used
 * u32 counts and lengths and is refused, as current llama.cpp refuses it. The header is read through a
 * {@link GgufCursor}, in growing chunks, and never whole.
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import type { GgufCursorOptions } from './ggufCursor';
import { GgufCursor } from './ggufCursor';
import type { GgufValue } from './ggufValue';
import { readGgufName, readGgufValue } from './ggufValue';

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;
/** Alignment of the data section and of every tensor offset when `general.alignment` is absent. */
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml's GGML_MAX_DIMS. */
export const GGML_MAX_DIMS = 4;
/** Smallest metadata entry: an empty key (8), a value type (4) and a one-byte value. */
const MIN_KV_BYTES = 8 + 4 + 1;
/** Smallest tensor info: an empty name (8), n_dims (4), a type (4) and an offset (8). */
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

/** One tensor info as stored. */
export interface GgufTensorInfo {
  readonly name: string;
  /** ggml's `ne`: ne[0] is the innermost (fastest-varying) dimension. */
  readonly ne: readonly number[];
  /** The stored `ggml_type` id (see ggmlTypes.ts). */
  readonly typeId: number;
  /** Byte offset relative to the start of the data section. */
  readonly offset: number;
}

/** A parsed GGUF header. */
export interface GgufHeader {
  readonly version: number;
  /** `general.alignment`, or 32. */
  readonly alignment: number;
  /** Metadata in file order (long strings and arrays abbreviated; see ggufValue.ts). */
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  /** File offset of the data section: the end of the tensor infos, rounded up to `alignment`. */
  readonly dataStart: number;
}

function fail(code: 'BAD_STRUCTURE' | 'UNSUPPORTED_VERSION' | 'BAD_HEADER_ENTRY' | 'TOO_LARGE' | 'DUPLICATE_TENSOR' | 'OFFSETS_OUT_OF_BOUNDS', message: string, file: string, remedy?: string): FormatError {
  return new FormatError(code, message, remedy === undefined ? { file } : { file, remedy });
}

/** Check the version: 2 and 3 are read; 1, later versions and big-endian files are refused. */
function checkVersion(version: number, file: string): void {
  if (version === 2 || version === 3) return;
  if (version === 1) {
    throw fail(
      'UNSUPPORTED_VERSION',
      `"${file}" is a GGUF version 1 file (written before October 2023, with 32-bit counts); this app reads versions 2 and 3.`,
      file,
      'Convert the model again with a current llama.cpp (convert_hf_to_gguf.py), which writes GGUF version 3.',
    );
  }
  // A big-endian file's version, read little-endian, has its value in the top byte (0x03000000).
  const swapped = (((version & 0xff) << 24) | (((version >>> 8) & 0xff) << 16) | (((version >>> 16) & 0xff) << 8) | (version >>> 24)) >>> 0;
  if (swapped >= 1 && swapped <= 3) {
    throw fail(
      'UNSUPPORTED_VERSION',
      `"${file}" is a big-endian GGUF file (version ${swapped}); this app reads little-endian GGUF files only.`,
      file,
      'Use the little-endian GGUF of the model (the usual download), or convert it without --bigendian.',
    );
  }
  throw fail('UNSUPPORTED_VERSION', `"${file}" declares GGUF version ${version}; this app reads versions 2 and 3.`, file);
}

/** A u64 count of entries of at least `unitBytes` each, refused when the rest of the file cannot hold them. */
function checkCount(cursor: GgufCursor, declared: bigint, unitBytes: number, what: string): number {
  if (declared * BigInt(unitBytes) > BigInt(cursor.remaining)) {
    throw new FormatError(
      'TRUNCATED',
      `"${cursor.file.name}" declares ${declared} ${what} of at least ${unitBytes} bytes each, but only ${cursor.remaining} bytes follow: it is truncated or corrupt.`,
      { file: cursor.file.name },
    );
  }
  return Number(declared);
}

/** `general.alignment` if present: a positive power of two of any integer type (writers use u32). */
function alignmentOf(metadata: ReadonlyMap<string, GgufValue>, file: string): number {
  const value = metadata.get('general.alignment');
  if (value === undefined) return GGUF_DEFAULT_ALIGNMENT;
  const n = value.kind === 'number' ? Number(value.value) : NaN;
  if (!Number.isInteger(n) || n <= 0 || n > 2 ** 30 || (n & (n - 1)) !== 0) {
    throw fail('BAD_STRUCTURE', `"${file}" sets general.alignment to ${value.kind === 'number' ? String(value.value) : `a ${value.kind}`}; it must be a power of two.`, file);
  }
  return n;
}

/** Read one tensor info; `index` counts from 0. */
async function readTensorInfo(cursor: GgufCursor, index: number): Promise<GgufTensorInfo> {
  const file = cursor.file.name;
  const name = await readGgufName(cursor, `the name of tensor ${index}`);
  await cursor.need(4, `the dimension count of tensor "${name}"`);
  const nDims = cursor.u32();
  if (nDims > GGML_MAX_DIMS) {
    throw fail('BAD_HEADER_ENTRY', `Tensor "${name}" in "${file}" has ${nDims} dimensions; ggml tensors have at most ${GGML_MAX_DIMS}.`, file);
  }
  await cursor.need(8 * nDims + 4 + 8, `the tensor info of "${name}"`);
  const ne: number[] = [];
  for (let d = 0; d < nDims; d++) {
    const dim = cursor.u64();
    // ggml stores ne as int64: the top bit set is a negative dimension.
    if (dim >= 2n ** 63n) throw fail('BAD_HEADER_ENTRY', `Tensor "${name}" in "${file}" has a negative dimension ne[${d}] = ${BigInt.asIntN(64, dim)}.`, file);
    if (dim > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw fail('TOO_LARGE', `Tensor "${name}" in "${file}" has dimension ne[${d}] = ${dim}, more elements than any file holds.`, file);
    }
    ne.push(Number(dim));
  }
  const typeId = cursor.u32();
  const offset = cursor.u64();
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw fail('OFFSETS_OUT_OF_BOUNDS', `Tensor "${name}" in "${file}" starts at data offset ${offset}, beyond the end of any file.`, file);
  }
  return { name, ne, typeId, offset: Number(offset) };
}

/**
 * Parse the header of a GGUF file, reading only the header (in chunks; see ggufCursor.ts).
 *
 * @param file the `.gguf` file
 * @param options chunk sizes (tests use small ones)
 * @throws FormatError `TRUNCATED` (the file ends inside the header, or a count or length cannot fit in it),
 *   `BAD_STRUCTURE` (no GGUF magic, an unknown value type, a duplicate key, a bad `general.alignment`),
 *   `UNSUPPORTED_VERSION` (version 1, above 3, or big-endian), `HEADER_TOO_LARGE` (a name over 64 KiB),
 *   `BAD_HEADER_ENTRY` (over 4 dimensions, a negative one), `TOO_LARGE`, `OFFSETS_OUT_OF_BOUNDS`,
 *   `DUPLICATE_TENSOR`, `READ_FAILED`
 */
export async function parseGgufHeader(file: NamedBlob, options: GgufCursorOptions = {}): Promise<GgufHeader> {
  const cursor = new GgufCursor(file, options);
  const name = file.name;
  if (cursor.size < 4) throw cursor.truncated('the GGUF magic', 4);
  await cursor.need(4, 'the GGUF magic');
  const magic = cursor.u32();
  if (magic !== GGUF_MAGIC) throw fail('BAD_STRUCTURE', `"${name}" does not start with the GGUF magic "GGUF", so it is not a GGUF file.`, name);
  await cursor.need(4, 'the GGUF version');
  const version = cursor.u32();
  checkVersion(version, name);
  await cursor.need(16, 'the tensor and metadata counts');
  const tensorCountDeclared = cursor.u64();
  const kvCount = checkCount(cursor, cursor.u64(), MIN_KV_BYTES, 'metadata entries');
  const tensorCount = checkCount(cursor, tensorCountDeclared, MIN_TENSOR_INFO_BYTES, 'tensor infos');

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await readGgufName(cursor, `the key of metadata entry ${i}`);
    if (metadata.has(key)) throw fail('BAD_STRUCTURE', `"${name}" has the metadata key "${key}" twice.`, name);
    await cursor.need(4, `the value type of metadata "${key}"`);
    const type = cursor.u32();
    metadata.set(key, await readGgufValue(cursor, type, `metadata "${key}"`));
  }
  const alignment = alignmentOf(metadata, name);
  // Checked again now that the metadata is read: the tensor infos must fit in what is left.
  checkCount(cursor, tensorCountDeclared, MIN_TENSOR_INFO_BYTES, 'tensor infos');

  const tensors: GgufTensorInfo[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const info = await readTensorInfo(cursor, i);
    if (seen.has(info.name)) {
      throw fail('DUPLICATE_TENSOR', `"${name}" lists tensor "${info.name}" twice.`, name, 'The file is corrupt (a tensor name appears twice): convert or download the model again.');
    }
    seen.add(info.name);
    tensors.push(info);
  }
  const dataStart = Math.ceil(cursor.position / alignment) * alignment;
  return { version, alignment, metadata, tensors, dataStart };
}
