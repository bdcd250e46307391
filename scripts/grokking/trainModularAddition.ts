/**
 * Train a small MLP on (a + b) mod p until it groks, deterministically, and write checkpoints along the way to
 * public/samples/grokking/ (`npm run sample:grok`).
 *
 * Grokking (Power et al. 2022): with a small training fraction and weight decay, train accuracy reaches 100 % early
 * while test accuracy stays near chance, and test accuracy jumps much later. Weight decay drives it (Nanda et al.
 * 2023, "Progress measures for grokking via mechanistic interpretability"; Liu et al. 2022, "Omnigrok"), so the
 * optimizer is AdamW: tfjs Adam followed by W ← (1 − lr·λ)·W on the weight matrices (`decayWeights` in mlp.ts).
 *
 * 1. tfjs wasm backend (single thread; the same backend as scripts/sample).
 * 2. Seeded split of the p² pairs (modularAddition.ts), seeded PyTorch-style initialisation (mlp.ts).
 * 3. Full-batch training (every step sees the whole training set in a fixed order: nothing is shuffled).
 * 4. Every `logEvery` steps: loss and accuracy on train and test, weight norms, and a snapshot of the weights.
 * 5. Afterwards: ~20 snapshots chosen around the milestones and log-spaced (checkpointSteps.ts) are written as
 *    safetensors, the log as metrics.json, and the recipe section of public/samples/SOURCES.md.
 *
 * Flags (for trial runs; the committed set uses the defaults): --steps n, --out dir (then SOURCES.md is left
 * alone), and recipe overrides --p, --train-fraction, --embed, --hidden 256[,256], --lr, --wd, --log-every, --seed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { writeSafetensors } from '../../src/formats/safetensors/writeSafetensors';
import { useWasmBackend } from '../sample/wasmBackend';
import { chooseCheckpoints, findMilestones } from './checkpointSteps';
import { decayWeights, forward, initMlp, snapshotParams, trainableVariables, type OneHotOperand, type ParamSnapshot } from './mlp';
import { makeModularSplit, type PairSet } from './modularAddition';
import { DEFAULT_RECIPE, type GrokRecipe } from './recipe';
import { checkpointFileName, grokkingSampleEntry, upsertGrokkingSection, type GrokReport } from './writeGrokkingSources';
import { mergeSampleEntries } from '../sample/samplesList';

const log = (message: string): void => {
  process.stdout.write(`${message}\n`);
};

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const defaultOutDir = path.join(repoRoot, 'public', 'samples', 'grokking');
const sourcesFile = path.join(repoRoot, 'public', 'samples', 'SOURCES.md');

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function parseFlags(): { recipe: GrokRecipe; outDir: string; isDefault: boolean } {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string' },
      out: { type: 'string' },
      p: { type: 'string' },
      'train-fraction': { type: 'string' },
      embed: { type: 'string' },
      hidden: { type: 'string' },
      lr: { type: 'string' },
      wd: { type: 'string' },
      'log-every': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const num = (text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`not a number: ${text}`);
    return value;
  };
  const d = DEFAULT_RECIPE;
  const seed = num(values.seed, d.splitSeed);
  const recipe: GrokRecipe = {
    ...d,
    p: num(values.p, d.p),
    trainFraction: num(values['train-fraction'], d.trainFraction),
    splitSeed: seed,
    initSeed: values.seed === undefined ? d.initSeed : seed + 1,
    embedDim: num(values.embed, d.embedDim),
    hidden: values.hidden === undefined ? d.hidden : values.hidden.split(',').map((w) => num(w, 0)),
    learningRate: num(values.lr, d.learningRate),
    weightDecay: num(values.wd, d.weightDecay),
    steps: num(values.steps, d.steps),
    logEvery: num(values['log-every'], d.logEvery),
  };
  const outDir = values.out === undefined ? defaultOutDir : path.resolve(values.out);
  const isDefault = JSON.stringify(recipe) === JSON.stringify(d) && outDir === defaultOutDir;
  return { recipe, outDir, isDefault };
}

/** One-hot operands (with transposes, see mlp.ts) and one-hot labels of a pair set, as float32 tensors. */
function encode(set: PairSet, p: number): { a: OneHotOperand; b: OneHotOperand; y: tf.Tensor2D; label: Int32Array } {
  const oneHot = (values: Int32Array): tf.Tensor2D =>
    tf.tidy(() => tf.oneHot(tf.tensor1d(values, 'int32'), p).toFloat() as tf.Tensor2D);
  const operand = (values: Int32Array): OneHotOperand => {
    const rows = oneHot(values);
    return { rows, rowsT: tf.transpose(rows) };
  };
  return { a: operand(set.a), b: operand(set.b), y: oneHot(set.label), label: set.label };
}

