/**
 * Where HDF5 runs, behind one async interface (`Hdf5Host`):
 *
 * - {@link workerHdf5Host}: in a worker of its own, with a watchdog. WebAssembly cannot be interrupted, and a
 *   damaged HDF5 file can make the library loop forever (seen in fuzzing: a global-heap object length that
 *   wraps). So every request has a time limit scaled by its size; when it runs out, or when the engine
 *   reports a trap (`poisoned`), the worker is terminated and a fresh one (a freshly instantiated h5wasm) is
 *   started for the next request. Files open in the old worker are gone: their reads fail with `lost`, and
 *   the reader reopens the file once and retries.
 * - {@link inProcessHdf5Host}: in the calling thread, for Node (tests, scripts) where no Web Worker exists.
 *   No watchdog: a looping file hangs the caller, and after a trap the engine refuses further files.
 */
import type { Hdf5Engine } from './h5wasmEngine';
import { h5wasmEngine } from './h5wasmEngine';
import { createHdf5Dispatcher } from './hdf5Dispatch';
import type { Hdf5Request, Hdf5Response } from './hdf5Protocol';
import { isHdf5Response } from './hdf5Protocol';
import type { Hdf5Problem, Hdf5Snapshot, SnapshotOptions } from './hdf5Snapshot';
import { Hdf5Failure } from './hdf5Snapshot';

/** An open file: its id in the engine, and which engine instance (a respawned worker starts a new generation). */
export interface Hdf5Handle {
  readonly id: number;
  readonly generation: number;
}

/** HDF5, wherever it runs. Every method rejects with {@link Hdf5Failure} only. */
export interface Hdf5Host {
  /** Hand over `bytes` (transferred: the caller must not use them afterwards), open and walk the file. */
  open(bytes: Uint8Array, options: SnapshotOptions): Promise<{ handle: Hdf5Handle; snapshot: Hdf5Snapshot }>;
  /** Read a dataset, whole, as little-endian bytes; `byteLength` (its expected size) scales the time limit. */
  read(handle: Hdf5Handle, path: string, byteLength: number): Promise<Uint8Array>;
  /** Close a file (fire and forget). */
  close(handle: Hdf5Handle): void;
}

/** Each member of a union without its `id`. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A request before it gets its id. */
type Body = WithoutId<Hdf5Request>;

/** Send a request, get its response (failures are responses too). */
type Channel = (body: Body, transfer: ArrayBuffer[], timeLimitMs: number) => Promise<{ response: Hdf5Response; generation: number }>;

/** Turn a channel into a host: unwrap responses, fail stale handles, throw problems. */
function hostOver(channel: Channel, currentGeneration: () => number, limits: Hdf5TimeLimits): Hdf5Host {
  const fail = (problem: Hdf5Problem): never => {
    throw new Hdf5Failure(problem);
  };
  const unexpected = (response: Hdf5Response): never =>
    fail(response.kind === 'failed' ? response.problem : { reason: 'crashed', detail: `unexpected reply "${response.kind}" from the HDF5 engine` });
  return {
    async open(bytes, options) {
      // A view would clone its whole buffer: send a buffer of exactly the file, and move it rather than copy it.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      const { response, generation } = await channel({ kind: 'open', bytes: own, options }, [own.buffer as ArrayBuffer], limits.openMs(own.length));
      if (response.kind !== 'opened') return unexpected(response);
      return { handle: { id: response.handle, generation }, snapshot: response.snapshot };
    },
    async read(handle, path, byteLength) {
      if (handle.generation !== currentGeneration()) fail({ reason: 'lost', detail: 'the HDF5 engine was restarted since the file was opened' });
      const { response } = await channel({ kind: 'read', handle: handle.id, path }, [], limits.readMs(byteLength));
      if (response.kind !== 'data') return unexpected(response);
      return response.bytes;
    },
    close(handle) {
      if (handle.generation !== currentGeneration()) return;
      // Closing cannot fail in a way the caller could act on.
      channel({ kind: 'close', handle: handle.id }, [], limits.readMs(0)).catch(() => undefined);
    },
  };
}

/** A time limit for messages: `1.5 s`, `30 s`. */
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

/** Time limits in milliseconds for a request of a given size in bytes. */
export interface Hdf5TimeLimits {
  openMs(fileBytes: number): number;
  readMs(datasetBytes: number): number;
}

/**
 * Generous limits: a healthy open walks metadata only (milliseconds for real Keras files), a healthy read
 * is a copy or an inflate (≥ 100 MB/s). Opening a 2 GiB file may take 30 s + 43 s, reading 1 GiB 15 s + 54 s.
 */
