/**
 * `respond` (issue 8): each unit's response at the position over the image centre, pre- and post-activation, with
 * singular directions, on onnxruntime-web (wasm, Node) with the hand-built line detector fixture, and on tfjs (cpu)
 * with the stroke-cnn sample. References are naive convolutions computed here from the stored weights.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { svdNeurons, unfoldConvKernel } from '../../src/analysis/profiles/index';
import { seededRandom } from '../../src/analysis/random/seededRandom';
import { openModel } from '../../src/formats/registry';
import type { Model } from '../../src/model/types';
import { LINE_DETECTOR, lineDetectorOnnx } from '../../scripts/fixtures/lineDetectorOnnx';
import { openProbeModel } from './openProbeModel';
import type { ProbeSession } from './probeSession';
import { bytesOf, fileOf, folderFiles, lineImages, relativeError, root, runtimes, tensorValues } from './testing/nodeProbe';

const LINE_DETECTOR_PATH = 'e2e/fixtures/onnx/line-detector.onnx';

/**
 * A naive 'same' convolution of single-channel images read at one output pixel, float64: n × c_out values.
 * `at(i, y, x)` reads input pixel (y, x) of image i (0 outside); `kernel(o, p, q)` is the weight at row p, column q.
 */
function convAt(n: number, cOut: number, k: number, row: number, col: number, at: (i: number, y: number, x: number) => number, kernel: (o: number, p: number, q: number) => number, bias: ArrayLike<number> | null): Float64Array {
  const out = new Float64Array(n * cOut);
  const half = (k - 1) / 2;
  for (let i = 0; i < n; i++)
    for (let o = 0; o < cOut; o++) {
      let s = bias ? (bias[o] as number) : 0;
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) s += kernel(o, p, q) * at(i, row + p - half, col + q - half);
      out[i * cOut + o] = s;
    }
  return out;
}

/** Uᵀ(a − b) for each of n rows of a (n × rows), U from the unfold matrix W (rows × cols). */
function referenceDirections(W: ArrayLike<number>, rows: number, cols: number, a: ArrayLike<number>, n: number, bias: ArrayLike<number> | null): Float64Array {
  const { U, rank } = svdNeurons(W, rows, cols);
  const out = new Float64Array(n * rank);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < rank; k++) {
      let s = 0;
      for (let o = 0; o < rows; o++) s += (U[o * rank + k] as number) * ((a[i * rows + o] as number) - (bias ? (bias[o] as number) : 0));
      out[i * rank + k] = s;
    }
  return out;
}

