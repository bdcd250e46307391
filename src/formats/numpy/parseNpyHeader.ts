/**
 * The `.npy` header (NEP 1, numpy `lib.format`): the magic `\x93NUMPY`, a major and minor version byte, the
 * header length (u16 LE in version 1.0, u32 LE in 2.0 and 3.0), then the header: the `repr` of a dict with
 * exactly the keys `descr`, `fortran_order` and `shape`, latin-1 (1.0, 2.0) or UTF-8 (3.0), padded with
 * spaces and a newline so that the data starts at a multiple of 64 (16 in older files). The data follows:
 * prod(shape) elements of `descr`, in C order, or Fortran (column-major) order when `fortran_order`.
 */
import { shapeSize } from '../../model/types';
import { FormatError } from '../formatError';
import type { PyLiteral } from './parsePyLiteral';
import { parsePyLiteral } from './parsePyLiteral';

/** The six magic bytes: 0x93 then `NUMPY`. */
export const NPY_MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Bytes to read to learn the header length: magic, version, and a u32 length. */
export const NPY_PRELUDE_BYTES = 12;

/** Longest header accepted (numpy itself refuses headers over 10,000 bytes by default). */
export const MAX_NPY_HEADER_BYTES = 65536;

/** Highest rank accepted (numpy's own limit is 64). */
export const MAX_NPY_RANK = 64;

/** A parsed `.npy` header. */
export interface NpyHeader {
  /** Format major version: 1, 2 or 3. */
  readonly version: number;
  /** The dtype string (`<f4`), or the text of a structured dtype's list. */
  readonly descr: string;
  /** Whether the data is stored column-major. */
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Offset of the data from the start of the `.npy` bytes. */
  readonly dataOffset: number;
}

/** Where the header is, for messages: the file, and the entry inside it for `.npz`. */
export interface NpySource {
  readonly file: string;
  /** E.g. `"weights.npy"` or `entry "a.npy" of "arrays.npz"`. */
  readonly where: string;
}

/** Whether bytes start with the `.npy` magic. */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The total header length (prelude + dict) from the first bytes.
 *
 * @param prelude the first ≤ 12 bytes
 * @throws FormatError `TRUNCATED`, `BAD_STRUCTURE` (no magic), `UNSUPPORTED_VERSION`, `HEADER_TOO_LARGE`
 */
export function npyHeaderEnd(prelude: Uint8Array, source: NpySource): number {
  const fail = (code: 'TRUNCATED' | 'BAD_STRUCTURE', message: string) => new FormatError(code, `${source.where} ${message}`, { file: source.file });
  if (prelude.length >= 6 && !hasNpyMagic(prelude)) throw fail('BAD_STRUCTURE', 'is not a NumPy .npy array: it does not start with \\x93NUMPY.');
  if (prelude.length < 10) throw fail('TRUNCATED', `is ${prelude.length} bytes long, too short for an .npy header.`);
  const major = prelude[6] as number;
  if (major < 1 || major > 3) {
    throw new FormatError('UNSUPPORTED_VERSION', `${source.where} is .npy format version ${major}.${prelude[7]}; versions 1.0, 2.0 and 3.0 are read.`, {
      file: source.file,
    });
  }
  if (major > 1 && prelude.length < 12) throw fail('TRUNCATED', `is ${prelude.length} bytes long, too short for an .npy ${major}.0 header.`);
  const view = new DataView(prelude.buffer, prelude.byteOffset, prelude.byteLength);
  const prefix = major === 1 ? 10 : 12;
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (length > MAX_NPY_HEADER_BYTES) {
    throw new FormatError('HEADER_TOO_LARGE', `${source.where} declares a ${length}-byte .npy header; at most ${MAX_NPY_HEADER_BYTES} are read.`, {
      file: source.file,
    });
  }
  return prefix + length;
}

function bad(source: NpySource, message: string): FormatError {
  return new FormatError('BAD_STRUCTURE', `The .npy header of ${source.where} ${message}.`, { file: source.file });
}

/** The Python repr of a literal, for a structured dtype's descr and for messages. */
function pyText(value: PyLiteral): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (value.kind === 'dict') return `{${value.entries.map(([k, v]) => `${pyText(k)}: ${pyText(v)}`).join(', ')}}`;
  const inner = value.items.map(pyText).join(', ');
  return value.kind === 'list' ? `[${inner}]` : `(${inner}${value.items.length === 1 ? ',' : ''})`;
}

/**
 * Parse a whole `.npy` header.
 *
 * @param bytes the first `npyHeaderEnd(...)` bytes (or more) of the `.npy` data
 * @throws FormatError `TRUNCATED`, `BAD_STRUCTURE` (syntax, missing or extra keys, bad values),
 *   `UNSUPPORTED_VERSION`, `HEADER_TOO_LARGE`, `TOO_LARGE` (more than 2^53 elements)
 */
export function parseNpyHeader(bytes: Uint8Array, source: NpySource): NpyHeader {
  const end = npyHeaderEnd(bytes.subarray(0, NPY_PRELUDE_BYTES), source);
  if (bytes.length < end) throw new FormatError('TRUNCATED', `${source.where} ends inside its ${end}-byte .npy header.`, { file: source.file });
  const version = bytes[6] as number;
  const text = new TextDecoder(version === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(version === 1 ? 10 : 12, end));
  const dict = parsePyLiteral(text, (message) => bad(source, `is not a Python literal (${message})`));
  if (dict === null || typeof dict !== 'object' || dict.kind !== 'dict') throw bad(source, 'is not a dict');
  const fields = new Map(dict.entries.map(([k, v]) => [typeof k === 'string' ? k : pyText(k), v]));
  const keys = [...fields.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') throw bad(source, `has the keys ${keys || '(none)'} instead of descr, fortran_order, shape`);
  const descr = fields.get('descr') as PyLiteral;
  const fortran = fields.get('fortran_order');
  const shapeValue = fields.get('shape') as PyLiteral;
  if (typeof descr !== 'string' && !(typeof descr === 'object' && descr !== null && descr.kind === 'list')) {
    throw bad(source, `has descr ${pyText(descr)}, which is not a dtype`);
  }
  if (typeof fortran !== 'boolean') throw bad(source, 'has a fortran_order that is not True or False');
  if (typeof shapeValue !== 'object' || shapeValue === null || shapeValue.kind !== 'tuple') throw bad(source, `has shape ${pyText(shapeValue)}, which is not a tuple`);
  if (shapeValue.items.length > MAX_NPY_RANK) throw bad(source, `has ${shapeValue.items.length} dimensions; at most ${MAX_NPY_RANK} are allowed`);
  const shape = shapeValue.items.map((d) => (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0 ? d : -1));
  if (shape.includes(-1)) throw bad(source, `has shape ${pyText(shapeValue)}; dimensions must be non-negative integers`);
  if (!Number.isSafeInteger(shapeSize(shape))) {
    throw new FormatError('TOO_LARGE', `${source.where} declares shape ${pyText(shapeValue)}: more elements than can be counted.`, { file: source.file });
  }
  return { version, descr: typeof descr === 'string' ? descr : pyText(descr), fortranOrder: fortran, shape, dataOffset: end };
}
