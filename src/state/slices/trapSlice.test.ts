import { describe, expect, it } from 'vitest';
import { layerReport } from '../../analysis/metrics/layerReport';
import type { AnalyzeOptions } from '../../compute/analysisClient';
import { AnalysisError } from '../../compute/analysisClient';
import type { ModelInfo } from '../../model/types';
import type { FileEntry, LayerResult } from '../../../workers/protocol';
import { createAppStore } from '../createAppStore';
import { fakeAnalysisClient } from '../testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from '../testing/testModel';
import { trapFromResult } from './trapSlice';

const info: ModelInfo = testModel([testTensor('a.weight', [2, 2]), testTensor('b.weight', [2, 2])]);

const RANDOM_COLUMNS = { rand_distance: 0.2, ww_softrank: 0.5, max_rand_eval: 2, ww_maxdist: 2, rand_num_spikes: 1, randomize_seed: 9 };

/** An ok result like the worker's; with `randomize` it carries the randomised ESD and its columns. */
function ok(name: string, randomize: boolean, randomizable = true): LayerResult {
  const spectrum = { definition: 'dense', rows: 2, cols: 2, matrixCount: 1, singularValues: new Float64Array([2, 1]), frobeniusNormSq: 5 } as const;
  const report = layerReport(spectrum);
  if (!randomize || !randomizable) return { tensor: name, status: 'ok', ms: 1, readMs: 0, metricsMs: 0, spectrum, report };
  return {
    tensor: name,
    status: 'ok',
    ms: 1,
    readMs: 0,
    metricsMs: 0,
    spectrum,
    report: { ...report, columns: { ...report.columns, ...RANDOM_COLUMNS } },
    randomized: { eigenvaluesAsc: new Float64Array([0.5, 1, 1.5, 2]), seed: 9, replicas: 2, bulkMin: 0.1, bulkMax: 1.6, spikeThreshold: 1.8 },
  };
}

/** A fake worker client: scans at once; requests for one tensor wait for `release` when `hold` is set. */
function fakeClient(opts: { hold?: boolean; fail?: boolean; randomizable?: boolean; cancelled?: boolean } = {}) {
  const calls: { tensors: string[]; settings: AnalyzeOptions['settings'] | undefined; signal: AbortSignal | undefined }[] = [];
  const releases: (() => void)[] = [];
  const client = fakeAnalysisClient({
    async open(_files: readonly FileEntry[]) {
      return info;
    },
    async analyze(tensors: readonly string[], options: AnalyzeOptions = {}) {
      calls.push({ tensors: [...tensors], settings: options.settings, signal: options.signal });
      const single = tensors.length === 1;
      if (single && opts.hold) await new Promise<void>((r) => releases.push(r));
      if (single && opts.fail) throw new AnalysisError({ name: 'WorkerError', code: 'WORKER_CRASHED', message: 'boom' });
      if (single && opts.cancelled) return { cancelled: true };
      for (const t of tensors) {
        if (options.signal?.aborted) return { cancelled: true };
        options.onLayer?.(ok(t, options.settings?.randomize === true, opts.randomizable ?? true));
      }
      return { cancelled: false };
    },
  });
  return { client, calls, release: () => releases.splice(0).forEach((r) => r()) };
}

const file = (name: string): FileEntry => ({ name, blob: new Blob([]) });
const settle = () => new Promise((r) => setTimeout(r, 0));

async function openStore(fake: ReturnType<typeof fakeClient>) {
  const store = createAppStore({ client: fake.client, referenceClient: fakeClient().client, loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async () => ({ files: [] }), now: () => 0 });
  await store.getState().openFiles([file('m.safetensors')]);
  await settle();
  return store;
}

