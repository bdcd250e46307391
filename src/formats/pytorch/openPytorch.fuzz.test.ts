/**
 * Seeded fuzzing of the PyTorch reader (STYLE.md §3, "Properties"). Checkpoints are mutated at the zip level
 * (truncations, bit flips, hostile header fields) and inside `data.pkl` (re-zipped, so CRCs stay valid):
 * random opcode edits, integers swapped for huge ones, and hostile snippets spliced in: calls to os.system,
 * builtins.eval and subprocess.Popen through GLOBAL / STACK_GLOBAL + REDUCE, deep nesting, runs of MARKs,
 * absurd string lengths, missing memo entries. Every case must open with tensors that read (or reject with a
 * FormatError), or fail with a FormatError, within a time limit; and no hostile global may ever be accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitFlips, chained, HOSTILE_NUMBERS, truncation, zipFieldEdits } from '../testing/byteMutations';
import { fuzzCase, labelled } from '../testing/fuzzCase';
import { namedFile } from '../testing/memoryBlob';
import { PickleWriter } from '../testing/writePickle';
import { pickleForTorch, plainDict, stateDict, tensor, writeTorchCheckpoint } from '../testing/writeTorchCheckpoint';
import { openPytorch } from './openPytorch';
import { pytorchReader } from './pytorchReader';

const SEED = 0x70c4;
const READERS = [pytorchReader];
const seq = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i + 1));

const CHECKPOINT = plainDict({
  model: stateDict({
    'conv.weight': tensor('float32', [2, 3, 2, 2], seq(24), { parameter: true }),
    'fc.weight': tensor('float16', [3, 4], seq(12)),
    'fc.bias': tensor('bfloat16', [3], seq(3)),
    'fc.t': tensor('float32', [4, 3], [], { storage: { key: 'shared', values: seq(12) }, stride: [1, 4] }),
  }),
  epoch: 3,
  history: [1.5, 'text', { kind: 'tuple', items: [null, true] }],
});
const { pickle: PICKLE } = pickleForTorch(CHECKPOINT);
const BASE = writeTorchCheckpoint(CHECKPOINT);

/** Hostile pickle fragments: each leaves one value on the stack when spliced between opcodes. */
const HOSTILE = [
  ['os.system', new PickleWriter().global('os', 'system').str('touch /tmp/pwned').tuple1().reduce()],
  ['builtins.eval', new PickleWriter().stackGlobal('builtins', 'eval').str('__import__("os")').tuple1().reduce()],
  ['subprocess.Popen', new PickleWriter().global('subprocess', 'Popen').str('ls').tuple1().newobj()],
  ['nt.system', new PickleWriter().global('nt', 'system').str('dir').tuple1().reduce()],
  ['deep tuples', new PickleWriter().emptyTuple().raw(new Uint8Array(5000).fill(0x85))],
  ['mark run', new PickleWriter().raw(new Uint8Array(20_000).fill(0x28)).none()],
  ['huge unicode8', new PickleWriter().raw([0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])],
  ['huge binbytes', new PickleWriter().raw([0x42, 0xff, 0xff, 0xff, 0xff])],
  ['missing memo', new PickleWriter().get(250)],
  ['long4', new PickleWriter().raw([0x8b, 0x00, 0x00, 0x00, 0x40])],
] as const;

/** Splice one hostile fragment in at a random opcode boundary-ish position (or just before STOP). */
const hostileSplice = fc.tuple(fc.nat({ max: HOSTILE.length - 1 }), fc.nat(), fc.boolean()).map(([which, at, beforeStop]) => {
  const [name, fragment] = HOSTILE[which] as (typeof HOSTILE)[number];
  return labelled(`hostile(${name}, ${beforeStop ? 'before STOP' : at})`, (p: Uint8Array) => {
    const i = beforeStop ? p.length - 1 : at % p.length;
    const bytes = fragment.bytes();
    // Before STOP, pop the state dict's value and leave the hostile result as the pickle's result.
    const glue = beforeStop ? Uint8Array.from([0x30]) : new Uint8Array(0);
    return Uint8Array.from([...p.subarray(0, i), ...glue, ...bytes, ...p.subarray(i)]);
  });
});

