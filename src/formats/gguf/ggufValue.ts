/**
 * GGUF metadata values (ggml docs/gguf.md, "File Structure": `gguf_metadata_value_type` and
 * `gguf_metadata_value_t`): little-endian scalars, strings as a u64 byte length then UTF-8 without a
 * terminator, arrays as a u32 element type, a u64 count and the elements (arrays may nest).
 *
 * Only what the UI can show is kept: long strings are cut to a prefix and arrays beyond a few elements are
 * summarised by type and length, so a 151,936-token vocabulary costs nothing but the time to step over it.
 * Fixed-size arrays (token scores, token types) are skipped without being read.
 */
import { FormatError } from '../formatError';
import type { GgufCursor } from './ggufCursor';

/** `gguf_metadata_value_type` names, indexed by the stored u32. */
export const GGUF_VALUE_TYPES = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'bool', 'string', 'array', 'uint64', 'int64', 'float64'] as const;

/** The stored value type ids used below. */
export const GGUF_TYPE = { UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12 } as const;

/** Bytes of each fixed-size value type (strings and arrays have none). */
const FIXED_BYTES: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** Strings longer than this many bytes are kept as a prefix (a chat template can be 10 KB). */
export const MAX_KEPT_STRING_BYTES = 1024;
/** Arrays with more elements than this are summarised (`[array of 151936 string]`), not kept. */
export const MAX_KEPT_ARRAY_ITEMS = 16;
/** Arrays nested deeper than this are refused: no writer nests arrays at all, and recursion must stay bounded. */
export const MAX_ARRAY_DEPTH = 8;
/** Longest key or tensor name accepted (ggml allows 64-byte tensor names; keys are short dotted paths). */
export const MAX_NAME_BYTES = 64 * 1024;

