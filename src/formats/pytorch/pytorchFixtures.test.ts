/**
 * The committed PyTorch fixtures of `e2e/fixtures/pytorch/`: the generated ones still equal their builders
 * (pytorchFixtures.ts) and the README its generator; all, including the files written by real PyTorch 1.13,
 * open (or fail) as the README says, through the registry; real files' values match `sums.json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysableTensorNames } from '../../model/analysable';
import { openModel } from '../registry';
import { committedBytes, expectFolderMatchesBuilders, fixtureFolder } from '../testing/fixtureFolder';
import { namedFile } from '../testing/memoryBlob';
import { numpyReader } from '../numpy/numpyReader';
import { pytorchReader } from './pytorchReader';
import type { FixtureExpectation } from './testing/pytorchFixtures';
import { PYTORCH_FIXTURES, REAL_PYTORCH_FIXTURES } from './testing/pytorchFixtures';
import { pytorchFixturesReadme } from './testing/pytorchFixturesReadme';

const ROOT = fixtureFolder('pytorch');
const READERS = [numpyReader, pytorchReader];
const committed = (path: string) => committedBytes(ROOT, path);
const sums = JSON.parse(readFileSync(join(ROOT, 'torch-1.13', 'sums.json'), 'utf8')) as Record<string, Record<string, [number, number, number]>>;


describe('PyTorch e2e fixtures', () => {
  it('are what their builders make, with the README its generator writes, under 100 KB in all', () => {
    expectFolderMatchesBuilders(ROOT, PYTORCH_FIXTURES, pytorchFixturesReadme, 'scripts/fixtures/makePytorchFixtures.ts');
  });

  it.each([...PYTORCH_FIXTURES, ...REAL_PYTORCH_FIXTURES].map((f): [string, FixtureExpectation] => [f.path, f]))('%s opens as expected', async (path, f) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const opening = openModel([namedFile(name, committed(path))], READERS);
    if (f.error) {
      await expect(opening).rejects.toMatchObject({ code: f.error, file: name });
      return;
    }
    const model = await opening;
    expect(model.format).toBe('pytorch');
    expect(model.tensors).toHaveLength(f.tensors as number);
    expect(analysableTensorNames(model.tensors)).toHaveLength(f.analysable as number);
    const expected = sums[name];
    for (const t of model.tensors) {
      if (t.unsupported) continue;
      const values = Array.from(await t.read());
      expect(values.every(Number.isFinite)).toBe(true);
      const sum = expected?.[t.name];
      if (!sum) continue;
      expect(values.length).toBe(sum[0]);
      expect(values.reduce((a, v) => a + v, 0)).toBeCloseTo(sum[1], 5);
      expect(values.reduce((a, v) => a + v * v, 0)).toBeCloseTo(sum[2], 5);
    }
    if (expected) expect(Object.keys(expected).every((k) => model.tensors.some((t) => t.name === k))).toBe(true);
  });

  it('tiny-cnn.pt has OIHW conv kernels by convention and a dense weight', async () => {
    const model = await openModel([namedFile('tiny-cnn.pt', committed('tiny-cnn.pt'))], READERS);
    expect(model.tensors.filter((t) => t.kind !== 'vector').map((t) => [t.name, t.kind, t.layout ?? null, t.layoutSource ?? null])).toEqual([
      ['conv1.weight', 'conv2d', 'OIHW', 'convention'],
      ['conv2.weight', 'conv2d', 'OIHW', 'convention'],
      ['fc.weight', 'dense', null, null],
    ]);
  });

  it('nested-checkpoint.pt names tensors by path and skips the optimizer; hostile-os-system.pt names os.system', async () => {
    const model = await openModel([namedFile('nested-checkpoint.pt', committed('nested-checkpoint.pt'))], READERS);
    expect(model.tensors.map((t) => t.name)).toEqual(['model.fc1.weight', 'model.fc1.bias', 'model.fc2.weight', 'model.fc2.bias', 'model.bn.num_batches_tracked']);
    expect(model.metadata.skipped).toContain('optimizer');
    await expect(openModel([namedFile('hostile-os-system.pt', committed('hostile-os-system.pt'))], READERS)).rejects.toThrow(/asks to call os\.system/);
  });
});