/** Replace, insert or delete bytes with opcode bytes (the pickle alphabet) or hostile numbers. */
const OPCODES = [0x28, 0x2e, 0x30, 0x31, 0x32, 0x4a, 0x4b, 0x4d, 0x4e, 0x51, 0x52, 0x58, 0x5d, 0x61, 0x62, 0x63, 0x65, 0x68, 0x6a, 0x71, 0x72, 0x73, 0x74, 0x75, 0x7d, 0x29, 0x80, 0x81, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x8d, 0x93, 0x94, 0x95, 0xff];
const opcodeEdits = fc
  .array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...OPCODES)), { minLength: 1, maxLength: 6 })
  .map((edits) =>
    labelled(`opcodes(${JSON.stringify(edits)})`, (p: Uint8Array) => {
      let out = Array.from(p);
      for (const [at, kind, op] of edits) {
        const i = at % (out.length + 1);
        if (kind === 0) out = [...out.slice(0, i), ...out.slice(i + 1)];
        else if (kind === 1) out = [...out.slice(0, i), op, ...out.slice(i)];
        else out[Math.min(i, out.length - 1)] = op;
      }
      return Uint8Array.from(out);
    }),
  );

/** Turn small integers (BININT1 / BININT2 arguments: sizes, strides, offsets, numels) into huge BININT / LONG1 ones. */
const numberEdits = fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE_NUMBERS, -1)).map(([pick, value]) =>
  labelled(`number(${pick}, ${value})`, (p: Uint8Array) => {
    const sites: number[] = [];
    for (let i = 0; i + 1 < p.length; i++) if (p[i] === 0x4b) sites.push(i);
    if (sites.length === 0) return p;
    const at = sites[pick % sites.length] as number;
    const replacement = new PickleWriter().int(value).bytes();
    return Uint8Array.from([...p.subarray(0, at), ...replacement, ...p.subarray(at + 2)]);
  }),
);

/** A checkpoint whose data.pkl is the base pickle mutated. */
const pickleMutation = chained(fc.oneof({ arbitrary: hostileSplice, weight: 2 }, { arbitrary: opcodeEdits, weight: 3 }, { arbitrary: numberEdits, weight: 2 }, { arbitrary: bitFlips, weight: 1 }, { arbitrary: truncation, weight: 1 }), 2).map(
  (m) => labelled(`pickle: ${fc.stringify(m)}`, () => writeTorchCheckpoint(CHECKPOINT, { pickle: m(PICKLE) })),
);
const zipMutation = chained(fc.oneof(truncation, bitFlips, zipFieldEdits, zipFieldEdits)).map((m) => labelled(`zip: ${fc.stringify(m)}`, () => m(BASE)));

describe('PyTorch fuzzing (seeded)', () => {
  it('the base checkpoint opens and reads', async () => {
    const model = await openPytorch([namedFile('base.pt', BASE)]);
    expect(model.tensors.map((t) => t.name)).toEqual(['model.conv.weight', 'model.fc.weight', 'model.fc.bias', 'model.fc.t']);
  });

  it.each([
    [0, 'PICKLE_FORBIDDEN'],
    [1, 'PICKLE_FORBIDDEN'],
    [2, 'PICKLE_FORBIDDEN'],
    [3, 'PICKLE_FORBIDDEN'],
    [4, 'BAD_STRUCTURE'],
    [5, 'TOO_LARGE'],
    [6, 'BAD_PICKLE'],
    [7, 'BAD_PICKLE'],
    [8, 'BAD_PICKLE'],
    [9, 'BAD_PICKLE'],
  ])('hostile fragment %i as the pickle\'s result ends in %s', async (which, code) => {
    const [, fragment] = HOSTILE[which] as (typeof HOSTILE)[number];
    const pickle = Uint8Array.from([...PICKLE.subarray(0, PICKLE.length - 1), 0x30, ...fragment.bytes(), 0x2e]);
    await expect(openPytorch([namedFile('hostile.pt', writeTorchCheckpoint(CHECKPOINT, { pickle }))])).rejects.toMatchObject({ code });
  });

  it('every mutated checkpoint opens and reads, or fails with a FormatError', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: pickleMutation, weight: 3 }, { arbitrary: zipMutation, weight: 1 }), fc.constantFrom('fuzz.pt', 'fuzz.dat'), async (make, name) => {
        const bytes = (make as () => Uint8Array)();
        const outcome = await fuzzCase([namedFile(name, bytes)], { readers: READERS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(30);
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['opened', 'PICKLE_FORBIDDEN', 'BAD_PICKLE', 'BAD_ZIP', 'TRUNCATED', 'TOO_LARGE']));
    process.stdout.write(`pytorch fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
  });
});
