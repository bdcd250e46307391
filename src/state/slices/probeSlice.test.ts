import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../../compute/analysisClient';
import type { ProbeClient } from '../../compute/probeClient';
import type { FileEntry } from '../../../workers/protocol';
import type { LowRankLayer, ProbeBatch, ProbeLayerResult, ProbeLowRankEffect, ProbeModelInfo } from '../../../workers/probeProtocol';
import { createAppStore } from '../createAppStore';
import { fakeAnalysisClient } from '../testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from '../testing/testModel';
import type { ProbeInputSet } from './probeSlice';

const info = testModel([testTensor('conv1.weight', [4, 3]), testTensor('fc.weight', [2, 4])]);
const file = (name: string): FileEntry => ({ name, blob: new Blob([]) });
const settle = () => new Promise((r) => setTimeout(r, 0));

/** The analysis methods these tests reach (opening a model, its scan); the store calls no others here. */
const analysis = fakeAnalysisClient({
  async open() {
    return info;
  },
  async analyze() {
    return { cancelled: false };
  },
});

const inputs: ProbeInputSet = {
  source: 'builtin',
  classes: ['a', 'b'],
  labels: [0, 1],
  names: ['a #1', 'b #1'],
  data: new Float32Array(6),
  shape: [2, 3],
  thumbnails: ['', ''],
};

/** A probe client whose model has the TF.js names of the sample (conv1/kernel, fc/kernel). */
function fakeProbe(opts: { runnable?: boolean; fail?: boolean; hold?: boolean } = {}) {
  const runs: { batch: ProbeBatch; layers: readonly string[]; aggregate: string; signal?: AbortSignal }[] = [];
  const lowRank: { batch: ProbeBatch; layers: readonly LowRankLayer[] }[] = [];
  let opens = 0;
  let release: () => void = () => {};
  const model: ProbeModelInfo =
    opts.runnable === false
      ? { runnable: false, reason: 'weights only: probes need a runnable model', layers: [] }
      : { runnable: true, runtime: 'tfjs', layers: [{ tensor: 'conv1/kernel', op: 'Conv2D', outChannels: 4 }, { tensor: 'fc/kernel', op: 'Dense', outChannels: 2 }] };
  const client: ProbeClient = {
    async open() {
      opens++;
      return model;
    },
    async run(batch, options) {
      runs.push({ batch, layers: options.layers, aggregate: options.aggregate, signal: options.signal });
      options.onProgress?.({ done: 0, total: 2, stage: 'running' });
      if (opts.hold) await new Promise<void>((r) => (release = r));
      if (options.signal?.aborted) throw new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'cancelled' });
      if (opts.fail) throw new AnalysisError({ name: 'ProbeError', code: 'PROBE_RUN_FAILED', message: 'the model failed', remedy: 'check the input size' });
      return options.layers.map(
        (tensor): ProbeLayerResult => ({ tensor, definition: 'dense', rank: 2, sigma: new Float64Array([2, 1]), aggregates: new Float64Array([1, 0, 0, 1]) }),
      );
    },
    respond: idleProbeClient.respond,
    weights: idleProbeClient.weights,
    edit: idleProbeClient.edit,
    exportModel: idleProbeClient.exportModel,
    async lowRankEffect(batch, options): Promise<ProbeLowRankEffect> {
      lowRank.push({ batch, layers: options.layers });
      options.onProgress?.({ done: 1, total: 4, stage: 'truncated: inputs 1–2 of 2' });
      if (opts.hold) await new Promise<void>((r) => (release = r));
      if (options.signal?.aborted) throw new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'cancelled' });
      if (opts.fail) throw new AnalysisError({ name: 'ProbeError', code: 'PROBE_RUN_FAILED', message: 'the model failed' });
      // Input 0 keeps its top class (a), input 1 flips from b to a: agreement ½, accuracy 1 → ½ with labels [0, 1].
      return {
        before: { name: 'fc', dims: [2], width: 2, values: Float32Array.of(2, 0, 0, 2) },
        after: { name: 'fc', dims: [2], width: 2, values: Float32Array.of(2, 0, 1, 0) },
        layers: options.layers.map((l) => ({ tensor: l.tensor, k: 'k' in l ? l.k : 3, fullRank: 4, energyKept: 0.9, relativeError: Math.sqrt(0.1) })),
      };
    },
    dispose() {},
  };
  return { client, runs, lowRank, opens: () => opens, release: () => release() };
}

function storeWith(probe: ProbeClient) {
  return createAppStore({ client: analysis, referenceClient: analysis, probeClient: probe, loadUrls: async () => [], loadSample: async () => ({ files: [] }), now: () => 0 });
}

