/**
 * What the TF.js reader says about broken files: each failure has its code, names the file (and the weight
 * or shard concerned), and carries the file's first and last bytes as context.
 */
import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { failingFile, namedFile } from '../testing/memoryBlob';
import { openTfjs } from './openTfjs';
import { writeTfjs } from './testing/buildTfjs';
import { LAYERS_TOPOLOGY, layersModelFiles, layersWeights } from './testing/tfjsTestModels';

const manifest = (value: unknown) => namedFile('model.json', JSON.stringify({ modelTopology: LAYERS_TOPOLOGY, weightsManifest: value }));
const entry = (fields: Record<string, unknown>) => [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32', ...fields }] }];
const shard = (bytes: number) => namedFile('w.bin', new Uint8Array(bytes));

describe('TF.js errors: the JSON file', () => {
  it('gives the line and column where the JSON breaks', async () => {
    const text = '{\n  "modelTopology": {},\n  "weightsManifest": [\n    {"paths": ["a.bin"], "weights": [}\n  ]\n}\n';
    const error = openTfjs([namedFile('model.json', text)]);
    await expect(error).rejects.toMatchObject({
      code: 'BAD_HEADER_JSON',
      file: 'model.json',
      message: expect.stringMatching(/^"model\.json" is not valid JSON: at line 4, column 38 \(character \d+ of \d+\) unexpected «}/),
      context: expect.stringContaining('first 16: 7b 0a'),
    });
    await expect(openTfjs([namedFile('model.json', '{"weightsManifest": [{"paths": [')])).rejects.toMatchObject({
      code: 'BAD_HEADER_JSON',
      message: expect.stringContaining('the JSON ends early'),
    });
  });

  it('refuses empty files, non-UTF-8 text, and JSON that is not a TF.js model', async () => {
    await expect(openTfjs([namedFile('model.json', '')])).rejects.toMatchObject({ code: 'TRUNCATED' });
    await expect(openTfjs([namedFile('model.json', Uint8Array.of(0x7b, 0xff, 0x7d))])).rejects.toMatchObject({ code: 'BAD_HEADER_JSON', message: expect.stringContaining('UTF-8') });
    await expect(openTfjs([namedFile('model.json', '"just a string"')])).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('"just a string"') });
    await expect(openTfjs([namedFile('model.json', '{"modelTopology": {"class_name": "Sequential"}}')])).rejects.toMatchObject({
      code: 'BAD_STRUCTURE',
      message: expect.stringContaining('no "weightsManifest"'),
    });
    await expect(openTfjs([namedFile('model.json', '{"name": "x"}')])).rejects.toMatchObject({ code: 'BAD_STRUCTURE' });
  });

  it('refuses manifests and groups of the wrong shape (BAD_STRUCTURE) and invalid entries (BAD_HEADER_ENTRY)', async () => {
    await expect(openTfjs([manifest({ paths: [] })])).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('"weightsManifest"') });
    await expect(openTfjs([manifest([{ weights: [] }])])).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('weights group 1') });
    await expect(openTfjs([manifest([{ paths: ['a.bin', 7], weights: [] }])])).rejects.toMatchObject({ code: 'BAD_STRUCTURE' });
    for (const [fields, says] of [
      [{ shape: [2, -1] }, '-1'],
      [{ shape: [2.5] }, '2.5'],
      [{ shape: ['2'] }, '"2"'],
      [{ shape: 2 }, '"shape" must be an array'],
      [{ dtype: 1 }, '"dtype" must be a string'],
      [{ name: null }, '"name" must be a string'],
    ] as const) {
      await expect(openTfjs([manifest(entry(fields)), shard(8)])).rejects.toMatchObject({ code: 'BAD_HEADER_ENTRY', message: expect.stringContaining(says) });
    }
    await expect(openTfjs([manifest([{ paths: ['w.bin'], weights: ['w'] }]), shard(8)])).rejects.toMatchObject({ code: 'BAD_HEADER_ENTRY' });
  });

  it('refuses shapes no browser can hold (TOO_LARGE) and duplicate names (DUPLICATE_TENSOR)', async () => {
    await expect(openTfjs([manifest(entry({ shape: [2 ** 30, 2 ** 30, 2 ** 30] })), shard(8)])).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: expect.stringContaining('"w"'),
    });
    await expect(openTfjs([manifest(entry({ shape: [2 ** 26, 2 ** 26] })), shard(8)])).rejects.toMatchObject({ code: 'TOO_LARGE' });
    const twice = [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }, { name: 'w', shape: [1], dtype: 'float32' }] }];
    await expect(openTfjs([manifest(twice), shard(8)])).rejects.toMatchObject({ code: 'DUPLICATE_TENSOR', message: expect.stringContaining('"w"') });
  });
});

