import { FakeWorker, spawnFake, spawnedFakes } from './testing/fakeWorker';
import { describe, expect, it, vi } from 'vitest';
import { createProbeClient } from './probeClient';
import type { ProbeLayerResult, ProbeModelInfo, ProbeRequest, ProbeResponse } from '../../workers/probeProtocol';

const info: ProbeModelInfo = {
  runnable: true,
  runtime: 'onnxruntime-web',
  input: { name: 'x', height: 8, width: 8, channels: 3, layout: 'NCHW' },
  layers: [{ tensor: 'conv1.weight', op: 'Conv', outChannels: 4 }],
};
const result: ProbeLayerResult = { tensor: 'conv1.weight', definition: 'conv unfold', rank: 2, sigma: Float64Array.of(2, 1), aggregates: Float64Array.of(0.5, -0.5) };
const batch = { data: new Float32Array(3 * 8 * 8), shape: [1, 3, 8, 8] };
const files = [{ name: 'm.onnx', blob: new Blob([]) }];

type Fake = FakeWorker<ProbeRequest, ProbeResponse>;
const spawnWith = (behave: (w: Fake, r: ProbeRequest) => void) => spawnFake<ProbeRequest, ProbeResponse>(behave);
const spawned = () => spawnedFakes<ProbeRequest, ProbeResponse>();

describe('probe client', () => {
  it('opens, runs with progress routed by request id, and returns the layers', async () => {
    const client = createProbeClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', info });
        if (r.kind === 'run') {
          w.reply({ id: r.id, kind: 'progress', done: 0, total: 2, stage: 'singular vectors of conv1.weight' });
          w.reply({ id: r.id + 100, kind: 'progress', done: 9, total: 9, stage: 'someone else' });
          w.reply({ id: r.id, kind: 'progress', done: 1, total: 2, stage: 'running inputs 1–1 of 1' });
          w.reply({ id: r.id, kind: 'result', layers: [result] });
        }
      }),
    );
    expect(await client.open(files)).toEqual(info);
    const stages: string[] = [];
    const layers = await client.run(batch, { layers: ['conv1.weight'], aggregate: 'max', onProgress: (p) => stages.push(`${p.done}/${p.total} ${p.stage}`) });
    expect(layers).toEqual([result]);
    expect(stages).toEqual(['0/2 singular vectors of conv1.weight', '1/2 running inputs 1–1 of 1']);
    const run = spawned().at(-1)?.received.find((r) => r.kind === 'run');
    expect(run).toMatchObject({ kind: 'run', layers: ['conv1.weight'], aggregate: 'max', batch });
  });

  it('rebuilds the worker’s coded errors', async () => {
    const client = createProbeClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', info });
        if (r.kind === 'run') {
          w.reply({ id: r.id, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_INPUT_SHAPE', message: 'expected [N, 3, 8, 8] (NCHW), got [1, 3, 9, 9]', remedy: 'Resize.' } });
        }
      }),
    );
    await client.open(files);
    await expect(client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean' })).rejects.toMatchObject({ name: 'ProbeError', code: 'PROBE_INPUT_SHAPE', remedy: 'Resize.' });
  });

  it('a crashed worker rejects with PROBE_WORKER_CRASHED; the next run starts a new worker and reopens the model', async () => {
    FakeWorker.spawned = [];
    let crashNext = true;
    const client = createProbeClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', info });
        if (r.kind === 'run') {
          if (crashNext) {
            crashNext = false;
            w.crash('out of memory');
          } else w.reply({ id: r.id, kind: 'result', layers: [result] });
        }
      }),
    );
    await client.open(files);
    await expect(client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean' })).rejects.toMatchObject({ code: 'PROBE_WORKER_CRASHED', message: expect.stringContaining('out of memory') });
    expect(spawned()[0]?.terminated).toBe(true);
    expect(await client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean' })).toEqual([result]);
    expect(spawned()).toHaveLength(2);
    expect(spawned()[1]?.received.map((r) => r.kind)).toEqual(['open', 'run']);
    expect(spawned()[1]?.received[0]).toMatchObject({ kind: 'open', files });
  });

  it('abort sends a cancel naming the run; the worker’s PROBE_CANCELLED rejects it', async () => {
    FakeWorker.spawned = [];
    const client = createProbeClient(
      spawnWith((w, r) => {
        if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', info });
        if (r.kind === 'cancel') w.reply({ id: r.target, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe run was cancelled.' } });
      }),
    );
    await client.open(files);
    const controller = new AbortController();
    const running = client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean', signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'PROBE_CANCELLED' });
    const sent = spawned()[0]?.received ?? [];
    expect(sent.find((r) => r.kind === 'cancel')).toMatchObject({ target: sent.find((r) => r.kind === 'run')?.id });
    const aborted = new AbortController();
    aborted.abort();
    await expect(client.run(batch, { layers: [], aggregate: 'mean', signal: aborted.signal })).rejects.toMatchObject({ code: 'PROBE_CANCELLED' });
  });

  it('a worker that does not stop is terminated after a grace period; the run rejects as cancelled and the next one reopens', async () => {
    vi.useFakeTimers();
    try {
      FakeWorker.spawned = [];
      const client = createProbeClient(
        spawnWith((w, r) => {
          if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', info });
          if (r.kind === 'run' && spawned().length > 1) w.reply({ id: r.id, kind: 'result', layers: [result] });
        }),
      );
      await client.open(files);
      const controller = new AbortController();
      const running = client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean', signal: controller.signal });
      const outcome = running.catch((e: unknown) => e);
      await Promise.resolve();
      controller.abort();
      await vi.advanceTimersByTimeAsync(2500);
      expect(await outcome).toMatchObject({ code: 'PROBE_CANCELLED' });
      expect(spawned()[0]?.terminated).toBe(true);
      expect(await client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean' })).toEqual([result]);
      expect(spawned()[1]?.received.map((r) => r.kind)).toEqual(['open', 'run']);
    } finally {
      vi.useRealTimers();
    }
  });
});
