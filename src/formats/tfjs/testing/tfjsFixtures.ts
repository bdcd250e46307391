/**
 * The small TF.js models committed under `e2e/fixtures/tfjs/`, as pure builders: `scripts/fixtures/makeTfjsFixtures.ts`
 * writes them, and `tfjsFixtures.test.ts` checks that the committed bytes still equal these builders' output
 * and that each opens (or fails) as expected. Deterministic: every random value comes from a fixed seed.
 */
import type { Rng } from '../../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../../analysis/random/seededRandom';
import type { FormatErrorCode } from '../../formatError';
import type { WeightToWrite } from './buildTfjs';
import { writeTfjs } from './buildTfjs';
import { GRAPH_TOPOLOGY, LAYERS_TOPOLOGY } from './tfjsTestModels';

/** The seed of every TF.js fixture's random weights (fixture k uses seed + k). */
export const TFJS_FIXTURE_SEED = 20240710;

/** One fixture file. */
export interface TfjsFixture {
  /** Path under `e2e/fixtures/tfjs/`, with `/` separators. */
  readonly path: string;
  /** How it is made, for the README. */
  readonly recipe: string;
  readonly bytes: () => Uint8Array;
  /** The files opened together in the fixture test (paths under `e2e/fixtures/tfjs/`); shards have none. */
  readonly opens?: readonly string[];
  /** Expected outcome of opening `opens`: tensor counts, or an error code. */
  readonly tensors?: number;
  readonly analysable?: number;
  readonly error?: FormatErrorCode;
}

/** He-initialised N(0, 2/fan_in) values for an HWIO kernel or an in×out matrix (fan_in = all but the last dimension). */
function he(rng: Rng, shape: readonly number[]): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / (size / (shape.at(-1) as number)));
  return Array.from({ length: size }, () => std * gaussian(rng));
}

const bias = (rng: Rng, n: number) => Array.from({ length: n }, () => (rng() - 0.5) / 10);

/** The weights of the layers topology (conv1, dw, fc), with kernels stored as `quantize` says. */
function cnnWeights(seed: number, quantize?: WeightToWrite['quantize']): WeightToWrite[] {
  const rng = seededRandom(seed);
  const q = quantize ? { quantize } : {};
  return [
    { name: 'conv1/kernel', shape: [3, 3, 3, 8], values: he(rng, [3, 3, 3, 8]), ...q },
    { name: 'conv1/bias', shape: [8], values: bias(rng, 8) },
    { name: 'dw/depthwise_kernel', shape: [3, 3, 8, 1], values: he(rng, [3, 3, 8, 1]), ...q },
    { name: 'dw/bias', shape: [8], values: bias(rng, 8) },
    { name: 'fc/kernel', shape: [32, 10], values: he(rng, [32, 10]), ...q },
    { name: 'fc/bias', shape: [10], values: bias(rng, 10) },
  ];
}

const encode = (text: string) => new TextEncoder().encode(text);
/** model.json as tfjs writes it to disk, indented one space (as `public/samples/*` are), with a final newline. */
const jsonText = (json: unknown) => encode(`${JSON.stringify(json, null, 1)}\n`);

const layersCnn = (quantize?: WeightToWrite['quantize'], seedOffset = 0) =>
  writeTfjs({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [{ weights: cnnWeights(TFJS_FIXTURE_SEED + seedOffset, quantize) }] });

function graphModel() {
  const rng = seededRandom(TFJS_FIXTURE_SEED + 2);
  const weights: WeightToWrite[] = [
    { name: 'w1', shape: [3, 3, 3, 4], values: he(rng, [3, 3, 3, 4]) },
    { name: 'b1', shape: [4], values: bias(rng, 4) },
    { name: 'dw', shape: [3, 3, 4, 2], values: he(rng, [3, 3, 4, 2]), quantize: 'float16' },
    { name: 'fc', shape: [32, 5], values: he(rng, [32, 5]), quantize: 'uint16' },
    { name: 'shape', shape: [2], dtype: 'int32', values: [-1, 32] },
  ];
  // 920 bytes in 400-byte shards: w1 (bytes 0–432) straddles shards 1 and 2, fc (592–912) shards 2 and 3.
  return writeTfjs({ format: 'graph-model', topology: GRAPH_TOPOLOGY, groups: [{ weights, shardBytes: 400 }] });
}

function weightsManifest() {
  const rng = seededRandom(TFJS_FIXTURE_SEED + 3);
  const weights: WeightToWrite[] = [
    { name: 'conv0/filters', shape: [3, 3, 3, 8], values: he(rng, [3, 3, 3, 8]), quantize: 'uint8' },
    { name: 'conv0/bias', shape: [8], values: bias(rng, 8), quantize: 'uint8' },
    { name: 'conv1/depthwise_filter', shape: [3, 3, 8, 1], values: he(rng, [3, 3, 8, 1]), quantize: 'uint8' },
    { name: 'fc/weights', shape: [8, 4], values: he(rng, [8, 4]) },
  ];
  // face-api.js names: `<model>-weights_manifest.json` and `<model>-shard1`.
  return writeTfjs({ format: null, groups: [{ weights, shardNames: ['tiny_model-shard1'] }] });
}

/** Two shards listed, one of them never written. */
function missingShard() {
  return writeTfjs({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [{ weights: cnnWeights(TFJS_FIXTURE_SEED + 4), shardBytes: 1500 }] });
}

