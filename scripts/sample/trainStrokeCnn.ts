/**
 * Train the embedded sample model, deterministically, and write it to public/samples/ (`npm run sample:train`).
 *
 * 1. Select the tfjs wasm backend with our conv-gradient kernels and check them against the cpu backend (abort on
 *    a difference > 1e-4).
 * 2. Generate the seeded stroke data (scripts/sample/strokeDataset.ts), build the CNN with seeded initializers
 *    (scripts/sample/strokeCnn.ts) and keep its initial weights: the randomly initialised twin.
 * 3. Train with Adam and a cosine learning-rate schedule; `shuffle: false` in fit and our own seeded per-epoch
 *    permutation (fit's shuffle uses Math.random).
 * 4. Write the TF.js layers files and PyTorch-layout safetensors of both models, check that they reload to identical
 *    predictions (TF.js) and to the same probabilities through a plain-TS forward pass (safetensors), and write
 *    samples.json and SOURCES.md (with spectra, accuracies, timings and SHA-256 of every file).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { writeSafetensors, type TensorToWrite } from '../../src/formats/safetensors/writeSafetensors';
import { seededRandom, shuffleInPlace } from '../../src/analysis/random/seededRandom';
import { ARCHITECTURE, buildStrokeCnn, WEIGHT_LAYERS } from './strokeCnn';
import { DATASET, makeStrokeSplit, STROKE_CLASSES, STROKE_IMAGE_SIZE, type StrokeSet } from './strokeDataset';
import { toPytorchTensors, type TfLayerWeights } from './exportWeights';
import { referenceForward } from './referenceForward';
import { singularValues, summarise } from './spectra';
import { loadLayersModelFromFiles, saveLayersModel, type TfjsLayersFiles } from './tfjsLayersFiles';
import { selfCheckConvGradients, useWasmBackend } from './wasmBackend';
import { mergeSampleEntries } from './samplesList';
import { keepOwnedSections, renderSources, type FileRecord, type TrainReport } from './writeSources';

/** Optimiser and schedule, recorded in SOURCES.md. */
export const TRAINING = {
  epochs: 15,
  batchSize: 32,
  learningRate: 2e-3,
  finalLearningRate: 5e-5,
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  shuffleSeed: 777,
} as const;

const log = (message: string): void => {
  process.stdout.write(`${message}\n`);
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(repoRoot, 'public', 'samples');

/** Cosine decay from the initial to the final learning rate over the epochs (epoch 0 uses the initial rate). */
function learningRateAt(epoch: number): number {
  const { learningRate: hi, finalLearningRate: lo, epochs } = TRAINING;
  return lo + ((hi - lo) * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs - 1)))) / 2;
}

function toTensors(set: StrokeSet): { x: tf.Tensor4D; y: tf.Tensor1D } {
  return {
    x: tf.tensor4d(set.images, [set.count, STROKE_IMAGE_SIZE, STROKE_IMAGE_SIZE, 1]),
    y: tf.tensor1d(Float32Array.from(set.labels), 'float32'),
  };
}

function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x, { batchSize: 250 }) as tf.Tensor).dataSync() as Float32Array);
}

/** Accuracy and confusion matrix (rows: true class, columns: predicted) from class probabilities. */
function score(probabilities: Float32Array, labels: Uint8Array): { accuracy: number; confusion: number[][] } {
  const k = STROKE_CLASSES.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  labels.forEach((label, i) => {
    let best = 0;
    for (let c = 1; c < k; c++) if ((probabilities[i * k + c] ?? 0) > (probabilities[i * k + best] ?? 0)) best = c;
    const row = confusion[label];
    if (row !== undefined) row[best] = (row[best] ?? 0) + 1;
    if (best === label) correct++;
  });
  return { accuracy: correct / labels.length, confusion };
}