/** One metadata value, as much of it as is kept. */
export type GgufValue =
  | { readonly kind: 'number'; readonly type: number; readonly value: number | bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** `value` is the whole string when `value` holds all `byteLength` bytes, else a prefix. */
  | { readonly kind: 'string'; readonly value: string; readonly byteLength: number; readonly complete: boolean }
  /** `items` is null when the array was summarised. */
  | { readonly kind: 'array'; readonly itemType: number; readonly length: number; readonly items: readonly GgufValue[] | null };

/** Smallest encoded size of one value of a type: a string is at least its length, an array its type and count. */
function minimumBytes(type: number): number {
  return FIXED_BYTES[type] ?? (type === GGUF_TYPE.STRING ? 8 : 12);
}

/** `what` at the start of a sentence. */
const capitalized = (what: string) => what.charAt(0).toUpperCase() + what.slice(1);

function badType(cursor: GgufCursor, type: number, what: string): FormatError {
  return new FormatError(
    'BAD_STRUCTURE',
    `${capitalized(what)} of "${cursor.file.name}" has value type ${type}; GGUF value types are 0 to 12 (${GGUF_VALUE_TYPES.join(', ')}).`,
    { file: cursor.file.name },
  );
}

/** A declared count or length that cannot fit in the rest of the file. */
function tooLong(cursor: GgufCursor, what: string, declared: bigint, unitBytes: number, unit: string): FormatError {
  const need = unitBytes === 1 ? `${declared} bytes` : `${declared} ${unit}s of at least ${unitBytes} bytes each`;
  return new FormatError(
    'TRUNCATED',
    `${capitalized(what)} of "${cursor.file.name}" declares ${need}, but only ${cursor.remaining} bytes of the file remain: it is truncated or corrupt.`,
    { file: cursor.file.name },
  );
}

/** Read a u64 count whose units take at least `unitBytes` bytes each, refusing one the file cannot hold. */
async function readCount(cursor: GgufCursor, what: string, unitBytes: number, unit: string): Promise<number> {
  if (!cursor.has(8)) await cursor.need(8, what);
  const declared = cursor.u64();
  if (declared * BigInt(unitBytes) > BigInt(cursor.remaining)) throw tooLong(cursor, what, declared, unitBytes, unit);
  return Number(declared);
}

/**
 * A string: its byte length, then up to `keepBytes` bytes decoded (the rest skipped unread).
 *
 * @throws FormatError `TRUNCATED` when the length runs past the end of the file
 */
export async function readGgufString(cursor: GgufCursor, what: string, keepBytes = MAX_KEPT_STRING_BYTES): Promise<GgufValue & { kind: 'string' }> {
  const length = await readCount(cursor, `the length of ${what}`, 1, 'byte');
  const kept = Math.min(length, keepBytes);
  if (!cursor.has(kept)) await cursor.need(kept, what);
  const value = cursor.utf8(kept);
  cursor.skip(length - kept, what);
  return { kind: 'string', value, byteLength: length, complete: kept === length };
}

/**
 * A key or tensor name: a whole string of at most {@link MAX_NAME_BYTES} bytes.
 *
 * @throws FormatError `HEADER_TOO_LARGE` for a longer name; `TRUNCATED`
 */
export async function readGgufName(cursor: GgufCursor, what: string): Promise<string> {
  const s = await readGgufString(cursor, what, MAX_NAME_BYTES);
  if (!s.complete) {
    throw new FormatError(
      'HEADER_TOO_LARGE',
      `${capitalized(what)} of "${cursor.file.name}" is ${s.byteLength} bytes long; names of at most ${MAX_NAME_BYTES} bytes are read, so the header is corrupt.`,
      { file: cursor.file.name },
    );
  }
  return s.value;
}

/** A fixed-size value whose bytes are buffered. */
function readFixed(cursor: GgufCursor, type: number): GgufValue {
  switch (type) {
    case GGUF_TYPE.UINT8:
      return { kind: 'number', type, value: cursor.u8() };
    case GGUF_TYPE.INT8:
      return { kind: 'number', type, value: cursor.i8() };
    case GGUF_TYPE.UINT16:
      return { kind: 'number', type, value: cursor.u16() };
    case GGUF_TYPE.INT16:
      return { kind: 'number', type, value: cursor.i16() };
    case GGUF_TYPE.UINT32:
      return { kind: 'number', type, value: cursor.u32() };
    case GGUF_TYPE.INT32:
      return { kind: 'number', type, value: cursor.i32() };
    case GGUF_TYPE.FLOAT32:
      return { kind: 'number', type, value: cursor.f32() };
    case GGUF_TYPE.BOOL:
      // The spec allows 0 and 1; like ggml, any non-zero byte reads as true.
      return { kind: 'bool', value: cursor.u8() !== 0 };
    case GGUF_TYPE.UINT64:
      return { kind: 'number', type, value: cursor.u64() };
    case GGUF_TYPE.INT64:
      return { kind: 'number', type, value: cursor.i64() };
    default:
      return { kind: 'number', type, value: cursor.f64() };
  }
}

/** An array: element type, count, then the elements, kept when few, else stepped over. */
async function readArray(cursor: GgufCursor, what: string, depth: number): Promise<GgufValue> {
  if (depth >= MAX_ARRAY_DEPTH) {
    throw new FormatError('BAD_STRUCTURE', `${capitalized(what)} of "${cursor.file.name}" nests arrays more than ${MAX_ARRAY_DEPTH} deep.`, { file: cursor.file.name });
  }
  if (!cursor.has(4)) await cursor.need(4, `the element type of ${what}`);
  const itemType = cursor.u32();
  if (itemType >= GGUF_VALUE_TYPES.length) throw badType(cursor, itemType, `an element of ${what}`);
  const length = await readCount(cursor, `the length of ${what}`, minimumBytes(itemType), GGUF_VALUE_TYPES[itemType] as string);
  const keep = length <= MAX_KEPT_ARRAY_ITEMS;
  const fixed = FIXED_BYTES[itemType];
  if (fixed !== undefined && !keep) {
    cursor.skip(length * fixed, what);
    return { kind: 'array', itemType, length, items: null };
  }
  const items: GgufValue[] = [];
  for (let i = 0; i < length; i++) {
    if (itemType === GGUF_TYPE.STRING && !keep) {
      // The hot loop of a vocabulary: step over each string without decoding it.
      if (!cursor.has(8)) await cursor.need(8, `the length of string ${i} of ${what}`);
      const bytes = cursor.u64();
      if (bytes > BigInt(cursor.remaining)) throw tooLong(cursor, `string ${i} of ${what}`, bytes, 1, 'byte');
      cursor.skip(Number(bytes), what);
    } else {
      const item = await readGgufValue(cursor, itemType, `element ${i} of ${what}`, depth + 1);
      if (keep) items.push(item);
    }
  }
  return { kind: 'array', itemType, length, items: keep ? items : null };
}

/**
 * Read one value of a stored type.
 *
 * @param cursor positioned at the value
 * @param type the stored `gguf_metadata_value_type`
 * @param what the value, named in errors, e.g. `metadata "tokenizer.ggml.tokens"`
 * @param depth array nesting so far (0 at a key's value)
 * @throws FormatError `BAD_STRUCTURE` (unknown type, arrays nested too deep), `TRUNCATED`
 */
export async function readGgufValue(cursor: GgufCursor, type: number, what: string, depth = 0): Promise<GgufValue> {
  const fixed = FIXED_BYTES[type];
  if (fixed !== undefined) {
    if (!cursor.has(fixed)) await cursor.need(fixed, what);
    return readFixed(cursor, type);
  }
  if (type === GGUF_TYPE.STRING) return readGgufString(cursor, what);
  if (type === GGUF_TYPE.ARRAY) return readArray(cursor, what, depth);
  throw badType(cursor, type, what);
}

/** The shortest decimal that reads back as the same float32, e.g. `1e-5` rather than `0.000009999999747378752`. */
export function float32Text(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const shortest = Number(value.toPrecision(digits));
    if (Math.fround(shortest) === value) return String(shortest);
  }
  return String(value);
}

/** Longest inline rendering of a short array before it is summarised instead. */
const MAX_INLINE_ARRAY_CHARS = 200;

/**
 * A value as metadata text: numbers and booleans as written, strings as stored (a long one cut, with its
 * length), short arrays inline (`[24, 20, 20, 0]`, `["en", "fr"]`), others as `[array of 151936 string]`.
 */
export function ggufValueText(value: GgufValue): string {
  switch (value.kind) {
    case 'number':
      return value.type === GGUF_TYPE.FLOAT32 ? float32Text(value.value as number) : String(value.value);
    case 'bool':
      return String(value.value);
    case 'string':
      return value.complete ? value.value : `${value.value}… (${value.byteLength} bytes)`;
    case 'array': {
      const summary = `[array of ${value.length} ${GGUF_VALUE_TYPES[value.itemType] ?? value.itemType}]`;
      if (value.items === null) return summary;
      const inline = `[${value.items.map((item) => (item.kind === 'string' ? JSON.stringify(ggufValueText(item)) : ggufValueText(item))).join(', ')}]`;
      return inline.length <= MAX_INLINE_ARRAY_CHARS ? inline : summary;
    }
  }
}
