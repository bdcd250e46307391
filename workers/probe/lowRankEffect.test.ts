/**
 * The low-rank what-if on the real runtimes (issue 9): the stroke-cnn sample on tfjs (cpu, Node) with its built-in
 * test inputs (`sampleInputSet`, the held-out seed, the sample's preprocessing), and tiny-cnn on onnxruntime-web (wasm,
 * Node). At full rank the outputs do not change; at rank 1 they do; afterwards the session runs exactly as before
 * (same `run` results, same weights), also after a cancel and on top of the session's own edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeightEdit } from '../../src/analysis/curves/weightEdits';
import { samplePreprocessing } from '../../src/analysis/probeInputs/inputSpec';
import { STROKE_TEST_SEED, sampleInputSet } from '../../src/analysis/probeInputs/sampleInputs';
import { seededRandom } from '../../src/analysis/random/seededRandom';
import type { ProbeBatch, ProbeOutputs } from '../probeProtocol';
import { openProbeModel } from './openProbeModel';
import type { ProbeSession } from './probeSession';
import { bits, fileOf, folderFiles, onnxOnlyRuntimes, tfjsOnlyRuntimes } from './testing/nodeProbe';

/** max |after − before| over every value. */
function maxAbsDiff(a: ProbeOutputs, b: ProbeOutputs): number {
  expect(a.values.length).toBe(b.values.length);
  let d = 0;
  for (let i = 0; i < a.values.length; i++) d = Math.max(d, Math.abs((a.values[i] as number) - (b.values[i] as number)));
  return d;
}

/** The share of inputs whose largest output is the same unit before and after. */
function top1Agreement(a: ProbeOutputs, b: ProbeOutputs): number {
  const argmax = (v: Float32Array, i: number, w: number) => {
    let best = 0;
    for (let j = 1; j < w; j++) if ((v[i * w + j] as number) > (v[i * w + best] as number)) best = j;
    return best;
  };
  const n = a.values.length / a.width;
  let same = 0;
  for (let i = 0; i < n; i++) if (argmax(a.values, i, a.width) === argmax(b.values, i, b.width)) same++;
  return same / n;
}

/** Everything `run` returns for every layer, to compare before and after. */
async function runAll(session: ProbeSession, batch: ProbeBatch) {
  return session.run(
    batch,
    session.info.layers.map((l) => l.tensor),
    'mean',
  );
}

