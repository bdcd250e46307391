import { describe, expect, it } from 'vitest';
import { layerReport } from '../../analysis/metrics/layerReport';
import type { AnalyzeOptions } from '../../compute/analysisClient';
import { AnalysisError } from '../../compute/analysisClient';
import type { ModelInfo } from '../../model/types';
import type { FileEntry, LayerResult } from '../../../workers/protocol';
import { createAppStore } from '../createAppStore';
import { fakeAnalysisClient } from '../testing/fakeAnalysisClient';
import { idleProbeClient, testModel, testTensor } from '../testing/testModel';

const file = (name: string): FileEntry => ({ name, blob: new Blob([]) });
const settle = () => new Promise((r) => setTimeout(r, 0));

/** A result whose σ₁ is the checkpoint's step, so tests can tell checkpoints apart. */
const ok = (name: string, sigma: number): LayerResult => {
  const spectrum = { definition: 'dense', rows: 2, cols: 2, matrixCount: 1, singularValues: new Float64Array([sigma, 1]), frobeniusNormSq: sigma * sigma + 1 } as const;
  return { tensor: name, status: 'ok', ms: 1, readMs: 0, metricsMs: 0, spectrum, report: layerReport(spectrum) };
};

/** Checkpoints `step_N.safetensors` have a.weight [4,3] and b.weight [2,4]; `odd.safetensors` has b.weight [3,3]; `bad.bin` fails. */
function fakeClient() {
  let open = '';
  const log: string[] = [];
  const client = fakeAnalysisClient({
    async open(files) {
      const name = files[0]?.name ?? '';
      if (name === 'bad.bin') throw new AnalysisError({ name: 'FormatError', code: 'UNKNOWN_FORMAT', message: 'not a model', file: 'bad.bin', remedy: 'drop a model' });
      open = name;
      log.push(`open ${name}`);
      const b = name === 'odd.safetensors' ? testTensor('b.weight', [3, 3]) : testTensor('b.weight', [2, 4]);
      return { ...testModel([testTensor('a.weight', [4, 3]), testTensor('a.bias', [4], 'vector'), b]), name } as ModelInfo;
    },
    async analyze(tensors, options: AnalyzeOptions = {}) {
      log.push(`analyze ${open}: ${tensors.join(',')}`);
      const step = Number(/\d+/.exec(open)?.[0] ?? 0);
      for (const t of tensors) {
        if (options.signal?.aborted) return { cancelled: true };
        options.onLayer?.(ok(t, step));
        await settle();
      }
      return { cancelled: false };
    },
  });
  return { client, log };
}

function makeStore() {
  const main = fakeClient();
  const study = fakeClient();
  const store = createAppStore({ client: main.client, referenceClient: fakeClient().client, studyClient: study.client, probeClient: idleProbeClient, loadUrls: async () => [], loadSample: async () => ({ files: [] }), now: () => 0 });
  return { store, main, study };
}

const inputs = (...names: string[]) => names.map((name) => ({ name, files: [file(name)] }));

