/**
 * Seeded fuzzing (STYLE.md §3, "Properties"): valid ONNX models mutated by truncation, bit flips, byte edits,
 * huge varint lengths, and structured edits of the model (dims, data types, storage, external data entries,
 * IR version, names, deep nesting), plus damaged or missing external data files. Every case must end in a
 * Model whose tensors all read (or reject with a FormatError), or in a FormatError: never another exception,
 * and never a hang (each case is bounded in time).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { namedFile } from '../testing/memoryBlob';
import { fuzzCase, labelled } from '../testing/fuzzCase';
import { onnxReader } from './onnxReader';
import type { GraphSpec, ModelSpec, NodeSpec, TensorSpec } from './testing/buildOnnx';
import { DT, buildOnnx } from './testing/buildOnnx';

const SEED = 0x0beef0;
const CASE_TIME_LIMIT_MS = 2000;
const READERS = [safetensorsReader, onnxReader];

const seq = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i + 1));
const TENSORS: readonly TensorSpec[] = [
  { name: 'conv.w', dims: [2, 3, 2, 2], values: seq(24) },
  { name: 'fc.w', dims: [4, 6], values: seq(24), dataType: DT.FLOAT16, storage: 'typed' },
  { name: 'fc.b', dims: [4], values: seq(4), dataType: DT.BFLOAT16 },
  { name: 'head', dims: [3, 2], values: seq(6), dataType: DT.DOUBLE, storage: 'typed' },
  { name: 'shape', dims: [2], values: [3, 8], dataType: DT.INT64 },
  { name: 'odd', dims: [3], values: seq(3), storage: 'unpacked' },
];
const NODES: readonly NodeSpec[] = [
  { op: 'Conv', inputs: ['x', 'conv.w'], outputs: ['a'] },
  { op: 'Constant', outputs: ['k'], attrs: { value: { name: 'k', dims: [3, 3], values: seq(9) } } },
  { op: 'Constant', outputs: ['eps'], attrs: { value_floats: { floats: [1e-5, 2] } } },
  { op: 'Gemm', inputs: ['a', 'fc.w', 'fc.b'], outputs: ['b'], attrs: { transB: 1 } },
  { op: 'MatMul', inputs: ['b', 'k'], outputs: ['c'] },
  { op: 'If', inputs: ['c'], outputs: ['d'], attrs: { then_branch: { nodes: [{ op: 'Constant', outputs: ['t'], attrs: { value: { name: 't', dims: [2, 2], values: seq(4) } } }] } } },
];
const SPEC: ModelSpec = { producer: 'fuzz', metadata: { note: 'base' }, graph: { initializers: TENSORS, nodes: NODES } };
const BASE = buildOnnx(SPEC);

/** A second base: two tensors in an external data file. */
const EXTERNAL_DATA = new Uint8Array(Float32Array.from(seq(16 + 6)).buffer);
const EXTERNAL_SPEC: ModelSpec = {
  graph: {
    initializers: [
      { name: 'ext.a', dims: [4, 4], storage: 'external', external: { location: 'w.onnx.data', offset: '0', length: '64' } },
      { name: 'ext.b', dims: [3, 2], storage: 'external', external: { location: 'w.onnx.data', offset: '64', length: '24' } },
    ],
    nodes: [{ op: 'MatMul', inputs: ['x', 'ext.a'], outputs: ['y'] }],
  },
};

type Mutation = (bytes: Uint8Array) => Uint8Array;

const truncation = fc.nat().map((cut) => labelled(`truncate(${cut})`, (b: Uint8Array) => b.slice(0, cut % (b.length + 1))));

const bitFlips = fc
  .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean()), { minLength: 1, maxLength: 8 })
  .map((flips) =>
    labelled(`flip(${JSON.stringify(flips)})`, (b: Uint8Array) => {
      const out = b.slice();
      // Half the flips land in the first 128 bytes: tags and lengths of the model and graph headers.
      for (const [at, bit, early] of flips) {
        if (out.length === 0) break;
        const i = early ? at % Math.min(out.length, 128) : at % out.length;
        out[i] = (out[i] as number) ^ (1 << bit);
      }
      return out;
    }),
  );

const byteEdits = fc
  .array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
  .map((edits) =>
    labelled(`bytes(${JSON.stringify(edits)})`, (b: Uint8Array) => {
      let out = Array.from(b);
      for (const [at, kind, value] of edits) {
        const i = at % (out.length + 1);
        if (kind === 0) out = [...out.slice(0, i), ...out.slice(i + 1)];
        else if (kind === 1) out = [...out.slice(0, i), value, ...out.slice(i)];
        else out[i] = value;
      }
      return Uint8Array.from(out);
    }),
  );

