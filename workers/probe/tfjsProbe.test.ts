/**
 * The TF.js probe path on @tensorflow/tfjs (cpu backend, Node) with the stroke-cnn sample: the pre-activations it
 * projects are the layers' outputs before their activation (checked against the model's own layer outputs), and
 * the aggregates equal Uᵀ(A) computed here from a naive convolution / product.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { svdNeurons, unfoldConvKernel } from '../../src/analysis/profiles/index';
import { seededRandom } from '../../src/analysis/random/seededRandom';
import { openModel } from '../../src/formats/registry';
import type { Model } from '../../src/model/types';
import type { ProbeLayerResult } from '../probeProtocol';
import { openProbeModel } from './openProbeModel';
import type { ProbeSession } from './probeSession';
import { aggregatesAlong, folderFiles, relativeError, root, tensorValues, tfjsOnlyRuntimes as runtimes } from './testing/nodeProbe';
import { WEIGHTS_ONLY_REASON } from './weightsOnly';

/** mean or max over positions of Uᵀ·A (A: n × rows × positions, no bias: the pre-activation has none). */
function referenceAggregates(W: ArrayLike<number>, rows: number, cols: number, a: ArrayLike<number>, n: number, positions: number, mode: 'mean' | 'max'): Float64Array {
  const { U, rank } = svdNeurons(W, rows, cols);
  return aggregatesAlong(U, rank, rows, a, n, positions, null, mode);
}