describe('study slice', () => {
  it('orders checkpoints by step, analyses the matched layers of each and shows the last one', async () => {
    const { store, main, study } = makeStore();
    await store.getState().openStudy(inputs('step_300.safetensors', 'step_100.safetensors', 'step_200.safetensors'), { kind: 'files', names: ['x'] });
    const s = store.getState();
    expect(s.study.status).toBe('done');
    expect(s.study.checkpoints.map((c) => [c.name, c.step, c.status])).toEqual([
      ['step_100.safetensors', 100, 'done'],
      ['step_200.safetensors', 200, 'done'],
      ['step_300.safetensors', 300, 'done'],
    ]);
    expect(s.study.layers).toEqual(['a.weight', 'b.weight']);
    expect(s.study.current).toBe(2);
    // The shown checkpoint is analysed first, and is the model of every page.
    expect(study.log.filter((l) => l.startsWith('analyze'))[0]).toBe('analyze step_300.safetensors: a.weight,b.weight');
    expect(main.log).toEqual(['open step_300.safetensors']);
    expect(s.model.info?.name).toBe('step_300.safetensors');
    expect(s.analysis.status).toBe('done');
    const r = s.analysis.results['a.weight'];
    expect(r?.status === 'ok' ? r.spectrum.singularValues[0] : null).toBe(300);
    expect(s.selection.tensor).toBe('a.weight');
  });

  it('moves every page to another checkpoint, keeping the selected layer', async () => {
    const { store } = makeStore();
    await store.getState().openStudy(inputs('step_1.safetensors', 'step_2.safetensors'), { kind: 'files', names: ['x'] });
    store.getState().openLayer('b.weight');
    await store.getState().setStudyCheckpoint(0);
    const s = store.getState();
    expect(s.model.info?.name).toBe('step_1.safetensors');
    expect(s.selection.tensor).toBe('b.weight');
    expect(s.view.page).toBe('layer');
    const r = s.analysis.results['b.weight'];
    expect(r?.status === 'ok' ? r.spectrum.singularValues[0] : null).toBe(1);
  });

  it('lists layers that do not match and checkpoints that do not open, and studies the rest', async () => {
    const { store } = makeStore();
    await store.getState().openStudy(inputs('step_1.safetensors', 'odd.safetensors', 'bad.bin'), { kind: 'files', names: ['x'] });
    const s = store.getState().study;
    expect(s.layers).toEqual(['a.weight']);
    expect(s.mismatches).toEqual([expect.objectContaining({ name: 'b.weight', kind: 'shape' })]);
    expect(s.failed).toEqual([{ name: 'bad.bin', error: expect.objectContaining({ code: 'UNKNOWN_FORMAT', file: 'bad.bin' }) }]);
    expect(s.checkpoints.map((c) => c.name)).toEqual(['step_1.safetensors', 'odd.safetensors']);
  });

  it('says so when nothing opens, and keeps the previous model', async () => {
    const { store } = makeStore();
    await store.getState().openStudy(inputs('bad.bin'), { kind: 'files', names: ['bad.bin'] });
    const s = store.getState();
    expect(s.study.status).toBe('error');
    expect(s.model.openError).toMatchObject({ code: 'STUDY_NOT_OPENED', file: 'bad.bin' });
    expect(s.model.status).toBe('idle');
  });

  it('re-orders when the user edits a step, keeping the shown checkpoint', async () => {
    const { store } = makeStore();
    await store.getState().openStudy(inputs('base.safetensors', 'step_5.safetensors', 'tuned.safetensors'), { kind: 'files', names: ['x'] });
    expect(store.getState().study.checkpoints.map((c) => c.name)).toEqual(['step_5.safetensors', 'base.safetensors', 'tuned.safetensors']);
    expect(store.getState().study.current).toBe(2);
    store.getState().setCheckpointStep('base.safetensors', 0);
    store.getState().setCheckpointStep('tuned.safetensors', 10);
    const s = store.getState().study;
    expect(s.checkpoints.map((c) => `${c.name}@${c.step}`)).toEqual(['base.safetensors@0', 'step_5.safetensors@5', 'tuned.safetensors@10']);
    expect(s.checkpoints[s.current]?.name).toBe('tuned.safetensors');
  });

  it('opens on the checkpoint a permalink asks for', async () => {
    const { store } = makeStore();
    store.getState().setRestore({ checkpoint: 'step_2.safetensors' });
    await store.getState().openStudy(inputs('step_1.safetensors', 'step_2.safetensors', 'step_3.safetensors'), { kind: 'files', names: ['x'] });
    expect(store.getState().study.current).toBe(1);
    expect(store.getState().model.info?.name).toBe('step_2.safetensors');
    expect(store.getState().restore.checkpoint).toBeNull();
  });

  it('is closed by opening a single model', async () => {
    const { store } = makeStore();
    await store.getState().openStudy(inputs('step_1.safetensors', 'step_2.safetensors'), { kind: 'files', names: ['x'] });
    await store.getState().openFiles([file('step_9.safetensors')]);
    await settle();
    expect(store.getState().study.status).toBe('none');
    expect(store.getState().model.info?.name).toBe('step_9.safetensors');
  });

  it('stops on cancel and resumes the checkpoints not finished', async () => {
    const { store, study } = makeStore();
    const opening = store.getState().openStudy(inputs('step_1.safetensors', 'step_2.safetensors', 'step_3.safetensors'), { kind: 'files', names: ['x'] });
    while (!study.log.some((l) => l.startsWith('analyze step_1'))) await settle();
    store.getState().cancelStudy();
    await opening;
    expect(store.getState().study.status).toBe('cancelled');
    await store.getState().resumeStudy();
    expect(store.getState().study.status).toBe('done');
    expect(store.getState().study.checkpoints.every((c) => c.status === 'done')).toBe(true);
  });
});

describe('which open wins', () => {
  it('a study clicked while the start sample still loads stays open', async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    const main = fakeClient();
    const store = createAppStore({
      client: main.client,
      referenceClient: fakeClient().client,
      studyClient: fakeClient().client,
      probeClient: idleProbeClient,
      loadUrls: async () => [],
      loadSample: async () => {
        await slow;
        return { files: [file('step_7.safetensors')] };
      },
      now: () => 0,
    });
    const first = store.getState().openSample('slow-sample');
    await store.getState().openStudy(inputs('step_1.safetensors', 'step_2.safetensors'), { kind: 'files', names: ['x'] });
    release();
    await first;
    await settle();
    expect(store.getState().study.status).toBe('done');
    expect(store.getState().model.info?.name).toBe('step_2.safetensors');
  });
});