describe('low-rank what-if on the stroke-cnn sample (tfjs, cpu, Node)', () => {
  // 20 per class × 5 classes of the held-out test split, preprocessed as the app does for the sample (ink on 0, NHWC).
  const set = sampleInputSet(20, STROKE_TEST_SEED, samplePreprocessing);
  const batch = set.batch;
  // The restore checks need fewer inputs: 4 per class.
  const small = sampleInputSet(4, STROKE_TEST_SEED, samplePreprocessing).batch;
  let session: ProbeSession;
  beforeAll(async () => {
    session = await openProbeModel(folderFiles('public/samples/stroke-cnn'), tfjsOnlyRuntimes);
  });
  afterAll(() => session.dispose());

  it('at full rank the outputs are unchanged; at rank 1 they change; the session runs as before afterwards', async () => {
    expect(batch.shape).toEqual([100, 32, 32, 1]);
    const runBefore = await runAll(session, small);
    const fc1Before = await session.weights('fc1/kernel');
    const stages: string[] = [];
    const full = await session.lowRankEffect(batch, [{ tensor: 'fc1/kernel', k: 64 }], { onProgress: (done, total, stage) => stages.push(`${done}/${total} ${stage}`) });
    expect(full.before).toMatchObject({ dims: [5], width: 5 });
    expect(full.before.values).toHaveLength(100 * 5);
    expect(maxAbsDiff(full.after, full.before)).toBeLessThan(1e-4);
    expect(full.layers).toEqual([{ tensor: 'fc1/kernel', k: 64, fullRank: 64, energyKept: 1, relativeError: 0 }]);
    // 100 inputs in chunks of 16: 7 chunks per pass, then the truncation and the restore.
    expect(stages[0]).toBe('0/16 as the model runs now: inputs 1–16 of 100');
    expect(stages.at(-1)).toBe('16/16 done');

    const one = await session.lowRankEffect(batch, [{ tensor: 'fc1/kernel', k: 1 }]);
    expect(maxAbsDiff(one.after, one.before)).toBeGreaterThan(0.01);
    expect(top1Agreement(one.after, one.before)).toBeLessThan(1);
    expect(one.layers[0]).toMatchObject({ tensor: 'fc1/kernel', k: 1, fullRank: 64 });
    expect(one.layers[0]?.energyKept).toBeLessThan(1);
    // Eckart–Young: ‖W − W_k‖² = ‖W‖² − ‖W_k‖².
    expect((one.layers[0]?.relativeError ?? 0) ** 2 + (one.layers[0]?.energyKept ?? 0)).toBeCloseTo(1, 5);

    expect(await runAll(session, small)).toEqual(runBefore);
    expect(bits((await session.weights('fc1/kernel')).values)).toEqual(bits(fc1Before.values));
  });

  it('an energy rank is resolved from the current weight; several layers at once; the measured numbers', async () => {
    const energy = await session.lowRankEffect(batch, [{ tensor: 'fc1/kernel', energy: 0.9 }]);
    const fc1 = energy.layers[0];
    expect(fc1?.k).toBeGreaterThan(1);
    expect(fc1?.k).toBeLessThan(64);
    expect(fc1?.energyKept).toBeGreaterThanOrEqual(0.9 - 1e-6);
    const all = await session.lowRankEffect(
      batch,
      session.info.layers.map((l) => ({ tensor: l.tensor, energy: 0.9 })),
    );
    expect(all.layers.map((l) => l.tensor)).toEqual(session.info.layers.map((l) => l.tensor));
    for (const l of all.layers) expect(l.energyKept, l.tensor).toBeGreaterThanOrEqual(0.9 - 1e-6);
    const accuracy = (o: ProbeOutputs) => {
      let right = 0;
      for (let i = 0; i < 100; i++) {
        const row = Array.from(o.values.subarray(i * 5, i * 5 + 5));
        if (row.indexOf(Math.max(...row)) === set.labels[i]) right++;
      }
      return right / 100;
    };
    // fc1 (1024 → 64) keeps 90 % of its energy at k = 46; the 100 held-out inputs keep their class.
    expect(fc1?.k).toBe(46);
    expect(accuracy(energy.before)).toBe(1);
    expect(top1Agreement(energy.after, energy.before)).toBe(1);
    expect(all.layers.map((l) => [l.tensor, l.k, l.fullRank])).toEqual([
      ['conv1/kernel', 7, 16],
      ['conv2/kernel', 20, 32],
      ['conv3/kernel', 24, 32],
      ['fc1/kernel', 46, 64],
      ['fc2/kernel', 5, 5],
    ]);
    expect(accuracy(all.after)).toBeGreaterThan(0.9);
  });

  it('on top of the session’s own edits: “before” has them, and they are in force again afterwards', async () => {
    const zero: WeightEdit = { tensor: 'conv1/kernel', op: 'scale', outUnits: [0, 1, 2], inUnits: 'all', sign: 'all', factor: 0 };
    const unedited = await session.lowRankEffect(small, [{ tensor: 'fc1/kernel', k: 64 }]);
    await session.edit([zero]);
    const editedRun = await runAll(session, small);
    const effect = await session.lowRankEffect(small, [{ tensor: 'fc1/kernel', k: 2 }]);
    expect(maxAbsDiff(effect.before, unedited.before)).toBeGreaterThan(1e-3);
    expect(await runAll(session, small)).toEqual(editedRun);
    expect((await session.weights('conv1/kernel')).values.subarray(0, 3).every((v) => v === 0)).toBe(true);
    await session.edit([]);
  });

  it('a cancel during the truncated run restores the weights; bad requests are refused with a code', async () => {
    const runBefore = await runAll(session, small);
    let seen = 0;
    await expect(
      session.lowRankEffect(small, [{ tensor: 'fc1/kernel', k: 1 }], {
        onProgress: (_done, _total, stage) => {
          if (stage.startsWith('truncated')) seen++;
        },
        shouldCancel: () => seen >= 1,
      }),
    ).rejects.toMatchObject({ code: 'PROBE_CANCELLED' });
    expect(await runAll(session, small)).toEqual(runBefore);
    await expect(session.lowRankEffect(small, [{ tensor: 'fc1/kernel', k: 1.5 }])).rejects.toMatchObject({ code: 'PROBE_BAD_EDIT' });
    await expect(session.lowRankEffect(small, [{ tensor: 'fc1/kernel', energy: 0 }])).rejects.toMatchObject({ code: 'PROBE_BAD_EDIT' });
    await expect(session.lowRankEffect(small, [{ tensor: 'nope', k: 1 }])).rejects.toMatchObject({ code: 'PROBE_NO_SUCH_LAYER' });
    await expect(session.lowRankEffect({ data: new Float32Array(4), shape: [1, 2, 2, 1] }, [{ tensor: 'fc1/kernel', k: 1 }])).rejects.toMatchObject({ code: 'PROBE_INPUT_SHAPE' });
  });

  it('a persistent lowRank edit runs like the measured one and exports', async () => {
    const effect = await session.lowRankEffect(small, [{ tensor: 'conv2/kernel', k: 3 }]);
    expect(await session.edit([{ tensor: 'conv2/kernel', op: 'lowRank', k: 3 }])).toEqual(['conv2/kernel']);
    const persistent = await session.lowRankEffect(small, [{ tensor: 'conv2/kernel', k: 400 }]);
    expect(maxAbsDiff(persistent.before, effect.after)).toBe(0);
    const { name } = await session.exportModel('safetensors');
    expect(name).toBe('model.edited.safetensors');
    await session.edit([]);
  });
});