type Encoded = ReturnType<typeof encode>;

/** Mean cross-entropy and accuracy of the current parameters on one set. */
function evaluate(params: Parameters<typeof forward>[0], set: Encoded): { loss: number; accuracy: number } {
  const [loss, predicted] = tf.tidy(() => {
    const logits = forward(params, set.a, set.b);
    return [tf.losses.softmaxCrossEntropy(set.y, logits).dataSync()[0] ?? NaN, tf.argMax(logits, 1).dataSync()];
  });
  let correct = 0;
  set.label.forEach((label, i) => {
    if (predicted[i] === label) correct++;
  });
  return { loss, accuracy: correct / set.label.length };
}

/** Round to 5 significant digits for the compact log (accuracies are multiples of 1/n and stay readable). */
const round5 = (x: number): number => Number(x.toPrecision(5));

/** Frobenius norm of a snapshot tensor. */
function frobenius(data: Float32Array | Float64Array): number {
  let s = 0;
  for (const v of data) s += v * v;
  return Math.sqrt(s);
}

async function main(): Promise<void> {
  const started = performance.now();
  const { recipe, outDir, isDefault } = parseFlags();
  const recipeJson = JSON.stringify(recipe);
  const recipeHash = sha256(recipeJson).slice(0, 16);
  await useWasmBackend();
  log(`recipe ${recipeHash}: ${recipeJson}`);

  const split = makeModularSplit(recipe.p, recipe.trainFraction, recipe.splitSeed);
  const train = encode(split.train, recipe.p);
  const test = encode(split.test, recipe.p);
  log(`data: ${split.train.label.length} train / ${split.test.label.length} test pairs (p = ${recipe.p})`);

  const params = initMlp({ p: recipe.p, embedDim: recipe.embedDim, hidden: recipe.hidden }, recipe.initSeed);
  const variables = trainableVariables(params);
  const optimizer = tf.train.adam(recipe.learningRate, recipe.beta1, recipe.beta2, recipe.epsilon);
  const lossOnTrain = (): tf.Scalar => tf.losses.softmaxCrossEntropy(train.y, forward(params, train.a, train.b)) as tf.Scalar;

  const logged = { step: [] as number[], trainLoss: [] as number[], trainAcc: [] as number[], testLoss: [] as number[], testAcc: [] as number[] };
  const norms = new Map<string, number[]>();
  const snapshots = new Map<number, ParamSnapshot>();
  const record = (step: number): void => {
    const tr = evaluate(params, train);
    const te = evaluate(params, test);
    logged.step.push(step);
    logged.trainLoss.push(round5(tr.loss));
    logged.trainAcc.push(round5(tr.accuracy));
    logged.testLoss.push(round5(te.loss));
    logged.testAcc.push(round5(te.accuracy));
    const snapshot = snapshotParams(params);
    snapshots.set(step, snapshot);
    for (const t of snapshot) {
      if (t.name.endsWith('.bias')) continue;
      const list = norms.get(t.name) ?? [];
      list.push(round5(frobenius(t.data)));
      norms.set(t.name, list);
    }
  };

  record(0);
  const trainStart = performance.now();
  for (let step = 1; step <= recipe.steps; step++) {
    tf.tidy(() => {
      optimizer.minimize(lossOnTrain, false, variables);
    });
    decayWeights(params, recipe.learningRate, recipe.weightDecay);
    if (step % recipe.logEvery === 0 || step === recipe.steps) record(step);
    if (step % 250 === 0 || step === recipe.steps) {
      const i = logged.step.length - 1;
      const seconds = (performance.now() - trainStart) / 1000;
      log(
        `step ${step}: train loss ${logged.trainLoss[i]} acc ${logged.trainAcc[i]}, test loss ${logged.testLoss[i]} ` +
          `acc ${logged.testAcc[i]} (${seconds.toFixed(0)} s, ${((1000 * seconds) / step).toFixed(0)} ms/step)`,
      );
    }
  }
  const trainingSeconds = (performance.now() - trainStart) / 1000;

  const milestones = findMilestones(logged.step, logged.trainAcc, logged.testAcc, logged.testLoss, 1 / recipe.p);
  const chosen = chooseCheckpoints(logged.step, milestones, recipe.checkpoints);
  log(`milestones: ${JSON.stringify(milestones)}`);

  mkdirSync(outDir, { recursive: true });
  const checkpointFiles = new Set(chosen.map((c) => checkpointFileName(c.step)));
  for (const name of readdirSync(outDir)) {
    // Checkpoints of an earlier run that this run did not choose would mix two runs in one folder.
    if (/^grok-step-\d+\.safetensors$/.test(name) && !checkpointFiles.has(name)) rmSync(path.join(outDir, name));
  }
  const architecture =
    `embed ${recipe.p}x${recipe.embedDim} (shared by a and b), concat ${2 * recipe.embedDim}, ` +
    [2 * recipe.embedDim, ...recipe.hidden].slice(0, -1).map((w, i) => `fc${i + 1} ${w}->${recipe.hidden[i]} relu`).join(', ') +
    `, out ${recipe.hidden[recipe.hidden.length - 1]}->${recipe.p}`;
  const outputs: { file: string; bytes: Uint8Array; step?: number; role?: string }[] = chosen.map(({ step, role }) => {
    const i = logged.step.indexOf(step);
    const snapshot = snapshots.get(step);
    if (snapshot === undefined || i < 0) throw new Error(`no snapshot at step ${step}`);
    const metadata = {
      format: 'pt',
      source: 'Artificial MRI sample: scripts/grokking/trainModularAddition.ts',
      task: recipe.task.replace('p', String(recipe.p)),
      architecture,
      step: String(step),
      role,
      train_acc: String(logged.trainAcc[i]),
      test_acc: String(logged.testAcc[i]),
      train_loss: String(logged.trainLoss[i]),
      test_loss: String(logged.testLoss[i]),
      recipe_hash: recipeHash,
      recipe: recipeJson,
    };
    return { file: checkpointFileName(step), bytes: writeSafetensors(snapshot, metadata), step, role };
  });
  const metrics = {
    recipe_hash: recipeHash,
    recipe,
    milestones,
    checkpoints: chosen.map((c) => c.step),
    step: logged.step,
    train_loss: logged.trainLoss,
    train_acc: logged.trainAcc,
    test_loss: logged.testLoss,
    test_acc: logged.testAcc,
    weight_norm: Object.fromEntries(norms),
  };
  // One key per line: compact, yet a diff shows which series changed.
  const metricsText = `{\n${Object.entries(metrics).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',\n')}\n}\n`;
  outputs.push({ file: 'metrics.json', bytes: new TextEncoder().encode(metricsText) });

  const files = outputs.map(({ file, bytes, step, role }) => {
    const target = path.join(outDir, file);
    const previous = existsSync(target) ? sha256(readFileSync(target)) : undefined;
    writeFileSync(target, bytes);
    const hash = sha256(bytes);
    const status = previous === undefined ? 'new' : previous === hash ? 'unchanged' : 'CHANGED';
    log(`${hash}  ${file} (${bytes.length} bytes, ${status})`);
    return { file, bytes: bytes.length, sha256: hash, status, ...(step === undefined ? {} : { step }), ...(role === undefined ? {} : { role }) };
  });

  const totalSeconds = (performance.now() - started) / 1000;
  if (isDefault) {
    const report: GrokReport = {
      recipe,
      recipeHash,
      architecture,
      trainCount: split.train.label.length,
      testCount: split.test.label.length,
      parameterCount: (snapshots.get(0) ?? []).reduce((n, t) => n + t.data.length, 0),
      tensors: (snapshots.get(0) ?? []).map((t) => ({ name: t.name, shape: [...t.shape] })),
      milestones,
      final: { trainAcc: logged.trainAcc.at(-1) ?? NaN, testAcc: logged.testAcc.at(-1) ?? NaN },
      checkpoints: files.flatMap((f) => {
        if (f.step === undefined) return [];
        const i = logged.step.indexOf(f.step);
        return [{ ...f, step: f.step, role: f.role ?? '', trainAcc: logged.trainAcc[i] ?? NaN, testAcc: logged.testAcc[i] ?? NaN }];
      }),
      files,
      trainingSeconds,
      totalSeconds,
      environment: `Node ${process.version}, @tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (single thread)`,
    };
    const before = existsSync(sourcesFile) ? readFileSync(sourcesFile, 'utf8') : '';
    writeFileSync(sourcesFile, upsertGrokkingSection(before, report));
    log(`recipe section written to ${path.relative(repoRoot, sourcesFile)}`);
    const listFile = path.join(repoRoot, 'public', 'samples', 'samples.json');
    const entry = grokkingSampleEntry(
      files.flatMap((f) => (f.step === undefined ? [] : [f.file])),
      { test10: milestones.test10, test99: milestones.test99 },
    );
    writeFileSync(listFile, mergeSampleEntries(existsSync(listFile) ? readFileSync(listFile, 'utf8') : null, [entry], ['grokking']));
    log(`sample entry written to ${path.relative(repoRoot, listFile)}`);
  }
  log(`training ${trainingSeconds.toFixed(0)} s, total ${totalSeconds.toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
