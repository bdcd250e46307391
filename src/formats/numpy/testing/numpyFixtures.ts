/**
 * The small NumPy files committed under `e2e/fixtures/numpy/`, as pure builders:
 * `scripts/fixtures/makeNumpyFixtures.ts` writes them, and `numpyFixtures.test.ts` checks that the committed
 * bytes still equal these builders' output and that each opens as expected. Deterministic: every random value
 * comes from a fixed seed.
 */
import type { Rng } from '../../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../../analysis/random/seededRandom';
import { encodeFloats } from '../../encodeFloats';
import type { NpyToWrite } from '../../testing/writeNpy';
import { f32Bytes, writeNpy, writeNpz } from '../../testing/writeNpy';

/** The seed of every NumPy fixture's random values (fixture k uses seed + k). */
export const NUMPY_FIXTURE_SEED = 20240702;

/** A committed file and what opening it gives. */
export interface FixtureExpectation {
  /** Path under `e2e/fixtures/numpy/`. */
  readonly path: string;
  /** How it is made, for the README. */
  readonly recipe: string;
  readonly tensors: number;
  readonly analysable: number;
}

/** A generated fixture: its builder too. */
export interface NumpyFixture extends FixtureExpectation {
  readonly bytes: () => Uint8Array;
}

/** He-initialised N(0, 2/fan_in) float32 values of shape [out, in, …] as an `<f4` array. */
function he(rng: Rng, shape: readonly number[]): NpyToWrite {
  const size = shape.reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / (size / (shape[0] as number)));
  return { descr: '<f4', shape, data: f32Bytes(Array.from({ length: size }, () => std * gaussian(rng))) };
}

/** The arrays of the `.npz` fixtures: a conv kernel, dense weights (one float16), a bias and an int label table. */
function arrays(): Record<string, NpyToWrite> {
  const rng = seededRandom(NUMPY_FIXTURE_SEED + 1);
  const embedding = Array.from({ length: 40 * 8 }, () => gaussian(rng) / 4);
  return {
    'conv1.weight': he(rng, [8, 3, 3, 3]),
    'fc.weight': he(rng, [10, 32]),
    'fc.bias': { descr: '<f4', shape: [10], data: f32Bytes(Array.from({ length: 10 }, () => (rng() - 0.5) / 10)) },
    embedding: { descr: '<f2', shape: [40, 8], data: encodeFloats(embedding, 'F16') },
    labels: { descr: '<i8', shape: [10], data: new Uint8Array(BigInt64Array.from({ length: 10 }, (_, i) => BigInt(i)).buffer) },
  };
}

/** Every NumPy fixture. */
export const NUMPY_FIXTURES: readonly NumpyFixture[] = [
  {
    path: 'dense-64x32.npy',
    recipe: `np.save of one float32 64×32 weight matrix (He-initialised, C order, format 1.0); seed ${NUMPY_FIXTURE_SEED}.`,
    bytes: () => writeNpy(he(seededRandom(NUMPY_FIXTURE_SEED), [64, 32])),
    tensors: 1,
    analysable: 1,
  },
  {
    path: 'arrays.npz',
    recipe: `np.savez (stored entries) of conv1.weight 8×3×3×3 f4, fc.weight 10×32 f4, fc.bias f4, embedding 40×8 f2 and labels i8 (listed, unsupported); seed ${NUMPY_FIXTURE_SEED + 1}.`,
    bytes: () => writeNpz(arrays()),
    tensors: 5,
    analysable: 3,
  },
  {
    path: 'arrays-compressed.npz',
    recipe: 'np.savez_compressed (deflated entries) of the same arrays as arrays.npz: inflated on read.',
    bytes: () => writeNpz(arrays(), { compressed: true }),
    tensors: 5,
    analysable: 3,
  },
];

/** Files written by real NumPy (2.4), under `e2e/fixtures/numpy/numpy-2.4/`. */
export const REAL_NUMPY_FIXTURES: readonly FixtureExpectation[] = [
  { path: 'numpy-2.4/fortran-f8.npy', recipe: 'np.save(np.asfortranarray(a.astype(np.float64))): fortran_order True, read in C order.', tensors: 1, analysable: 1 },
  { path: 'numpy-2.4/big-endian-f4.npy', recipe: "np.save(a.astype('>f4')): big-endian, byte-swapped on read.", tensors: 1, analysable: 1 },
  { path: 'numpy-2.4/compressed.npz', recipe: 'np.savez_compressed(w=a, h=a.astype(np.float16)): deflated entries.', tensors: 2, analysable: 2 },
];
