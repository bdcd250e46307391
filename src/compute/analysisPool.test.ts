import { describe, expect, it } from 'vitest';
import type { DiffLayerResult, LayerResult, PlannedDiffLayer } from '../../workers/protocol';
import type { AnalysisClient, AnalyzeOptions, DiffOptions, ScanProgress } from './analysisClient';
import { fakeAnalysisClient } from '../state/testing/fakeAnalysisClient';
import { createAnalysisPool, poolSize } from './analysisPool';

/** A fake worker: each layer takes `ms`, reported with progress. */
function fakeClient(log: string[], who: string, ms = 5): AnalysisClient {
  return fakeAnalysisClient({
    async open() {
      log.push(`${who} open`);
      return { format: 'x', name: 'm', files: [], metadata: {}, tensors: [] };
    },
    async analyze(tensors: readonly string[], options: AnalyzeOptions = {}) {
      for (const t of tensors) {
        if (options.signal?.aborted) return { cancelled: true };
        options.onProgress?.({ done: 0, total: 1, tensor: t, fraction: 0.5 });
        await new Promise((r) => setTimeout(r, ms));
        if (options.signal?.aborted) return { cancelled: true };
        log.push(`${who} ${t}`);
        options.onLayer?.({ tensor: t, status: 'failed', error: { name: 'E', code: 'X', message: '' } } as LayerResult);
      }
      return { cancelled: false };
    },
    dispose() {
      log.push(`${who} dispose`);
    },
  });
}

/** Model A's weights in order: the 50257×768 embedding third, so largest-first scheduling starts it first. */
const planned: PlannedDiffLayer[] = [
  { name: 'h.0.attn.weight', rows: 768, cols: 2304 },
  { name: 'h.0.mlp.weight', rows: 768, cols: 3072 },
  { name: 'wte.weight', rows: 50257, cols: 768 },
  { name: 'h.1.attn.weight', rows: 768, cols: 2304 },
  { name: 'h.1.mlp.weight', rows: 768, cols: 3072 },
];
const notCompared = [{ name: 'lm_head.weight', detail: 'only in base.safetensors' }];
const labels = ['base.safetensors', 'tuned.safetensors'] as const;

/** The result one worker computes for a layer (the same whichever worker computes it). */
const diffResult = (tensor: string): DiffLayerResult => ({
  tensor,
  shape: [2, 2],
  matrix: 'dense',
  rows: 2,
  cols: 2,
  record: { name: tensor, rel_change: tensor.length / 100 },
  deltaSigma: Float64Array.of(tensor.length, 1),
  angles: Float64Array.of(0.5),
  sigmaA: Float64Array.of(3),
  sigmaB: Float64Array.of(3),
  floor: 1e-6,
  ms: 1,
});

/** A fake worker for diffs: plans `planned`, computes one requested layer per `ms` (the embedding takes 10×). */
function fakeDiffClient(log: string[], who: string, ms = 5): AnalysisClient {
  return fakeAnalysisClient({
    async diff(_filesA, _filesB, options: DiffOptions = {}) {
      if (options.signal?.aborted) return { cancelled: true, notCompared: [], labels };
      if (options.planOnly) {
        log.push(`${who} plan`);
        return { cancelled: false, notCompared, labels, planned };
      }
      for (const t of options.tensors ?? planned.map((l) => l.name)) {
        options.onProgress?.({ done: 0, total: 1, tensor: t, fraction: 0.5 });
        await new Promise((r) => setTimeout(r, t === 'wte.weight' ? 10 * ms : ms));
        if (options.signal?.aborted) return { cancelled: true, notCompared: [], labels };
        log.push(`${who} ${t}`);
        options.onLayer?.(diffResult(t));
      }
      return { cancelled: false, notCompared: [], labels };
    },
  });
}

