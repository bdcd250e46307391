/**
 * NumPy array-protocol type strings (`dtype.str`, numpy "Array interface protocol", `typestr`): a byte-order
 * character (`<` little, `>` big, `|` not applicable, `=` native), a kind character and the item size in
 * bytes, e.g. `<f4`, `>f8`, `|u1`. Mapped onto the app's DTypes; big-endian floats are decoded after a byte
 * swap (see {@link swapBytes}).
 */
import type { DType } from '../../model/types';
import { isFloatDType, unsupportedDtypeReason } from '../dtype';

/** What a `descr` means for reading. */
export interface NpyDtype {
  readonly dtype: DType;
  /** Bytes per element; null when the descr has no fixed size (object arrays, unparsable text). */
  readonly itemSize: number | null;
  /** Whether multi-byte elements are stored big-endian. */
  readonly bigEndian: boolean;
  /** Why the values cannot be analysed, when they cannot. */
  readonly unsupported?: string;
}

const BY_KIND: Readonly<Record<string, Readonly<Record<number, DType>>>> = {
  f: { 2: 'F16', 4: 'F32', 8: 'F64' },
  i: { 1: 'I8', 2: 'I16', 4: 'I32', 8: 'I64' },
  u: { 1: 'U8', 2: 'U16', 4: 'U32', 8: 'U64' },
  b: { 1: 'BOOL' },
};

/**
 * Interpret a `descr` value: a type string, or (structured arrays) a list, given here as its text.
 *
 * @example parseDescr('<f4') // { dtype: 'F32', itemSize: 4, bigEndian: false }
 */
export function parseDescr(descr: string): NpyDtype {
  const match = /^([<>|=]?)([a-zA-Z])(\d{1,6})$/.exec(descr);
  if (!match) {
    const fixed = /^[<>|=]?[a-zA-Z](\d{1,6})$/.exec(descr);
    return { dtype: 'UNKNOWN', itemSize: fixed ? Number(fixed[1]) : null, bigEndian: false, unsupported: unsupportedDtypeReason(descr) };
  }
  const [, order, kind, digits] = match as unknown as [string, string, string, string];
  const width = Number(digits);
  const itemSize = kind === 'U' ? 4 * width : kind === 'O' ? null : width;
  const dtype = BY_KIND[kind]?.[width] ?? 'UNKNOWN';
  const bigEndian = order === '>' && width > 1;
  const unsupported = isFloatDType(dtype) ? undefined : unsupportedDtypeReason(descr);
  return unsupported === undefined ? { dtype, itemSize, bigEndian } : { dtype, itemSize, bigEndian, unsupported };
}

/** Reverse the bytes of each `width`-byte element, in place (big-endian → little-endian). Returns `bytes`. */
export function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  for (let at = 0; at + width <= bytes.length; at += width) {
    for (let i = 0, j = width - 1; i < j; i++, j--) {
      const tmp = bytes[at + i] as number;
      bytes[at + i] = bytes[at + j] as number;
      bytes[at + j] = tmp;
    }
  }
  return bytes;
}