export const DEFAULT_TIME_LIMITS: Hdf5TimeLimits = {
  openMs: (bytes) => 30_000 + bytes / 50_000,
  readMs: (bytes) => 15_000 + bytes / 20_000,
};

/** A started worker, as the host needs it (a Web Worker or, in tests, a Node worker thread, adapted). */
export interface Hdf5WorkerPort {
  postMessage(message: Hdf5Request, transfer: ArrayBuffer[]): void;
  /** Receive its messages, and hear when it dies (an uncaught error, a failed load). */
  listen(onMessage: (data: unknown) => void, onError: (message: string) => void): void;
  terminate(): void;
}

/** The timer functions of every JavaScript host (declared here: `src/formats` has no DOM or Node types). */
interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}
const timers = globalThis as unknown as Timers;

/**
 * HDF5 in a worker started by `spawn` (lazily, and again after a timeout or a trap), with time limits.
 *
 * @param spawn starts a worker running hdf5.worker.ts (or an equivalent)
 * @param limits time limit per request; a request over its limit fails with `timeout` and ends the worker
 */
export function workerHdf5Host(spawn: () => Hdf5WorkerPort, limits: Hdf5TimeLimits = DEFAULT_TIME_LIMITS): Hdf5Host {
  let port: Hdf5WorkerPort | null = null;
  let generation = 0;
  let nextId = 1;
  const pending = new Map<number, { port: Hdf5WorkerPort; settle: (response: Hdf5Response) => void }>();

  /** Terminate a worker; its other requests fail with `lost` (their files went with it). */
  const retire = (dead: Hdf5WorkerPort, why: Hdf5Problem) => {
    dead.terminate();
    if (port === dead) {
      port = null;
      generation++;
    }
    for (const [id, entry] of pending) {
      if (entry.port !== dead) continue;
      pending.delete(id);
      entry.settle({ id, kind: 'failed', problem: why, poisoned: false });
    }
  };

  const ensurePort = (): Hdf5WorkerPort => {
    if (port) return port;
    const started = spawn();
    started.listen(
      (data) => {
        if (!isHdf5Response(data)) return;
        const entry = pending.get(data.id);
        if (!entry || entry.port !== started) return;
        pending.delete(data.id);
        entry.settle(data);
        if (data.kind === 'failed' && data.poisoned) retire(started, { reason: 'lost', detail: 'the HDF5 engine crashed on another file' });
      },
      (message) => retire(started, { reason: 'crashed', detail: `the HDF5 worker stopped${message ? `: ${message}` : ''}` }),
    );
    port = started;
    return started;
  };

  const channel: Channel = (body, transfer, timeLimitMs) =>
    new Promise((resolve) => {
      const target = ensurePort();
      const atGeneration = generation;
      const id = nextId++;
      const timer = timers.setTimeout(() => {
        if (!pending.has(id)) return;
        pending.delete(id);
        resolve({
          response: { id, kind: 'failed', poisoned: true, problem: { reason: 'timeout', detail: `HDF5 did not finish within ${seconds(timeLimitMs)}` } },
          generation: atGeneration,
        });
        retire(target, { reason: 'lost', detail: 'the HDF5 engine was restarted after another file timed out' });
      }, timeLimitMs);
      pending.set(id, {
        port: target,
        settle: (response) => {
          timers.clearTimeout(timer);
          resolve({ response, generation: atGeneration });
        },
      });
      try {
        target.postMessage({ ...body, id } as Hdf5Request, transfer);
      } catch (error) {
        pending.delete(id);
        timers.clearTimeout(timer);
        resolve({ response: { id, kind: 'failed', poisoned: false, problem: { reason: 'crashed', detail: `could not send to the HDF5 worker: ${String(error)}` } }, generation: atGeneration });
      }
    });

  return hostOver(channel, () => generation, limits);
}

/**
 * HDF5 in the calling thread (Node, where no Web Worker exists): the engine is loaded on first use.
 * No time limits (a synchronous wasm loop cannot be interrupted in its own thread).
 */
export function inProcessHdf5Host(loadEngine: () => Promise<Hdf5Engine> = h5wasmEngine): Hdf5Host {
  const dispatch = createHdf5Dispatcher(loadEngine);
  let nextId = 1;
  const channel: Channel = async (body) => ({ response: (await dispatch({ ...body, id: nextId++ } as Hdf5Request)).response, generation: 0 });
  return hostOver(channel, () => 0, DEFAULT_TIME_LIMITS);
}
