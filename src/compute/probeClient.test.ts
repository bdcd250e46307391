import { FakeWorker, spawnFake, spawnedFakes } from './testing/fakeWorker';
import { describe, expect, it, vi } from 'vitest';
import { createProbeClient } from './probeClient';
import type { ProbeLayerResult, ProbeLowRankEffect, ProbeModelInfo, ProbeRequest, ProbeResponse, ProbeResponses, WeightEdit } from '../../workers/probeProtocol';

const info: ProbeModelInfo = {
  runnable: true,
  runtime: 'onnxruntime-web',
  input: { name: 'x', height: 8, width: 8, channels: 3, layout: 'NCHW' },
  layers: [{ tensor: 'conv1.weight', op: 'Conv', outChannels: 4 }],
};
const result: ProbeLayerResult = { tensor: 'conv1.weight', definition: 'conv unfold', rank: 2, sigma: Float64Array.of(2, 1), aggregates: Float64Array.of(0.5, -0.5) };
const batch = { data: new Float32Array(3 * 8 * 8), shape: [1, 3, 8, 8] };
const responses: ProbeResponses = {
  tensor: 'conv1.weight',
  stage: 'post',
  postOp: 'Relu',
  outHeight: 8,
  outWidth: 8,
  row: 4,
  col: 4,
  channels: Float32Array.of(0, 1, 2, 3),
  directions: Float64Array.of(0.5, -0.5),
  sigma: Float64Array.of(2, 1),
};
const files = [{ name: 'm.onnx', blob: new Blob([]) }];

type Fake = FakeWorker<ProbeRequest, ProbeResponse>;
/** A fake worker that opens the model (`info`) and leaves every other request to `behave`. */
const spawnWith = (behave: (w: Fake, r: ProbeRequest) => void) =>
  spawnFake<ProbeRequest, ProbeResponse>((w, r) => {
    if (r.kind === 'open') w.reply({ id: r.id, kind: 'opened', info });
    else behave(w, r);
  });
/** A probe client over `spawnWith(behave)`. */
const clientWith = (behave: (w: Fake, r: ProbeRequest) => void) => createProbeClient(spawnWith(behave));
/** A client whose worker answers each `kind` request with `replies(id)`, in order (progress, replies to other ids, the answer). */
const clientAnswering = (kind: ProbeRequest['kind'], replies: (id: number) => ProbeResponse[]) =>
  clientWith((w, r) => {
    if (r.kind === kind) for (const reply of replies(r.id)) w.reply(reply);
  });
const spawned = () => spawnedFakes<ProbeRequest, ProbeResponse>();

