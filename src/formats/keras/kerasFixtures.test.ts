/**
 * The committed Keras fixtures of `e2e/fixtures/keras/` still equal their builders (kerasFixtures.ts), stay
 * small, and open (or fail) as their README says, through the registry path with the Keras reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysableTensorNames } from '../../model/analysable';
import type { NamedBlob } from '../../model/types';
import { openModel } from '../registry';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { namedFile } from '../testing/memoryBlob';
import { inProcessHdf5Host } from './hdf5Host';
import { createKerasReader } from './kerasReader';
import { KERAS_FIXTURES } from './testing/kerasFixtures';

const ROOT = join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'keras');
const READERS = [safetensorsReader, createKerasReader({ host: inProcessHdf5Host() })];

function committed(path: string): NamedBlob {
  return namedFile(path, new Uint8Array(readFileSync(join(ROOT, path))));
}

describe('Keras e2e fixtures', () => {
  it('are what their builders make, under 100 KB in total, and listed in the README', async () => {
    let total = 0;
    for (const f of KERAS_FIXTURES) {
      const bytes = new Uint8Array(readFileSync(join(ROOT, f.path)));
      expect(bytes, `${f.path} differs from its builder: run npx tsx scripts/fixtures/makeKerasFixtures.ts`).toEqual(await f.bytes());
      total += bytes.length;
    }
    expect(total).toBeLessThan(100 * 1024);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const f of KERAS_FIXTURES) expect(readme).toContain(`\`${f.path}\``);
  });

  it.each(KERAS_FIXTURES.map((f) => [f.path, f] as const))('%s opens as listed', async (path, f) => {
    const opening = openModel([committed(path)], READERS);
    if ('error' in f.expect) {
      await expect(opening).rejects.toMatchObject({ code: f.expect.error, file: path });
      return;
    }
    const model = await opening;
    expect(model.format).toBe('keras');
    expect(model.tensors).toHaveLength(f.expect.tensors);
    expect(analysableTensorNames(model.tensors)).toHaveLength(f.expect.analysable);
    for (const t of model.tensors) expect((await t.read()).every(Number.isFinite)).toBe(true);
  });

  it('tiny-cnn-keras2.h5 and tiny-cnn.keras name each weight’s layer class; conv kernels are HWIO from the config; depthwise kernels are not analysed', async () => {
    const keras2 = await openModel([committed('tiny-cnn-keras2.h5')], READERS);
    expect(keras2.tensors.filter((t) => t.kind !== 'vector').map((t) => [t.name, t.shape, t.kind, t.layout ?? null, t.layoutSource ?? null, t.op])).toEqual([
      ['conv2d/kernel:0', [3, 3, 3, 8], 'conv2d', 'HWIO', 'file', 'Conv2D'],
      ['depthwise_conv2d/depthwise_kernel:0', [3, 3, 8, 1], 'other', null, null, 'DepthwiseConv2D'],
      ['conv2d_1/kernel:0', [3, 3, 8, 16], 'conv2d', 'HWIO', 'file', 'Conv2D'],
      ['dense/kernel:0', [64, 10], 'dense', null, null, 'Dense'],
    ]);
    const keras3 = await openModel([committed('tiny-cnn.keras')], READERS);
    expect(keras3.tensors.filter((t) => t.kind !== 'vector').map((t) => [t.name, t.layoutSource ?? null, t.op])).toEqual([
      ['conv2d/vars/0', 'file', 'Conv2D'],
      ['depthwise_conv2d/vars/0', null, 'DepthwiseConv2D'],
      ['conv2d_1/vars/0', 'file', 'Conv2D'],
      ['dense/vars/0', null, 'Dense'],
    ]);
    expect(keras3.metadata).toMatchObject({ keras_format: 'Keras 3 .keras', keras_version: '3.3.3', model_class: 'Sequential' });
  });
});
