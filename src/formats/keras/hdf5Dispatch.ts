/**
 * The HDF5 worker's one function: answer an {@link Hdf5Request} with the engine (after `workers/` in STYLE.md
 * §1.4: a thin dispatcher, errors returned as data). Shared by the browser worker (hdf5.worker.ts), the
 * in-process host and the Node test worker.
 */
import type { Hdf5Engine } from './h5wasmEngine';
import { h5wasmEngine } from './h5wasmEngine';
import type { Hdf5Request, Hdf5Response } from './hdf5Protocol';
import { Hdf5Failure } from './hdf5Snapshot';

/** A response and the buffers to transfer with it. */
export interface Hdf5Reply {
  readonly response: Hdf5Response;
  readonly transfer: ArrayBuffer[];
}

/** A dispatcher over the engine `loadEngine` gives (by default this thread's h5wasm engine). */
export function createHdf5Dispatcher(loadEngine: () => Promise<Hdf5Engine> = h5wasmEngine): (request: Hdf5Request) => Promise<Hdf5Reply> {
  return async (request) => {
    const { id } = request;
    let engine: Hdf5Engine;
    try {
      engine = await loadEngine();
    } catch (error) {
      const detail = `could not start h5wasm: ${error instanceof Error ? error.message : String(error)}`;
      return { response: { id, kind: 'failed', problem: { reason: 'unavailable', detail }, poisoned: true }, transfer: [] };
    }
    try {
      switch (request.kind) {
        case 'open': {
          const { handle, snapshot } = engine.open(request.bytes, request.options);
          return { response: { id, kind: 'opened', handle, snapshot }, transfer: [] };
        }
        case 'read': {
          const bytes = engine.read(request.handle, request.path);
          return { response: { id, kind: 'data', bytes }, transfer: [bytes.buffer as ArrayBuffer] };
        }
        case 'close':
          engine.close(request.handle);
          return { response: { id, kind: 'closed' }, transfer: [] };
      }
    } catch (error) {
      // An Hdf5Failure is an expected outcome; anything else is a bug, and ends this engine to be safe.
      const known = error instanceof Hdf5Failure;
      const problem = known ? error.problem : { reason: 'crashed' as const, detail: error instanceof Error ? error.message : String(error) };
      return { response: { id, kind: 'failed', problem, poisoned: engine.poisoned || !known }, transfer: [] };
    }
  };
}
