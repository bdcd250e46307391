/**
 * The grokking sample's network, in plain tfjs ops (no layers API, so every parameter and every step is visible):
 *
 *   a, b ∈ {0…p−1} → embed.weight[a] ‖ embed.weight[b]  (one shared embedding, p × d; the rows are looked up
 *   as one-hot(a) · E, which the wasm backend can differentiate) → fc1 → ReLU → … → out → p logits.
 *
 * Initialisation as PyTorch's defaults, from our seeded generator: the embedding N(0, 1) (nn.Embedding), every
 * dense weight and bias U(−1/√fan_in, 1/√fan_in) (nn.Linear). tfjs multiplies x · K with K as [in, out]; the
 * safetensors export transposes each dense weight to PyTorch's [out, in].
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian, seededRandom, type Rng } from '../../src/analysis/random/seededRandom';
import type { TensorToWrite } from '../../src/formats/safetensors/writeSafetensors';

/** Shape of the network. */
export interface MlpShape {
  /** Modulus: vocabulary size and number of classes. */
  readonly p: number;
  /** Embedding width d. */
  readonly embedDim: number;
  /** Widths of the hidden dense layers (fc1, fc2, …), each followed by a ReLU. */
  readonly hidden: readonly number[];
}

/** One dense layer: kernel [in, out] (tfjs layout) and bias [out]. */
export interface DenseLayer {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

/** All parameters of the network. */
export interface MlpParams {
  readonly embed: tf.Variable;
  /** fc1, fc2, …, then out. */
  readonly dense: readonly DenseLayer[];
}

function uniform(rng: Rng, count: number, limit: number): Float32Array {
  return Float32Array.from({ length: count }, () => (2 * rng() - 1) * limit);
}

/**
 * Create the parameters with seeded initial values (see the file comment).
 *
 * @param seed mulberry32 seed; the draws go embed, then each layer's kernel (row-major [in, out]) and bias
 */
export function initMlp(shape: MlpShape, seed: number): MlpParams {
  const rng = seededRandom(seed);
  const { p, embedDim, hidden } = shape;
  const embed = tf.variable(
    tf.tensor2d(Float32Array.from({ length: p * embedDim }, () => gaussian(rng)), [p, embedDim]),
    true,
    'embed',
  );
  const widths = [2 * embedDim, ...hidden, p];
  const dense: DenseLayer[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i] ?? 0;
    const fanOut = widths[i + 1] ?? 0;
    const name = i + 2 === widths.length ? 'out' : `fc${i + 1}`;
    const limit = 1 / Math.sqrt(fanIn);
    const kernel = tf.variable(tf.tensor2d(uniform(rng, fanIn * fanOut, limit), [fanIn, fanOut]), true, `${name}_kernel`);
    const bias = tf.variable(tf.tensor1d(uniform(rng, fanOut, limit)), true, `${name}_bias`);
    dense.push({ name, kernel, bias });
  }
  return { embed, dense };
}

/** Every trainable variable, for the optimizer. */
export function trainableVariables(params: MlpParams): tf.Variable[] {
  return [params.embed, ...params.dense.flatMap((l) => [l.kernel, l.bias])];
}

/** The weight matrices (embedding and dense kernels): what weight decay shrinks. Biases are not decayed. */
export function weightMatrices(params: MlpParams): tf.Variable[] {
  return [params.embed, ...params.dense.map((l) => l.kernel)];
}

/**
 * x · w with hand-written gradients dx = dy · transpose(w), dw = transpose(x) · dy. The wasm backend's MatMul with
 * transposeA or transposeB set (which tfjs's own MatMul gradient uses) is ~10× slower here than an explicit
 * Transpose followed by a plain MatMul (measured: 96 ms vs 8 ms for a 2822×128 by 2822×192 product).
 */
const linear = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(sw)), tf.matMul(tf.transpose(sx), g)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** One operand of every pair in a set: one-hot rows [n, p] and their transpose [p, n] (for the embedding gradient). */
export interface OneHotOperand {
  readonly rows: tf.Tensor2D;
  readonly rowsT: tf.Tensor2D;
}

/** Embedding rows for one-hot inputs, oneHot · E [n, d]; gradient transpose(oneHot) · dy only for E (the input is data). */
function lookup(operand: OneHotOperand, embed: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.matMul(operand.rows, args[0] as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.matMul(operand.rowsT, dy as tf.Tensor2D),
  })) as (e: tf.Tensor2D) => tf.Tensor2D;
  return f(embed);
}

/** Logits [n, p] for one-hot encoded operands a and b. */
export function forward(params: MlpParams, a: OneHotOperand, b: OneHotOperand): tf.Tensor2D {
  return tf.tidy(() => {
    const embed = params.embed as tf.Tensor2D;
    let x = tf.concat([lookup(a, embed), lookup(b, embed)], 1);
    params.dense.forEach((layer, i) => {
      const z = tf.add(linear(x, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D;
      x = i + 1 < params.dense.length ? tf.relu(z) : z;
    });
    return x;
  });
}

/**
 * Decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled weight decay regularization", AdamW): after the
 * optimizer's step, W ← W − lr·λ·W = (1 − lr·λ)·W for every weight matrix. tfjs has no AdamW; Adam plus this
 * update is AdamW (PyTorch applies the same shrink just before its Adam step, which differs only in order).
 */
export function decayWeights(params: MlpParams, learningRate: number, weightDecay: number): void {
  const factor = 1 - learningRate * weightDecay;
  tf.tidy(() => {
    for (const w of weightMatrices(params)) w.assign(tf.mul(w, factor));
  });
}

/** A copy of every parameter's values, keyed by its safetensors name, in PyTorch layout (dense weights [out, in]). */
export type ParamSnapshot = readonly TensorToWrite[];

/** Copy the parameters out of tfjs as PyTorch-layout tensors: `embed.weight` [p, d], `<layer>.weight` [out, in], `<layer>.bias` [out]. */
export function snapshotParams(params: MlpParams): ParamSnapshot {
  const tensors: TensorToWrite[] = [
    { name: 'embed.weight', dtype: 'F32', shape: [...params.embed.shape], data: Float32Array.from(params.embed.dataSync()) },
  ];
  for (const layer of params.dense) {
    const [inSize = 0, outSize = 0] = layer.kernel.shape;
    const kernel = layer.kernel.dataSync();
    const weight = new Float32Array(inSize * outSize);
    for (let i = 0; i < inSize; i++) {
      for (let o = 0; o < outSize; o++) weight[o * inSize + i] = kernel[i * outSize + o] ?? NaN;
    }
    tensors.push({ name: `${layer.name}.weight`, dtype: 'F32', shape: [outSize, inSize], data: weight });
    tensors.push({ name: `${layer.name}.bias`, dtype: 'F32', shape: [outSize], data: Float32Array.from(layer.bias.dataSync()) });
  }
  return tensors;
}
