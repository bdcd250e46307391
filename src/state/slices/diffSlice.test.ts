import { describe, expect, it } from 'vitest';
import { layerReport } from '../../analysis/metrics/layerReport';
import type { DiffOptions } from '../../compute/analysisClient';
import { AnalysisError } from '../../compute/analysisClient';
import type { ModelInfo } from '../../model/types';
import type { DiffLayerResult, FileEntry, LayerResult } from '../../../workers/protocol';
import { createAppStore } from '../createAppStore';
import { fakeAnalysisClient } from '../testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from '../testing/testModel';
import { DEFAULT_DIFF_K, clampDiffK } from './diffSlice';

const file = (name: string): FileEntry => ({ name, blob: new Blob([]) });
const settle = () => new Promise((r) => setTimeout(r, 0));

const ok = (name: string): LayerResult => {
  const spectrum = { definition: 'dense', rows: 2, cols: 2, matrixCount: 1, singularValues: new Float64Array([2, 1]), frobeniusNormSq: 5 } as const;
  return { tensor: name, status: 'ok', ms: 1, readMs: 0, metricsMs: 0, spectrum, report: layerReport(spectrum) };
};

/** A diff result whose rel_change is step(B) − step(A), so tests can tell pairs apart. */
const diffResult = (tensor: string, change: number, k: number): DiffLayerResult => ({
  tensor,
  shape: [4, 3],
  matrix: 'dense',
  rows: 4,
  cols: 3,
  record: { name: tensor, rel_change: change, subspace_k: k },
  deltaSigma: new Float64Array([3, 2, 1]),
  angles: new Float64Array([0.1]),
  sigmaA: new Float64Array([5]),
  sigmaB: new Float64Array([6]),
  floor: 1e-6,
  ms: 1,
});

/**
 * Checkpoints `step_N.safetensors` have a.weight [4,3] and b.weight [2,4]. `diff` yields one result per weight
 * (waiting a tick before each, so a test can cancel in between), reports `c.bias` as not compared, and fails
 * with NO_COMMON_LAYERS when B is `bad_9.safetensors`.
 */
function fakeClient() {
  const log: string[] = [];
  const client = fakeAnalysisClient({
    async open(files) {
      const name = files[0]?.name ?? '';
      return { ...testModel([testTensor('a.weight', [4, 3]), testTensor('b.weight', [2, 4])]), name } as ModelInfo;
    },
    async analyze(tensors, options = {}) {
      for (const t of tensors) options.onLayer?.(ok(t));
      return { cancelled: false };
    },
    async exportLowRank() {
      throw new Error('not used');
    },
    async diff(filesA, filesB, options: DiffOptions = {}) {
      const [a, b] = [filesA[0]?.name ?? '', filesB[0]?.name ?? ''];
      log.push(`diff ${a} ${b} k=${options.k ?? ''}`);
      if (b.startsWith('bad')) throw new AnalysisError({ name: 'Error', code: 'NO_COMMON_LAYERS', message: 'no common layers', file: b, remedy: 'compare one architecture' });
      const step = (n: string) => Number(/\d+/.exec(n)?.[0] ?? 0);
      const names = ['a.weight', 'b.weight'];
      for (const [i, t] of names.entries()) {
        await settle();
        if (options.signal?.aborted) return { cancelled: true, notCompared: [], labels: [a, b] as const };
        options.onProgress?.({ done: i, total: names.length, tensor: t, fraction: 0 });
        options.onLayer?.(diffResult(t, step(b) - step(a), options.k ?? 10));
      }
      return { cancelled: false, notCompared: [{ name: 'c.bias', detail: 'only in A' }], labels: [a, b] as const };
    },
  });
  return { client, log };
}

type Store = ReturnType<typeof createAppStore>;

function makeStore() {
  const study = fakeClient();
  const store = createAppStore({
    client: fakeClient().client,
    referenceClient: fakeClient().client,
    studyClient: study.client,
    probeClient: idleProbeClient,
    loadUrls: async () => [],
    loadSample: async () => ({ files: [] }),
    now: () => 0,
  });
  return { store, study };
}

const inputs = (...names: string[]) => names.map((name) => ({ name, files: [file(name)] }));

async function openStudy(store: Store, ...names: string[]) {
  await store.getState().openStudy(inputs(...names), { kind: 'files', names: ['x'] });
}