describe('analysis pool', () => {
  it('sizes itself from the cores, within bounds', () => {
    expect(poolSize(undefined)).toBe(1);
    expect(poolSize(2)).toBe(2);
    expect(poolSize(64)).toBe(8);
    expect(poolSize(0)).toBe(1);
  });

  it('opens the model in every worker and hands each layer to exactly one free worker', async () => {
    const log: string[] = [];
    const pool = createAnalysisPool([fakeClient(log, 'A'), fakeClient(log, 'B', 2)]);
    await pool.open([]);
    expect(log.filter((l) => l.endsWith('open')).sort()).toEqual(['A open', 'B open']);
    const layers: string[] = [];
    const progress: ScanProgress[] = [];
    const names = ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'];
    const result = await pool.analyze(names, { onLayer: (l) => layers.push(l.tensor), onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ cancelled: false });
    expect(layers.sort()).toEqual(names);
    const scanned = log.filter((l) => !l.endsWith('open'));
    expect(scanned.some((l) => l.startsWith('A '))).toBe(true);
    expect(scanned.some((l) => l.startsWith('B '))).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6 });
    expect(progress.every((p) => p.done <= 6)).toBe(true);
    pool.dispose();
    expect(log.filter((l) => l.endsWith('dispose'))).toHaveLength(2);
  });

  it('stops every worker when cancelled', async () => {
    const log: string[] = [];
    const pool = createAnalysisPool([fakeClient(log, 'A', 20), fakeClient(log, 'B', 20)]);
    const controller = new AbortController();
    const running = pool.analyze(['a', 'b', 'c', 'd', 'e', 'f'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    expect(await running).toEqual({ cancelled: true });
    expect(log.length).toBeLessThan(6);
  });

  describe('diff', () => {
    const a = [{ name: 'base.safetensors', blob: new Blob([]) }];
    const b = [{ name: 'tuned.safetensors', blob: new Blob([]) }];

    it('plans on one worker, spreads the layers over both, largest first, and passes results on in model A order', async () => {
      const log: string[] = [];
      const pool = createAnalysisPool([fakeDiffClient(log, 'A'), fakeDiffClient(log, 'B')]);
      const layers: DiffLayerResult[] = [];
      const progress: ScanProgress[] = [];
      const outcome = await pool.diff(a, b, { k: 3, onLayer: (l) => layers.push(l), onProgress: (p) => progress.push(p) });
      expect(outcome).toEqual({ cancelled: false, notCompared, labels });
      expect(log[0]).toBe('A plan');
      expect(log.filter((l) => l.endsWith('plan'))).toHaveLength(1);
      // Records identical to one worker's, in the same order.
      const one: DiffLayerResult[] = [];
      await fakeDiffClient([], 'one').diff(a, b, { onLayer: (l) => one.push(l) });
      expect(layers).toEqual(one);
      const computed = log.filter((l) => !l.endsWith('plan'));
      expect(computed).toHaveLength(planned.length);
      expect(computed.some((l) => l.startsWith('A '))).toBe(true);
      expect(computed.some((l) => l.startsWith('B '))).toBe(true);
      // The embedding started first and took one worker while the other did the rest.
      const wteBy = computed.find((l) => l.endsWith('wte.weight'))?.[0];
      expect(computed.filter((l) => l[0] === wteBy)).toEqual([`${wteBy} wte.weight`]);
      expect(progress.at(-1)).toMatchObject({ done: planned.length, total: planned.length });
      expect(progress.every((p) => p.done <= planned.length && p.fraction <= 1)).toBe(true);
    });

    it('asks each worker for one layer at a time with the caller’s k', async () => {
      const asked: DiffOptions[] = [];
      const spy = (who: string) => {
        const inner = fakeDiffClient([], who);
        return fakeAnalysisClient({
          diff(filesA, filesB, options = {}) {
            asked.push(options);
            return inner.diff(filesA, filesB, options);
          },
        });
      };
      await createAnalysisPool([spy('A'), spy('B')]).diff(a, b, { k: 7, tensors: ['wte.weight', 'h.0.mlp.weight'] });
      expect(asked[0]).toMatchObject({ planOnly: true, tensors: ['wte.weight', 'h.0.mlp.weight'] });
      // The fake plans every layer whatever was asked; each is requested once, by itself, largest first.
      const requested = asked.slice(1);
      expect(requested.every((o) => o.k === 7 && o.planOnly === undefined && o.signal !== undefined)).toBe(true);
      expect(requested.map((o) => o.tensors)).toEqual([['wte.weight'], ['h.0.mlp.weight'], ['h.1.mlp.weight'], ['h.0.attn.weight'], ['h.1.attn.weight']]);
    });

    it('stops every worker when cancelled, keeps what was not compared, and passes on the layers that finished', async () => {
      const log: string[] = [];
      const pool = createAnalysisPool([fakeDiffClient(log, 'A', 20), fakeDiffClient(log, 'B', 20)]);
      const controller = new AbortController();
      const layers: string[] = [];
      const running = pool.diff(a, b, { signal: controller.signal, onLayer: (l) => layers.push(l.tensor) });
      setTimeout(() => controller.abort(), 30);
      expect(await running).toEqual({ cancelled: true, notCompared, labels });
      const computed = log.filter((l) => !l.endsWith('plan'));
      expect(computed.length).toBeLessThan(planned.length);
      expect(layers.sort()).toEqual(computed.map((l) => l.slice(2)).sort());
      // Nothing runs after the pool resolved.
      await new Promise((r) => setTimeout(r, 100));
      expect(log.filter((l) => !l.endsWith('plan'))).toEqual(computed);
    });

    it('a failing layer stops the other workers and rejects with its error; a failed plan rejects', async () => {
      const log: string[] = [];
      const failing = fakeAnalysisClient({
        async diff(filesA, filesB, options = {}) {
          if (options.planOnly) return fakeDiffClient(log, 'A').diff(filesA, filesB, options);
          await new Promise((r) => setTimeout(r, 5));
          throw Object.assign(new Error('read failed'), { code: 'READ_FAILED' });
        },
      });
      const pool = createAnalysisPool([failing, fakeDiffClient(log, 'B', 20)]);
      await expect(pool.diff(a, b)).rejects.toMatchObject({ code: 'READ_FAILED' });
      expect(log.filter((l) => l.startsWith('B '))).toHaveLength(0);
      const noCommon = fakeAnalysisClient({
        async diff() {
          throw Object.assign(new Error('no common layers'), { code: 'NO_COMMON_LAYERS' });
        },
      });
      await expect(createAnalysisPool([noCommon, fakeDiffClient([], 'B')]).diff(a, b)).rejects.toMatchObject({ code: 'NO_COMMON_LAYERS' });
    });

    it('one worker, or a plan-only request, goes straight to the first client', async () => {
      const log: string[] = [];
      const layers: string[] = [];
      await createAnalysisPool([fakeDiffClient(log, 'A')]).diff(a, b, { onLayer: (l) => layers.push(l.tensor) });
      expect(log).toEqual(planned.map((l) => `A ${l.name}`));
      expect(layers).toEqual(planned.map((l) => l.name));
      const plan = await createAnalysisPool([fakeDiffClient([], 'A'), fakeDiffClient([], 'B')]).diff(a, b, { planOnly: true });
      expect(plan.planned).toEqual(planned);
    });
  });
});
