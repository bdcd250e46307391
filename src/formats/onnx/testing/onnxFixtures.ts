/**
 * The small ONNX files committed under `e2e/fixtures/onnx/`, as pure builders: `scripts/fixtures/makeOnnxFixtures.ts`
 * writes them, and `onnxFixtures.test.ts` checks that the committed bytes still equal these builders' output
 * and that each opens (or fails) as expected. Deterministic: every random value comes from a fixed seed.
 */
import type { Rng } from '../../../analysis/random/seededRandom';
import { gaussian, seededRandom } from '../../../analysis/random/seededRandom';
import type { FormatErrorCode } from '../../formatError';
import type { TensorSpec } from './buildOnnx';
import { DT, buildOnnx, rawBytesOf } from './buildOnnx';

/** The seed of every ONNX fixture's random weights (fixture k uses seed + k). */
export const ONNX_FIXTURE_SEED = 20240620;

/** One fixture file. */
export interface OnnxFixture {
  /** Path under `e2e/fixtures/onnx/`, with `/` separators. */
  readonly path: string;
  /** How it is made, for the README. */
  readonly recipe: string;
  readonly bytes: () => Uint8Array;
  /** The files opened together in the corpus test (paths under `e2e/fixtures/onnx/`); data files have none. */
  readonly opens?: readonly string[];
  /** Expected outcome of opening `opens`: tensor counts, or an error code. */
  readonly tensors?: number;
  readonly analysable?: number;
  readonly error?: FormatErrorCode;
}

/** He-initialised N(0, 2/fan_in) values for a weight of shape [out, in, …]. */
function he(rng: Rng, dims: readonly number[]): number[] {
  const size = dims.reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / (size / (dims[0] as number)));
  return Array.from({ length: size }, () => std * gaussian(rng));
}

const bias = (rng: Rng, n: number) => Array.from({ length: n }, () => (rng() - 0.5) / 10);

