/**
 * Seeded fuzzing of the zip reader (STYLE.md §3, "Properties"): valid archives (stored, aligned, deflated,
 * ZIP64, with a comment) and hostile ones (zip bombs, overlapping entries) are truncated, bit-flipped and have
 * their header fields overwritten with hostile values. Every case must list its entries and read each one, or
 * fail with a FormatError, within a time limit.
 */
import { deflateSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { FormatError } from '../formatError';
import type { FormatReader } from '../formatReader';
import { bitFlips, chained, truncation, zipFieldEdits } from '../testing/byteMutations';
import { fuzzCase } from '../testing/fuzzCase';
import { namedFile } from '../testing/memoryBlob';
import { writeZip } from '../testing/writeZip';
import { openZip } from './openZip';

const SEED = 0x21b0b;
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff);
const text = (s: string) => new TextEncoder().encode(s);

/** How entry reads ended, over the whole run. */
const readOutcomes = new Map<string, number>();

/** Every entry as a tensor whose `read()` extracts it (and its first bytes), so the fuzz harness exercises all reads. */
const zipAsModel: FormatReader = {
  id: 'zip-test',
  label: 'zip (test)',
  extensions: [],
  sniff: () => true,
  async open(files: readonly NamedBlob[]): Promise<Model> {
    const file = files[0] as NamedBlob;
    const zip = await openZip(file);
    const tensors = zip.entries.map(
      (e): TensorRef => ({
        name: e.name,
        dtype: 'U8',
        shape: [e.uncompressedSize],
        size: e.uncompressedSize,
        kind: 'vector',
        file: file.name,
        byteLength: e.uncompressedSize,
        async read() {
          try {
            await zip.readPrefix(e, 10);
            const data = await zip.read(e, { maxBytes: 64 * 1024 * 1024 });
            readOutcomes.set('read', (readOutcomes.get('read') ?? 0) + 1);
            return Float32Array.from(data);
          } catch (error) {
            const code = error instanceof FormatError ? error.code : 'other';
            readOutcomes.set(code, (readOutcomes.get(code) ?? 0) + 1);
            throw error;
          }
        },
      }),
    );
    return { format: 'zip', name: file.name, files: [{ name: file.name, size: file.blob.size }], tensors, metadata: {} };
  },
};

const zeros = new Uint8Array(4 * 1024 * 1024);
const BASES = [
  writeZip([
    { name: 'archive/data.pkl', data: bytes(200, 1), align: 64 },
    { name: 'archive/data/0', data: bytes(96, 2), align: 64 },
    { name: 'notes.txt', data: text('hello '.repeat(50)), method: 8 },
  ]),
  writeZip(
    [
      { name: 'a.npy', data: bytes(300, 3), method: 8 },
      { name: 'b.npy', data: bytes(40, 4) },
    ],
    { zip64: true, comment: 'zip64 with a comment' },
  ),
  // A zip bomb: 4 MiB of zeros (4 KiB deflated) declaring 1,000 bytes, and a tiny entry declaring 3 GB.
  writeZip(
    [
      { name: 'bomb', data: zeros, method: 8, declaredSize: 1000 },
      { name: 'liar', data: bytes(64, 5), method: 8, declaredSize: 3_000_000_000 },
    ],
    { zip64: true },
  ),
  // Two central directory records pointing at one local entry (overlap), repeated 50 times.
  (() => {
    const one = writeZip([{ name: 'x', data: bytes(32, 6) }]);
    const eocd = one.length - 22;
    const cdAt = new DataView(one.buffer).getUint32(eocd + 16, true);
    const record = one.subarray(cdAt, eocd);
    const out = new Uint8Array(cdAt + record.length * 50 + 22);
    out.set(one.subarray(0, cdAt));
    for (let i = 0; i < 50; i++) out.set(record, cdAt + i * record.length);
    out.set(one.subarray(eocd), cdAt + record.length * 50);
    const view = new DataView(out.buffer);
    const end = cdAt + record.length * 50;
    view.setUint16(end + 8, 50, true);
    view.setUint16(end + 10, 50, true);
    view.setUint32(end + 12, record.length * 50, true);
    return out;
  })(),
];

const mutation = chained(fc.oneof({ arbitrary: truncation, weight: 1 }, { arbitrary: bitFlips, weight: 2 }, { arbitrary: zipFieldEdits, weight: 4 }));

describe('zip fuzzing (seeded)', () => {
  it('every mutated archive lists and reads its entries, or fails with a FormatError', async () => {
    expect(deflateSync(zeros).length).toBeLessThan(8192);
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BASES.length - 1 }), mutation, async (base, mutate) => {
        const outcome = await fuzzCase([namedFile('fuzz.zip', mutate(BASES[base] as Uint8Array))], { readers: [zipAsModel] });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 1200 },
    );
    expect(outcomes.get('opened') ?? 0).toBeGreaterThan(50);
    expect([...outcomes.keys()]).toEqual(expect.arrayContaining(['opened', 'BAD_ZIP', 'TRUNCATED']));
    expect([...readOutcomes.keys()]).toEqual(expect.arrayContaining(['read', 'ZIP_BOMB', 'BAD_ZIP']));
    process.stdout.write(`zip fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}; entry reads: ${JSON.stringify(Object.fromEntries(readOutcomes))}\n`);
  });
});