/** Each weight layer's TF.js kernel and bias (copied). */
function layerWeights(model: tf.LayersModel): TfLayerWeights[] {
  return WEIGHT_LAYERS.map(({ name, kind }) => {
    const [kernel, bias] = model.getLayer(name).getWeights();
    if (kernel === undefined || bias === undefined) throw new Error(`layer ${name} has no kernel/bias`);
    const flattenFrom =
      name === 'fc1' ? ((model.getLayer('pool3').outputShape as number[]).slice(1) as [number, number, number]) : undefined;
    return {
      name,
      kind,
      kernel: Float32Array.from(kernel.dataSync()),
      kernelShape: kernel.shape,
      bias: Float32Array.from(bias.dataSync()),
      ...(flattenFrom === undefined ? {} : { flattenFrom }),
    };
  });
}

/** Largest |a − b| over two equally long arrays. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return m;
}

/** Plain-TS forward pass of the PyTorch-layout tensors on the first `n` test images vs the TF.js probabilities. */
function checkPytorchLayout(tensors: TensorToWrite[], test: StrokeSet, tfjsProbabilities: Float32Array, n: number): number {
  const k = STROKE_CLASSES.length;
  const pixels = STROKE_IMAGE_SIZE * STROKE_IMAGE_SIZE;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const p = referenceForward(tensors, test.images.subarray(i * pixels, (i + 1) * pixels), STROKE_IMAGE_SIZE);
    worst = Math.max(worst, maxAbsDiff(p, tfjsProbabilities.subarray(i * k, (i + 1) * k)));
  }
  return worst;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function main(): Promise<void> {
  const started = performance.now();
  await useWasmBackend();
  const selfCheckMaxDiff = await selfCheckConvGradients(1e-4);
  log(`conv-gradient self-check vs cpu backend: max |diff| = ${selfCheckMaxDiff.toExponential(2)} (ok)`);

  const { train, test } = makeStrokeSplit();
  const trainT = toTensors(train);
  const testT = toTensors(test);
  log(`data: ${train.count} train / ${test.count} test images, classes ${STROKE_CLASSES.join(', ')}`);

  const model = buildStrokeCnn(STROKE_CLASSES.length);
  const initWeights = layerWeights(model);
  const initTfjs = await saveLayersModel(model);
  const initProbabilities = predict(model, testT.x);
  const initTest = score(initProbabilities, test.labels);

  const optimizer = tf.train.adam(TRAINING.learningRate, TRAINING.adam.beta1, TRAINING.adam.beta2, TRAINING.adam.epsilon);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const rng = seededRandom(TRAINING.shuffleSeed);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const epochs: TrainReport['epochs'][number][] = [];
  const trainStart = performance.now();
  for (let epoch = 0; epoch < TRAINING.epochs; epoch++) {
    const t0 = performance.now();
    const learningRate = learningRateAt(epoch);
    // AdamOptimizer reads its (protected) learningRate field on every step; setting it is the schedule.
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    shuffleInPlace(order, rng);
    const indices = tf.tensor1d(order, 'int32');
    const xs = tf.gather(trainT.x, indices);
    const ys = tf.gather(trainT.y, indices);
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: TRAINING.batchSize, shuffle: false, verbose: 0 });
    tf.dispose([indices, xs, ys]);
    const loss = Number(history.history['loss']?.[0]);
    const runningAccuracy = Number(history.history['acc']?.[0]);
    const testAccuracy = score(predict(model, testT.x), test.labels).accuracy;
    const seconds = (performance.now() - t0) / 1000;
    epochs.push({ epoch: epoch + 1, learningRate, loss, runningAccuracy, testAccuracy, seconds });
    log(`epoch ${epoch + 1}/${TRAINING.epochs}: lr ${learningRate.toExponential(2)} loss ${loss.toFixed(4)} ` +
      `train(running) ${runningAccuracy.toFixed(4)} test ${testAccuracy.toFixed(4)} (${seconds.toFixed(1)} s)`);
  }
  const trainingSeconds = (performance.now() - trainStart) / 1000;

  const trainedWeights = layerWeights(model);
  const trainedTfjs = await saveLayersModel(model);
  const trainedProbabilities = predict(model, testT.x);
  const finalTest = score(trainedProbabilities, test.labels);
  const finalTrain = score(predict(model, trainT.x), train.labels);
  log(`final: train ${finalTrain.accuracy.toFixed(4)}, test ${finalTest.accuracy.toFixed(4)}, ${trainingSeconds.toFixed(0)} s`);

  // Reload both TF.js forms from their bytes: predictions must be identical.
  let reloadMaxDiff = 0;
  for (const [files, expected] of [[trainedTfjs, trainedProbabilities], [initTfjs, initProbabilities]] as const) {
    const reloaded = await loadLayersModelFromFiles(files);
    reloadMaxDiff = Math.max(reloadMaxDiff, maxAbsDiff(predict(reloaded, testT.x), expected));
    reloaded.dispose();
  }
  if (reloadMaxDiff !== 0) throw new Error(`TF.js reload changed predictions by ${reloadMaxDiff}`);

  const trainedTensors = toPytorchTensors(trainedWeights);
  const initTensors = toPytorchTensors(initWeights);
  const referenceMaxDiff = Math.max(
    checkPytorchLayout(trainedTensors, test, trainedProbabilities, 50),
    checkPytorchLayout(initTensors, test, initProbabilities, 50),
  );
  if (!(referenceMaxDiff < 1e-4)) throw new Error(`PyTorch-layout forward pass differs from TF.js by ${referenceMaxDiff}`);
  log(`reload: TF.js identical; PyTorch-layout forward pass within ${referenceMaxDiff.toExponential(2)}`);

  const spectra = WEIGHT_LAYERS.map(({ name, kind }) => {
    const of = (tensors: TensorToWrite[]): { rows: number; cols: number; summary: ReturnType<typeof summarise> } => {
      const w = tensors.find((t) => t.name === `${name}.weight`);
      if (w === undefined) throw new Error(`no ${name}.weight`);
      const rows = w.shape[0] ?? 0;
      const cols = w.data.length / rows; // conv: the `unfold` matrix c_out × (c_in·kh·kw)
      return { rows, cols, summary: summarise(singularValues(w.data, rows, cols)) };
    };
    const trained = of(trainedTensors);
    return { layer: name, kind, rows: trained.rows, cols: trained.cols, init: of(initTensors).summary, trained: trained.summary };
  });

  const testAccuracy = finalTest.accuracy.toFixed(4);
  const parameterCount = trainedTensors.reduce((sum, t) => sum + t.data.length, 0);
  const baseMetadata = {
    conv_layout: 'OIHW',
    format: 'pt',
    source: 'Artificial MRI sample: scripts/sample/trainStrokeCnn.ts',
    classes: STROKE_CLASSES.join(','),
    input: '32x32x1 grey, ink=1 on 0',
    architecture:
      'conv1 5x5x16 pad2 relu, maxpool2, conv2 3x3x32 pad1 relu, maxpool2, conv3 3x3x32 pad1 relu, maxpool2, ' +
      'flatten (c,h,w), fc1 512->64 relu, fc2 64->5 softmax',
    fc1_input_order: 'CHW (PyTorch flatten of Nx32x4x4; permuted from the TF.js HWC flatten)',
  };
  const outputs: { file: string; bytes: Uint8Array }[] = [
    {
      file: 'stroke-cnn.safetensors',
      bytes: writeSafetensors(trainedTensors, {
        ...baseMetadata,
        state: 'trained',
        test_accuracy: testAccuracy,
        train_accuracy: finalTrain.accuracy.toFixed(4),
      }),
    },
    {
      file: 'stroke-cnn-init.safetensors',
      bytes: writeSafetensors(initTensors, {
        ...baseMetadata,
        state: 'initialisation (same seeds, before training): the randomly initialised twin of stroke-cnn',
        test_accuracy: initTest.accuracy.toFixed(4),
      }),
    },
    ...tfjsOutputs('stroke-cnn', trainedTfjs),
    ...tfjsOutputs('stroke-cnn-init', initTfjs),
    { file: 'samples.json', bytes: new TextEncoder().encode(samplesManifest(finalTest.accuracy, initTest.accuracy, parameterCount, previousSamplesList())) },
  ];

  const files: FileRecord[] = outputs.map(({ file, bytes }) => {
    const target = path.join(outDir, file);
    const previous = existsSync(target) ? sha256(readFileSync(target)) : undefined;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    return { file, bytes: bytes.length, sha256: sha256(bytes), ...(previous === undefined ? {} : { previousSha256: previous }) };
  });

  const report: TrainReport = {
    selfCheckMaxDiff,
    architecture: ARCHITECTURE,
    dataset: DATASET,
    training: TRAINING,
    layers: trainedTensors.map((t) => ({ name: t.name, shape: [...t.shape] })),
    totalParams: parameterCount,
    epochs,
    trainAccuracy: finalTrain.accuracy,
    testAccuracy: finalTest.accuracy,
    initTestAccuracy: initTest.accuracy,
    confusion: finalTest.confusion,
    trainingSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    reloadMaxDiff,
    referenceMaxDiff,
    spectra,
    files,
    environment: `Node ${process.version}, @tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (single thread)`,
  };
  // Other scripts' sections of SOURCES.md (the grokking sample's recipe) are kept.
  const sourcesPath = path.join(outDir, 'SOURCES.md');
  writeFileSync(sourcesPath, keepOwnedSections(renderSources(report), existsSync(sourcesPath) ? readFileSync(sourcesPath, 'utf8') : null));
  for (const f of files) {
    const status = f.previousSha256 === undefined ? 'new' : f.previousSha256 === f.sha256 ? 'unchanged' : 'CHANGED';
    log(`${f.sha256}  ${f.file} (${f.bytes} bytes, ${status})`);
  }
  log(`done in ${report.totalSeconds.toFixed(0)} s`);
}