/** The scan's names of the probe model's (TF.js) layers. */
const SCAN_NAMES = { 'conv1/kernel': 'conv1.weight', 'fc/kernel': 'fc.weight' };

/**
 * A store over `fakeProbe(opts)` with `modelFile` open and the test inputs set; with `probeFile`, the probes run on
 * that file (its layer names mapped by `SCAN_NAMES`) instead of `modelFile`.
 */
async function openedWithInputs(modelFile: string, opts: Parameters<typeof fakeProbe>[0] = {}, probeFile?: string) {
  const fake = fakeProbe(opts);
  const store = storeWith(fake.client);
  await store.getState().openFiles([file(modelFile)]);
  if (probeFile !== undefined) store.getState().resetProbe([file(probeFile)], SCAN_NAMES);
  store.getState().setProbeInputs(inputs);
  return { fake, store };
}

describe('probe slice', () => {
  it('opens the model once, runs every probe-able layer, and files results under the scan names', async () => {
    const fake = fakeProbe();
    const store = storeWith(fake.client);
    await store.getState().openFiles([file('m.safetensors')]);
    store.getState().resetProbe([file('model.json'), file('weights.bin')], SCAN_NAMES);
    await Promise.all([store.getState().openProbeModel(), store.getState().openProbeModel()]);
    expect(fake.opens()).toBe(1);
    store.getState().setProbeInputs(inputs);
    await store.getState().runProbe();
    expect(fake.runs[0]?.layers).toEqual(['conv1/kernel', 'fc/kernel']);
    expect(fake.runs[0]?.aggregate).toBe('mean');
    expect(fake.runs[0]?.batch.shape).toEqual([2, 3]);
    const { probe } = store.getState();
    expect(probe.status).toBe('done');
    expect(Object.keys(probe.results)).toEqual(['conv1.weight', 'fc.weight']);
    expect(probe.results['fc.weight']?.tensor).toBe('fc.weight');
  });

  it('a new aggregate reruns; new inputs clear the results and the direction; another layer clears the direction', async () => {
    const { fake, store } = await openedWithInputs('m.onnx');
    await store.getState().runProbe();
    store.getState().selectTensor('conv1/kernel');
    store.getState().selectDirection(1);
    store.getState().setProbeOptions({ aggregate: 'max' });
    await settle();
    expect(fake.runs.map((r) => r.aggregate)).toEqual(['mean', 'max']);
    expect(store.getState().probe.direction).toBe(1);
    store.getState().selectTensor('fc/kernel');
    expect(store.getState().probe.direction).toBeNull();
    store.getState().selectDirection(0);
    store.getState().setProbeInputs({ ...inputs, labels: [1, 0] });
    expect(store.getState().probe.results).toEqual({});
    expect(store.getState().probe.direction).toBeNull();
  });

  it("scope 'layer' probes only the selected layer and adds it to the results of the same inputs and aggregate", async () => {
    const { fake, store } = await openedWithInputs('m.safetensors', {}, 'model.json');
    store.getState().setProbeOptions({ scope: 'layer' });
    store.getState().selectTensor('fc.weight');
    await store.getState().runProbe();
    expect(fake.runs[0]?.layers).toEqual(['fc/kernel']);
    expect(Object.keys(store.getState().probe.results)).toEqual(['fc.weight']);
    store.getState().selectTensor('conv1.weight');
    await store.getState().runProbe();
    expect(fake.runs[1]?.layers).toEqual(['conv1/kernel']);
    expect(Object.keys(store.getState().probe.results).sort()).toEqual(['conv1.weight', 'fc.weight']);
    // Another aggregate reruns the selected layer and drops the results of the old one.
    store.getState().setProbeOptions({ aggregate: 'max' });
    await settle();
    expect(fake.runs[2]).toMatchObject({ layers: ['conv1/kernel'], aggregate: 'max' });
    expect(Object.keys(store.getState().probe.results)).toEqual(['conv1.weight']);
    // A layer the model cannot probe is not run.
    store.getState().selectTensor('no-such.weight');
    await store.getState().runProbe();
    expect(fake.runs).toHaveLength(3);
  });

  it('a weights-only model is reported and never run; a failed run keeps its error; cancel is not an error', async () => {
    const { fake: weights, store: a } = await openedWithInputs('m.safetensors', { runnable: false });
    await a.getState().runProbe();
    expect(weights.runs).toHaveLength(0);
    expect(a.getState().probe.model?.reason).toContain('weights only');

    const { store: b } = await openedWithInputs('m.onnx', { fail: true });
    await b.getState().runProbe();
    expect(b.getState().probe.status).toBe('error');
    expect(b.getState().probe.error).toMatchObject({ code: 'PROBE_RUN_FAILED', remedy: 'check the input size' });

    const { fake: held, store: c } = await openedWithInputs('m.onnx', { hold: true });
    const run = c.getState().runProbe();
    await settle();
    expect(c.getState().probe.status).toBe('running');
    c.getState().cancelProbe();
    held.release();
    await run;
    expect(c.getState().probe.status).toBe('cancelled');
    expect(c.getState().probe.error).toBeNull();
  });

  it('opening another model forgets the probes', async () => {
    const { store } = await openedWithInputs('m.onnx');
    await store.getState().runProbe();
    await store.getState().openFiles([file('other.onnx')]);
    expect(store.getState().probe).toMatchObject({ status: 'idle', model: null, inputs: null, results: {} });
    expect(store.getState().probe.files.map((f) => f.name)).toEqual(['other.onnx']);
  });
  describe('low-rank what-if on the outputs', () => {
    it('runs the inputs with the probe model’s names and files the result under the scan names, with the change', async () => {
      const { fake, store } = await openedWithInputs('m.safetensors', {}, 'model.json');
      await store.getState().measureLowRankEffect([{ tensor: 'fc.weight', k: 1 }, { tensor: 'conv1.weight', energy: 0.9 }]);
      expect(fake.lowRank[0]?.layers).toEqual([{ tensor: 'fc/kernel', k: 1 }, { tensor: 'conv1/kernel', energy: 0.9 }]);
      expect(fake.lowRank[0]?.batch.shape).toEqual([2, 3]);
      const state = store.getState().probe.lowRankEffect;
      expect(state).toMatchObject({ status: 'done', progress: null, error: null, layers: [{ tensor: 'fc.weight', k: 1 }, { tensor: 'conv1.weight', energy: 0.9 }] });
      expect(state.result?.layers.map((l) => [l.tensor, l.k])).toEqual([['fc.weight', 1], ['conv1.weight', 3]]);
      expect(state.result?.inputs).toEqual({ source: 'builtin', n: 2 });
      expect(state.result?.edits).toBe(0);
      expect(state.result?.change).toMatchObject({ n: 2, width: 2, top1Agreement: 0.5, accuracy: { before: 1, after: 0.5 }, outputKind: 'logits' });
      expect(state.result?.change.relativeChange[0]).toBe(0);
      // New inputs forget it; the model's probes are untouched by it.
      store.getState().setProbeInputs({ ...inputs, labels: [1, 0] });
      expect(store.getState().probe.lowRankEffect).toMatchObject({ status: 'idle', result: null });
      expect(fake.runs).toHaveLength(0);
    });

    it('says why without a runnable model or without inputs, and never calls the worker', async () => {
      const { fake: weights, store: a } = await openedWithInputs('m.safetensors', { runnable: false });
      await a.getState().measureLowRankEffect([{ tensor: 'fc.weight', k: 1 }]);
      expect(a.getState().probe.lowRankEffect).toMatchObject({ status: 'error', error: { code: 'PROBE_NOT_RUNNABLE', message: expect.stringContaining('weights only') } });
      expect(a.getState().probe.lowRankEffect.error?.remedy).toContain('ONNX');
      expect(weights.lowRank).toHaveLength(0);

      const none = fakeProbe();
      const b = storeWith(none.client);
      await b.getState().openFiles([file('m.onnx')]);
      await b.getState().measureLowRankEffect([{ tensor: 'fc/kernel', k: 1 }]);
      expect(b.getState().probe.lowRankEffect).toMatchObject({ status: 'error', error: { code: 'PROBE_NO_INPUTS' } });
      expect(none.lowRank).toHaveLength(0);
    });

    it('shows progress, cancels without an error, and keeps a failure’s code', async () => {
      const { fake: held, store } = await openedWithInputs('m.onnx', { hold: true });
      const measuring = store.getState().measureLowRankEffect([{ tensor: 'fc/kernel', k: 1 }]);
      await settle();
      expect(store.getState().probe.lowRankEffect).toMatchObject({ status: 'running', progress: { done: 1, total: 4, stage: 'truncated: inputs 1–2 of 2' } });
      store.getState().cancelLowRankEffect();
      held.release();
      await measuring;
      expect(store.getState().probe.lowRankEffect).toMatchObject({ status: 'cancelled', error: null, result: null, progress: null });

      const { store: other } = await openedWithInputs('m.onnx', { fail: true });
      await other.getState().measureLowRankEffect([{ tensor: 'fc/kernel', k: 1 }]);
      expect(other.getState().probe.lowRankEffect).toMatchObject({ status: 'error', error: { code: 'PROBE_RUN_FAILED' } });
      // Opening another model forgets it.
      await other.getState().openFiles([file('other.onnx')]);
      expect(other.getState().probe.lowRankEffect.status).toBe('idle');
    });
  });
});