const shard = (model: ReturnType<typeof writeTfjs>, i: number) => (model.shards[i] as { bytes: Uint8Array }).bytes;

/** Every fixture, in the order the README lists them. */
export const TFJS_FIXTURES: readonly TfjsFixture[] = [
  {
    path: 'layers-cnn/model.json',
    recipe:
      'A tfjs-layers Sequential model (format "layers-model"): Conv2D conv1 3×3×3×8, DepthwiseConv2D dw 3×3×8×1, Flatten, Dense fc 32×10, float32 He-initialised N(0, 2/fan_in) kernels and U(−0.05, 0.05) biases; seed 20240710. tf.loadLayersModel loads it.',
    bytes: () => jsonText(layersCnn().json),
    opens: ['layers-cnn/model.json', 'layers-cnn/group1-shard1of1.bin'],
    tensors: 6,
    analysable: 2,
  },
  { path: 'layers-cnn/group1-shard1of1.bin', recipe: 'Its one weight shard: the six weights back to back, little-endian float32.', bytes: () => shard(layersCnn(), 0) },
  {
    path: 'layers-cnn-uint8/model.json',
    recipe: 'The same architecture with its three kernels uint8-quantized (`quantization: {dtype: "uint8", min, scale}`, min nudged so 0 is exact), biases float32; seed 20240711.',
    bytes: () => jsonText(layersCnn('uint8', 1).json),
    opens: ['layers-cnn-uint8/model.json', 'layers-cnn-uint8/group1-shard1of1.bin'],
    tensors: 6,
    analysable: 2,
  },
  { path: 'layers-cnn-uint8/group1-shard1of1.bin', recipe: 'Its shard: uint8 kernels and float32 biases.', bytes: () => shard(layersCnn('uint8', 1), 0) },
  {
    path: 'graph-model/model.json',
    recipe:
      'A graph model (format "graph-model", GraphDef JSON): _FusedConv2D w1 3×3×3×4 + b1, DepthwiseConv2dNative dw 3×3×4×2 (float16-quantized), MatMul fc 32×5 behind an Identity (uint16-quantized), an int32 Reshape shape; seed 20240712.',
    bytes: () => jsonText(graphModel().json),
    opens: ['graph-model/model.json', 'graph-model/group1-shard1of3.bin', 'graph-model/group1-shard2of3.bin', 'graph-model/group1-shard3of3.bin'],
    tensors: 5,
    analysable: 2,
  },
  { path: 'graph-model/group1-shard1of3.bin', recipe: 'Shard 1 of 3 (400 bytes): w1 starts here and ends in shard 2.', bytes: () => shard(graphModel(), 0) },
  { path: 'graph-model/group1-shard2of3.bin', recipe: 'Shard 2 of 3 (400 bytes): the end of w1, b1, dw, and the start of fc.', bytes: () => shard(graphModel(), 1) },
  { path: 'graph-model/group1-shard3of3.bin', recipe: 'Shard 3 of 3: the end of fc, and shape.', bytes: () => shard(graphModel(), 2) },
  {
    path: 'weights-manifest/tiny_model-weights_manifest.json',
    recipe:
      'A bare weights manifest in the face-api.js style (no topology; a JSON list of groups): conv0/filters 3×3×3×8, conv0/bias, conv1/depthwise_filter 3×3×8×1 uint8-quantized, fc/weights 8×4 float32; seed 20240713.',
    bytes: () => jsonText(weightsManifest().json),
    opens: ['weights-manifest/tiny_model-weights_manifest.json', 'weights-manifest/tiny_model-shard1'],
    tensors: 4,
    analysable: 2,
  },
  { path: 'weights-manifest/tiny_model-shard1', recipe: 'Its one shard, named as face-api.js names them (no extension).', bytes: () => shard(weightsManifest(), 0) },
  {
    path: 'truncated-shard/model.json',
    recipe: 'layers-cnn/model.json again; its shard below is cut short, so the manifest declares more bytes than the shard holds (TRUNCATED, naming fc/kernel).',
    bytes: () => jsonText(layersCnn().json),
    opens: ['truncated-shard/model.json', 'truncated-shard/group1-shard1of1.bin'],
    error: 'TRUNCATED',
  },
  { path: 'truncated-shard/group1-shard1of1.bin', recipe: 'The first 1500 bytes of layers-cnn’s shard.', bytes: () => shard(layersCnn(), 0).slice(0, 1500) },
  {
    path: 'missing-shard/model.json',
    recipe: 'A layers model whose weights are split into two 1500-byte shards; only the first is here (MISSING_COMPANION, naming group1-shard2of2.bin); seed 20240714.',
    bytes: () => jsonText(missingShard().json),
    opens: ['missing-shard/model.json', 'missing-shard/group1-shard1of2.bin'],
    error: 'MISSING_COMPANION',
  },
  { path: 'missing-shard/group1-shard1of2.bin', recipe: 'Shard 1 of 2 of that model.', bytes: () => shard(missingShard(), 0) },
  {
    path: 'bad-json/model.json',
    recipe: 'layers-cnn/model.json with the comma after `"format": "layers-model"` removed (BAD_HEADER_JSON, at line 3, column 2).',
    bytes: () => encode(new TextDecoder().decode(jsonText(layersCnn().json)).replace('"layers-model",', '"layers-model"')),
    opens: ['bad-json/model.json'],
    error: 'BAD_HEADER_JSON',
  },
];
