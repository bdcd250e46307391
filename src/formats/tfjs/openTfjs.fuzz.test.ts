/**
 * Seeded fuzzing (STYLE.md §3, "Properties"): a TF.js layers model (two groups, three shards with weights
 * straddling them; float32, uint8, uint16, float16, int32, bool and string weights) mutated in its JSON
 * (structured edits: hostile shapes, bogus dtypes and quantizations, renamed or missing paths, duplicate
 * names, deep nesting; and text edits: truncations, stray characters, hostile numbers) and in its shards
 * (truncations, bit flips, extra bytes, missing or renamed files). Every case must end in a Model whose
 * tensors all read (or reject with a FormatError), or in a FormatError: never another exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { onnxReader } from '../onnx/onnxReader';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { bitFlips, truncation } from '../testing/byteMutations';
import { fuzzCase, labelled } from '../testing/fuzzCase';
import { namedFile } from '../testing/memoryBlob';
import type { WeightToWrite } from './testing/buildTfjs';
import { wave, writeTfjs } from './testing/buildTfjs';
import { LAYERS_TOPOLOGY } from './testing/tfjsTestModels';
import { tfjsReader } from './tfjsReader';

const SEED = 0x7f15;
const CASE_TIME_LIMIT_MS = 2000;
const READERS = [safetensorsReader, onnxReader, tfjsReader];

const WEIGHTS: readonly WeightToWrite[] = [
  { name: 'conv1/kernel', shape: [3, 3, 3, 8], values: wave(216, 0, 0.3) },
  { name: 'conv1/bias', shape: [8], values: wave(8, 1), quantize: 'uint8' },
  { name: 'dw/depthwise_kernel', shape: [3, 3, 8, 1], values: wave(72, 2), quantize: 'float16' },
  { name: 'vocab', shape: [3], dtype: 'string', strings: ['tf', 'js', 'weights'] },
  { name: 'fc/kernel', shape: [32, 10], values: wave(320, 4), quantize: 'uint16' },
  { name: 'fc/bias', shape: [10], values: wave(10, 5) },
  { name: 'steps', shape: [2], dtype: 'int32', values: [3, -7] },
  { name: 'mask', shape: [3], dtype: 'bool', values: [1, 0, 1] },
];
const EXTRA: readonly WeightToWrite[] = [{ name: 'head/kernel', shape: [10, 4], values: wave(40, 6) }];
const BASE = writeTfjs({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [{ weights: WEIGHTS, shardBytes: 700 }, { weights: EXTRA }] });
const BASE_JSON = BASE.json as { weightsManifest: { paths: string[]; weights: Record<string, unknown>[] }[] } & Record<string, unknown>;

type JsonEdit = (json: Record<string, unknown>) => unknown;

const hostileNumber = fc.constantFrom(-1, 0, 1, 2.5, 7, 1000, 2 ** 31, 2 ** 32 + 1, 2 ** 40, 2 ** 53, 2 ** 60, 1e308, -0);
const oddValue = fc.oneof(fc.constant(null), fc.constant({}), fc.constant([]), fc.string({ maxLength: 4 }), hostileNumber, fc.boolean());
const entryEdit = fc.oneof(
  fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), hostileNumber), { maxLength: 5 }).map((shape) => ({ shape })),
  fc.constantFrom([2 ** 30, 2 ** 30, 2 ** 30], [2 ** 26, 2 ** 26, 4], [2 ** 52, 2], [1e5, 1e5], [0, 2 ** 52, 2 ** 52]).map((shape) => ({ shape })),
  fc.constantFrom('float32', 'int32', 'bool', 'string', 'complex64', 'float16', 'uint8', 'uint16', 'float64', 'int8', '', 'constructor').map((dtype) => ({ dtype })),
  fc
    .record(
      { dtype: fc.oneof(fc.constantFrom('uint8', 'uint16', 'float16', 'int4', '__proto__'), oddValue), min: fc.oneof(hostileNumber, oddValue), scale: fc.oneof(hostileNumber, oddValue) },
      { requiredKeys: [] },
    )
    .map((quantization) => ({ quantization })),
  oddValue.map((quantization) => ({ quantization })),
  fc.constantFrom('conv1/kernel', 'fc/kernel', '', 'a/b/c/depthwise', 'x').map((name) => ({ name })),
  oddValue.map((shape) => ({ shape })),
  oddValue.map((name) => ({ name })),
);
const groupEdit = fc.oneof(
  fc.array(fc.constantFrom('group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin', 'group2-shard1of1.bin', 'missing.bin', 'dir/group1-shard2of3.bin', '%zz', 'a%20b'), { maxLength: 4 }).map(
    (paths) => ({ paths }) as Record<string, unknown>,
  ),
  oddValue.map((paths) => ({ paths })),
  oddValue.map((weights) => ({ weights })),
  fc.constant({ weights: [] }),
);

/** Structured edits of the model.json object. */
const structured = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(), fc.nat(), entryEdit), { maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), groupEdit), { maxLength: 2 }),
    fc.option(fc.constantFrom('dropManifest', 'manifestOnly', 'notAnObject', 'graphFormat', 'deepTopology', 'deepLayers', 'swapGroups', 'oddManifest')),
  )
  .map(([entries, groups, top]) =>
    labelled(`structured(${JSON.stringify(entries)}, ${JSON.stringify(groups)}, ${top})`, ((json: Record<string, unknown>) => {
      const copy = JSON.parse(JSON.stringify(json)) as typeof BASE_JSON;
      const manifest = copy.weightsManifest;
      for (const [g, e, edit] of entries) {
        const group = manifest[g % manifest.length];
        if (group && group.weights.length > 0) Object.assign(group.weights[e % group.weights.length] as object, edit);
      }
      for (const [g, edit] of groups) Object.assign(manifest[g % manifest.length] as object, edit);
      if (top === 'dropManifest') delete (copy as Record<string, unknown>).weightsManifest;
      if (top === 'manifestOnly') return manifest;
      if (top === 'notAnObject') return 42;
      if (top === 'graphFormat') return { ...copy, format: 'graph-model', modelTopology: { node: [{ name: 'c', op: 'Conv2D', input: ['x', 'conv1/kernel'] }, 7, { op: 'MatMul' }] } };
      if (top === 'deepTopology') return { ...copy, modelTopology: 'DEEP' };
      if (top === 'deepLayers') return { ...copy, modelTopology: 'DEEP_LAYERS' };
      if (top === 'swapGroups') return { ...copy, weightsManifest: [...manifest].reverse() };
      if (top === 'oddManifest') return { ...copy, weightsManifest: [manifest[0], 7] };
      return copy;
    }) as JsonEdit),
  );