describe('diff slice', () => {
  it('compares two checkpoints layer by layer through the study client, with k and the pair kept', async () => {
    const { store, study } = makeStore();
    await openStudy(store, 'step_1.safetensors', 'step_5.safetensors', 'step_9.safetensors');
    expect(store.getState().diff.status).toBe('idle');
    await store.getState().runDiff('step_1.safetensors', 'step_9.safetensors', 4);
    const d = store.getState().diff;
    expect(study.log).toEqual(['diff step_1.safetensors step_9.safetensors k=4']);
    expect(d.status).toBe('done');
    expect([d.a, d.b, d.k]).toEqual(['step_1.safetensors', 'step_9.safetensors', 4]);
    expect(d.layers).toEqual(['a.weight', 'b.weight']);
    expect(d.results['b.weight']?.record.rel_change).toBe(8);
    expect(d.notCompared).toEqual([{ name: 'c.bias', detail: 'only in A' }]);
    expect(d.labels).toEqual(['step_1.safetensors', 'step_9.safetensors']);
    expect(d.progress).toBeNull();
    expect(store.getState().diffPair).toEqual({ a: 'step_1.safetensors', b: 'step_9.safetensors', k: 4 });
  });

  it('uses k = 10 by default and keeps k in range', async () => {
    expect(clampDiffK(undefined)).toBe(DEFAULT_DIFF_K);
    expect(clampDiffK(0)).toBe(1);
    expect(clampDiffK(3.4)).toBe(3);
    expect(clampDiffK(1e9)).toBe(256);
    expect(clampDiffK(Number.NaN)).toBe(DEFAULT_DIFF_K);
    const { store, study } = makeStore();
    await openStudy(store, 'step_1.safetensors', 'step_2.safetensors');
    await store.getState().runDiff('step_1.safetensors', 'step_2.safetensors');
    expect(study.log).toEqual(['diff step_1.safetensors step_2.safetensors k=10']);
  });

  it('shows progress while running and stops on cancel', async () => {
    const { store } = makeStore();
    await openStudy(store, 'step_1.safetensors', 'step_2.safetensors');
    const run = store.getState().runDiff('step_1.safetensors', 'step_2.safetensors');
    expect(store.getState().diff.status).toBe('running');
    while (store.getState().diff.layers.length === 0) await settle();
    expect(store.getState().diff.progress).toMatchObject({ done: 0, total: 2, tensor: 'a.weight' });
    store.getState().cancelDiff();
    await run;
    const d = store.getState().diff;
    expect(d.status).toBe('cancelled');
    expect(d.layers).toEqual(['a.weight']);
    expect(d.progress).toBeNull();
  });

  it('aborts a previous run: only the newest pair lands', async () => {
    const { store } = makeStore();
    await openStudy(store, 'step_1.safetensors', 'step_2.safetensors', 'step_7.safetensors');
    const first = store.getState().runDiff('step_1.safetensors', 'step_2.safetensors');
    const second = store.getState().runDiff('step_2.safetensors', 'step_7.safetensors');
    await Promise.all([first, second]);
    const d = store.getState().diff;
    expect(d.status).toBe('done');
    expect([d.a, d.b]).toEqual(['step_2.safetensors', 'step_7.safetensors']);
    expect(Object.values(d.results).map((r) => r.record.rel_change)).toEqual([5, 5]);
  });

  it('reports a worker failure and an unknown checkpoint as errors', async () => {
    const { store, study } = makeStore();
    await openStudy(store, 'step_1.safetensors', 'bad_9.safetensors');
    await store.getState().runDiff('step_1.safetensors', 'bad_9.safetensors');
    expect(store.getState().diff).toMatchObject({ status: 'error', error: { code: 'NO_COMMON_LAYERS', file: 'bad_9.safetensors', remedy: 'compare one architecture' } });
    await store.getState().runDiff('step_1.safetensors', 'nope.safetensors');
    expect(store.getState().diff).toMatchObject({ status: 'error', error: { code: 'DIFF_NO_CHECKPOINT' } });
    expect(store.getState().diff.error?.message).toContain('nope.safetensors');
    expect(study.log).toHaveLength(1);
  });

  it('is cleared by clearDiff, by another study and by opening a single model', async () => {
    const { store } = makeStore();
    await openStudy(store, 'step_1.safetensors', 'step_2.safetensors');
    await store.getState().runDiff('step_1.safetensors', 'step_2.safetensors');
    store.getState().clearDiff();
    expect(store.getState().diff.status).toBe('idle');
    expect(store.getState().diffPair).toBeNull();

    await store.getState().runDiff('step_1.safetensors', 'step_2.safetensors');
    await openStudy(store, 'step_3.safetensors', 'step_4.safetensors');
    expect(store.getState().diff.status).toBe('idle');
    expect(store.getState().diff.results).toEqual({});
    expect(store.getState().diffPair).toBeNull();

    await store.getState().runDiff('step_3.safetensors', 'step_4.safetensors');
    await store.getState().openFiles([file('step_9.safetensors')]);
    await settle();
    expect(store.getState().study.status).toBe('none');
    expect(store.getState().diff.status).toBe('idle');
    expect(store.getState().diffPair).toBeNull();
  });

  it('runs a permalink’s comparison once the study has both checkpoints', async () => {
    const { store, study } = makeStore();
    store.getState().restoreDiff({ a: 'step_1.safetensors', b: 'step_3.safetensors', k: 3 });
    expect(store.getState().diffPair).toEqual({ a: 'step_1.safetensors', b: 'step_3.safetensors', k: 3 });
    await openStudy(store, 'step_1.safetensors', 'step_2.safetensors', 'step_3.safetensors');
    while (store.getState().diff.status !== 'done') await settle();
    expect(study.log).toEqual(['diff step_1.safetensors step_3.safetensors k=3']);
    expect(store.getState().diff.results['a.weight']?.record.rel_change).toBe(2);
    // With the study open, a restore runs at once.
    store.getState().restoreDiff({ a: 'step_2.safetensors', b: 'step_3.safetensors', k: 10 });
    while (store.getState().diff.a !== 'step_2.safetensors' || store.getState().diff.status !== 'done') await settle();
    expect(store.getState().diffPair).toEqual({ a: 'step_2.safetensors', b: 'step_3.safetensors', k: 10 });
  });
});
