import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../../compute/analysisClient';
import type { ProbeClient } from '../../compute/probeClient';
import type { FileEntry } from '../../../workers/protocol';
import type { ProbeBatch, ProbeModelInfo, ProbeResponses } from '../../../workers/probeProtocol';
import type { WeightEdit } from '../../analysis/curves/weightEdits';
import { createAppStore } from '../createAppStore';
import { fakeAnalysisClient } from '../testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from '../testing/testModel';

const info = testModel([testTensor('conv1.weight', [4, 1, 3, 3]), testTensor('conv2.weight', [2, 4, 3, 3])]);
const file = (name: string): FileEntry => ({ name, blob: new Blob([]) });
const analysis = fakeAnalysisClient({
  async open() {
    return info;
  },
  async analyze() {
    return { cancelled: false };
  },
});

/** A probe client over a fake model: every unit's response is the mean of the image (so its tuning is flat but defined). */
function fakeProbe(opts: { hold?: boolean } = {}) {
  const calls: { layer: string; n: number; signal?: AbortSignal }[] = [];
  const edits: (readonly WeightEdit[])[] = [];
  let release: () => void = () => {};
  const model: ProbeModelInfo = {
    runnable: true,
    runtime: 'onnxruntime-web',
    input: { name: 'x', height: 8, width: 8, channels: 1, layout: 'NCHW' },
    layers: [
      { tensor: 'conv1.weight', op: 'Conv', outChannels: 4 },
      { tensor: 'conv2.weight', op: 'Conv', outChannels: 2 },
    ],
  };
  const client: ProbeClient = {
    ...idleProbeClient,
    async open() {
      return model;
    },
    async respond(batch: ProbeBatch, options): Promise<ProbeResponses> {
      const n = batch.shape[0] as number;
      calls.push({ layer: options.layer, n, signal: options.signal });
      if (opts.hold) await new Promise<void>((r) => (release = r));
      if (options.signal?.aborted) throw new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'cancelled' });
      const c = options.layer === 'conv1.weight' ? 4 : 2;
      const per = batch.data.length / n;
      const channels = new Float32Array(n * c);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < per; j++) s += batch.data[i * per + j] as number;
        for (let u = 0; u < c; u++) channels[i * c + u] = (s / per) * (u + 1) + edits.length;
      }
      return { tensor: options.layer, stage: options.stage, postOp: null, outHeight: 8, outWidth: 8, row: 4, col: 4, channels, directions: new Float64Array(n * c), sigma: new Float64Array(c).fill(1) };
    },
    async weights(tensor) {
      return { tensor, shape: [2, 4, 3, 3], layout: 'OIHW', values: new Float32Array(72).fill(0.5) };
    },
    async edit(list) {
      edits.push(list);
      return list.map((e) => e.tensor);
    },
  };
  return { client, calls, edits, release: () => release() };
}

async function storeOn(client: ProbeClient) {
  const store = createAppStore({ client: analysis, referenceClient: analysis, probeClient: client, loadUrls: async () => [], loadSample: async () => ({ files: [] }), now: () => 0 });
  await store.getState().openFiles([file('m.onnx')]);
  store.getState().selectTensor('conv2.weight');
  return store;
}

describe('curves slice', () => {
  it('runs both sweeps and the baseline through the layer and the conv layer before it, in chunks', async () => {
    const fake = fakeProbe();
    const store = await storeOn(fake.client);
    await store.getState().runCurves();
    const { curves } = store.getState();
    expect(curves.status).toBe('done');
    const result = curves.result;
    expect(result?.layers.map((l) => l.layer)).toEqual(['conv1.weight', 'conv2.weight']);
    // 720 radial stimuli (0.5°) in chunks of 256, 72 × 9 orientation × curvature stimuli, 64 baseline strokes.
    expect(fake.calls.filter((c) => c.layer === 'conv2.weight').map((c) => c.n)).toEqual([256, 256, 208, 256, 256, 136, 64]);
    const sweep = result?.layers[1];
    expect(sweep?.radial.channels.units).toBe(2);
    expect(sweep?.radial.channels.values).toHaveLength(2 * 720);
    expect(sweep?.heatmap.channels.grid.radiiPx).toHaveLength(9);
    expect(sweep?.kernel?.shape).toEqual([2, 4, 3, 3]);
    expect(result?.layers[0]?.kernel).toBeNull();
    expect(store.getState().probe.preprocessing).toMatchObject({ width: 8, height: 8 });
  });

  it('a stimulus option change drops the result; a display option does not', async () => {
    const store = await storeOn(fakeProbe().client);
    await store.getState().runCurves();
    store.getState().setCurveOptions({ scale: 'raw', layout: 'grid' });
    expect(store.getState().curves.result).not.toBeNull();
    store.getState().setCurveOptions({ widthPx: 3 });
    expect(store.getState().curves.result).toBeNull();
  });

  it('edits rerun the stimuli and keep the unedited result for before/after; [] goes back', async () => {
    const fake = fakeProbe();
    const store = await storeOn(fake.client);
    await store.getState().runCurves();
    const original = store.getState().curves.result;
    const edit: WeightEdit = { tensor: 'conv2.weight', op: 'scale', outUnits: [0], inUnits: 'all', sign: 'negative', factor: 0 };
    await store.getState().applyEdits([edit]);
    expect(fake.edits.at(-1)).toEqual([edit]);
    expect(store.getState().curves.before).toBe(original);
    expect(store.getState().curves.result).not.toBe(original);
    await store.getState().replaceWithCurveDetector(1, 90, 4);
    const replaced = fake.edits.at(-1);
    expect(replaced).toHaveLength(2);
    expect(replaced?.[1]).toMatchObject({ tensor: 'conv2.weight', op: 'replace', outUnit: 1 });
    expect(store.getState().curves.before).toBe(original);
    await store.getState().applyEdits([]);
    expect(store.getState().curves.edits).toEqual([]);
    expect(store.getState().curves.before).toBeNull();
  });

  it('cancel stops the run without an error; a new model forgets results and edits', async () => {
    const fake = fakeProbe({ hold: true });
    const store = await storeOn(fake.client);
    const run = store.getState().runCurves();
    await new Promise((r) => setTimeout(r, 0));
    store.getState().cancelCurves();
    fake.release();
    await run;
    expect(store.getState().curves.status).toBe('cancelled');
    expect(store.getState().curves.error).toBeNull();
    store.getState().resetProbe([file('other.onnx')]);
    expect(store.getState().curves).toMatchObject({ status: 'idle', result: null, edits: [], before: null });
  });
});