/** Serialise, with deep nesting spliced in as text (JSON.stringify itself would overflow on it). */
function serialise(value: unknown): string {
  return JSON.stringify(value)
    .replace('"DEEP"', `${'['.repeat(20000)}${']'.repeat(20000)}`)
    .replace('"DEEP_LAYERS"', `${'{"class_name": "Model", "config": {"name": "m", "layers": ['.repeat(3000)}1${']}}'.repeat(3000)}`);
}

type TextEdit = (text: string) => string;
const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.nat().map((cut) => labelled(`cut(${cut})`, (t: string) => t.slice(0, cut % (t.length + 1)))),
  fc
    .array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '0', '-', 'e', ' ', '\u0000', 'é')), { minLength: 1, maxLength: 4 })
    .map((edits) =>
      labelled(`chars(${JSON.stringify(edits)})`, (t: string) => {
        let out = t;
        for (const [at, kind, c] of edits) {
          const i = at % (out.length + 1);
          out = kind === 0 ? out.slice(0, i) + out.slice(i + 1) : kind === 1 ? out.slice(0, i) + c + out.slice(i) : out.slice(0, i) + c + out.slice(i + 1);
        }
        return out;
      }),
    ),
  fc.tuple(fc.nat(), fc.constantFrom('-1', '1e400', '9007199254740993', '0.5', '4294967296', '1e-400', '-0')).map(([pick, number]) =>
    labelled(`number(${pick}, ${number})`, (t: string) => {
      const numbers = [...t.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      const m = numbers[pick % Math.max(1, numbers.length)];
      return m?.index === undefined ? t : t.slice(0, m.index) + number + t.slice(m.index + m[0].length);
    }),
  ),
);

