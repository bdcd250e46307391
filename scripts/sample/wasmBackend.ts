/**
 * The tfjs wasm backend in Node, made able to train conv layers.
 *
 * @tensorflow/tfjs-node cannot be installed here, the stock cpu backend is far too slow to train a CNN, and the
 * wasm backend (4.22) has no `Conv2DBackpropFilter` kernel (the gradient of a conv layer's kernel). We register one
 * built from the backend's own Transpose and Conv2D kernels (see /work/shared/COMPUTE.md, "Training small sample
 * models in Node"):
 *
 *   dW[p, q, ci, co] = Σ_{b, i, j} x[b, i + p − padTop, j + q − padLeft, ci] · dy[b, i, j, co]     (stride 1)
 *
 * is itself a convolution: treat the input channels as the batch and the batch as the channels, i.e. convolve
 * x' = transpose(x, [3, 1, 2, 0]) : [Ci, H, W, B] with the filter dy' = transpose(dy, [1, 2, 0, 3]) : [Ho, Wo, B, Co]
 * using the forward conv's padding; the result [Ci, kh, kw, Co] transposed by [1, 2, 0, 3] is dW : [kh, kw, Ci, Co].
 * The backend's own Conv2DBackpropInput is a plain loop; it is replaced the same way, by a Conv2D of dy with the
 * spatially flipped, transposed kernel (see conv2DBackpropInputWasm). Only stride 1, dilation 1 and NHWC are
 * supported (all the sample model uses); anything else throws. `selfCheckConvGradients` compares both with the cpu
 * backend before any training.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type TensorInfo = tf.TensorInfo;
/** The part of the wasm backend object the patch needs. */
interface DisposingBackend {
  disposeData(dataId: tf.DataId): boolean;
}

