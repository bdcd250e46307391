/**
 * The small model files committed under `e2e/fixtures/`, as pure builders: `scripts/fixtures/makeE2eFixtures.ts`
 * writes them, and `src/formats/corpus.test.ts` checks that the committed bytes still equal these builders'
 * output and that each opens (or fails) as expected. Deterministic: every random value comes from a fixed seed.
 */
import type { Rng } from '../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../analysis/random/seededRandom';
import type { TensorToWrite } from '../safetensors/writeSafetensors';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import { buildSafetensors, entry } from './buildSafetensors';

/** One fixture file. */
export interface E2eFixture {
  /** Path under `e2e/fixtures/`, with `/` separators. */
  readonly path: string;
  /** How it is made, for `e2e/fixtures/README.md`. */
  readonly recipe: string;
  readonly bytes: () => Uint8Array;
}

/** The seed of every fixture's random weights. */
export const FIXTURE_SEED = 20240611;

/** A PyTorch-style He-initialised weight (std √(2 / fan_in)) of shape [out, in, …]. */
function heWeight(rng: Rng, name: string, shape: readonly number[], dtype: 'F32' | 'F16' = 'F32'): TensorToWrite {
  const size = shape.reduce((a, b) => a * b, 1);
  const fanIn = size / (shape[0] as number);
  const std = Math.sqrt(2 / fanIn);
  return { name, dtype, shape, data: Float32Array.from({ length: size }, () => std * gaussian(rng)) };
}

/** A small bias, uniform in [−0.05, 0.05). */
function bias(rng: Rng, name: string, n: number, dtype: 'F32' | 'F16' = 'F32'): TensorToWrite {
  return { name, dtype, shape: [n], data: Float32Array.from({ length: n }, () => (rng() - 0.5) / 10) };
}

function tinyMlp(): Uint8Array {
  const rng = seededRandom(FIXTURE_SEED);
  return writeSafetensors(
    [
      heWeight(rng, 'fc1.weight', [64, 32]),
      bias(rng, 'fc1.bias', 64),
      heWeight(rng, 'fc2.weight', [32, 64]),
      bias(rng, 'fc2.bias', 32),
      heWeight(rng, 'fc3.weight', [10, 32]),
      bias(rng, 'fc3.bias', 10),
    ],
    { format: 'pt' },
  );
}

function nanWeights(): Uint8Array {
  const rng = seededRandom(FIXTURE_SEED + 4);
  const good = heWeight(rng, 'good.weight', [16, 8]);
  const broken = heWeight(rng, 'broken.weight', [16, 8]);
  const data = Float32Array.from(broken.data);
  data[3] = NaN;
  data[50] = NaN;
  data[7] = Infinity;
  return writeSafetensors([good, { ...broken, data }], { format: 'pt' });
}

function tinyCnnF16(): Uint8Array {
  const rng = seededRandom(FIXTURE_SEED + 1);
  return writeSafetensors(
    [
      heWeight(rng, 'conv1.weight', [8, 3, 3, 3], 'F16'),
      bias(rng, 'conv1.bias', 8, 'F16'),
      heWeight(rng, 'conv2.weight', [16, 8, 3, 3], 'F16'),
      bias(rng, 'conv2.bias', 16, 'F16'),
      heWeight(rng, 'fc.weight', [10, 16], 'F16'),
      bias(rng, 'fc.bias', 10, 'F16'),
    ],
    { format: 'pt' },
  );
}

const SHARD_1 = 'model-00001-of-00002.safetensors';
const SHARD_2 = 'model-00002-of-00002.safetensors';

function shards(): { first: Uint8Array; second: Uint8Array; index: string } {
  const rng = seededRandom(FIXTURE_SEED + 2);
  const one = [heWeight(rng, 'layers.0.weight', [32, 32]), bias(rng, 'layers.0.bias', 32)];
  const two = [heWeight(rng, 'layers.1.weight', [16, 32]), bias(rng, 'layers.1.bias', 16), heWeight(rng, 'head.weight', [10, 16])];
  const totalSize = [...one, ...two].reduce((n, t) => n + 4 * t.data.length, 0);
  const weightMap = Object.fromEntries([...one.map((t) => [t.name, SHARD_1]), ...two.map((t) => [t.name, SHARD_2])]);
  return {
    first: writeSafetensors(one, { format: 'pt' }),
    second: writeSafetensors(two, { format: 'pt' }),
    // Laid out as transformers' save_pretrained writes it: indent 2, trailing newline.
    index: `${JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2)}\n`,
  };
}

