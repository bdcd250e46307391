/**
 * The HDF5 host the Keras reader uses unless told otherwise: a worker of its own wherever Web Workers exist
 * (the browser, including inside the analysis worker: nested dedicated workers are supported by Chromium,
 * Firefox and Safari ≥ 15.5), else the calling thread (Node). One host per thread, created on first use.
 */
import type { Hdf5Host, Hdf5WorkerPort } from './hdf5Host';
import { inProcessHdf5Host, workerHdf5Host } from './hdf5Host';
import type { Hdf5Request } from './hdf5Protocol';

// `src/formats` is typechecked without DOM or WebWorker types; these are the pieces used here. The
// `new Worker(new URL('…', import.meta.url), …)` expression below must stay literal: Vite finds the worker
// entry by that pattern and bundles it (with h5wasm) as a chunk of its own.
interface BrowserWorker {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: { readonly message?: string; preventDefault(): void }) => void): void;
  terminate(): void;
}
declare const Worker: new (url: object, options: { type: 'module'; name: string }) => BrowserWorker;
declare const URL: new (url: string, base: string) => object;
declare global {
  interface ImportMeta {
    url: string;
  }
}

/** Start hdf5.worker.ts as a module worker. */
function spawnHdf5Worker(): Hdf5WorkerPort {
  const worker = new Worker(new URL('./hdf5.worker.ts', import.meta.url), { type: 'module', name: 'hdf5' });
  return {
    postMessage: (message: Hdf5Request, transfer: ArrayBuffer[]) => worker.postMessage(message, transfer),
    listen(onMessage, onError) {
      worker.addEventListener('message', (event) => onMessage(event.data));
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        onError(event.message ?? '');
      });
    },
    terminate: () => worker.terminate(),
  };
}

let host: Hdf5Host | null = null;

/** This thread's default HDF5 host. */
export function defaultHdf5Host(): Hdf5Host {
  host ??= typeof Worker === 'function' ? workerHdf5Host(spawnHdf5Worker) : inProcessHdf5Host();
  return host;
}