/** The wasm backend's Transpose/Conv2D kernel functions, looked up once the backend is registered. */
function wasmKernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm backend has no ${name} kernel`);
  return config.kernelFunc;
}

function asInfo(result: TensorInfo | TensorInfo[]): TensorInfo {
  if (Array.isArray(result)) throw new Error('expected one output');
  return result;
}

/** Conv2DBackpropFilter for the wasm backend, as described in the file comment. */
function conv2DBackpropFilterWasm(args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs['x'];
  const dy = inputs['dy'];
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter: missing x or dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm patch): only NHWC, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    throw new Error('Conv2DBackpropFilter (wasm patch): only stride 1 is supported');
  }
  const transpose = wasmKernel('Transpose');
  const conv2D = wasmKernel('Conv2D');
  const xT = asInfo(transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }));
  const dyT = asInfo(transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }));
  const { top, bottom, left, right } = info.padInfo;
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const convolved = asInfo(
    conv2D({
      inputs: { x: xT, filter: dyT },
      backend,
      attrs: { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1 },
    }),
  );
  const expected = [info.inChannels, info.filterHeight, info.filterWidth, info.outChannels];
  if (convolved.shape.join() !== expected.join()) {
    throw new Error(`Conv2DBackpropFilter (wasm patch): got shape ${convolved.shape.join('×')}, expected ${expected.join('×')}`);
  }
  const dW = asInfo(transpose({ inputs: { x: convolved }, backend, attrs: { perm: [1, 2, 0, 3] } }));
  for (const t of [xT, dyT, convolved]) (backend as DisposingBackend).disposeData(t.dataId);
  return dW;
}

/**
 * Conv2DBackpropInput for the wasm backend through its fast (XNNPACK) Conv2D. The stock wasm kernel is a plain loop
 * that took ~70 % of a training step. For stride 1,
 *   dx[b, i, j, ci] = Σ_{p, q, co} dy[b, i − p + padTop, j − q + padLeft, co] · W[p, q, ci, co],
 * a convolution of dy with the kernel flipped in space and transposed to [kh, kw, Co, Ci], padded by
 * (kh − 1 − padTop, kh − 1 − padBottom) rows and (kw − 1 − padLeft, kw − 1 − padRight) columns.
 */
function conv2DBackpropInputWasm(args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs['dy'];
  const filter = inputs['filter'];
  if (dy === undefined || filter === undefined) throw new Error('Conv2DBackpropInput: missing dy or filter');
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = (attrs ?? {}) as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
    dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput (wasm patch): only NHWC, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    throw new Error('Conv2DBackpropInput (wasm patch): only stride 1 is supported');
  }
  const { top, bottom, left, right } = info.padInfo;
  const kh = info.filterHeight;
  const kw = info.filterWidth;
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [kh - 1 - top, kh - 1 - bottom],
    [kw - 1 - left, kw - 1 - right],
    [0, 0],
  ];
  if (explicit.flat().some((v) => v < 0)) throw new Error('Conv2DBackpropInput (wasm patch): padding larger than the kernel');
  const flipped = asInfo(wasmKernel('Reverse')({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } }));
  const kernel = asInfo(wasmKernel('Transpose')({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } }));
  const dx = asInfo(
    wasmKernel('Conv2D')({
      inputs: { x: dy, filter: kernel },
      backend,
      attrs: { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1 },
    }),
  );
  for (const t of [flipped, kernel]) (backend as DisposingBackend).disposeData(t.dataId);
  if (dx.shape.join() !== inputShape.join()) {
    throw new Error(`Conv2DBackpropInput (wasm patch): got shape ${dx.shape.join('×')}, expected ${inputShape.join('×')}`);
  }
  return dx;
}

/**
 * Register the patch kernels: Conv2DBackpropFilter (missing from the wasm backend) and a faster
 * Conv2DBackpropInput (replacing the backend's own). Idempotent.
 */
export function registerConvGradientKernelsWasm(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilterWasm });
  }
  if (tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc !== conv2DBackpropInputWasm) {
    if (tf.getKernel('Conv2DBackpropInput', 'wasm') !== undefined) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInputWasm });
  }
}

/** Directory of the wasm binaries, as an absolute path with a trailing slash (what setWasmPaths needs in Node). */
function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main) + path.sep;
}

/** Deterministic small tensor of the given shape, values in [−1, 1) (no randomness from tfjs). */
function fixedTensor(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.sin(i * 12.9898 + salt * 78.233) * 0.999;
  return tf.tensor(values, shape);
}

/** Gradients of sum(conv2d(x, w) · g) with respect to x and w, on the current backend. */
function convGradients(pad: 'same' | 'valid', xShape: number[], wShape: number[]): Float32Array[] {
  return tf.tidy(() => {
    const x = fixedTensor(xShape, 1) as tf.Tensor4D;
    const w = fixedTensor(wShape, 2) as tf.Tensor4D;
    const y = tf.conv2d(x, w, 1, pad);
    const g = fixedTensor(y.shape, 3);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), g));
    const grads = tf.grads(f)([x, w]);
    return grads.map((t) => t.dataSync() as Float32Array);
  });
}

/**
 * Compare the patched wasm gradients with the cpu backend's on small cases ('same' and 'valid', odd sizes).
 * Returns the largest absolute difference; throws if it exceeds `tolerance`.
 */
export async function selfCheckConvGradients(tolerance = 1e-4): Promise<number> {
  const cases: { pad: 'same' | 'valid'; x: number[]; w: number[] }[] = [
    { pad: 'same', x: [3, 9, 7, 2], w: [5, 5, 2, 4] },
    { pad: 'valid', x: [2, 8, 10, 3], w: [3, 3, 3, 5] },
    { pad: 'same', x: [4, 6, 6, 4], w: [3, 3, 4, 3] },
    { pad: 'same', x: [2, 8, 8, 16], w: [3, 3, 16, 32] },
    { pad: 'same', x: [1, 5, 6, 3], w: [2, 4, 3, 2] },
  ];
  let worst = 0;
  for (const c of cases) {
    await tf.setBackend('cpu');
    const reference = convGradients(c.pad, c.x, c.w);
    await tf.setBackend('wasm');
    const patched = convGradients(c.pad, c.x, c.w);
    reference.forEach((ref, k) => {
      const got = patched[k];
      if (got === undefined || got.length !== ref.length) throw new Error('self-check: gradient shapes differ');
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs((ref[i] ?? NaN) - (got[i] ?? NaN)));
    });
  }
  if (!(worst <= tolerance)) {
    throw new Error(`self-check failed: wasm conv gradients differ from cpu by ${worst} (> ${tolerance})`);
  }
  return worst;
}

/** Point tfjs at the wasm binaries, register the patch kernel, select the wasm backend. */
export async function useWasmBackend(): Promise<void> {
  setWasmPaths(wasmDirectory());
  registerConvGradientKernelsWasm();
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('could not initialise the tfjs wasm backend');
  await tf.ready();
}
