/** The README of `e2e/fixtures/numpy/`, generated with the fixtures (and checked by the fixture test). */
import { NUMPY_FIXTURE_SEED, NUMPY_FIXTURES, REAL_NUMPY_FIXTURES } from './numpyFixtures';

/** The Python that wrote `numpy-2.4/` (numpy 2.4; values checked through `sums.json`: count, Σx, Σx²). */
export const REAL_NUMPY_RECIPE = `import json, numpy as np

def sums(arrays):
    return {k: [int(v.size), float(np.float64(v).sum()), float((np.float64(v) ** 2).sum())] for k, v in arrays.items()}

a = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
np.save('fortran-f8.npy', np.asfortranarray(a.astype(np.float64)))
np.save('big-endian-f4.npy', a.astype('>f4'))
np.savez_compressed('compressed.npz', w=a, h=a.astype(np.float16))
json.dump({'fortran-f8.npy': sums({'fortran-f8': a}), 'big-endian-f4.npy': sums({'big-endian-f4': a}),
           'compressed.npz': sums({'w': a, 'h': a.astype(np.float16).astype(np.float32)})}, open('sums.json', 'w'), indent=1)`;

/** README text; `sizes` gives each generated file's byte count. */
export function numpyFixturesReadme(sizes: ReadonlyMap<string, number>): string {
  return [
    '# NumPy e2e fixtures',
    '',
    'Small `.npy` / `.npz` files for the Playwright specs and the NumPy reader tests (`src/formats/numpy/numpyFixtures.test.ts`).',
    'Generated, not hand-edited: the builders live in `src/formats/numpy/testing/numpyFixtures.ts` (values from',
    `\`seededRandom(${NUMPY_FIXTURE_SEED} + k)\` in \`src/analysis/random/seededRandom.ts\`); regenerate with`,
    '',
    '```sh',
    'npx tsx scripts/fixtures/makeNumpyFixtures.ts',
    '```',
    '',
    'The fixture test fails if a committed file no longer matches its builder.',
    '',
    '| file | bytes | how it is made | tensors (analysable) |',
    '|---|---:|---|---|',
    ...NUMPY_FIXTURES.map((f) => `| \`${f.path}\` | ${sizes.get(f.path) ?? '?'} | ${f.recipe} | ${f.tensors} (${f.analysable}) |`),
    '',
    '## Written by NumPy itself',
    '',
    '`numpy-2.4/` holds files written by NumPy 2.4 with the script below, committed as they came out, so that the',
    'reader is checked against the real writer; `numpy-2.4/sums.json` has each array\'s count, sum and sum of squares.',
    '',
    '| file | what it covers | tensors (analysable) |',
    '|---|---|---|',
    ...REAL_NUMPY_FIXTURES.map((f) => `| \`${f.path}\` | ${f.recipe} | ${f.tensors} (${f.analysable}) |`),
    '',
    '```python',
    REAL_NUMPY_RECIPE,
    '```',
    '',
  ].join('\n');
}