/** Overwrite bytes with a huge varint (a length or count of up to 2^35). */
const hugeVarint = fc.tuple(fc.nat(), fc.constantFrom([0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x08], [0xff, 0xff, 0xff, 0x7f], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).map(([at, varint]) =>
  labelled(`varint(${at}, ${JSON.stringify(varint)})`, (b: Uint8Array) => {
    const out = b.slice();
    const i = at % Math.max(1, out.length);
    varint.forEach((v, k) => {
      if (i + k < out.length) out[i + k] = v;
    });
    return out;
  }),
);

const oddDims = fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(-1, 2 ** 31, 2 ** 40, 2 ** 53, -(2 ** 62))), { maxLength: 6 });
const tensorEdit = fc.oneof(
  oddDims.map((dims) => ({ dims })),
  fc.integer({ min: 0, max: 30 }).map((dataType) => ({ dataType })),
  fc.constantFrom<TensorSpec['storage']>('raw', 'typed', 'unpacked', 'none', 'external').map((storage) => ({ storage })),
  fc.uint8Array({ maxLength: 40 }).map((rawBytes) => ({ rawBytes, storage: 'raw' as const })),
  fc.constantFrom<[number, number]>([0, 2], [5, 1]).map((segment) => ({ segment })),
  fc.string({ maxLength: 4 }).map((name) => ({ name })),
  // Raw typed-array payloads and raw extra fields (written verbatim: packed chunks, or stray unpacked elements).
  fc
    .tuple(fc.constantFrom('float_data', 'int32_data', 'double_data', 'int64_data', '$unknowns'), fc.array(fc.uint8Array({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }))
    .map(([key, chunks]) => ({ storage: 'none' as const, fields: { [key]: chunks } })),
  fc.array(fc.tuple(fc.constantFrom(0x20, 0x25, 0x28, 0x51, 0x38), fc.uint8Array({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 6 }).map((elements) => ({
    storage: 'none' as const,
    fields: { $unknowns: elements.map(([tag, payload]) => Uint8Array.from([tag, ...payload])) },
  })),
  fc
    .record({ location: fc.constantFrom('w.onnx.data', 'missing.bin', '', 'dir/w.onnx.data'), offset: fc.constantFrom('0', '8', '80', '200', '-1', 'x', '99999999999999999', '1e3'), length: fc.constantFrom('0', '16', '96', '24', '4096') }, { requiredKeys: [] })
    .map((external) => ({ storage: 'external' as const, external })),
);
const structuredEdits = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(), tensorEdit), { minLength: 1, maxLength: 3 }),
    fc.option(fc.constantFrom(0, 1, 3, 11, 21, 99, 2 ** 40)),
    fc.boolean(),
    fc.option(fc.integer({ min: 1, max: 60 })),
  )
  .map(([edits, irVersion, duplicate, depth]) =>
    labelled(`structured(${JSON.stringify(edits)}, ir=${irVersion}, dup=${duplicate}, depth=${depth})`, () => {
      const initializers = [...TENSORS];
      for (const [at, edit] of edits) {
        const i = at % initializers.length;
        initializers[i] = { ...(initializers[i] as TensorSpec), ...edit };
      }
      if (duplicate) initializers.push({ ...(TENSORS[0] as TensorSpec) });
      let graph: GraphSpec = { initializers, nodes: NODES };
      // Deep If nesting; protobufjs's own writer stops at its recursion limit, so stay below it.
      for (let d = 0; d < Math.min(depth ?? 0, 30); d++) graph = { nodes: [{ op: 'If', inputs: ['c'], outputs: [`o${d}`], attrs: { then_branch: graph } }] };
      return buildOnnx({ ...SPEC, ...(irVersion === null ? {} : { irVersion }), graph });
    }),
  );

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: truncation, weight: 2 },
  { arbitrary: bitFlips, weight: 3 },
  { arbitrary: byteEdits, weight: 2 },
  { arbitrary: hugeVarint, weight: 2 },
  { arbitrary: structuredEdits, weight: 3 },
);
const mutations = fc
  .array(mutation, { minLength: 1, maxLength: 3 })
  .map((ms) => labelled(ms.map((m) => fc.stringify(m)).join(' then '), (b: Uint8Array) => ms.reduce((acc, m) => m(acc), b)));

describe('ONNX fuzzing (seeded)', () => {
  it('every mutated model opens or fails with a FormatError', async () => {
    const outcomes = new Map<string, number>();
    await fc.assert(
      // A `.bin` name turns off the extension fallback, so damaged signatures meet the sniffers.
      // The data file is dropped too in half the cases: structured edits point tensors at it.
      fc.asyncProperty(mutations, fc.constantFrom('fuzz.onnx', 'fuzz.bin'), fc.boolean(), async (mutate, name, withData) => {
        const files = [namedFile(name, mutate(BASE))];
        if (withData) files.push(namedFile('w.onnx.data', EXTERNAL_DATA));
        const outcome = await fuzzCase(files, { readers: READERS, timeLimitMs: CASE_TIME_LIMIT_MS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 3000 },
    );
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(50);
    expect([...outcomes.keys()]).toEqual(
      expect.arrayContaining(['BAD_PROTOBUF', 'BAD_STRUCTURE', 'DUPLICATE_TENSOR', 'MISSING_COMPANION', 'OFFSETS_OUT_OF_BOUNDS', 'SIZE_MISMATCH', 'TRUNCATED', 'UNKNOWN_FORMAT', 'UNSUPPORTED_VERSION', 'opened']),
    );
    process.stdout.write(`onnx fuzz outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}\n`);
  });

  it('every mutated model or data file with external data opens or fails with a FormatError', async () => {
    const model = buildOnnx(EXTERNAL_SPEC);
    const dataMutation = fc.oneof(fc.constant(labelled('keep', (b: Uint8Array) => b)), truncation, bitFlips);
    await fc.assert(
      fc.asyncProperty(mutations, dataMutation, fc.boolean(), fc.boolean(), async (mutate, mutateData, mutateModel, dropData) => {
        const files = [namedFile('w.onnx', mutateModel ? mutate(model) : model)];
        if (!dropData) files.push(namedFile('w.onnx.data', mutateData(EXTERNAL_DATA)));
        await fuzzCase(files, { readers: READERS, timeLimitMs: CASE_TIME_LIMIT_MS });
      }),
      { seed: SEED + 1, numRuns: 1000 },
    );
  });
});
