/**
 * The committed TF.js fixtures of `e2e/fixtures/tfjs/` still equal their builders (tfjsFixtures.ts), stay
 * small, open (or fail) as their README says through the registry path, and the layers models are what
 * tfjs itself loads, weight for weight.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysableTensorNames } from '../../model/analysable';
import type { NamedBlob } from '../../model/types';
import { onnxReader } from '../onnx/onnxReader';
import { openModel } from '../registry';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { namedFile } from '../testing/memoryBlob';
import { tfjsLayersWeights } from './testing/tfjsCore';
import { TFJS_FIXTURES } from './testing/tfjsFixtures';
import { tfjsReader } from './tfjsReader';

const ROOT = join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'tfjs');
const READERS = [safetensorsReader, onnxReader, tfjsReader];

const bytesOf = (path: string) => new Uint8Array(readFileSync(join(ROOT, ...path.split('/'))));
/** A committed fixture, named by its base name as a browser drop names it. */
const committed = (path: string): NamedBlob => namedFile(path.slice(path.lastIndexOf('/') + 1), bytesOf(path));

describe('TF.js e2e fixtures', () => {
  it('are what their builders make, under 100 KB in total, and listed in the README', () => {
    let total = 0;
    for (const f of TFJS_FIXTURES) {
      const bytes = bytesOf(f.path);
      expect(bytes, `${f.path} differs from its builder: run npx tsx scripts/fixtures/makeTfjsFixtures.ts`).toEqual(f.bytes());
      total += bytes.length;
    }
    expect(total).toBeLessThan(100 * 1024);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const f of TFJS_FIXTURES) expect(readme).toContain(`\`${f.path}\``);
  });

  it.each(TFJS_FIXTURES.filter((f) => f.opens).map((f) => [f.path, f] as const))('%s opens as listed', async (_path, f) => {
    const opening = openModel((f.opens ?? []).map(committed), READERS);
    if (f.error) {
      await expect(opening).rejects.toMatchObject({ code: f.error });
      return;
    }
    const model = await opening;
    expect(model.format).toBe('tfjs');
    expect(model.tensors).toHaveLength(f.tensors as number);
    expect(analysableTensorNames(model.tensors)).toHaveLength(f.analysable as number);
    for (const t of model.tensors) if (!t.unsupported) expect((await t.read()).every(Number.isFinite)).toBe(true);
  });

  it.each(['layers-cnn', 'layers-cnn-uint8'])('%s: tf.loadLayersModel loads the same weights, bit for bit', async (dir) => {
    const json: unknown = JSON.parse(new TextDecoder().decode(bytesOf(`${dir}/model.json`)));
    const theirs = await tfjsLayersWeights(json, [bytesOf(`${dir}/group1-shard1of1.bin`)]);
    const model = await openModel([committed(`${dir}/model.json`), committed(`${dir}/group1-shard1of1.bin`)], READERS);
    expect(model.tensors.map((t) => t.name)).toEqual([...theirs.keys()]);
    for (const t of model.tensors) {
      const ours = (await t.read()) as Float32Array;
      expect(new Uint32Array(ours.buffer, ours.byteOffset, ours.length)).toEqual(new Uint32Array((theirs.get(t.name) as Float32Array).buffer));
    }
    expect(model.tensors.map((t) => [t.name, t.kind, t.op])).toEqual([
      ['conv1/kernel', 'conv2d', 'Conv2D'],
      ['conv1/bias', 'vector', 'Conv2D'],
      ['dw/depthwise_kernel', 'other', 'DepthwiseConv2D'],
      ['dw/bias', 'vector', 'DepthwiseConv2D'],
      ['fc/kernel', 'dense', 'Dense'],
      ['fc/bias', 'vector', 'Dense'],
    ]);
  });

  it('the broken ones say what is wrong and where', async () => {
    const open = (dir: string, names: string[]) => openModel(names.map((n) => committed(`${dir}/${n}`)), READERS);
    await expect(open('truncated-shard', ['model.json', 'group1-shard1of1.bin'])).rejects.toMatchObject({
      code: 'TRUNCATED',
      file: 'group1-shard1of1.bin',
      message: expect.stringContaining('weight "fc/kernel" (bytes 1216–2496 of the group) runs past the end'),
    });
    await expect(open('missing-shard', ['model.json', 'group1-shard1of2.bin'])).rejects.toMatchObject({
      code: 'MISSING_COMPANION',
      message: expect.stringContaining('"group1-shard2of2.bin" (1 of 2)'),
    });
    await expect(open('bad-json', ['model.json'])).rejects.toMatchObject({ code: 'BAD_HEADER_JSON', message: expect.stringContaining('at line 3, column 2') });
  });
});
