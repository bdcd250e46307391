import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../analysis/random/seededRandom';
import { openModel } from '../registry';
import { namedFile } from '../testing/memoryBlob';
import { readSafetensors } from './readSafetensors';
import { safetensorsParts, writeSafetensors } from './writeSafetensors';

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
