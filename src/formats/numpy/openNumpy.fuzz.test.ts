/**
 * Seeded fuzzing of the NumPy reader (STYLE.md §3, "Properties"). `.npy`: truncations, bit flips, edits of
 * the header text (Python literal characters, huge and negative shapes, odd descrs) and of the header length.
 * `.npz`: the same inside entries (stored and deflated), plus zip-level truncations, bit flips, hostile header
 * fields and zip bombs. Every case must open with tensors that read (or reject with a FormatError), or fail
 * with a FormatError, within a time limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelled } from '../testing/fuzzCase';
import { fuzzCase } from '../testing/fuzzCase';
import type { Mutation } from '../testing/byteMutations';
import { bitFlips, chained, HOSTILE_NUMBERS, truncation, zipFieldEdits } from '../testing/byteMutations';
import { namedFile } from '../testing/memoryBlob';
import { f32Bytes, f64Bytes, npyHeaderText, writeNpy, writeNpz } from '../testing/writeNpy';
import { writeZip } from '../testing/writeZip';
import { numpyReader } from './numpyReader';

const SEED = 0x2e7a7;
const READERS = [numpyReader];
const seq = (n: number) => Array.from({ length: n }, (_, i) => Math.cos(i));

const NPY_BASES = [
  { descr: '<f4', shape: [4, 6], data: f32Bytes(seq(24)) },
  { descr: '>f8', shape: [2, 3, 2], data: f64Bytes(seq(12)).reverse(), fortranOrder: true },
  { descr: '<f2', shape: [8], data: new Uint8Array(16).fill(0x3c), version: 2 as const },
  { descr: '<f4', shape: [2, 1, 2, 2], data: f32Bytes(seq(8)), version: 3 as const },
];

const HEADER_CHARS = "{}()[]',:- 0123456789LTrueFalsNn<>|=fiubcOV\\x".split('');

/** Edit the header text of a base array (delete / insert / replace characters, or substitute a field). */
const headerEdits = fc
  .tuple(
    fc.nat({ max: NPY_BASES.length - 1 }),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...HEADER_CHARS)), { maxLength: 5 }),
    fc.option(fc.oneof(fc.array(fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(...HOSTILE_NUMBERS, 1e300, 2.5)), { maxLength: 70 })), { nil: undefined }),
    fc.option(fc.constantFrom('<f4', '>f4', '<f8', '|u1', '<i8', '<c16', '|O', '<U3', '|V2', '', 'f4', '<f16', '<f999999'), { nil: undefined }),
  )
  .map(([base, edits, shape, descr]) =>
    labelled(`headerEdits(${base}, ${JSON.stringify(edits)}, ${JSON.stringify(shape)}, ${JSON.stringify(descr)})`, () => {
      const array = NPY_BASES[base] as (typeof NPY_BASES)[number];
      let text = npyHeaderText(descr ?? array.descr, shape ?? array.shape, 'fortranOrder' in array);
      for (const [at, kind, ch] of edits) {
        const i = at % (text.length + 1);
        text = kind === 0 ? text.slice(0, i) + text.slice(i + 1) : kind === 1 ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + ch + text.slice(i + 1);
      }
      return writeNpy({ ...array, headerText: text });
    }),
  );

/** Overwrite the header length field (u16 in version 1, u32 in versions 2 and 3) or the version bytes. */
const preludeEdits = fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(...HOSTILE_NUMBERS)).map(([which, value]) =>
  labelled(`prelude(${which}, ${value})`, (b: Uint8Array) => {
    const out = b.slice();
    if (out.length < 12) return out;
    const view = new DataView(out.buffer);
    if (which === 0) view.setUint16(8, value & 0xffff, true);
    else if (which === 1) view.setUint32(8, value >>> 0, true);
    else out[which + 4] = value & 0xff;
    return out;
  }),
);

const npyMutation: fc.Arbitrary<[number, Mutation]> = fc.tuple(
  fc.nat({ max: NPY_BASES.length - 1 }),
  chained(fc.oneof({ arbitrary: truncation, weight: 1 }, { arbitrary: bitFlips, weight: 2 }, { arbitrary: preludeEdits, weight: 1 })),
);

describe('NumPy fuzzing (seeded)', () => {
  it('.npy: every mutated array opens and reads, or fails with a FormatError', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(npyMutation, headerEdits), fc.constantFrom('fuzz.npy', 'fuzz.bin'), async (how, name) => {
        const bytes = Array.isArray(how) ? (how[1] as Mutation)(writeNpy(NPY_BASES[how[0] as number] as (typeof NPY_BASES)[number])) : (how as () => Uint8Array)();
        const outcome = await fuzzCase([namedFile(name, bytes)], { readers: READERS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(50);
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['opened', 'TRUNCATED', 'BAD_STRUCTURE', 'HEADER_TOO_LARGE', 'UNSUPPORTED_VERSION']));
    process.stdout.write(`npy fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
  });

  it('.npz: every mutated archive opens and reads, or fails with a FormatError', async () => {
    const arrays = { w: NPY_BASES[0]!, v: NPY_BASES[1]!, h: NPY_BASES[2]! };
    const bases = [
      writeNpz(arrays),
      writeNpz(arrays, { compressed: true }),
      writeZip([
        { name: 'w.npy', data: writeNpy(NPY_BASES[0]!), method: 8 },
        { name: 'bomb.npy', data: writeNpy({ descr: '<f4', shape: [1024, 1024], data: new Uint8Array(4 << 20) }), method: 8, declaredSize: 5000 },
      ]),
    ];
    /** Mutate the array inside one entry, keeping the zip valid (CRCs recomputed). */
    const entryEdits = fc.tuple(fc.boolean(), fc.oneof(npyMutation, headerEdits)).map(([compressed, how]) =>
      labelled(`entry(${compressed}, ${fc.stringify(how)})`, () => {
        const npy = Array.isArray(how) ? (how[1] as Mutation)(writeNpy(NPY_BASES[how[0] as number]!)) : (how as () => Uint8Array)();
        return writeZip([
          { name: 'ok.npy', data: writeNpy(NPY_BASES[0]!), method: compressed ? 8 : 0 },
          { name: 'x.npy', data: npy, method: compressed ? 8 : 0 },
        ]);
      }),
    );
    const zipLevel = fc.tuple(fc.nat({ max: bases.length - 1 }), chained(fc.oneof(truncation, bitFlips, zipFieldEdits, zipFieldEdits)));
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof(zipLevel, entryEdits), async (how) => {
        const bytes = Array.isArray(how) ? (how[1] as Mutation)(bases[how[0] as number]!) : (how as () => Uint8Array)();
        const outcome = await fuzzCase([namedFile('fuzz.npz', bytes)], { readers: READERS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED + 1, numRuns: 1200 },
    );
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(25);
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['opened', 'TRUNCATED', 'BAD_ZIP', 'BAD_STRUCTURE']));
    process.stdout.write(`npz fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
  });
});