describe('TF.js errors: the shards', () => {
  it('names every missing shard file (MISSING_COMPANION)', async () => {
    const files = layersModelFiles({ shardBytes: 600 });
    expect(files.map((f) => f.name)).toEqual(['model.json', ...[1, 2, 3, 4, 5].map((i) => `group1-shard${i}of5.bin`)]);
    const error = openTfjs([files[0], files[1], files[2], files[4]] as NamedBlob[]);
    await expect(error).rejects.toMatchObject({
      code: 'MISSING_COMPANION',
      file: 'model.json',
      message: '"model.json" lists weight files that were not dropped with it: "group1-shard3of5.bin", "group1-shard5of5.bin" (2 of 5).',
      remedy: 'Drop "model.json" together with its weight files: "group1-shard3of5.bin", "group1-shard5of5.bin".',
    });
  });

  it('says TRUNCATED, naming the weight and the last shard, when the shards end before the weights do', async () => {
    const { json, shards } = writeTfjs({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [{ weights: layersWeights(), shardBytes: 2000 }] });
    const cut = shards.map((s, i) => namedFile(s.name, i === 1 ? s.bytes.slice(0, 100) : s.bytes));
    await expect(openTfjs([namedFile('model.json', JSON.stringify(json)), ...cut])).rejects.toMatchObject({
      code: 'TRUNCATED',
      file: 'group1-shard2of2.bin',
      message:
        'Weights group 1 of "model.json" needs at least 2496 bytes, but its 2 shards "group1-shard1of2.bin", "group1-shard2of2.bin" hold 2100: weight "fc/kernel" (bytes 1216–2496 of the group) runs past the end.',
      context: expect.stringMatching(/^100 bytes; first 16:/),
    });
    // A manifest that declares more bytes than the shard holds, without any cut.
    await expect(openTfjs([manifest(entry({ shape: [1000, 1000] })), shard(8)])).rejects.toMatchObject({ code: 'TRUNCATED', file: 'w.bin' });
  });

  it('says TRUNCATED when a string weight’s length prefixes run past the end', async () => {
    const bytes = new Uint8Array(12);
    new DataView(bytes.buffer).setUint32(0, 4, true);
    new DataView(bytes.buffer).setUint32(8, 1000, true);
    await expect(openTfjs([manifest(entry({ dtype: 'string', shape: [3] })), namedFile('w.bin', bytes)])).rejects.toMatchObject({
      code: 'TRUNCATED',
      message: expect.stringContaining('weight "w" (bytes 0–1012 of the group)'),
    });
  });

  it('reports READ_FAILED when a shard cannot be read', async () => {
    const json = manifest([{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }]);
    const model = await openTfjs([json, failingFile('group1-shard1of1.bin', 8)]);
    await expect(model.tensors[0]?.read()).rejects.toMatchObject({ code: 'READ_FAILED', file: 'group1-shard1of1.bin' });
    // A file that is not named like a shard is sniffed, so it fails at open.
    await expect(openTfjs([manifest(entry({})), failingFile('w.bin', 8)])).rejects.toMatchObject({ code: 'READ_FAILED' });
  });

  it('opens topologies nested far deeper than it walks', async () => {
    const weights = JSON.stringify(entry({}));
    const arrays = `{"modelTopology": ${'['.repeat(50000)}${']'.repeat(50000)}, "weightsManifest": ${weights}}`;
    expect((await openTfjs([namedFile('model.json', arrays), shard(8)])).tensors).toHaveLength(1);
    // 10,000 nested Sequential layers around a Conv2D named "w": too deep to follow, so "w" gets no op.
    const open = '{"class_name": "Sequential", "config": {"name": "s", "layers": ['.repeat(10000);
    const layers = `${open}{"class_name": "Conv2D", "config": {"name": "w"}}${']}}'.repeat(10000)}`;
    const model = await openTfjs([namedFile('model.json', `{"modelTopology": ${layers}, "weightsManifest": ${weights}}`), shard(8)]);
    expect(model.tensors.map((t) => [t.name, t.op])).toEqual([['w', undefined]]);
  });
});