describe('respond on the line detector (onnxruntime-web, wasm, Node)', () => {
  const { size } = LINE_DETECTOR;
  const centre = size / 2;
  /** Images 0–3: one-pixel lines through the centre pixel (16, 16) at 0°, 45°, 90°, 135° (y down: 45° runs up-right); 4–11: noise. */
  const n = 12;
  const x = lineImages(size, n, 8);
  const pixel = (i: number, y: number, xx: number) => (y < 0 || y >= size || xx < 0 || xx >= size ? 0 : (x[(i * size + y) * size + xx] as number));
  const batch = { data: x, shape: [n, 1, size, size] };
  let session: ProbeSession;
  let model: Model;
  beforeAll(async () => {
    session = await openProbeModel([fileOf(LINE_DETECTOR_PATH)], runtimes);
    model = await openModel([fileOf(LINE_DETECTOR_PATH)]);
  });
  afterAll(() => session.dispose());

  it('the committed fixture is what its builder makes; it opens with a 32 × 32 input and two conv layers', () => {
    expect(bytesOf(LINE_DETECTOR_PATH), 'run npx tsx scripts/fixtures/makeOnnxFixtures.ts').toEqual(lineDetectorOnnx());
    expect(session.info).toEqual({
      runnable: true,
      runtime: 'onnxruntime-web',
      input: { name: 'image', height: 32, width: 32, channels: 1, layout: 'NCHW' },
      layers: [
        { tensor: 'conv1.weight', op: 'Conv', outChannels: 4 },
        { tensor: 'conv2.weight', op: 'Conv', outChannels: 2 },
      ],
    });
  });

  it('conv1: the 45° line drives channel 1 most; pre equals a naive convolution at (16, 16), post its Relu; directions are Uᵀ(a − b)', async () => {
    const [w1, b1] = await Promise.all([tensorValues(model, 'conv1.weight'), tensorValues(model, 'conv1.bias')]);
    const reference = convAt(n, 4, 7, centre, centre, pixel, (o, p, q) => (w1 as Float32Array)[(o * 7 + p) * 7 + q] as number, b1 as Float32Array);
    const stages: string[] = [];
    const pre = await session.respond(batch, 'conv1.weight', { stage: 'pre', directions: true }, { onProgress: (_d, _t, stage) => stages.push(stage) });
    expect(pre).toMatchObject({ tensor: 'conv1.weight', stage: 'pre', postOp: null, outHeight: 32, outWidth: 32, row: 16, col: 16 });
    expect(pre.channels).toHaveLength(n * 4);
    expect(relativeError(pre.channels, reference)).toBeLessThan(1e-5);
    // Each line image drives its own orientation's detector most; 45° (image 1) is channel 1.
    for (let i = 0; i < 4; i++) {
      const row = [...pre.channels.subarray(i * 4, i * 4 + 4)];
      expect(row.indexOf(Math.max(...row)), `image ${i}`).toBe(i);
    }
    expect(relativeError(pre.channels.subarray(4, 8), reference.subarray(4, 8))).toBeLessThan(1e-5);
    const unfold = unfoldConvKernel(w1 as Float32Array, [4, 1, 7, 7], 'OIHW');
    expect(pre.sigma).toEqual(svdNeurons(unfold.data, 4, 49).sigma);
    expect(relativeError(pre.directions as Float64Array, referenceDirections(unfold.data, 4, 49, reference, n, b1 as Float32Array))).toBeLessThan(1e-5);
    // U once, then two chunks of at most 8 inputs.
    expect(stages).toEqual(['singular vectors of conv1.weight', 'running inputs 1–8 of 12', 'running inputs 9–12 of 12', 'done']);

    const post = await session.respond(batch, 'conv1.weight', { stage: 'post', directions: false });
    expect(post).toMatchObject({ stage: 'post', postOp: 'Relu', row: 16, col: 16, directions: null, sigma: null });
    expect(relativeError(post.channels, reference.map((v) => Math.max(0, v)))).toBeLessThan(1e-5);
    expect(post.channels[1 * 4 + 1]).toBe(Math.max(...post.channels.subarray(4, 8)));
  });

  it('conv2 (the second conv): pre is its 1×1 mix of conv1’s Relu at (16, 16); post its Relu; directions alongside post are of the pre-activation', async () => {
    const [w1, b1, w2, b2] = await Promise.all(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias'].map((name) => tensorValues(model, name)));
    const r1 = convAt(n, 4, 7, centre, centre, pixel, (o, p, q) => (w1 as Float32Array)[(o * 7 + p) * 7 + q] as number, b1 as Float32Array).map((v) => Math.max(0, v));
    const reference = Float64Array.from({ length: n * 2 }, (_, j) => {
      const [i, o] = [Math.floor(j / 2), j % 2];
      let s = (b2 as Float32Array)[o] as number;
      for (let k = 0; k < 4; k++) s += ((w2 as Float32Array)[o * 4 + k] as number) * (r1[i * 4 + k] as number);
      return s;
    });
    const post = await session.respond(batch, 'conv2.weight', { stage: 'post', directions: true });
    const pre = await session.respond(batch, 'conv2.weight', { stage: 'pre', directions: true });
    expect(post).toMatchObject({ tensor: 'conv2.weight', postOp: 'Relu', outHeight: 32, outWidth: 32, row: 16, col: 16 });
    expect(relativeError(pre.channels, reference)).toBeLessThan(1e-5);
    expect(relativeError(post.channels, reference.map((v) => Math.max(0, v)))).toBeLessThan(1e-5);
    expect(post.directions).toEqual(pre.directions);
    expect(relativeError(pre.directions as Float64Array, referenceDirections(w2 as Float32Array, 2, 4, reference, n, b2 as Float32Array))).toBeLessThan(1e-5);
    // Diagonal lines (images 1, 3) drive the diagonal channel 1, cardinal ones (0, 2) channel 0.
    for (const [i, channel] of [[0, 0], [1, 1], [2, 0], [3, 1]] as const) expect(post.channels[i * 2 + channel]).toBeGreaterThan(post.channels[i * 2 + 1 - channel] as number);
  });

  it('coded errors: cancelled, unknown layer, wrong batch', async () => {
    await expect(session.respond(batch, 'conv1.weight', { stage: 'pre', directions: false }, { shouldCancel: () => true })).rejects.toMatchObject({ code: 'PROBE_CANCELLED' });
    await expect(session.respond(batch, 'conv1.bias', { stage: 'pre', directions: false })).rejects.toMatchObject({ code: 'PROBE_NO_SUCH_LAYER' });
    await expect(session.respond({ data: x.subarray(0, 16 * 16), shape: [1, 1, 16, 16] }, 'conv1.weight', { stage: 'pre', directions: false })).rejects.toMatchObject({ code: 'PROBE_INPUT_SHAPE' });
  });
});

describe('respond on tiny-cnn: layers without a nonlinearity after them', () => {
  it('post is PROBE_NO_ACTIVATION naming the layer and what follows it; pre still works', async () => {
    const session = await openProbeModel([fileOf('e2e/fixtures/onnx/tiny-cnn.onnx')], runtimes);
    const batch = { data: Float32Array.from({ length: 2 * 3 * 6 * 5 }, (_, i) => Math.sin(i)), shape: [2, 3, 6, 5] };
    await expect(session.respond(batch, 'conv2.weight', { stage: 'post', directions: false })).rejects.toMatchObject({
      code: 'PROBE_NO_ACTIVATION',
      message: expect.stringMatching(/"conv2\.weight".*GlobalAveragePool/),
      remedy: expect.stringContaining('pre-activation'),
    });
    await expect(session.respond(batch, 'head.w', { stage: 'post', directions: false })).rejects.toMatchObject({ code: 'PROBE_NO_ACTIVATION', message: expect.stringContaining('not used by any node') });
    // A 6 × 5 image: the read-out is row 3 (ties up), col 2.
    expect(await session.respond(batch, 'conv1.weight', { stage: 'post', directions: false })).toMatchObject({ postOp: 'Relu', outHeight: 6, outWidth: 5, row: 3, col: 2 });
    // A dense layer reads its only position.
    expect(await session.respond(batch, 'fc.weight', { stage: 'pre', directions: true })).toMatchObject({ outHeight: 1, outWidth: 1, row: 0, col: 0, postOp: null });
    session.dispose();
  });
});

describe('respond on the stroke-cnn sample (tfjs, cpu, Node)', () => {
  const n = 4;
  const rng = seededRandom(9);
  const x = Float32Array.from({ length: n * 32 * 32 }, () => rng());
  const batch = { data: x, shape: [n, 32, 32, 1] };
  let session: ProbeSession;
  let model: Model;
  beforeAll(async () => {
    const files = folderFiles('public/samples/stroke-cnn');
    session = await openProbeModel(files, runtimes);
    model = await openModel(files);
  });
  afterAll(() => session.dispose());

  it('conv1 (relu, says model.json): pre = the naive conv + bias at (16, 16), post = max(0, pre)', async () => {
    const json = JSON.parse(readFileSync(join(root, 'public/samples/stroke-cnn/model.json'), 'utf8')) as { modelTopology: { config: { layers: { config: { name: string; activation?: string } }[] } } };
    expect(json.modelTopology.config.layers.find((l) => l.config.name === 'conv1')?.config.activation).toBe('relu');
    const [k1, b1] = await Promise.all([tensorValues(model, 'conv1/kernel'), tensorValues(model, 'conv1/bias')]);
    const pixel = (i: number, y: number, xx: number) => (y < 0 || y >= 32 || xx < 0 || xx >= 32 ? 0 : (x[(i * 32 + y) * 32 + xx] as number));
    // HWIO [5, 5, 1, 16].
    const reference = convAt(n, 16, 5, 16, 16, pixel, (o, p, q) => (k1 as Float32Array)[(p * 5 + q) * 16 + o] as number, b1 as Float32Array);
    const pre = await session.respond(batch, 'conv1/kernel', { stage: 'pre', directions: true });
    const post = await session.respond(batch, 'conv1/kernel', { stage: 'post', directions: false });
    expect(pre).toMatchObject({ stage: 'pre', postOp: null, outHeight: 32, outWidth: 32, row: 16, col: 16 });
    expect(post).toMatchObject({ stage: 'post', postOp: 'relu', outHeight: 32, outWidth: 32, row: 16, col: 16 });
    expect(relativeError(pre.channels, reference)).toBeLessThan(1e-5);
    expect(relativeError(post.channels, pre.channels.map((v) => Math.max(0, v)))).toBeLessThan(1e-6);
    expect(pre.channels.some((v) => v < 0)).toBe(true);
    const unfold = unfoldConvKernel(k1 as Float32Array, [5, 5, 1, 16], 'HWIO');
    expect(relativeError(pre.directions as Float64Array, referenceDirections(unfold.data, 16, 25, reference, n, b1 as Float32Array))).toBeLessThan(1e-5);
  });

  it('conv2 (after a 2×2 pool) reads 8 of 16; fc2 reads its one position after softmax', async () => {
    expect(await session.respond(batch, 'conv2/kernel', { stage: 'post', directions: false })).toMatchObject({ postOp: 'relu', outHeight: 16, outWidth: 16, row: 8, col: 8 });
    const fc2 = await session.respond(batch, 'fc2/kernel', { stage: 'post', directions: false });
    expect(fc2).toMatchObject({ postOp: 'softmax', outHeight: 1, outWidth: 1, row: 0, col: 0 });
    for (let i = 0; i < n; i++) expect(fc2.channels.subarray(i * 5, i * 5 + 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