describe('trap slice (on-demand randomised ESD)', () => {
  it('analyses the one tensor with randomize on and keeps its randomised ESD and columns by name', async () => {
    const fake = fakeClient({ hold: true });
    const store = await openStore(fake);
    store.getState().setSettings({ conv: 'unfold' });
    await settle();
    const pending = store.getState().requestTrap('a.weight');
    expect(store.getState().trap.results['a.weight']).toEqual({ status: 'loading' });
    const call = fake.calls.at(-1)!;
    expect(call.tensors).toEqual(['a.weight']);
    expect(call.settings).toMatchObject({ conv: 'unfold', mpFit: true, randomize: true });
    expect(call.signal).toBeInstanceOf(AbortSignal);
    // The global setting is untouched: the scan stays without the costly randomisation.
    expect(store.getState().settings.randomize).toBeUndefined();
    fake.release();
    await pending;
    const entry = store.getState().trap.results['a.weight'];
    expect(entry).toMatchObject({ status: 'ready', source: 'request', columns: RANDOM_COLUMNS });
    if (entry?.status !== 'ready') throw new Error('not ready');
    expect(Array.from(entry.randomized.eigenvaluesAsc)).toEqual([0.5, 1, 1.5, 2]);
    expect(entry.randomized).toMatchObject({ seed: 9, replicas: 2, bulkMax: 1.6, spikeThreshold: 1.8 });
    expect(store.getState().trap.results['b.weight']).toBeUndefined();
  });

  it('asks once: a second request while loading or ready is a no-op', async () => {
    const fake = fakeClient({ hold: true });
    const store = await openStore(fake);
    const before = fake.calls.length;
    const first = store.getState().requestTrap('a.weight');
    void store.getState().requestTrap('a.weight');
    fake.release();
    await first;
    await store.getState().requestTrap('a.weight');
    expect(fake.calls.length - before).toBe(1);
  });

  it('uses the scan’s own randomised ESD when the randomize setting is on, without a request', async () => {
    const fake = fakeClient();
    const store = await openStore(fake);
    store.getState().setSettings({ randomize: true });
    await settle();
    const scanned = store.getState().analysis.results['b.weight'];
    const before = fake.calls.length;
    await store.getState().requestTrap('b.weight');
    expect(fake.calls.length).toBe(before);
    const entry = store.getState().trap.results['b.weight'];
    expect(entry).toMatchObject({ status: 'ready', source: 'scan', columns: RANDOM_COLUMNS });
    expect(entry?.status === 'ready' && scanned?.status === 'ok' ? entry.randomized === scanned.randomized : false).toBe(true);
  });

  it('new settings or a new model cancel requests in flight, clear the comparisons and drop late results', async () => {
    const fake = fakeClient({ hold: true });
    const store = await openStore(fake);
    await Promise.all([store.getState().requestTrap('a.weight'), (async () => fake.release())()]);
    const late = store.getState().requestTrap('b.weight');
    const signal = fake.calls.at(-1)!.signal!;
    expect(Object.keys(store.getState().trap.results).sort()).toEqual(['a.weight', 'b.weight']);
    store.getState().setSettings({ exactTail: 'always' });
    expect(signal.aborted).toBe(true);
    expect(store.getState().trap.results).toEqual({});
    fake.release();
    await late;
    await settle();
    expect(store.getState().trap.results).toEqual({});

    const again = store.getState().requestTrap('a.weight');
    const signal2 = fake.calls.at(-1)!.signal!;
    await store.getState().openFiles([file('m.safetensors')]);
    expect(signal2.aborted).toBe(true);
    expect(store.getState().trap.results).toEqual({});
    fake.release();
    await again;
    expect(store.getState().trap.results).toEqual({});
  });

  it('reports a failed request with its code, and retries on the next request', async () => {
    const failing = fakeClient({ fail: true });
    const store = await openStore(failing);
    await store.getState().requestTrap('a.weight');
    expect(store.getState().trap.results['a.weight']).toMatchObject({ status: 'error', error: { code: 'WORKER_CRASHED', message: 'boom' } });
    const before = failing.calls.length;
    await store.getState().requestTrap('a.weight');
    expect(failing.calls.length).toBe(before + 1);
  });

  it('says why when the layer cannot be randomised, and forgets a cancelled request', async () => {
    const store = await openStore(fakeClient({ randomizable: false }));
    await store.getState().requestTrap('a.weight');
    expect(store.getState().trap.results['a.weight']).toMatchObject({ status: 'error', error: { code: 'NOT_RANDOMIZABLE' } });
    const cancelled = await openStore(fakeClient({ cancelled: true }));
    await cancelled.getState().requestTrap('a.weight');
    expect(cancelled.getState().trap.results['a.weight']).toBeUndefined();
  });

  it('does nothing without a model', async () => {
    const fake = fakeClient();
    const store = createAppStore({ client: fake.client, referenceClient: fakeClient().client, loadUrls: async () => [], probeClient: idleProbeClient, loadSample: async () => ({ files: [] }), now: () => 0 });
    await store.getState().requestTrap('a.weight');
    expect(fake.calls).toEqual([]);
    expect(store.getState().trap.results).toEqual({});
  });

  it('trapFromResult: only ok results with a randomised ESD', () => {
    expect(trapFromResult(ok('a', false))).toBeNull();
    expect(trapFromResult(null)).toBeNull();
    expect(trapFromResult({ tensor: 'a', status: 'non-finite', nanCount: 1, infCount: 0 })).toBeNull();
    expect(trapFromResult(ok('a', true))).toMatchObject({ status: 'ready', source: 'scan', columns: RANDOM_COLUMNS });
  });
});
