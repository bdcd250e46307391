/**
 * An HDF5 host for Node tests that works like the browser's: h5wasm in a worker thread (nodeHdf5WorkerEntry.ts),
 * with workerHdf5Host's time limits and respawning. `dispose()` ends every thread it started.
 */
import { Worker } from 'node:worker_threads';
import type { Hdf5Host, Hdf5TimeLimits, Hdf5WorkerPort } from '../hdf5Host';
import { workerHdf5Host } from '../hdf5Host';

/** A test host and a count of the worker threads it started. */
export interface NodeHdf5Host extends Hdf5Host {
  /** How many workers were started so far (a respawn adds one). */
  spawned(): number;
  dispose(): Promise<void>;
}

export function nodeHdf5Host(limits?: Hdf5TimeLimits): NodeHdf5Host {
  const live = new Set<Worker>();
  let spawned = 0;
  const spawn = (): Hdf5WorkerPort => {
    const worker = new Worker(new URL('./nodeHdf5Worker.mjs', import.meta.url), {
      workerData: { entry: new URL('./nodeHdf5WorkerEntry.ts', import.meta.url).href },
    });
    worker.unref();
    spawned++;
    live.add(worker);
    let terminated = false;
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      listen(onMessage, onError) {
        worker.on('message', onMessage);
        worker.on('error', (error) => onError(error.message));
        worker.on('exit', (code) => {
          live.delete(worker);
          if (!terminated) onError(`the worker thread exited with code ${code}`);
        });
      },
      terminate: () => {
        terminated = true;
        void worker.terminate();
      },
    };
  };
  const host = workerHdf5Host(spawn, limits);
  return {
    open: (bytes, options) => host.open(bytes, options),
    read: (handle, path, byteLength) => host.read(handle, path, byteLength),
    close: (handle) => host.close(handle),
    spawned: () => spawned,
    dispose: async () => {
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}