/** A tiny CNN: two Conv layers (OIHW), a Gemm with transB = 1, and a MatMul weight held by a Constant node. */
function tinyCnn(): Uint8Array {
  const rng = seededRandom(ONNX_FIXTURE_SEED);
  const w = (name: string, dims: number[]): TensorSpec => ({ name, dims, values: he(rng, dims) });
  const b = (name: string, n: number): TensorSpec => ({ name, dims: [n], values: bias(rng, n) });
  return buildOnnx({
    producer: 'artificial-mri fixtures',
    graph: {
      name: 'tiny_cnn',
      initializers: [w('conv1.weight', [8, 3, 3, 3]), b('conv1.bias', 8), w('conv2.weight', [16, 8, 3, 3]), b('conv2.bias', 16), w('fc.weight', [12, 16]), b('fc.bias', 12)],
      nodes: [
        { op: 'Conv', inputs: ['image', 'conv1.weight', 'conv1.bias'], outputs: ['c1'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
        { op: 'Relu', inputs: ['c1'], outputs: ['r1'] },
        { op: 'Conv', inputs: ['r1', 'conv2.weight', 'conv2.bias'], outputs: ['c2'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
        { op: 'GlobalAveragePool', inputs: ['c2'], outputs: ['p'] },
        { op: 'Constant', outputs: ['flat_shape'], attrs: { value: { name: 'flat_shape', dims: [2], values: [1, 16], dataType: DT.INT64 } } },
        { op: 'Reshape', inputs: ['p', 'flat_shape'], outputs: ['f'] },
        { op: 'Gemm', inputs: ['f', 'fc.weight', 'fc.bias'], outputs: ['h'], attrs: { transB: 1 } },
        // paddle2onnx style: a weight that lives in a Constant node, used by MatMul (in × out).
        { op: 'Constant', outputs: ['head.w'], attrs: { value: { name: 'head.w', dims: [12, 10], values: he(rng, [12, 10]) } } },
        { op: 'MatMul', inputs: ['h', 'head.w'], outputs: ['logits'] },
      ],
    },
  });
}

const MLP_DIMS = { fc1: [32, 16], fc2: [8, 32] } as const;

/** The weights of the external-data MLP, in file order. */
function mlpWeights(): { fc1: number[]; fc2: number[] } {
  const rng = seededRandom(ONNX_FIXTURE_SEED + 1);
  return { fc1: he(rng, MLP_DIMS.fc1), fc2: he(rng, MLP_DIMS.fc2) };
}

/** An MLP whose two weights live in `tiny-mlp.onnx.data` (fc1 at offset 0, fc2 at 4096, page-aligned as onnx writes). */
function mlpExternal(location = 'tiny-mlp.onnx.data'): Uint8Array {
  const ext = (name: string, dims: readonly number[], offset: number): TensorSpec => ({
    name,
    dims,
    storage: 'external',
    external: { location, offset: String(offset), length: String(4 * dims.reduce((a, b) => a * b, 1)) },
  });
  return buildOnnx({
    producer: 'artificial-mri fixtures',
    graph: {
      name: 'tiny_mlp',
      initializers: [ext('fc1.weight', MLP_DIMS.fc1, 0), ext('fc2.weight', MLP_DIMS.fc2, 4096), { name: 'fc1.bias', dims: [32], values: new Array(32).fill(0.01) }],
      nodes: [
        { op: 'Gemm', inputs: ['x', 'fc1.weight', 'fc1.bias'], outputs: ['h'], attrs: { transB: 1 } },
        { op: 'Relu', inputs: ['h'], outputs: ['r'] },
        { op: 'Gemm', inputs: ['r', 'fc2.weight'], outputs: ['y'], attrs: { transB: 1 } },
      ],
    },
  });
}

function mlpData(): Uint8Array {
  const { fc1, fc2 } = mlpWeights();
  const out = new Uint8Array(4096 + 4 * fc2.length);
  out.set(rawBytesOf(fc1, DT.FLOAT), 0);
  out.set(rawBytesOf(fc2, DT.FLOAT), 4096);
  return out;
}

/** Every ONNX fixture. */
export const ONNX_FIXTURES: readonly OnnxFixture[] = [
  {
    path: 'tiny-cnn.onnx',
    recipe: `A tiny CNN: Conv 8×3×3×3 and 16×8×3×3 (OIHW, stated by the Conv op), Gemm fc.weight 12×16 (transB = 1), biases as initializers; head.w 12×10 in a Constant node feeding MatMul; an INT64 shape Constant (listed, unsupported). He-initialised; seed ${ONNX_FIXTURE_SEED}.`,
    bytes: tinyCnn,
    opens: ['tiny-cnn.onnx'],
    tensors: 8,
    analysable: 4,
  },
  {
    path: 'external/tiny-mlp.onnx',
    recipe: 'An MLP whose fc1.weight 32×16 and fc2.weight 8×32 live in external data (`tiny-mlp.onnx.data`); fc1.bias inline. Drop both files together.',
    bytes: () => mlpExternal(),
    opens: ['external/tiny-mlp.onnx', 'external/tiny-mlp.onnx.data'],
    tensors: 3,
    analysable: 2,
  },
  {
    path: 'external/tiny-mlp.onnx.data',
    recipe: `The external data of tiny-mlp.onnx: fc1.weight F32 at offset 0, fc2.weight F32 at offset 4096; seed ${ONNX_FIXTURE_SEED + 1}.`,
    bytes: mlpData,
  },
  {
    path: 'truncated.onnx',
    recipe: 'The first 2000 bytes of tiny-cnn.onnx: the graph field says more bytes follow than the file has (TRUNCATED).',
    bytes: () => tinyCnn().slice(0, 2000),
    opens: ['truncated.onnx'],
    error: 'TRUNCATED',
  },
  {
    path: 'missing-external-data.onnx',
    recipe: 'tiny-mlp.onnx pointing at `weights/missing.onnx.data`, which is not there: MISSING_COMPANION, naming missing.onnx.data.',
    bytes: () => mlpExternal('weights/missing.onnx.data'),
    opens: ['missing-external-data.onnx'],
    error: 'MISSING_COMPANION',
  },
];
