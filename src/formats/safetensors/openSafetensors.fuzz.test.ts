/**
 * Seeded fuzzing (STYLE.md §3, "Properties"): valid files mutated by truncation, bit flips, random header
 * lengths (up to 2^64 − 1), byte edits of the header text and structured edits of its JSON. Every case must end
 * in a Model whose tensors all read (or reject with a FormatError), or in a FormatError: never another
 * exception, and never a hang (each case is bounded in time).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namedFile } from '../testing/memoryBlob';
import { fuzzCase, labelled } from '../testing/fuzzCase';
import { MAX_HEADER_BYTES } from './parseSafetensorsHeader';
import { writeSafetensors } from './writeSafetensors';

const SEED = 0x5afe7e45;
const CASE_TIME_LIMIT_MS = 2000;

const values = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1));
const BASE = writeSafetensors(
  [
    { name: 'conv.weight', dtype: 'F32', shape: [2, 3, 2, 2], data: values(24) },
    { name: 'fc.weight', dtype: 'F16', shape: [4, 6], data: values(24) },
    { name: 'fc.bias', dtype: 'BF16', shape: [4], data: values(4) },
    { name: 'head', dtype: 'F64', shape: [3, 2], data: Float64Array.from(values(6)) },
  ],
  { format: 'pt', conv_layout: 'OIHW' },
);
const HEADER_LENGTH = Number(new DataView(BASE.buffer).getBigUint64(0, true));
const HEADER_TEXT = new TextDecoder().decode(BASE.subarray(8, 8 + HEADER_LENGTH));
const DATA = BASE.subarray(8 + HEADER_LENGTH);

/** Replace the header with `text`; the length field is the true length unless `length` is given. */
function withHeader(text: string, length?: bigint): Uint8Array {
  const header = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + header.length + DATA.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(header.length), true);
  out.set(header, 8);
  out.set(DATA, 8 + header.length);
  return out;
}

type Mutation = (bytes: Uint8Array) => Uint8Array;

/** Give a mutation a readable form for fast-check's counterexample report. */

const truncation = fc.nat().map((cut) => labelled(`truncate(${cut})`, (b: Uint8Array) => b.slice(0, cut % (b.length + 1))));

const bitFlips = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean()), { minLength: 1, maxLength: 8 })
  .map((flips) => labelled(`flip(${JSON.stringify(flips)})`, (b: Uint8Array) => {
    const out = b.slice();
    // Half the flips land in the length field and header, where they matter most.
    for (const [at, bit, inHeader] of flips) {
      const i = inHeader ? at % Math.min(out.length, 8 + HEADER_LENGTH) : at % out.length;
      out[i] = (out[i] as number) ^ (1 << bit);
    }
    return out;
  }));

const headerLengths = fc.oneof(
  fc.bigInt({ min: 0n, max: BigInt(BASE.length + 16) }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.constantFrom(0n, 1n, 2n, BigInt(HEADER_LENGTH - 1), BigInt(HEADER_LENGTH + 1), BigInt(MAX_HEADER_BYTES), BigInt(MAX_HEADER_BYTES + 1), 2n ** 53n, 2n ** 64n - 1n),
);
const headerLength = headerLengths.map((n) => labelled(`headerLength(${n}n)`, (b: Uint8Array) => {
  const out = b.slice();
  if (out.length >= 8) new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
}));

const JSON_CHARS = '{}[]",:-.0123456789eE \\u_aF';
const textEdits = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...JSON_CHARS.split(''), '\u00e9', '\uffff', '\ud800')), { minLength: 1, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([edits, keepLength]) => labelled(`textEdits(${JSON.stringify(edits)}, ${keepLength})`, () => {
    let text = HEADER_TEXT;
    for (const [at, kind, ch] of edits) {
      const i = at % (text.length + 1);
      if (kind === 0) text = text.slice(0, i) + text.slice(i + 1); // delete
      else if (kind === 1) text = text.slice(0, i) + ch + text.slice(i); // insert
      else text = text.slice(0, i) + ch + text.slice(i + 1); // replace
    }
    return withHeader(text, keepLength ? BigInt(HEADER_LENGTH) : undefined);
  }));