/** One mutated model.json: structured edits, then text edits, each optional. */
const jsonMutation = fc
  .tuple(fc.option(structured, { freq: 2 }), fc.array(textEdit, { maxLength: 2 }))
  .map(([edit, texts]) =>
    labelled(`${edit ? fc.stringify(edit) : 'keep'}${texts.map((t) => ` then ${fc.stringify(t)}`).join('')}`, () =>
      texts.reduce((text, t) => t(text), serialise(edit ? edit(BASE_JSON) : BASE_JSON)),
    ),
  );

type ShardMutation = (bytes: Uint8Array) => Uint8Array | null;
const shardMutation: fc.Arbitrary<ShardMutation> = fc.oneof(
  { arbitrary: fc.constant(labelled('keep', (b: Uint8Array) => b)), weight: 4 },
  { arbitrary: truncation, weight: 2 },
  { arbitrary: bitFlips, weight: 2 },
  { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((extra) => labelled(`append(${extra.length})`, (b: Uint8Array) => Uint8Array.from([...b, ...extra]))), weight: 1 },
  { arbitrary: fc.constant(labelled('drop', () => null)), weight: 1 },
);

/** The shards, each mutated by its own mutation (a `null` result drops the file). */
function shards(mutations: readonly ShardMutation[]): NamedBlob[] {
  return BASE.shards.flatMap((s, i) => {
    const bytes = (mutations[i % mutations.length] ?? ((b: Uint8Array) => b))(s.bytes);
    return bytes === null ? [] : [namedFile(s.name, bytes)];
  });
}

describe('TF.js fuzzing (seeded)', () => {
  it('every mutated model.json opens or fails with a FormatError', async () => {
    const outcomes = new Map<string, number>();
    const start = performance.now();
    await fc.assert(
      fc.asyncProperty(jsonMutation, fc.constantFrom('model.json', 'fuzz.txt', 'x-weights_manifest.json'), async (mutate, name) => {
        const files = [namedFile(name, mutate()), ...shards([(b) => b])];
        const outcome = await fuzzCase(files, { readers: READERS, timeLimitMs: CASE_TIME_LIMIT_MS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    process.stdout.write(`tfjs fuzz (model.json, 2000 cases, ${seconds} s): ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}\n`);
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(200);
    expect([...outcomes.keys()]).toEqual(
      expect.arrayContaining(['BAD_HEADER_ENTRY', 'BAD_HEADER_JSON', 'BAD_STRUCTURE', 'DUPLICATE_TENSOR', 'MISSING_COMPANION', 'TOO_LARGE', 'TRUNCATED', 'opened']),
    );
  });

  it('every mutated, missing or extra shard opens or fails with a FormatError', async () => {
    const outcomes = new Map<string, number>();
    const start = performance.now();
    const json = serialise(BASE_JSON);
    await fc.assert(
      fc.asyncProperty(fc.array(shardMutation, { minLength: 1, maxLength: 4 }), fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: jsonMutation, weight: 1 }), async (mutations, mutateJson) => {
        const files = [namedFile('model.json', mutateJson ? mutateJson() : json), ...shards(mutations)];
        const outcome = await fuzzCase(files, { readers: READERS, timeLimitMs: CASE_TIME_LIMIT_MS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED + 1, numRuns: 1000 },
    );
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    process.stdout.write(`tfjs fuzz (shards, 1000 cases, ${seconds} s): ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}\n`);
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(100);
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['MISSING_COMPANION', 'TRUNCATED', 'opened']));
  });
});
