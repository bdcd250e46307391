/**
 * Seeded fuzzing (STYLE.md §3, "Properties") of the Keras reader with h5wasm in worker threads, as in the
 * browser: Keras 2 `.h5` (h5py's and the HDF5 1.10+ file format), Keras 3 `.weights.h5` and `.keras` files mutated by truncation, bit flips in the first KB (superblock, root
 * group, first object headers) and anywhere, and byte edits. Every case must end in a Model whose tensors all
 * read (or reject with a FormatError) or in a FormatError, within a time bound: a file that makes HDF5 loop
 * is stopped by the host's time limit, and one that crashes it gets a fresh engine.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzCase, labelled } from '../testing/fuzzCase';
import { namedFile } from '../testing/memoryBlob';
import { createKerasReader } from './kerasReader';
import type { LayerSpec } from './testing/buildKeras';
import { buildKeras2, buildKeras3Weights, buildKerasArchive } from './testing/buildKeras';
import { nodeHdf5Host } from './testing/nodeHdf5Host';

const SEED = 0x4ea5;
/** Per case: a looping file costs the host's 1.5 s limit plus a worker respawn (~0.4 s), twice at most. */
const CASE_TIME_LIMIT_MS = 8000;

const seq = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(i + 1));
const LAYERS: readonly LayerSpec[] = [
  {
    name: 'conv2d',
    className: 'Conv2D',
    weights: [
      { name: 'conv2d/kernel:0', shape: [3, 3, 2, 4], values: seq(72) },
      { name: 'conv2d/bias:0', shape: [4], values: seq(4, 0.1), gzip: true },
    ],
  },
  { name: 'flatten', className: 'Flatten', weights: [] },
  { name: 'dense', className: 'Dense', weights: [{ name: 'dense/kernel:0', shape: [8, 5], values: Float64Array.from(seq(40)) }] },
];

type Mutation = (bytes: Uint8Array) => Uint8Array;

const truncation = fc.nat().map((cut) => labelled(`truncate(${cut})`, (b: Uint8Array) => b.slice(0, cut % (b.length + 1))));

const bitFlips = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean()), { minLength: 1, maxLength: 6 })
  .map((flips) =>
    labelled(`flip(${JSON.stringify(flips)})`, (b: Uint8Array) => {
      const out = b.slice();
      // Half the flips land in the first KB: superblock, root symbol table, first object headers and heaps.
      for (const [at, bit, early] of flips) {
        if (out.length === 0) break;
        const i = early ? at % Math.min(out.length, 1024) : at % out.length;
        out[i] = (out[i] as number) ^ (1 << bit);
      }
      return out;
    }),
  );

const byteEdits = fc
  .array(fc.tuple(fc.nat(), fc.constantFrom(0x00, 0xff, 0x7f, 0x80, 0x01), fc.integer({ min: 1, max: 8 })), { minLength: 1, maxLength: 3 })
  .map((edits) =>
    labelled(`fill(${JSON.stringify(edits)})`, (b: Uint8Array) => {
      const out = b.slice();
      for (const [at, value, length] of edits) if (out.length > 0) out.fill(value, at % out.length, (at % out.length) + length);
      return out;
    }),
  );

const mutation: fc.Arbitrary<Mutation> = fc.oneof({ arbitrary: truncation, weight: 2 }, { arbitrary: bitFlips, weight: 5 }, { arbitrary: byteEdits, weight: 2 });

describe('Keras fuzzing (seeded)', () => {
  const host = nodeHdf5Host({ openMs: () => 1500, readMs: () => 1500 });
  const READERS = [createKerasReader({ host })];
  afterAll(() => host.dispose());

  it('every mutated Keras 2 .h5 and Keras 3 .keras opens or fails with a FormatError, in bounded time', { timeout: 120_000 }, async () => {
    const keras3Layers = LAYERS.map((l) => ({ ...l, weights: l.weights.map((w, i) => ({ ...w, name: String(i) })) }));
    const bases = {
      fixed: await buildKeras2(LAYERS),
      vlen: await buildKeras2(LAYERS, { vlenStrings: true, libver: 'latest' }),
      keras3: await buildKeras3Weights(keras3Layers),
      // The archive's entries are CRC-checked, so damage inside them mostly ends as BAD_ZIP: `keras3` fuzzes that HDF5.
      keras: await buildKerasArchive(keras3Layers),
    };
    const outcomes = new Map<string, number>();
    let cases = 0;
    const start = performance.now();
    await fc.assert(
      // A `.bin` name turns off the extension fallback, so damaged signatures meet the sniffer.
      fc.asyncProperty(fc.constantFrom('fixed', 'vlen', 'keras3', 'keras'), mutation, fc.boolean(), async (base, mutate, bin) => {
        const name = bin ? 'fuzz.bin' : base === 'keras' ? 'fuzz.keras' : 'fuzz.h5';
        const outcome = await fuzzCase([namedFile(name, mutate(bases[base as keyof typeof bases]))], { readers: READERS, timeLimitMs: CASE_TIME_LIMIT_MS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        cases++;
      }),
      { seed: Number(process.env.KERAS_FUZZ_SEED ?? SEED), numRuns: Number(process.env.KERAS_FUZZ_RUNS ?? 2000) },
    );
    expect(cases).toBeGreaterThanOrEqual(1000);
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(100);
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['opened', 'BAD_HDF5', 'TRUNCATED', 'BAD_STRUCTURE', 'BAD_ZIP', 'UNKNOWN_FORMAT']));
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    process.stdout.write(`keras fuzz: ${cases} cases in ${seconds} s, ${host.spawned()} HDF5 workers; outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}\n`);
  });
});