function unsupportedDtype(): Uint8Array {
  const rng = seededRandom(FIXTURE_SEED + 3);
  const int8 = Uint8Array.from({ length: 256 }, () => Math.floor(rng() * 256));
  return writeSafetensors([
    heWeight(rng, 'fc.weight', [16, 16]),
    bias(rng, 'fc.bias', 16),
    { name: 'quantized.weight', dtype: 'I8', shape: [16, 16], bytes: int8 },
    heWeight(rng, 'out.weight', [8, 16]),
  ]);
}

const encode = (text: string) => new TextEncoder().encode(text);

/** Every fixture, in the order the README lists them. */
export const E2E_FIXTURES: readonly E2eFixture[] = [
  {
    path: 'tiny-mlp.safetensors',
    recipe: 'A 3-layer MLP 32 → 64 → 32 → 10, F32: fc{1,2,3}.weight He-initialised N(0, 2/fan_in), biases U(−0.05, 0.05); seed 20240611.',
    bytes: tinyMlp,
  },
  {
    path: 'tiny-cnn-f16.safetensors',
    recipe: 'A tiny CNN in F16: conv1 8×3×3×3 and conv2 16×8×3×3 (OIHW, by convention: no conv_layout metadata), fc 10×16, biases; seed 20240612.',
    bytes: tinyCnnF16,
  },
  {
    path: `sharded/${SHARD_1}`,
    recipe: 'Shard 1 of 2 of an MLP (layers.0.weight 32×32, layers.0.bias), F32; seed 20240613.',
    bytes: () => shards().first,
  },
  {
    path: `sharded/${SHARD_2}`,
    recipe: 'Shard 2 of 2 (layers.1.weight 16×32, layers.1.bias, head.weight 10×16), F32.',
    bytes: () => shards().second,
  },
  {
    path: 'sharded/model.safetensors.index.json',
    recipe: 'The index of the two shards: { metadata: { total_size }, weight_map }, as transformers writes it.',
    bytes: () => encode(shards().index),
  },
  {
    path: 'truncated-header.safetensors',
    recipe: 'The first 48 bytes of tiny-mlp.safetensors: the header length says more bytes follow than the file has (TRUNCATED).',
    bytes: () => tinyMlp().slice(0, 48),
  },
  {
    path: 'bad-json.safetensors',
    recipe: 'A valid length and 16 data bytes, but the JSON header has a trailing comma (BAD_HEADER_JSON).',
    bytes: () =>
      buildSafetensors({ header: '{"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},}', data: new Uint8Array(16) }),
  },
  {
    path: 'offsets-out-of-bounds.safetensors',
    recipe: 'Tensor "w" (F32 4×4) claims data bytes [0, 64), but only 16 data bytes follow the header (OFFSETS_OUT_OF_BOUNDS).',
    bytes: () => buildSafetensors({ header: { w: entry('F32', [4, 4], 0, 64) }, data: new Uint8Array(16) }),
  },
  {
    path: 'unsupported-dtype.safetensors',
    recipe: 'fc.weight 16×16, fc.bias, out.weight 8×16 in F32 beside quantized.weight 16×16 in I8: opens, the I8 tensor listed as unsupported; seed 20240614.',
    bytes: unsupportedDtype,
  },
  {
    path: 'nan-weights.safetensors',
    recipe: 'good.weight 16×8 beside broken.weight 16×8 whose entries 3, 50 are NaN and 7 is +Inf: opens; the broken layer is flagged, never fed to the SVD; seed 20240615.',
    bytes: nanWeights,
  },
  {
    path: 'not-a-model.txt',
    recipe: 'Plain text (UNKNOWN_FORMAT).',
    bytes: () => encode('This is a plain text file, not a neural network.\n'),
  },
];
