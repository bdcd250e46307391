/**
 * The Keras files committed under `e2e/fixtures/keras/`, as builders: `scripts/fixtures/makeKerasFixtures.ts`
 * writes them, and `src/formats/keras/kerasFixtures.test.ts` checks that the committed bytes still equal
 * these builders' output and that each opens (or fails) as listed. Deterministic: weights come from a fixed
 * seed, HDF5 timestamps and zip dates are pinned (buildKeras.ts).
 */
import type { Rng } from '../../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../../analysis/random/seededRandom';
import type { FormatErrorCode } from '../../formatError';
import type { LayerSpec, WeightSpec } from './buildKeras';
import { buildHdf5, buildKeras2, buildKerasArchive } from './buildKeras';

/** One fixture file and what opening it gives. */
export interface KerasFixture {
  /** Path under `e2e/fixtures/keras/`. */
  readonly path: string;
  /** How it is made, for the README. */
  readonly recipe: string;
  readonly bytes: () => Promise<Uint8Array>;
  /** The tensors it lists, or the error code it fails with. */
  readonly expect: { readonly tensors: number; readonly analysable: number } | { readonly error: FormatErrorCode };
}

export const KERAS_FIXTURE_SEED = 20240630;

/** A Keras-style He-initialised kernel (std √(2 / fan_in), fan_in = all but the last axis). */
function heKernel(rng: Rng, name: string, shape: readonly number[]): WeightSpec {
  const size = shape.reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / (size / (shape.at(-1) as number)));
  return { name, shape, values: Float32Array.from({ length: size }, () => std * gaussian(rng)) };
}

function bias(rng: Rng, name: string, n: number): WeightSpec {
  return { name, shape: [n], values: Float32Array.from({ length: n }, () => (rng() - 0.5) / 10) };
}

/** A tiny CNN for 8×8×3 inputs: Conv2D 3×3×3×8, DepthwiseConv2D 3×3×8×1, Conv2D 3×3×8×16, Flatten, Dense 64×10. */
function tinyCnn(seed: number, weightName: (layer: string, weight: string, index: number) => string): LayerSpec[] {
  const rng = seededRandom(seed);
  const layer = (name: string, className: string, weights: readonly ((name: string) => WeightSpec)[]): LayerSpec => ({
    name,
    className,
    weights: weights.map((make, i) => make(weightName(name, ['kernel', 'bias'][i] ?? `w${i}`, i))),
  });
  return [
    layer('conv2d', 'Conv2D', [(n) => heKernel(rng, n, [3, 3, 3, 8]), (n) => bias(rng, n, 8)]),
    { ...layer('depthwise_conv2d', 'DepthwiseConv2D', [(n) => heKernel(rng, n, [3, 3, 8, 1])]) },
    layer('conv2d_1', 'Conv2D', [(n) => heKernel(rng, n, [3, 3, 8, 16]), (n) => bias(rng, n, 16)]),
    layer('flatten', 'Flatten', []),
    layer('dense', 'Dense', [(n) => heKernel(rng, n, [64, 10]), (n) => bias(rng, n, 10)]),
  ];
}

const keras2Layers = () =>
  tinyCnn(KERAS_FIXTURE_SEED, (layer, weight) => `${layer}/${weight === 'kernel' && layer.startsWith('depthwise') ? 'depthwise_kernel' : weight}:0`);
const keras3Layers = () => tinyCnn(KERAS_FIXTURE_SEED + 1, (_layer, _weight, index) => String(index));

const tinyCnnKeras2 = () => buildKeras2(keras2Layers());

/** Every fixture, in README order. */
export const KERAS_FIXTURES: readonly KerasFixture[] = [
  {
    path: 'tiny-cnn-keras2.h5',
    recipe:
      'Keras 2 `model.save` layout: root `keras_version`/`backend`/`model_config` (a Sequential of Conv2D 3×3×3×8, DepthwiseConv2D 3×3×8×1, Conv2D 3×3×8×16, Flatten, Dense 64×10), `model_weights` with `layer_names` and per-layer `weight_names`; F32 He-initialised kernels (HWIO), biases U(−0.05, 0.05); seed 20240630.',
    bytes: tinyCnnKeras2,
    expect: { tensors: 7, analysable: 3 },
  },
  {
    path: 'tiny-cnn.keras',
    recipe: 'Keras 3 `.keras` zip (metadata.json, config.json, model.weights.h5 with `layers/<class>/vars/<i>`, as an uncompiled model saves it) of the same architecture; seed 20240631.',
    bytes: () => buildKerasArchive(keras3Layers(), { optimizer: false }),
    expect: { tensors: 7, analysable: 3 },
  },
  {
    path: 'truncated.h5',
    recipe: 'The first 2000 bytes of tiny-cnn-keras2.h5: the superblock says the file is longer (TRUNCATED).',
    bytes: async () => (await tinyCnnKeras2()).slice(0, 2000),
    expect: { error: 'TRUNCATED' },
  },
  {
    path: 'corrupt.h5',
    recipe: 'A Keras 2 file of one Dense 4×3 layer with bytes 96–159 (the root group’s symbol table entry and object header) overwritten with 0xFF (BAD_HDF5).',
    bytes: async () => {
      const bytes = await buildKeras2([{ name: 'dense', className: 'Dense', weights: [{ name: 'dense/kernel:0', shape: [4, 3], values: new Float32Array(12).fill(0.5) }] }]);
      bytes.fill(0xff, 96, 160);
      return bytes;
    },
    expect: { error: 'BAD_HDF5' },
  },
  {
    path: 'not-keras.h5',
    recipe: 'A valid HDF5 file with one dataset /data/x and no Keras structure (BAD_STRUCTURE).',
    bytes: () => buildHdf5((f) => f.create_group('data').create_dataset({ name: 'x', data: Float32Array.from([1, 2, 3, 4]), shape: [2, 2] })),
    expect: { error: 'BAD_STRUCTURE' },
  },
];