const oddNumbers = fc.oneof(
  fc.integer({ min: -4, max: 200 }),
  fc.constantFrom(0.5, -0, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e300, Number.MAX_SAFE_INTEGER, 7e9),
);
const fieldValues = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(oddNumbers, { maxLength: 5 }),
  fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I8', 'U64', 'BOOL', 'F8_E5M2', 'F8_E8M0', '', 'f32', '__proto__'),
);
const jsonEdits = fc
  .array(
    fc.tuple(fc.nat(), fc.constantFrom('dtype', 'shape', 'data_offsets', 'copy-offsets', 'shift-offsets', 'shift-offsets', 'delete-field', 'delete-entry', 'add-entry', '__metadata__', 'whole'), fieldValues),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => labelled(`jsonEdits(${JSON.stringify(edits)})`, () => {
    let header = JSON.parse(HEADER_TEXT) as unknown;
    for (const [at, what, value] of edits) {
      if (what === 'whole') {
        header = value;
        continue;
      }
      if (typeof header !== 'object' || header === null) continue;
      const h = header as Record<string, unknown>;
      const names = Object.keys(h).filter((k) => k !== '__metadata__');
      const name = names[at % Math.max(1, names.length)] ?? 'x';
      const target = h[name];
      const other = h[names[Math.floor(at / 7) % Math.max(1, names.length)] ?? 'x'];
      if (what === '__metadata__') h.__metadata__ = value;
      else if (what === 'shift-offsets') {
        // Move a tensor's range, keeping its size: into a neighbour (overlap) or past the end.
        const offsets = typeof target === 'object' && target !== null ? (target as Record<string, unknown>).data_offsets : null;
        const delta = (at % 64) - 16;
        if (Array.isArray(offsets) && offsets.every((o) => typeof o === 'number')) {
          (target as Record<string, unknown>).data_offsets = offsets.map((o: number) => o + delta);
        }
      } else if (what === 'copy-offsets') {
        // Another tensor's range: overlapping tensors (or a size mismatch when the sizes differ).
        if (typeof target === 'object' && target !== null && typeof other === 'object' && other !== null) {
          (target as Record<string, unknown>).data_offsets = (other as Record<string, unknown>).data_offsets;
        }
      }
      else if (what === 'delete-entry') delete h[name];
      else if (what === 'add-entry') h[`extra${at % 7}`] = typeof value === 'object' ? value : { dtype: 'F32', shape: [1], data_offsets: [0, value] };
      else if (typeof target === 'object' && target !== null) {
        if (what === 'delete-field') delete (target as Record<string, unknown>)[['dtype', 'shape', 'data_offsets'][at % 3] as string];
        else (target as Record<string, unknown>)[what] = value;
      }
    }
    return withHeader(JSON.stringify(header) ?? 'undefined');
  }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: truncation, weight: 1 },
  { arbitrary: bitFlips, weight: 2 },
  { arbitrary: headerLength, weight: 1 },
  { arbitrary: textEdits, weight: 2 },
  { arbitrary: jsonEdits, weight: 4 },
);
const mutations = fc
  .array(mutation, { minLength: 1, maxLength: 3 })
  .map((ms) => labelled(ms.map((m) => fc.stringify(m)).join(' then '), (b: Uint8Array) => ms.reduce((acc, m) => m(acc), b)));

describe('safetensors fuzzing (seeded)', () => {
  it('every mutated single file opens or fails with a FormatError', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      // A `.bin` name turns off the extension fallback, so damaged signatures meet the sniffers.
      fc.asyncProperty(mutations, fc.constantFrom('fuzz.safetensors', 'fuzz.bin'), async (mutate, name) => {
        const outcome = await fuzzCase([namedFile(name, mutate(BASE))], { timeLimitMs: CASE_TIME_LIMIT_MS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // The fuzzer must reach both sides: some files still open, and many different checks fire.
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(20);
    expect([...outcomes.keys()].sort()).toEqual(
      expect.arrayContaining(['BAD_HEADER_ENTRY', 'BAD_HEADER_JSON', 'HEADER_TOO_LARGE', 'OFFSETS_OUT_OF_BOUNDS', 'OFFSETS_OVERLAP', 'SIZE_MISMATCH', 'TRUNCATED', 'UNKNOWN_FORMAT', 'opened']),
    );
    process.stdout.write(`fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
  });

  it('every mutated shard index opens or fails with a FormatError', async () => {
    const s1 = 'm-00001-of-00002.safetensors';
    const s2 = 'm-00002-of-00002.safetensors';
    const one = writeSafetensors([{ name: 'a', dtype: 'F32', shape: [2, 2], data: values(4) }]);
    const two = writeSafetensors([{ name: 'b', dtype: 'F32', shape: [2], data: values(2) }]);
    const index = JSON.stringify({ metadata: { total_size: 24 }, weight_map: { a: s1, b: s2 } });
    const edits = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...JSON_CHARS.split(''), 'm', '1', '2')), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(edits, fc.subarray([0, 1]), async (list, dropped) => {
        let text = index;
        for (const [at, kind, ch] of list) {
          const i = at % (text.length + 1);
          text = kind === 0 ? text.slice(0, i) + text.slice(i + 1) : kind === 1 ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + ch + text.slice(i + 1);
        }
        const shards = [namedFile(s1, one), namedFile(s2, two)].filter((_, i) => !dropped.includes(i));
        await fuzzCase([...shards, namedFile('m.safetensors.index.json', text)], { timeLimitMs: CASE_TIME_LIMIT_MS });
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });
});