describe('low-rank what-if on tiny-cnn (onnxruntime-web, wasm, Node)', () => {
  const n = 6;
  const rng = seededRandom(21);
  let session: ProbeSession;
  let batch: ProbeBatch;
  beforeAll(async () => {
    session = await openProbeModel([fileOf('e2e/fixtures/onnx/tiny-cnn.onnx')], onnxOnlyRuntimes);
    const input = session.info.input;
    if (!input) throw new Error('tiny-cnn has no input spec');
    const [h, w] = [input.height ?? 8, input.width ?? 8];
    batch = { data: Float32Array.from({ length: n * input.channels * h * w }, () => rng() * 2 - 1), shape: [n, input.channels, h, w] };
  });
  afterAll(() => session.dispose());

  it('full rank leaves the outputs; rank 1 of a conv changes them; run and weights are restored', async () => {
    const conv = session.info.layers[1]?.tensor as string;
    const runBefore = await runAll(session, batch);
    const weightsBefore = await session.weights(conv);
    const full = await session.lowRankEffect(batch, [{ tensor: conv, k: 1000 }]);
    expect(full.before.values.length).toBe(n * full.before.width);
    expect(full.before.width).toBeGreaterThan(1);
    expect(maxAbsDiff(full.after, full.before)).toBeLessThan(1e-4);
    const one = await session.lowRankEffect(batch, [{ tensor: conv, k: 1 }]);
    expect(maxAbsDiff(one.after, one.before)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(one.before, full.before)).toBe(0);
    expect(one.layers[0]).toMatchObject({ tensor: conv, k: 1 });
    expect(await runAll(session, batch)).toEqual(runBefore);
    expect(bits((await session.weights(conv)).values)).toEqual(bits(weightsBefore.values));
  });
});
