/**
 * Validate a safetensors header (huggingface/safetensors README, "Format"; checks after `Metadata::validate`
 * in safetensors/src/tensor.rs):
 *
 *   bytes [0, 8)        u64 little-endian N, the header length
 *   bytes [8, 8 + N)    UTF-8 JSON object `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {…} }`
 *   bytes [8 + N, EOF)  the data region; `data_offsets` are relative to its start, `end` exclusive
 *
 * Unlike the Rust reference, gaps between tensors and trailing bytes are tolerated: they do no harm here.
 */
import type { DType } from '../../model/types';
import { bytesPerElement, dtypeFromName } from '../dtype';
import { FormatError } from '../formatError';

/** Largest header accepted (the Rust reference's limit too): anything bigger is corrupt, and is never allocated. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/** One validated tensor entry. Offsets are relative to the data region. */
export interface SafetensorsEntry {
  readonly name: string;
  /** The dtype, or `UNKNOWN` when `storedDtype` is not a known name. */
  readonly dtype: DType;
  /** The dtype string as written in the file. */
  readonly storedDtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A validated header: entries sorted by data offset, and the `__metadata__` strings. */
export interface SafetensorsHeader {
  readonly entries: readonly SafetensorsEntry[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** Where a header came from, for validation and error messages. */
export interface HeaderSource {
  readonly file: string;
  /** Size of the whole file in bytes. */
  readonly fileSize: number;
}

/**
 * The header length N from the first 8 bytes, checked against the file size.
 *
 * @param prefix the file's first 8 bytes (fewer if the file is shorter)
 * @throws FormatError `TRUNCATED` (file under 8 bytes, or N > size − 8), `HEADER_TOO_LARGE` (N > 100 MiB),
 *   `BAD_HEADER_JSON` (N = 0)
 */
export function readHeaderLength(prefix: Uint8Array, source: HeaderSource): number {
  const { file, fileSize } = source;
  if (prefix.length < 8 || fileSize < 8) {
    throw new FormatError(
      'TRUNCATED',
      `"${file}" is ${fileSize} bytes long: too short for a safetensors file, which starts with an 8-byte header length.`,
      { file },
    );
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw new FormatError(
      'HEADER_TOO_LARGE',
      `The header length of "${file}" is ${length} bytes, over the ${MAX_HEADER_BYTES}-byte (100 MiB) limit: the file is corrupt or not safetensors.`,
      { file },
    );
  }
  const n = Number(length);
  if (n === 0) {
    throw new FormatError('BAD_HEADER_JSON', `The header length of "${file}" is 0; a safetensors header is a JSON object.`, { file });
  }
  if (n > fileSize - 8) {
    throw new FormatError(
      'TRUNCATED',
      `"${file}" is truncated: its header length says ${n} bytes of JSON follow, but only ${fileSize - 8} bytes do (file size ${fileSize}).`,
      { file },
    );
  }
  return n;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Short JSON for messages: long values are cut. */
/** Show a value in a message: strings as written (control characters escaped), other values as JSON. */
function preview(value: unknown): string {
  const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  // Control characters are exactly what this escapes.
  // eslint-disable-next-line no-control-regex
  const text = raw.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const cut = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return typeof value === 'string' ? `«${cut}»` : cut;
}

function parseJsonObject(headerBytes: Uint8Array, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch (cause) {
    throw new FormatError('BAD_HEADER_JSON', `The header of "${file}" is not valid UTF-8 text.`, { file, cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new FormatError('BAD_HEADER_JSON', `The header of "${file}" is not valid JSON (${why}); it starts ${preview(text.slice(0, 40))}.`, {
      file,
      cause,
    });
  }
  if (!isPlainObject(parsed)) {
    throw new FormatError('BAD_HEADER_JSON', `The header of "${file}" is JSON but not an object: ${preview(parsed)}.`, { file });
  }
  return parsed;
}

function parseMetadata(value: unknown, file: string): Record<string, string> {
  if (!isPlainObject(value)) {
    throw new FormatError('BAD_HEADER_ENTRY', `"__metadata__" in "${file}" must be an object of strings, found ${preview(value)}.`, { file });
  }
  // Non-string values are against the spec but harmless: keep them as JSON text. fromEntries makes own keys.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))]));
}

function parseEntry(name: string, value: unknown, source: HeaderSource, dataByteLength: number): SafetensorsEntry {
  const { file } = source;
  const bad = (what: string) =>
    new FormatError('BAD_HEADER_ENTRY', `Tensor "${name}" in "${file}" has an invalid header entry: ${what}.`, { file });
  if (!isPlainObject(value)) throw bad(`expected { dtype, shape, data_offsets }, found ${preview(value)}`);
  const { dtype: storedDtype, shape, data_offsets: offsets } = value;
  if (typeof storedDtype !== 'string') throw bad(`dtype must be a string, found ${preview(storedDtype)}`);
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw bad(`shape must be an array of non-negative integers, found ${preview(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    throw bad(`data_offsets must be [begin, end] with non-negative integers, found ${preview(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw bad(`data_offsets [${begin}, ${end}] end before they begin`);
  const dtype = dtypeFromName(storedDtype);
  const width = bytesPerElement(dtype);
  if (width !== null) {
    const expected = (shape as number[]).reduce((a, b) => a * b, 1) * width;
    if (expected !== end - begin || !Number.isSafeInteger(expected)) {
      throw new FormatError(
        'SIZE_MISMATCH',
        `Tensor "${name}" in "${file}": shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}.`,
        { file },
      );
    }
  }
  if (end > dataByteLength) {
    throw new FormatError(
      'OFFSETS_OUT_OF_BOUNDS',
      `Tensor "${name}" in "${file}" ends at data offset ${end}, but the file (${source.fileSize} bytes) has only ${dataByteLength} bytes of tensor data after its header.`,
      { file },
    );
  }
  return { name, dtype, storedDtype, shape: shape as number[], begin, end };
}

/**
 * Parse and validate the JSON header of one safetensors file.
 *
 * @param headerBytes bytes [8, 8 + N) of the file
 * @param source the file's name and size
 * @returns entries sorted by `begin` (then `end`, then name), and the `__metadata__` strings
 * @throws FormatError `BAD_HEADER_JSON` (not UTF-8, not JSON, not an object), `BAD_HEADER_ENTRY`,
 *   `SIZE_MISMATCH`, `OFFSETS_OUT_OF_BOUNDS`, `OFFSETS_OVERLAP`, each naming the file and tensor
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, source: HeaderSource): SafetensorsHeader {
  const { file } = source;
  const dataByteLength = source.fileSize - 8 - headerBytes.length;
  const json = parseJsonObject(headerBytes, file);
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(value, file);
    else entries.push(parseEntry(name, value, source, dataByteLength));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Sorted by begin, two non-empty ranges overlap iff one starts before the furthest end seen so far.
  let furthest: SafetensorsEntry | null = null;
  for (const entry of entries) {
    if (entry.begin === entry.end) continue;
    if (furthest !== null && entry.begin < furthest.end) {
      throw new FormatError(
        'OFFSETS_OVERLAP',
        `Tensors "${furthest.name}" [${furthest.begin}, ${furthest.end}) and "${entry.name}" [${entry.begin}, ${entry.end}) in "${file}" share bytes.`,
        { file },
      );
    }
    if (furthest === null || entry.end > furthest.end) furthest = entry;
  }
  return { entries, metadata };
}
