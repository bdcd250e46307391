/**
 * Seeded fuzzing of the GGUF reader (STYLE.md §3, "Properties"): valid GGUF files mutated by truncation, bit
 * flips, hostile values in their count, length, type, n_dims, dimension and offset fields (found by walking
 * the file, testing/ggufFields.ts), bogus ggml and value types, and random well-formed-but-odd files (odd
 * shapes, alignments, types, offsets, versions). Every case must end in a Model whose tensors all read (or
 * reject with a FormatError), or in a FormatError, within a time limit: never another exception, never a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mutation } from '../testing/byteMutations';
import { bitFlips, chained, HOSTILE_NUMBERS, truncation, writeField } from '../testing/byteMutations';
import { fuzzCase, labelled } from '../testing/fuzzCase';
import { namedFile } from '../testing/memoryBlob';
import { ggufReader } from './ggufReader';
import type { GgufFieldKind } from './testing/ggufFields';
import { ggufFields } from './testing/ggufFields';
import type { GgufTensorToWrite } from './testing/writeGguf';
import { bf16Bytes, f16Bytes, f32Bytes, gv, i32Bytes, patternBytes, quantizeQ8_0, writeGguf } from './testing/writeGguf';

const SEED = 0x66756;
const CASE_TIME_LIMIT_MS = 2000;
const READERS = [ggufReader];
const seq = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i + 1));

const TENSORS: readonly GgufTensorToWrite[] = [
  { name: 'token_embd.weight', ne: [8, 6], type: 'F16', data: f16Bytes(seq(48)) },
  { name: 'blk.0.attn_q.weight', ne: [8, 8], type: 'F32', data: f32Bytes(seq(64)) },
  { name: 'blk.0.attn_k.weight', ne: [8, 4], type: 'BF16', data: bf16Bytes(seq(32)) },
  { name: 'blk.0.ffn_up.weight', ne: [32, 3], type: 'Q8_0', data: quantizeQ8_0(seq(96)) },
  { name: 'blk.0.ffn_down.weight', ne: [32, 2], type: 'Q4_0', data: patternBytes(36) },
  { name: 'blk.0.norm', ne: [8], type: 'F32', data: f32Bytes(seq(8)) },
  { name: 'ids', ne: [3], type: 'I32', data: i32Bytes([1, 2, 3]) },
];
const METADATA = [
  ['general.architecture', gv.str('llama')],
  ['general.name', gv.str('fuzz')],
  ['llama.rope.dimension_sections', gv.array('int32', [gv.i32(2), gv.i32(2)])],
  ['tokenizer.ggml.tokens', gv.array('string', Array.from({ length: 40 }, (_, i) => gv.str(`t${i}`)))],
  ['tokenizer.ggml.scores', gv.array('float32', Array.from({ length: 40 }, (_, i) => gv.f32(-i)))],
  ['nested', gv.array('array', [gv.array('uint8', [gv.u8(1)]), gv.array('string', [gv.str('x')])])],
  ['flags', gv.bool(true)],
  ['big', gv.u64(2n ** 63n)],
  ['eps', gv.f64(1e-6)],
] as const;
const BASES = [
  writeGguf({ metadata: METADATA, tensors: TENSORS }),
  writeGguf({ metadata: [['general.alignment', gv.u32(64)], ...METADATA.slice(0, 2)], tensors: TENSORS.slice(0, 4), version: 2 }),
];

/** Overwrite 1–3 GGUF fields (of any kind, or of one kind) with hostile values, or nudge them. */
const fieldEdits: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.option(fc.constantFrom<GgufFieldKind>('count', 'length', 'valueType', 'ggmlType', 'nDims', 'dim', 'offset'), { nil: undefined }),
    fc.array(
      fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: 0, max: 45 }), fc.integer({ min: -40, max: 40 }).map((d) => ({ delta: d })))),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([kind, edits]) =>
    labelled(`ggufFields(${kind ?? 'any'}, ${JSON.stringify(edits)})`, (b: Uint8Array) => {
      const out = b.slice();
      const fields = ggufFields(out).filter((f) => kind === undefined || f.kind === kind);
      if (fields.length === 0) return out;
      const view = new DataView(out.buffer);
      for (const [pick, value] of edits) {
        const field = fields[pick % fields.length]!;
        const old = field.width === 4 ? view.getUint32(field.at, true) : Number(view.getBigUint64(field.at, true));
        writeField(out, field, typeof value === 'number' ? value : Math.max(0, old + value.delta));
      }
      return out;
    }),
  );

