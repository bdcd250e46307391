/**
 * The committed ONNX fixtures of `e2e/fixtures/onnx/` still equal their builders (onnxFixtures.ts), stay
 * small, and open (or fail) as their README says, through the registry path with the ONNX reader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysableTensorNames } from '../../model/analysable';
import type { NamedBlob } from '../../model/types';
import { openModel } from '../registry';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { namedFile } from '../testing/memoryBlob';
import { onnxReader } from './onnxReader';
import { ONNX_FIXTURES } from './testing/onnxFixtures';

const ROOT = join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'onnx');
const READERS = [safetensorsReader, onnxReader];

/** A committed fixture, named by its base name as a browser drop names it. */
function committed(path: string): NamedBlob {
  return namedFile(path.slice(path.lastIndexOf('/') + 1), new Uint8Array(readFileSync(join(ROOT, ...path.split('/')))));
}

describe('ONNX e2e fixtures', () => {
  it('are what their builders make, under 100 KB in total', () => {
    let total = 0;
    for (const f of ONNX_FIXTURES) {
      const bytes = new Uint8Array(readFileSync(join(ROOT, ...f.path.split('/'))));
      expect(bytes, `${f.path} differs from its builder: run npx tsx scripts/fixtures/makeOnnxFixtures.ts`).toEqual(f.bytes());
      total += bytes.length;
    }
    expect(total).toBeLessThan(100 * 1024);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const f of ONNX_FIXTURES) expect(readme).toContain(`\`${f.path}\``);
  });

  it.each(ONNX_FIXTURES.filter((f) => f.opens).map((f) => [f.path, f] as const))('%s opens as expected', async (_path, f) => {
    const opening = openModel((f.opens ?? []).map(committed), READERS);
    if (f.error) {
      await expect(opening).rejects.toMatchObject({ code: f.error });
      return;
    }
    const model = await opening;
    expect(model.format).toBe('onnx');
    expect(model.tensors).toHaveLength(f.tensors as number);
    expect(analysableTensorNames(model.tensors)).toHaveLength(f.analysable as number);
    for (const t of model.tensors) if (!t.unsupported) expect((await t.read()).every(Number.isFinite)).toBe(true);
  });

  it('tiny-cnn.onnx has conv kernels OIHW from the file, a Gemm weight and a Constant-node MatMul weight', async () => {
    const model = await openModel([committed('tiny-cnn.onnx')], READERS);
    expect(model.tensors.filter((t) => !t.unsupported && t.kind !== 'vector').map((t) => [t.name, t.kind, t.layout ?? null, t.layoutSource ?? null, t.op])).toEqual([
      ['conv1.weight', 'conv2d', 'OIHW', 'file', 'Conv'],
      ['conv2.weight', 'conv2d', 'OIHW', 'file', 'Conv'],
      ['fc.weight', 'dense', null, null, 'Gemm'],
      ['head.w', 'dense', null, null, 'MatMul'],
    ]);
  });

  it('missing-external-data.onnx names the missing data file', async () => {
    await expect(openModel([committed('missing-external-data.onnx')], READERS)).rejects.toMatchObject({
      code: 'MISSING_COMPANION',
      file: 'missing-external-data.onnx',
      message: expect.stringContaining('"weights/missing.onnx.data"'),
      remedy: expect.stringContaining('"missing.onnx.data"'),
    });
  });
});
