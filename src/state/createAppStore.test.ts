import { layerReport } from '../analysis/metrics/layerReport';
import { describe, expect, it } from 'vitest';
import { createAppStore } from './createAppStore';
import { fakeAnalysisClient } from './testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from './testing/testModel';
import type { AnalyzeOptions } from '../compute/analysisClient';
import { AnalysisError } from '../compute/analysisClient';
import type { ModelInfo } from '../model/types';
import type { FileEntry, LayerResult } from '../../workers/protocol';

const info: ModelInfo = testModel([testTensor('a.weight', [4, 3], 'dense'), testTensor('a.bias', [4], 'vector'), testTensor('b.weight', [2, 4], 'dense')]);

const ok = (name: string): LayerResult => {
  const spectrum = { definition: 'dense', rows: 2, cols: 2, matrixCount: 1, singularValues: new Float64Array([2, 1]), frobeniusNormSq: 5 } as const;
  return { tensor: name, status: 'ok', ms: 1, readMs: 0, metricsMs: 0, spectrum, report: layerReport(spectrum) };
};

/** A fake worker client: opens `m.safetensors`, rejects `bad.bin`, scans with controllable pacing. */
function fakeClient(opts: { hold?: Promise<void> } = {}) {
  const calls: string[][] = [];
  const settings: (AnalyzeOptions['settings'] | undefined)[] = [];
  const client = fakeAnalysisClient({
    async open(files: readonly FileEntry[]) {
      if (files[0]?.name === 'bad.bin') {
        throw new AnalysisError({ name: 'FormatError', code: 'UNKNOWN_FORMAT', message: 'not a model', file: 'bad.bin', remedy: 'drop a model' });
      }
      return info;
    },
    async analyze(tensors: readonly string[], options: AnalyzeOptions = {}) {
      calls.push([...tensors]);
      settings.push(options.settings);
      for (const [i, t] of tensors.entries()) {
        if (options.signal?.aborted) return { cancelled: true };
        options.onProgress?.({ done: i, total: tensors.length, tensor: t, fraction: 0 });
        if (opts.hold) await opts.hold;
        if (options.signal?.aborted) return { cancelled: true };
        options.onLayer?.(ok(t));
      }
      return { cancelled: false };
    },
  });
  return { client, calls, settings };
}

const file = (name: string): FileEntry => ({ name, blob: new Blob([]) });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('app store', () => {
  it('opens files, scans only analysable tensors, and selects the first result', async () => {
    const { client, calls } = fakeClient();
    const store = createAppStore({ client, referenceClient: fakeClient().client, loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async () => ({ files: [file('m.safetensors')] }), now: () => 0 });
    await store.getState().openFiles([file('m.safetensors')]);
    await settle();
    const s = store.getState();
    expect(s.model.status).toBe('ready');
    expect(s.model.source).toEqual({ kind: 'files', names: ['m.safetensors'] });
    expect(calls).toEqual([['a.weight', 'b.weight']]);
    expect(Object.keys(s.analysis.results).sort()).toEqual(['a.weight', 'b.weight']);
    expect(s.analysis.status).toBe('done');
    expect(s.selection.tensor).toBe('a.weight');
  });

  it('a failed open keeps the previous model and reports a coded error', async () => {
    const { client } = fakeClient();
    const store = createAppStore({ client, referenceClient: fakeClient().client, loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async () => ({ files: [file('m.safetensors')] }), now: () => 0 });
    await store.getState().openSample('sample');
    await settle();
    await store.getState().openFiles([file('bad.bin')]);
    const s = store.getState();
    expect(s.model.info?.name).toBe('m.safetensors');
    expect(s.model.source).toEqual({ kind: 'sample', id: 'sample' });
    expect(s.model.status).toBe('ready');
    expect(s.model.openError).toMatchObject({ code: 'UNKNOWN_FORMAT', file: 'bad.bin', remedy: 'drop a model' });
    store.getState().dismissOpenError();
    expect(store.getState().model.openError).toBeNull();
  });

  it('cancel stops the scan and resume analyses only what is left', async () => {
    let release: () => void = () => {};
    const hold = new Promise<void>((r) => (release = r));
    const { client, calls } = fakeClient({ hold });
    const store = createAppStore({ client, referenceClient: fakeClient().client, loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async () => ({ files: [] }), now: () => 0 });
    await store.getState().openFiles([file('m.safetensors')]);
    expect(store.getState().analysis.status).toBe('running');
    store.getState().cancelAnalysis();
    release();
    await settle();
    expect(store.getState().analysis.status).toBe('cancelled');
    expect(Object.keys(store.getState().analysis.results)).toEqual([]);
    await store.getState().startAnalysis();
    expect(calls[1]).toEqual(['a.weight', 'b.weight']);
    expect(store.getState().analysis.status).toBe('done');
  });

  it('a sample with a twin loads the twin as a reference, matched by tensor name and shape', async () => {
    const { client } = fakeClient();
    const reference = fakeClient();
    const store = createAppStore({
      client,
      referenceClient: reference.client,
      loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async (id) => (id === 'trained' ? { files: [file('m.safetensors')], twin: { id: 'init', title: 'random init' } } : { files: [file('m.safetensors')] }),
      now: () => 0,
    });
    await store.getState().openSample('trained');
    await settle();
    await settle();
    const ref = store.getState().reference;
    expect(ref.status).toBe('ready');
    expect(ref.label).toBe('random init');
    expect(Object.keys(ref.spectra).sort()).toEqual(['a.weight', 'b.weight']);
    expect(reference.calls).toEqual([['a.weight', 'b.weight']]);
    // Opening the user's own file drops the reference.
    await store.getState().openFiles([file('m.safetensors')]);
    expect(store.getState().reference.status).toBe('none');
  });

  it('new settings restart the scan of the model and of its reference with them', async () => {
    const main = fakeClient();
    const reference = fakeClient();
    const store = createAppStore({
      client: main.client,
      referenceClient: reference.client,
      loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async () => ({ files: [file('m.safetensors')], twin: { id: 'init', title: 'random init' } }),
      now: () => 0,
    });
    await store.getState().openSample('trained');
    await settle();
    await settle();
    expect(main.settings[0]).toMatchObject({ conv: 'ww-pooled', mpFit: true });
    store.getState().setSettings({ conv: 'unfold' });
    await settle();
    await settle();
    expect(main.settings.at(-1)).toMatchObject({ conv: 'unfold', mpFit: true });
    expect(reference.settings.at(-1)).toMatchObject({ conv: 'unfold' });
    expect(main.calls.at(-1)).toEqual(['a.weight', 'b.weight']);
    expect(store.getState().analysis.status).toBe('done');
    const runs = main.calls.length;
    store.getState().setSettings({ conv: 'unfold' });
    expect(main.calls).toHaveLength(runs);
  });
});
