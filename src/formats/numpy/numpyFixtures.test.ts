/**
 * The committed NumPy fixtures of `e2e/fixtures/numpy/`: the generated ones still equal their builders
 * (numpyFixtures.ts) and the README its generator; all, including the files written by real NumPy 2.4, open as
 * the README says, through the registry; real files' values match `sums.json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysableTensorNames } from '../../model/analysable';
import { openModel } from '../registry';
import { committedBytes, expectFolderMatchesBuilders, fixtureFolder } from '../testing/fixtureFolder';
import { namedFile } from '../testing/memoryBlob';
import { pytorchReader } from '../pytorch/pytorchReader';
import { numpyReader } from './numpyReader';
import type { FixtureExpectation } from './testing/numpyFixtures';
import { NUMPY_FIXTURES, REAL_NUMPY_FIXTURES } from './testing/numpyFixtures';
import { numpyFixturesReadme } from './testing/numpyFixturesReadme';

const ROOT = fixtureFolder('numpy');
const READERS = [pytorchReader, numpyReader];
const committed = (path: string) => committedBytes(ROOT, path);
const sums = JSON.parse(readFileSync(join(ROOT, 'numpy-2.4', 'sums.json'), 'utf8')) as Record<string, Record<string, [number, number, number]>>;


describe('NumPy e2e fixtures', () => {
  it('are what their builders make, with the README its generator writes, under 100 KB in all', () => {
    expectFolderMatchesBuilders(ROOT, NUMPY_FIXTURES, numpyFixturesReadme, 'scripts/fixtures/makeNumpyFixtures.ts');
  });

  it.each([...NUMPY_FIXTURES, ...REAL_NUMPY_FIXTURES].map((f): [string, FixtureExpectation] => [f.path, f]))('%s opens as expected', async (path, f) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const model = await openModel([namedFile(name, committed(path))], READERS);
    expect(model.format).toBe('numpy');
    expect(model.tensors).toHaveLength(f.tensors);
    expect(analysableTensorNames(model.tensors)).toHaveLength(f.analysable);
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

  it('arrays.npz and arrays-compressed.npz hold the same values', async () => {
    const stored = await openModel([namedFile('arrays.npz', committed('arrays.npz'))], READERS);
    const deflated = await openModel([namedFile('arrays-compressed.npz', committed('arrays-compressed.npz'))], READERS);
    for (const [i, t] of stored.tensors.entries()) {
      if (t.unsupported) continue;
      expect(Array.from(await deflated.tensors[i]!.read())).toEqual(Array.from(await t.read()));
    }
  });
});
