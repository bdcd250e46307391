/**
 * fast-check arbitraries of byte-level mutations shared by the zip, NumPy and PyTorch fuzz tests:
 * truncations, bit flips, overwrites of zip header fields with hostile values, and chains of these.
 * Each mutation has a readable label for fast-check's counterexample reports.
 */
import fc from 'fast-check';
import { labelled } from './fuzzCase';

/** A change to a file's bytes (never in place). */
export type Mutation = (bytes: Uint8Array) => Uint8Array;

/** Cut the file at a random length. */
export const truncation: fc.Arbitrary<Mutation> = fc
  .nat()
  .map((cut) => labelled(`truncate(${cut})`, (b: Uint8Array) => b.slice(0, cut % (b.length + 1))));

/** Flip 1–8 random bits. */
export const bitFlips: fc.Arbitrary<Mutation> = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 })
  .map((flips) =>
    labelled(`flip(${JSON.stringify(flips)})`, (b: Uint8Array) => {
      const out = b.slice();
      if (out.length === 0) return out;
      for (const [at, bit] of flips) out[at % out.length] = (out[at % out.length] as number) ^ (1 << bit);
      return out;
    }),
  );

/** Values that break length, count and offset fields. */
export const HOSTILE_NUMBERS = [0, 1, 2, 3, 7, 30, 46, 64, 0x7f, 0xff, 0x100, 0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 2 ** 40, 2 ** 53, 2 ** 63];

/** One field: where it is and how wide. */
export interface Field {
  readonly at: number;
  readonly width: 2 | 4 | 8;
}

/** The size, count, offset and length fields of every zip record found by signature (APPNOTE §4.3). */
export function zipFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  const add = (p: number, list: readonly (readonly [number, 2 | 4 | 8])[]) => {
    for (const [off, width] of list) if (p + off + width <= bytes.length) fields.push({ at: p + off, width });
  };
  for (let p = 0; p + 4 <= bytes.length; p++) {
    if (bytes[p] !== 0x50 || bytes[p + 1] !== 0x4b) continue;
    const kind = ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number);
    if (kind === 0x0304) add(p, [[6, 2], [8, 2], [18, 4], [22, 4], [26, 2], [28, 2]]);
    else if (kind === 0x0102) add(p, [[8, 2], [10, 2], [20, 4], [24, 4], [28, 2], [30, 2], [32, 2], [42, 4]]);
    else if (kind === 0x0506) add(p, [[8, 2], [10, 2], [12, 4], [16, 4], [20, 2]]);
    else if (kind === 0x0606) add(p, [[24, 8], [32, 8], [40, 8], [48, 8]]);
    else if (kind === 0x0607) add(p, [[8, 8]]);
  }
  return fields;
}

/** Write `value` (truncated to the width) little-endian at a field. */
export function writeField(bytes: Uint8Array, field: Field, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (field.width === 2) view.setUint16(field.at, value & 0xffff, true);
  else if (field.width === 4) view.setUint32(field.at, value >>> 0, true);
  else view.setBigUint64(field.at, BigInt(Math.min(Math.floor(value), 2 ** 64 - 1)), true);
}

/** Overwrite 1–3 zip header fields with hostile values, or with the old value nudged. */
export const zipFieldEdits: fc.Arbitrary<Mutation> = fc
  .array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: -70, max: 70 }).map((d) => ({ delta: d })))), {
    minLength: 1,
    maxLength: 3,
  })
  .map((edits) =>
    labelled(`zipFields(${JSON.stringify(edits)})`, (b: Uint8Array) => {
      const out = b.slice();
      const fields = zipFields(out);
      if (fields.length === 0) return out;
      for (const [pick, value] of edits) {
        const field = fields[pick % fields.length] as Field;
        const view = new DataView(out.buffer);
        const old = field.width === 2 ? view.getUint16(field.at, true) : field.width === 4 ? view.getUint32(field.at, true) : Number(view.getBigUint64(field.at, true));
        writeField(out, field, typeof value === 'number' ? value : Math.max(0, old + value.delta));
      }
      return out;
    }),
  );

/** Apply 1–`max` mutations drawn from `one`, in order. */
export function chained(one: fc.Arbitrary<Mutation>, max = 3): fc.Arbitrary<Mutation> {
  return fc
    .array(one, { minLength: 1, maxLength: max })
    .map((ms) => labelled(ms.map((m) => fc.stringify(m)).join(' then '), (b: Uint8Array) => ms.reduce((acc, m) => m(acc), b)));
}
