import { FakeWorker, spawnFake, spawnedFakes } from './testing/fakeWorker';
import { describe, expect, it } from 'vitest';
import { createAnalysisClient } from './analysisClient';
import type { AnalysisRequest, AnalysisResponse, DiffLayerResult } from '../../workers/protocol';
import type { ModelInfo } from '../model/types';

const info: ModelInfo = { format: 'safetensors', name: 'm', files: [], tensors: [], metadata: {} };

type Fake = FakeWorker<AnalysisRequest, AnalysisResponse>;
const spawnWith = (behave: (w: Fake, r: AnalysisRequest) => void) => spawnFake<AnalysisRequest, AnalysisResponse>(behave);
const spawned = () => spawnedFakes<AnalysisRequest, AnalysisResponse>();

describe('analysis client', () => {
  it('asks for singular vectors and gets them back, or the worker’s coded error', async () => {
    const result = { tensor: 'w', matrix: 'dense' as const, rows: 2, cols: 2, sigma: Float64Array.of(3), u: Float64Array.of(1, 0), v: Float64Array.of(0, 1), ms: 1 };
    const client = createAnalysisClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', model: info });
        if (r.kind === 'vectors' && r.tensor === 'w' && r.k === 1) w.reply({ id: r.id, kind: 'vectors', result });
        else if (r.kind === 'vectors') w.reply({ id: r.id, kind: 'error', error: { name: 'Error', code: 'NO_SUCH_TENSOR', message: 'no such tensor' } });
      }),
    );
    await client.open([]);
    expect(await client.vectors('w', 1)).toEqual(result);
    await expect(client.vectors('nope', 1)).rejects.toMatchObject({ code: 'NO_SUCH_TENSOR' });
  });

  it('routes progress and layers to the request that asked, by id', async () => {
    const client = createAnalysisClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', model: info });
        if (r.kind === 'analyze') {
          w.reply({ id: r.id, kind: 'progress', done: 0, total: 1, tensor: 'a', fraction: 0 });
          w.reply({ id: r.id + 100, kind: 'progress', done: 9, total: 9, tensor: 'other', fraction: 1 });
          w.reply({ id: r.id, kind: 'layer', result: { tensor: 'a', status: 'non-finite', nanCount: 1, infCount: 0 } });
          w.reply({ id: r.id, kind: 'done', cancelled: false });
        }
      }),
    );
    expect(await client.open([])).toEqual(info);
    const progress: string[] = [];
    const layers: string[] = [];
    const result = await client.analyze(['a'], { onProgress: (p) => progress.push(p.tensor), onLayer: (l) => layers.push(l.tensor) });
    expect(result).toEqual({ cancelled: false });
    expect(progress).toEqual(['a']);
    expect(layers).toEqual(['a']);
  });

  it('rebuilds worker errors with their code, file and remedy', async () => {
    const client = createAnalysisClient(
      spawnWith((w, r) =>
        w.reply({ id: r.id, kind: 'error', error: { name: 'FormatError', code: 'BAD_HEADER_JSON', message: 'bad', file: 'x.safetensors', remedy: 'again' } }),
      ),
    );
    await expect(client.open([])).rejects.toMatchObject({ name: 'FormatError', code: 'BAD_HEADER_JSON', file: 'x.safetensors', remedy: 'again' });
  });

  it('a crashed worker rejects what was pending, then is respawned and the model reopened', async () => {
    FakeWorker.spawned = [];
    let crashNext = true;
    const client = createAnalysisClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', model: info });
        if (r.kind === 'analyze') {
          if (crashNext) {
            crashNext = false;
            w.crash('out of memory');
          } else w.reply({ id: r.id, kind: 'done', cancelled: false });
        }
      }),
    );
    await client.open([{ name: 'm.safetensors', blob: new Blob([]) }]);
    await expect(client.analyze(['a'])).rejects.toMatchObject({ code: 'WORKER_CRASHED', message: expect.stringContaining('out of memory') });
    expect(spawned()[0]?.terminated).toBe(true);
    expect(await client.analyze(['a'])).toEqual({ cancelled: false });
    expect(spawned()).toHaveLength(2);
    expect(spawned()[1]?.received.map((r) => r.kind)).toEqual(['open', 'analyze']);
  });

  it('cancel sends a cancel message naming the scan, and resolves as cancelled', async () => {
    FakeWorker.spawned = [];
    const client = createAnalysisClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', model: info });
        if (r.kind === 'cancel') w.reply({ id: r.target, kind: 'done', cancelled: true });
      }),
    );
    await client.open([]);
    const controller = new AbortController();
    const pending = client.analyze(['a', 'b'], { signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ cancelled: true });
    const sent = spawned()[0]?.received ?? [];
    const analyze = sent.find((r) => r.kind === 'analyze');
    expect(sent.find((r) => r.kind === 'cancel')).toMatchObject({ target: analyze?.id });
  });
  describe('diff', () => {
    const layer: DiffLayerResult = {
      tensor: 'fc.weight',
      shape: [2, 3],
      matrix: 'dense',
      rows: 2,
      cols: 3,
      record: { name: 'fc.weight', rel_change: 0.1 },
      deltaSigma: Float64Array.of(2, 1),
      angles: Float64Array.of(0.1),
      sigmaA: Float64Array.of(3),
      sigmaB: Float64Array.of(3.1),
      floor: 1e-6,
      ms: 1,
    };
    const a = [{ name: 'base.safetensors', blob: new Blob([]) }];
    const b = [{ name: 'tuned.safetensors', blob: new Blob([]) }];

    it('posts both file sets with k and tensors, streams progress and layers, and resolves with what was not compared', async () => {
      FakeWorker.spawned = [];
      const client = createAnalysisClient(
        spawnWith((w, r) => {
          if (r.kind !== 'diff') return;
          w.reply({ id: r.id, kind: 'progress', done: 0, total: 1, tensor: 'fc.weight', fraction: 0 });
          w.reply({ id: r.id, kind: 'diffLayer', result: layer });
          w.reply({ id: r.id + 100, kind: 'diffLayer', result: { ...layer, tensor: 'other' } });
          w.reply({ id: r.id, kind: 'diffDone', cancelled: false, notCompared: [{ name: 'head.weight', detail: 'shapes differ' }], labels: ['base.safetensors', 'tuned.safetensors'] });
        }),
      );
      const progress: string[] = [];
      const layers: DiffLayerResult[] = [];
      const outcome = await client.diff(a, b, { k: 3, tensors: ['fc.weight'], onProgress: (p) => progress.push(p.tensor), onLayer: (l) => layers.push(l) });
      expect(outcome).toEqual({ cancelled: false, notCompared: [{ name: 'head.weight', detail: 'shapes differ' }], labels: ['base.safetensors', 'tuned.safetensors'] });
      expect(progress).toEqual(['fc.weight']);
      expect(layers).toEqual([layer]);
      expect(spawned()[0]?.received[0]).toMatchObject({ kind: 'diff', filesA: a, filesB: b, k: 3, tensors: ['fc.weight'] });
    });

    it('a plan-only diff posts planOnly and resolves with the matched layers, computing nothing', async () => {
      FakeWorker.spawned = [];
      const planned = [{ name: 'fc.weight', rows: 2, cols: 3 }];
      const client = createAnalysisClient(
        spawnWith((w, r) => {
          if (r.kind !== 'diff') return;
          w.reply({ id: r.id, kind: 'diffPlanned', layers: planned, notCompared: [{ name: 'head.weight', detail: 'shapes differ' }], labels: ['base.safetensors', 'tuned.safetensors'] });
        }),
      );
      const layers: DiffLayerResult[] = [];
      const outcome = await client.diff(a, b, { planOnly: true, tensors: ['fc.weight', 'head.weight'], onLayer: (l) => layers.push(l) });
      expect(outcome).toEqual({ cancelled: false, notCompared: [{ name: 'head.weight', detail: 'shapes differ' }], labels: ['base.safetensors', 'tuned.safetensors'], planned });
      expect(layers).toEqual([]);
      expect(spawned()[0]?.received[0]).toMatchObject({ kind: 'diff', planOnly: true, tensors: ['fc.weight', 'head.weight'] });
    });

    it('a model that does not open, or no layers in common, rejects with the coded error, its file and remedy', async () => {
      const client = createAnalysisClient(
        spawnWith((w, r) => {
          if (r.kind !== 'diff') return;
          const error =
            r.filesB[0]?.name === 'notes.txt'
              ? { name: 'FormatError', code: 'UNKNOWN_FORMAT', message: 'Model B ("notes.txt") could not be opened: not a model file', file: 'notes.txt', remedy: 'Open a model in a supported format.' }
              : { name: 'Error', code: 'NO_COMMON_LAYERS', message: 'no dense or conv weight with the same name and shape', file: 'tuned.safetensors', remedy: 'Compare two checkpoints of one architecture.' };
          w.reply({ id: r.id, kind: 'error', error });
        }),
      );
      await expect(client.diff(a, [{ name: 'notes.txt', blob: new Blob([]) }])).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT', file: 'notes.txt', message: expect.stringContaining('Model B'), remedy: expect.any(String) });
      await expect(client.diff(a, b)).rejects.toMatchObject({ code: 'NO_COMMON_LAYERS', remedy: expect.stringContaining('architecture') });
    });

    it('cancel sends a cancel message naming the diff, and resolves as cancelled', async () => {
      FakeWorker.spawned = [];
      const client = createAnalysisClient(
        spawnWith((w, r) => {
          if (r.kind === 'cancel') w.reply({ id: r.target, kind: 'diffDone', cancelled: true, notCompared: [], labels: ['base.safetensors', 'tuned.safetensors'] });
        }),
      );
      const controller = new AbortController();
      const pending = client.diff(a, b, { signal: controller.signal });
      controller.abort();
      expect(await pending).toMatchObject({ cancelled: true });
      const sent = spawned()[0]?.received ?? [];
      expect(sent.find((r) => r.kind === 'cancel')).toMatchObject({ target: sent.find((r) => r.kind === 'diff')?.id });
      const aborted = new AbortController();
      aborted.abort();
      expect(await client.diff(a, b, { signal: aborted.signal })).toEqual({ cancelled: true, notCompared: [], labels: ['base.safetensors', 'tuned.safetensors'] });
    });
  });
});