function tfjsOutputs(dir: string, files: TfjsLayersFiles): { file: string; bytes: Uint8Array }[] {
  return [
    { file: `${dir}/model.json`, bytes: new TextEncoder().encode(files.modelJson) },
    { file: `${dir}/weights.bin`, bytes: files.weightsBin },
  ];
}

/** The samples.json in place (other scripts' entries are kept), or null. */
function previousSamplesList(): string | null {
  const file = path.join(outDir, 'samples.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** public/samples/samples.json: what the app lists in its Sample menu (the stroke CNN's two entries; others kept). */
function samplesManifest(testAccuracy: number, initTestAccuracy: number, parameterCount: number, previous: string | null): string {
  const common = {
    classes: [...STROKE_CLASSES],
    input: {
      shape: [STROKE_IMAGE_SIZE, STROKE_IMAGE_SIZE, 1],
      layout: 'NHWC for TF.js ([N,32,32,1]); NCHW for the safetensors/PyTorch form ([N,1,32,32])',
      range: [0, 1],
      normalisation: 'none: grey values in [0, 1], ink = 1 on background 0',
    },
    conv_layout: 'OIHW',
  };
  const entries = [
    {
      id: 'stroke-cnn',
      title: 'Stroke CNN (trained)',
      file: 'stroke-cnn.safetensors',
      tfjs: 'stroke-cnn/model.json',
      description:
        `A small CNN (3 conv + 2 dense layers, ${parameterCount.toLocaleString('en-US')} parameters) trained on 32×32 ` +
        `rendered strokes: ` +
        `${STROKE_CLASSES.join(', ')}. Test accuracy ${(testAccuracy * 100).toFixed(1)} %.`,
      twin: 'stroke-cnn-init',
      ...common,
    },
    {
      id: 'stroke-cnn-init',
      title: 'Stroke CNN (random init)',
      file: 'stroke-cnn-init.safetensors',
      tfjs: 'stroke-cnn-init/model.json',
      description:
        'The same network at initialisation (same seeds, before training): its randomly initialised twin. ' +
        `Compare its spectra with the trained model's. Test accuracy ${(initTestAccuracy * 100).toFixed(1)} % (chance: 20 %).`,
      twin: 'stroke-cnn',
      ...common,
    },
  ];
  return mergeSampleEntries(previous, entries, ['stroke-cnn', 'stroke-cnn-init']);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
