import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../analysis/random/seededRandom';
import { openModel } from '../registry';
import { lazyBlob, namedFile } from '../testing/memoryBlob';
import { readSafetensors } from './readSafetensors';
import { streamParts } from './streamParts';
import { partLength, safetensorsParts, writeSafetensors, type SafetensorsPart } from './writeSafetensors';

const rng = seededRandom(7);
const randomF32 = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);

describe('safetensorsParts', () => {
  const tensors = [
    { name: 'conv1.weight', dtype: 'F32' as const, shape: [4, 1, 3, 3], data: randomF32(36) },
    { name: 'conv1.bias', dtype: 'F32' as const, shape: [4], data: randomF32(4) },
    { name: 'fc/kernel:0', dtype: 'F32' as const, shape: [5, 3], data: randomF32(15) },
  ];
  const metadata = { edited_by: 'Artificial MRI', edits: '[{"tensor":"conv1.weight"}]' };

  it('is the header, then one part per tensor; joined they are writeSafetensors’ bytes', () => {
    const parts = safetensorsParts(tensors, metadata);
    expect(parts).toHaveLength(1 + tensors.length);
    expect(parts.slice(1).map((p) => p.length)).toEqual(tensors.map((t) => t.data.byteLength));
    expect((parts[0] as Uint8Array).length % 8).toBe(0);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    expect(joined).toEqual(writeSafetensors(tensors, metadata));
  });

  it('a Blob of the parts reads back through our reader and the registry: names, shapes, values, metadata', async () => {
    const blob = new Blob(safetensorsParts(tensors, metadata) as BlobPart[]);
    const file = namedFile('edited.safetensors', new Uint8Array(await blob.arrayBuffer()));
    const st = await readSafetensors(file);
    expect(st.metadata).toEqual(metadata);
    const model = await openModel([{ name: 'edited.safetensors', blob }]);
    expect(model.format).toBe('safetensors');
    expect(model.metadata).toMatchObject(metadata);
    for (const t of tensors) {
      const ref = model.tensors.find((r) => r.name === t.name);
      expect(ref?.shape).toEqual(t.shape);
      expect(await ref?.read()).toEqual(t.data);
    }
  });
});

describe('safetensorsParts with BlobLike bytes', () => {
  const source = new Uint8Array(64).map((_, i) => i);
  const reads: [number, number][] = [];
  const blob = lazyBlob(source.length, (s, e) => source.subarray(s, e), (s, e) => reads.push([s, e]));

  async function joined(parts: readonly SafetensorsPart[], chunkBytes?: number): Promise<Uint8Array> {
    const out: number[] = [];
    for await (const chunk of streamParts(parts, chunkBytes)) out.push(...chunk);
    return Uint8Array.from(out);
  }

  it('passes a BlobLike through as its own part, unread, and sizes the header from it', async () => {
    reads.length = 0;
    const slice = blob.slice(8, 16);
    const parts = safetensorsParts(
      [
        { name: 'kept', dtype: 'BF16', shape: [2, 2], bytes: slice },
        { name: 'new', dtype: 'F32', shape: [2], data: Float32Array.of(1.5, -2) },
      ],
      { note: 'x' },
    );
    expect(parts[1]).toBe(slice);
    expect(reads).toEqual([]);
    expect(parts.map(partLength).slice(1)).toEqual([8, 8]);
    const model = await openModel([{ name: 'mixed.safetensors', blob: new Blob([(await joined(parts, 3)) as BlobPart]) }]);
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['kept', 'BF16', [2, 2]],
      ['new', 'F32', [2]],
    ]);
    expect(new Uint8Array(await (model.tensors[0]?.storedBytes?.().bytes.arrayBuffer() ?? new ArrayBuffer(0)))).toEqual(source.subarray(8, 16));
    expect(await model.tensors[1]?.read()).toEqual(Float32Array.of(1.5, -2));
  });

  it('checks a BlobLike’s size against shape and dtype', () => {
    expect(() => safetensorsParts([{ name: 'w', dtype: 'F32', shape: [3], bytes: blob.slice(0, 8) }])).toThrow(new RangeError('tensor w: shape [3] of F32 needs 12 bytes, got 8'));
  });

  it('streamParts reads a BlobLike part slice by slice, only when asked, and skips empty parts', async () => {
    reads.length = 0;
    const stream = streamParts([new Uint8Array([1, 2]), new Uint8Array(0), blob.slice(0, 10)], 4);
    expect((await stream.next()).value).toEqual(new Uint8Array([1, 2]));
    expect(reads).toEqual([]);
    const rest: Uint8Array[] = [];
    for await (const chunk of stream) rest.push(chunk);
    expect(rest.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(reads).toEqual([[0, 4], [4, 8], [8, 10]]);
    await expect(joined([blob], 0)).rejects.toThrow(RangeError);
  });
});