/** Random well-formed files with odd contents: shapes, types (known, removed, unknown), offsets, alignment, version. */
const oddFiles: fc.Arbitrary<Mutation> = fc
  .record({
    version: fc.constantFrom(1, 2, 3, 3, 3, 3, 3, 4),
    alignment: fc.option(fc.constantFrom(1, 8, 16, 32, 64, 3, 0, 4096), { nil: undefined }),
    tensors: fc.array(
      fc.record({
        name: fc.constantFrom('a', 'b', 'c', 'blk.0.w', ''),
        ne: fc.array(fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(256, 2 ** 31, 2 ** 40)), { maxLength: 5 }),
        type: fc.oneof(fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'Q8_0', 'Q4_K', 'I8', 'I64'), fc.integer({ min: 0, max: 45 })),
        dataBytes: fc.integer({ min: 0, max: 600 }),
        offset: fc.option(fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.constantFrom(2 ** 40, 2 ** 53 + 2)), { nil: undefined }),
      }),
      { maxLength: 5 },
    ),
  })
  .map((spec) =>
    labelled(`odd(${JSON.stringify(spec)})`, () =>
      writeGguf({
        version: spec.version,
        metadata: spec.alignment === undefined ? METADATA.slice(0, 2) : [['general.alignment', gv.u32(spec.alignment)]],
        ...(spec.alignment === undefined || spec.alignment === 0 || (spec.alignment & (spec.alignment - 1)) !== 0 ? { alignment: 32 } : {}),
        tensors: spec.tensors.map((t) => ({ name: t.name, ne: t.ne, type: t.type, data: patternBytes(t.dataBytes), ...(t.offset === undefined ? {} : { offset: t.offset }) })),
      }),
    ),
  );

const mutation: fc.Arbitrary<[number, Mutation]> = fc.tuple(
  fc.nat({ max: BASES.length - 1 }),
  chained(fc.oneof({ arbitrary: truncation, weight: 2 }, { arbitrary: bitFlips, weight: 3 }, { arbitrary: fieldEdits, weight: 5 })),
);

describe('GGUF fuzzing (seeded)', () => {
  it('every mutated file opens and reads, or fails with a FormatError, in time', async () => {
    const outcomes = new Map<string, number>();
    const started = performance.now();
    await fc.assert(
      // A `.bin` name turns off the extension fallback, so damaged magic meets the sniffer.
      fc.asyncProperty(fc.oneof({ arbitrary: mutation, weight: 4 }, { arbitrary: oddFiles, weight: 1 }), fc.constantFrom('fuzz.gguf', 'fuzz.gguf', 'fuzz.bin'), async (how, name) => {
        const bytes = Array.isArray(how) ? (how[1] as Mutation)(BASES[how[0] as number]!) : (how as () => Uint8Array)();
        const outcome = await fuzzCase([namedFile(name, bytes)], { readers: READERS, timeLimitMs: CASE_TIME_LIMIT_MS });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 2500 },
    );
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(100);
    expect([...outcomes.keys()]).toEqual(
      expect.arrayContaining([
        'opened',
        'TRUNCATED',
        'BAD_STRUCTURE',
        'UNSUPPORTED_VERSION',
        'BAD_HEADER_ENTRY',
        'OFFSETS_OUT_OF_BOUNDS',
        'OFFSETS_OVERLAP',
        'DUPLICATE_TENSOR',
        'TOO_LARGE',
        'UNKNOWN_FORMAT',
      ]),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`gguf fuzz outcomes (2500 cases, ${seconds} s): ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}\n`);
  });
});
