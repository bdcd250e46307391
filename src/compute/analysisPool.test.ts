import { describe, expect, it } from 'vitest';
import type { LayerResult } from '../../workers/protocol';
import type { AnalysisClient, AnalyzeOptions, ScanProgress } from './analysisClient';
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
});