describe('TF.js probes on @tensorflow/tfjs (cpu, Node)', () => {
  const files = folderFiles('public/samples/stroke-cnn');
  const n = 3;
  const rng = seededRandom(5);
  const x = Float32Array.from({ length: n * 32 * 32 }, () => rng());
  let session: ProbeSession;
  let model: Model;
  let keras: tf.LayersModel;
  beforeAll(async () => {
    session = await openProbeModel(files, runtimes);
    model = await openModel(files);
    const json = JSON.parse(readFileSync(join(root, 'public/samples/stroke-cnn/model.json'), 'utf8')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
    const bin = readFileSync(join(root, 'public/samples/stroke-cnn/weights.bin'));
    keras = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer }),
    );
  });
  const read = (name: string) => tensorValues(model, name);
  /** The output of a layer of the reference model (after its activation), as nested values. */
  const layerOutput = (layer: string) => {
    const sub = tf.model({ inputs: keras.inputs, outputs: keras.getLayer(layer).output as tf.SymbolicTensor });
    const y = sub.predict(tf.tensor4d(x, [n, 32, 32, 1])) as tf.Tensor;
    return y.dataSync() as Float32Array;
  };

  it('reports the NHWC input and the Conv2D and Dense layers', () => {
    expect(session.info).toEqual({
      runnable: true,
      runtime: 'tfjs',
      input: { name: expect.any(String), height: 32, width: 32, channels: 1, layout: 'NHWC' },
      layers: [
        { tensor: 'conv1/kernel', op: 'Conv2D', outChannels: 16 },
        { tensor: 'conv2/kernel', op: 'Conv2D', outChannels: 32 },
        { tensor: 'conv3/kernel', op: 'Conv2D', outChannels: 32 },
        { tensor: 'fc1/kernel', op: 'Dense', outChannels: 64 },
        { tensor: 'fc2/kernel', op: 'Dense', outChannels: 5 },
      ],
    });
  });

  it('conv1 (5×5 same, ReLU) and fc2 (softmax): the aggregates are Uᵀ(A − b), A − b the pre-activation without bias', async () => {
    const [k1, b1, w2, b2] = await Promise.all(['conv1/kernel', 'conv1/bias', 'fc2/kernel', 'fc2/bias'].map(read));
    // Naive 'same' convolution, HWIO kernel, as n × 16 × (32·32).
    const a1 = new Float64Array(n * 16 * 1024);
    for (let i = 0; i < n; i++)
      for (let y = 0; y < 32; y++)
        for (let xo = 0; xo < 32; xo++)
          for (let o = 0; o < 16; o++) {
            let s = 0;
            for (let p = 0; p < 5; p++)
              for (let q = 0; q < 5; q++) {
                const yi = y + p - 2;
                const xi = xo + q - 2;
                if (yi >= 0 && yi < 32 && xi >= 0 && xi < 32) s += ((k1 as Float32Array)[(p * 5 + q) * 16 + o] as number) * (x[(i * 32 + yi) * 32 + xi] as number);
              }
            a1[(i * 16 + o) * 1024 + y * 32 + xo] = s;
          }
    // The layer's own output is ReLU(A + b): the naive A is the pre-activation.
    const out1 = layerOutput('conv1');
    const relu1 = Float64Array.from(out1, (_, j) => {
      const [i, y, xo, o] = [Math.floor(j / (1024 * 16)), Math.floor(j / (32 * 16)) % 32, Math.floor(j / 16) % 32, j % 16];
      return Math.max(0, (a1[(i * 16 + o) * 1024 + y * 32 + xo] as number) + ((b1 as Float32Array)[o] as number));
    });
    expect(relativeError(out1, relu1)).toBeLessThan(1e-5);

    // fc2: softmax(h·W + b) is the model's output, h = fc1's output.
    const h = layerOutput('fc1');
    const a2 = new Float64Array(n * 5);
    for (let i = 0; i < n; i++) for (let o = 0; o < 5; o++) for (let k = 0; k < 64; k++) a2[i * 5 + o] = (a2[i * 5 + o] as number) + (h[i * 64 + k] as number) * ((w2 as Float32Array)[k * 5 + o] as number);
    const probabilities = (keras.predict(tf.tensor4d(x, [n, 32, 32, 1])) as tf.Tensor).dataSync();
    const softmax = Float64Array.from({ length: n * 5 }, (_, j) => {
      const i = Math.floor(j / 5);
      const z = [0, 1, 2, 3, 4].map((o) => Math.exp((a2[i * 5 + o] as number) + ((b2 as Float32Array)[o] as number)));
      return (z[j % 5] as number) / z.reduce((s, v) => s + v, 0);
    });
    expect(relativeError(probabilities, softmax)).toBeLessThan(1e-5);

    const unfold1 = unfoldConvKernel(k1 as Float32Array, [5, 5, 1, 16], 'HWIO');
    const w2t = Float64Array.from({ length: 5 * 64 }, (_, j) => (w2 as Float32Array)[(j % 64) * 5 + Math.floor(j / 64)] as number);
    for (const mode of ['mean', 'max'] as const) {
      const results = await session.run({ data: x, shape: [n, 32, 32, 1] }, ['conv1/kernel', 'fc2/kernel'], mode);
      const get = (name: string) => results.find((r) => r.tensor === name) as ProbeLayerResult;
      expect(get('conv1/kernel')).toMatchObject({ definition: 'conv unfold', rank: 16 });
      expect(get('fc2/kernel')).toMatchObject({ definition: 'dense', rank: 5 });
      expect(relativeError(get('conv1/kernel').aggregates, referenceAggregates(unfold1.data, 16, 25, a1, n, 1024, mode))).toBeLessThan(1e-5);
      expect(relativeError(get('fc2/kernel').aggregates, referenceAggregates(w2t, 5, 64, a2, n, 1, mode))).toBeLessThan(1e-5);
    }
  });

  it('runs every layer, in chunks, and says what is wrong with a batch in the wrong layout', async () => {
    const big = Float32Array.from({ length: 20 * 1024 }, (_, i) => x[i % x.length] as number);
    const progress: number[] = [];
    const results = await session.run({ data: big, shape: [20, 32, 32, 1] }, session.info.layers.map((l) => l.tensor), 'mean', { onProgress: (done) => progress.push(done) });
    expect(results.map((r) => [r.tensor, r.rank, r.aggregates.length])).toEqual([
      ['conv1/kernel', 16, 320],
      ['conv2/kernel', 32, 640],
      ['conv3/kernel', 32, 640],
      ['fc1/kernel', 64, 1280],
      ['fc2/kernel', 5, 100],
    ]);
    // Inputs 0–2 of the big batch are the small batch: the same aggregates.
    const small = await session.run({ data: x, shape: [n, 32, 32, 1] }, ['conv2/kernel'], 'mean');
    expect(relativeError(results[1]?.aggregates.subarray(0, 3 * 32) ?? [], small[0]?.aggregates ?? [])).toBeLessThan(1e-6);
    expect(progress.at(-1)).toBe(progress.length - 1);
    await expect(session.run({ data: x, shape: [n, 1, 32, 32] }, ['conv1/kernel'], 'mean')).rejects.toMatchObject({
      code: 'PROBE_INPUT_SHAPE',
      message: expect.stringContaining('expected [N, 32, 32, 1] (NHWC), got [3, 1, 32, 32]'),
    });
  });

  it('graph models and bare weights manifests open as not runnable, with the reason', async () => {
    const graph = await openProbeModel(folderFiles('e2e/fixtures/tfjs/graph-model'), runtimes);
    expect(graph.info).toMatchObject({ runnable: false, runtime: 'tfjs', layers: [], reason: expect.stringContaining('graph model: probes do not support graph models yet') });
    const manifest = await openProbeModel(folderFiles('e2e/fixtures/tfjs/weights-manifest'), runtimes);
    expect(manifest.info).toEqual({ runnable: false, reason: WEIGHTS_ONLY_REASON, layers: [] });
  });
});
