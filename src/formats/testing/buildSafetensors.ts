/**
 * Hand-build safetensors bytes for tests and fixtures, including invalid ones: any header (object or raw
 * text), any data, and an optional header length that lies.
 */

/** What to put in the file. */
export interface SafetensorsParts {
  /** The header: an object (serialised with JSON.stringify) or the exact header text. */
  readonly header: unknown;
  /** The data region. */
  readonly data?: Uint8Array;
  /** The u64 written in bytes [0, 8); by default the true header length. */
  readonly headerLength?: bigint | number;
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes from a list of 16-bit little-endian words (e.g. F16 or BF16 bit patterns). */
export function u16le(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(2 * words.length);
  words.forEach((w, i) => {
    out[2 * i] = w & 0xff;
    out[2 * i + 1] = (w >>> 8) & 0xff;
  });
  return out;
}

/** `8-byte LE length ‖ header ‖ data`, with no padding. */
export function buildSafetensors(parts: SafetensorsParts): Uint8Array {
  const text = typeof parts.header === 'string' ? parts.header : JSON.stringify(parts.header);
  const header = new TextEncoder().encode(text);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(parts.headerLength ?? header.length), true);
  return concatBytes(prefix, header, parts.data ?? new Uint8Array(0));
}

/** A header entry `{ dtype, shape, data_offsets }`. */
export function entry(dtype: string, shape: readonly number[], begin: number, end: number): Record<string, unknown> {
  return { dtype, shape: [...shape], data_offsets: [begin, end] };
}