describe('probe client', () => {
  it('opens, runs with progress routed by request id, and returns the layers', async () => {
    const client = clientAnswering('run', (id) => [
      { id, kind: 'progress', done: 0, total: 2, stage: 'singular vectors of conv1.weight' },
      { id: id + 100, kind: 'progress', done: 9, total: 9, stage: 'someone else' },
      { id, kind: 'progress', done: 1, total: 2, stage: 'running inputs 1–1 of 1' },
      { id, kind: 'result', layers: [result] },
    ]);
    expect(await client.open(files)).toEqual(info);
    const stages: string[] = [];
    const layers = await client.run(batch, { layers: ['conv1.weight'], aggregate: 'max', onProgress: (p) => stages.push(`${p.done}/${p.total} ${p.stage}`) });
    expect(layers).toEqual([result]);
    expect(stages).toEqual(['0/2 singular vectors of conv1.weight', '1/2 running inputs 1–1 of 1']);
    const run = spawned().at(-1)?.received.find((r) => r.kind === 'run');
    expect(run).toMatchObject({ kind: 'run', layers: ['conv1.weight'], aggregate: 'max', batch });
  });

  it('respond: sends layer, stage and directions, routes progress, and returns the responses', async () => {
    FakeWorker.spawned = [];
    const client = clientAnswering('respond', (id) => [
      { id, kind: 'progress', done: 0, total: 1, stage: 'running inputs 1–1 of 1' },
      { id: id + 100, kind: 'responses', result: { ...responses, tensor: 'someone else' } },
      { id, kind: 'responses', result: responses },
    ]);
    await client.open(files);
    const stages: string[] = [];
    const result = await client.respond(batch, { layer: 'conv1.weight', stage: 'post', directions: true, onProgress: (p) => stages.push(`${p.done}/${p.total} ${p.stage}`) });
    expect(result).toEqual(responses);
    expect(stages).toEqual(['0/1 running inputs 1–1 of 1']);
    expect(spawned()[0]?.received.find((r) => r.kind === 'respond')).toMatchObject({ kind: 'respond', batch, layer: 'conv1.weight', stage: 'post', directions: true });
  });

  it('respond: PROBE_NO_ACTIVATION arrives coded; abort sends a cancel naming the request', async () => {
    FakeWorker.spawned = [];
    const client = clientWith((w, r) => {
      if (r.kind === 'respond' && r.stage === 'post') {
        w.reply({ id: r.id, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_NO_ACTIVATION', message: 'Layer "conv1.weight" has no post-activation to read', remedy: 'Use the pre-activation' } });
      }
      if (r.kind === 'cancel') w.reply({ id: r.target, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe run was cancelled.' } });
    });
    await client.open(files);
    await expect(client.respond(batch, { layer: 'conv1.weight', stage: 'post', directions: false })).rejects.toMatchObject({ code: 'PROBE_NO_ACTIVATION', remedy: 'Use the pre-activation' });
    const controller = new AbortController();
    const running = client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: false, signal: controller.signal });
    await Promise.resolve();
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'PROBE_CANCELLED' });
    const sent = spawned()[0]?.received ?? [];
    expect(sent.find((r) => r.kind === 'cancel')).toMatchObject({ target: sent.filter((r) => r.kind === 'respond').at(-1)?.id });
  });

  it('respond after a crash starts a new worker and reopens the model first', async () => {
    FakeWorker.spawned = [];
    let crashNext = true;
    const client = clientWith((w, r) => {
      if (r.kind === 'respond') {
        if (crashNext) {
          crashNext = false;
          w.crash('out of memory');
        } else w.reply({ id: r.id, kind: 'responses', result: responses });
      }
    });
    await client.open(files);
    await expect(client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: true })).rejects.toMatchObject({ code: 'PROBE_WORKER_CRASHED' });
    expect(await client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: true })).toEqual(responses);
    expect(spawned()[1]?.received.map((r) => r.kind)).toEqual(['open', 'respond']);
  });

  it('rebuilds the worker’s coded errors', async () => {
    const client = clientAnswering('run', (id) => [
      { id, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_INPUT_SHAPE', message: 'expected [N, 3, 8, 8] (NCHW), got [1, 3, 9, 9]', remedy: 'Resize.' } },
    ]);
    await client.open(files);
    await expect(client.run(batch, { layers: ['conv1.weight'], aggregate: 'mean' })).rejects.toMatchObject({ name: 'ProbeError', code: 'PROBE_INPUT_SHAPE', remedy: 'Resize.' });
  });

  it('a crashed worker rejects with PROBE_WORKER_CRASHED; the next run starts a new worker and reopens the model', async () => {
    FakeWorker.spawned = [];
    let crashNext = true;
    const client = clientWith((w, r) => {
      if (r.kind === 'run') {
        if (crashNext) {
          crashNext = false;
          w.crash('out of memory');
        } else w.reply({ id: r.id, kind: 'result', layers: [result] });
      }
    });
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
    const client = clientWith((w, r) => {
      if (r.kind === 'cancel') w.reply({ id: r.target, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe run was cancelled.' } });
    });
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
      const client = clientWith((w, r) => {
        if (r.kind === 'run' && spawned().length > 1) w.reply({ id: r.id, kind: 'result', layers: [result] });
      });
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

  describe('circuit editing', () => {
    const zero: WeightEdit = { tensor: 'conv1.weight', op: 'scale', outUnits: [1], inUnits: 'all', sign: 'negative', factor: 0 };
    const replace: WeightEdit = { tensor: 'conv1.weight', op: 'replace', outUnit: 0, kernel: Float32Array.of(1, 2, 3) };
    /** A worker that answers the editing requests; `crash` makes its next `respond` crash it. */
    const editingWorker = (state: { crash: boolean }) =>
      spawnWith((w, r) => {
        if (r.kind === 'edit') {
          if (r.edits.some((e) => e.op === 'scale' && e.factor < 0)) {
            w.reply({ id: r.id, kind: 'error', error: { name: 'ProbeError', code: 'PROBE_BAD_EDIT', message: 'no negative factors here' } });
          } else w.reply({ id: r.id, kind: 'edited', tensors: r.edits.length > 0 ? ['conv1.weight'] : [] });
        }
        if (r.kind === 'weights') w.reply({ id: r.id, kind: 'weights', tensor: r.tensor, shape: [4, 1, 1, 1], layout: 'OIHW', values: Float32Array.of(1, 0, 3, 0) });
        if (r.kind === 'export') w.reply({ id: r.id, kind: 'exported', name: `m.edited.${r.format}`, blob: new Blob(['x']) });
        if (r.kind === 'respond') {
          if (state.crash) {
            state.crash = false;
            w.crash('out of memory');
          } else w.reply({ id: r.id, kind: 'responses', result: responses });
        }
      });

    it('weights, edit and exportModel send their requests and return the answers', async () => {
      FakeWorker.spawned = [];
      const client = createProbeClient(editingWorker({ crash: false }));
      await client.open(files);
      expect(await client.weights('conv1.weight')).toEqual({ tensor: 'conv1.weight', shape: [4, 1, 1, 1], layout: 'OIHW', values: Float32Array.of(1, 0, 3, 0) });
      expect(await client.edit([zero, replace])).toEqual(['conv1.weight']);
      expect(await client.exportModel('safetensors')).toMatchObject({ name: 'm.edited.safetensors', blob: expect.any(Blob) });
      const sent = spawned()[0]?.received ?? [];
      expect(sent.map((r) => r.kind)).toEqual(['open', 'weights', 'edit', 'export']);
      expect(sent[2]).toMatchObject({ kind: 'edit', edits: [zero, { ...replace, kernel: Float32Array.of(1, 2, 3) }] });
      expect(sent[3]).toMatchObject({ kind: 'export', format: 'safetensors' });
      await expect(client.edit([{ ...zero, factor: -1 }])).rejects.toMatchObject({ code: 'PROBE_BAD_EDIT' });
    });

    it('a replacement worker gets the model and then the last accepted edit list again, before the next request', async () => {
      FakeWorker.spawned = [];
      const state = { crash: false };
      const client = createProbeClient(editingWorker(state));
      await client.open(files);
      const kernel = Float32Array.of(1, 2, 3);
      await client.edit([zero, { ...replace, kernel }]);
      // Changing the caller's array afterwards does not change what is resent.
      kernel[0] = 99;
      // A rejected list does not replace the accepted one.
      await expect(client.edit([{ ...zero, factor: -1 }])).rejects.toMatchObject({ code: 'PROBE_BAD_EDIT' });
      state.crash = true;
      await expect(client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: false })).rejects.toMatchObject({ code: 'PROBE_WORKER_CRASHED' });
      expect(await client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: false })).toEqual(responses);
      const second = spawned()[1]?.received ?? [];
      expect(second.map((r) => r.kind)).toEqual(['open', 'edit', 'respond']);
      expect(second[1]).toMatchObject({ kind: 'edit', edits: [zero, { ...replace, kernel: Float32Array.of(1, 2, 3) }] });
    });

    it('edit([]) and opening another model clear the list a replacement worker gets', async () => {
      FakeWorker.spawned = [];
      const state = { crash: false };
      const client = createProbeClient(editingWorker(state));
      await client.open(files);
      await client.edit([zero]);
      await client.edit([]);
      state.crash = true;
      await expect(client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: false })).rejects.toMatchObject({ code: 'PROBE_WORKER_CRASHED' });
      await client.weights('conv1.weight');
      expect(spawned()[1]?.received.map((r) => r.kind)).toEqual(['open', 'weights']);
      await client.edit([zero]);
      await client.open([{ name: 'other.onnx', blob: new Blob([]) }]);
      state.crash = true;
      await expect(client.respond(batch, { layer: 'conv1.weight', stage: 'pre', directions: false })).rejects.toMatchObject({ code: 'PROBE_WORKER_CRASHED' });
      await client.exportModel('onnx');
      expect(spawned()[2]?.received.map((r) => r.kind)).toEqual(['open', 'export']);
      expect(spawned()[2]?.received[0]).toMatchObject({ kind: 'open', files: [{ name: 'other.onnx' }] });
    });
  });
  describe('low-rank what-if', () => {
    const effect: ProbeLowRankEffect = {
      before: { name: 'logits', dims: [2], width: 2, values: Float32Array.of(1, 0) },
      after: { name: 'logits', dims: [2], width: 2, values: Float32Array.of(0.5, 0.25) },
      layers: [{ tensor: 'conv1.weight', k: 1, fullRank: 4, energyKept: 0.8, relativeError: Math.sqrt(0.2) }],
    };
    const zero: WeightEdit = { tensor: 'conv1.weight', op: 'scale', outUnits: [1], inUnits: 'all', sign: 'all', factor: 0 };

    it('sends the batch and layers, routes progress by id, and returns both outputs', async () => {
      FakeWorker.spawned = [];
      const client = clientAnswering('lowRankEffect', (id) => [
        { id, kind: 'progress', done: 0, total: 4, stage: 'as the model runs now: inputs 1–1 of 1' },
        { id: id + 100, kind: 'lowRankEffect', result: { ...effect, layers: [] } },
        { id, kind: 'lowRankEffect', result: effect },
      ]);
      await client.open(files);
      const stages: string[] = [];
      const layers = [{ tensor: 'conv1.weight', k: 1 }, { tensor: 'fc.weight', energy: 0.9 }];
      expect(await client.lowRankEffect(batch, { layers, onProgress: (p) => stages.push(`${p.done}/${p.total} ${p.stage}`) })).toEqual(effect);
      expect(stages).toEqual(['0/4 as the model runs now: inputs 1–1 of 1']);
      expect(spawned()[0]?.received.find((r) => r.kind === 'lowRankEffect')).toMatchObject({ kind: 'lowRankEffect', batch, layers });
    });

    it('abort sends a cancel; a worker restarted to stop it comes back with the edit list, not the truncation', async () => {
      vi.useFakeTimers();
      try {
        FakeWorker.spawned = [];
        const client = clientWith((w, r) => {
          if (r.kind === 'edit') w.reply({ id: r.id, kind: 'edited', tensors: ['conv1.weight'] });
          if (r.kind === 'lowRankEffect' && spawned().length > 1) w.reply({ id: r.id, kind: 'lowRankEffect', result: effect });
        });
        await client.open(files);
        await client.edit([zero]);
        const controller = new AbortController();
        const outcome = client.lowRankEffect(batch, { layers: [{ tensor: 'conv1.weight', k: 1 }], signal: controller.signal }).catch((e: unknown) => e);
        await Promise.resolve();
        controller.abort();
        await vi.advanceTimersByTimeAsync(2500);
        expect(await outcome).toMatchObject({ code: 'PROBE_CANCELLED' });
        const first = spawned()[0];
        expect(first?.received.find((r) => r.kind === 'cancel')).toMatchObject({ target: first?.received.find((r) => r.kind === 'lowRankEffect')?.id });
        expect(first?.terminated).toBe(true);
        expect(await client.lowRankEffect(batch, { layers: [{ tensor: 'conv1.weight', k: 1 }] })).toEqual(effect);
        const second = spawned()[1]?.received ?? [];
        expect(second.map((r) => r.kind)).toEqual(['open', 'edit', 'lowRankEffect']);
        expect(second[1]).toMatchObject({ kind: 'edit', edits: [zero] });
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
