/**
 * The worker host: time limits, respawn after a timeout, a trap or a dead worker, stale handles, and the
 * reader's transparent reopen. First with scripted fake workers, then with real h5wasm worker threads and a
 * file that makes HDF5 loop forever.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { namedFile } from '../testing/memoryBlob';
import type { Hdf5WorkerPort } from './hdf5Host';
import { workerHdf5Host } from './hdf5Host';
import type { Hdf5Request, Hdf5Response } from './hdf5Protocol';
import { Hdf5Failure } from './hdf5Snapshot';
import { openKeras } from './openKeras';
import type { LayerSpec } from './testing/buildKeras';
import { buildKeras2 } from './testing/buildKeras';
import { nodeHdf5Host } from './testing/nodeHdf5Host';
import { loopingGlobalHeap } from './testing/patchHdf5';

const OPTIONS = { attributeNames: [], maxObjects: 10, maxDepth: 4 };
const FAST = { openMs: () => 100, readMs: () => 100 };

/** A fake worker answering each request with `reply` (no answer: `null`). */
function fakeWorkers(reply: (request: Hdf5Request, worker: number) => Hdf5Response | null) {
  const started: { terminated: boolean; requests: Hdf5Request[] }[] = [];
  const spawn = (): Hdf5WorkerPort => {
    const index = started.length;
    const state = { terminated: false, requests: [] as Hdf5Request[] };
    started.push(state);
    let deliver: (data: unknown) => void = () => undefined;
    return {
      postMessage(message) {
        state.requests.push(message);
        const response = reply(message, index);
        if (response) queueMicrotask(() => deliver(response));
      },
      listen(onMessage) {
        deliver = onMessage;
      },
      terminate() {
        state.terminated = true;
      },
    };
  };
  return { spawn, started };
}

const opened = (id: number, handle = 1): Hdf5Response => ({ id, kind: 'opened', handle, snapshot: { objects: [] } });
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof Hdf5Failure ? error.problem.reason : error));

describe('workerHdf5Host with scripted workers', () => {
  it('moves the file bytes to the worker instead of copying them', async () => {
    const transfers: ArrayBuffer[][] = [];
    const host = workerHdf5Host(() => ({
      postMessage: (m, transfer) => transfers.push(transfer),
      listen: (onMessage) => queueMicrotask(() => onMessage(opened(1))),
      terminate: () => undefined,
    }));
    const bytes = new Uint8Array(16);
    await host.open(bytes, OPTIONS);
    expect(transfers[0]).toEqual([bytes.buffer]);
  });

  it('a request over its time limit fails with timeout, ends the worker, and the next request gets a new one', async () => {
    const { spawn, started } = fakeWorkers((request, worker) => (request.kind === 'open' && worker > 0 ? opened(request.id, 7) : null));
    const host = workerHdf5Host(spawn, FAST);
    expect(await failure(host.open(new Uint8Array(4), OPTIONS))).toBe('timeout');
    expect(started.map((s) => s.terminated)).toEqual([true]);
    const { handle } = await host.open(new Uint8Array(4), OPTIONS);
    expect(handle).toEqual({ id: 7, generation: 1 });
    expect(started).toHaveLength(2);
  });

  it('a poisoned engine is replaced, and handles into it fail with lost without a request', async () => {
    let poison = false;
    const { spawn, started } = fakeWorkers((request) => {
      if (request.kind === 'open') return opened(request.id);
      if (poison) return { id: request.id, kind: 'failed', poisoned: true, problem: { reason: 'crashed', detail: 'memory access out of bounds' } };
      return { id: request.id, kind: 'data', bytes: new Uint8Array(4) };
    });
    const host = workerHdf5Host(spawn, FAST);
    const a = await host.open(new Uint8Array(4), OPTIONS);
    const b = await host.open(new Uint8Array(4), OPTIONS);
    expect(await host.read(a.handle, '/x', 4)).toHaveLength(4);
    poison = true;
    expect(await failure(host.read(a.handle, '/x', 4))).toBe('crashed');
    expect(started[0]?.terminated).toBe(true);
    const before = started[0]?.requests.length;
    expect(await failure(host.read(b.handle, '/x', 4))).toBe('lost');
    expect(started[0]?.requests.length).toBe(before);
  });

  it('a worker that dies fails its pending requests with crashed', async () => {
    let die: (message: string) => void = () => undefined;
    const host = workerHdf5Host(() => ({
      postMessage: () => queueMicrotask(() => die('out of memory')),
      listen: (_onMessage, onError) => {
        die = onError;
      },
      terminate: () => undefined,
    }));
    const error = await host.open(new Uint8Array(4), OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Hdf5Failure);
    expect((error as Hdf5Failure).problem).toEqual({ reason: 'crashed', detail: 'the HDF5 worker stopped: out of memory' });
  });
});

describe('workerHdf5Host with h5wasm worker threads', () => {
  const host = nodeHdf5Host({ openMs: () => 1500, readMs: () => 1500 });
  afterAll(() => host.dispose());
  const LAYERS: LayerSpec[] = [{ name: 'dense', className: 'Dense', weights: [{ name: 'dense/kernel:0', shape: [3, 2], values: Float32Array.from([1, 2, 3, 4, 5, 6]) }] }];

  it('a file that makes HDF5 loop forever is stopped (BAD_HDF5), and a model opened earlier reopens itself on the new worker', async () => {
    const good = await buildKeras2(LAYERS, { vlenStrings: true });
    const model = await openKeras([namedFile('good.h5', good)], { host });
    const spawnedBefore = host.spawned();
    const start = performance.now();
    await expect(openKeras([namedFile('loop.h5', loopingGlobalHeap(good))], { host })).rejects.toMatchObject({
      code: 'BAD_HDF5',
      file: 'loop.h5',
      message: expect.stringContaining('HDF5 was stopped while opening it (HDF5 did not finish within 1.5 s'),
    });
    expect(performance.now() - start).toBeLessThan(4000);
    expect(Array.from(await (model.tensors[0]?.read() ?? Promise.reject()))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(host.spawned()).toBe(spawnedBefore + 1);
    model.dispose();
  });
});
