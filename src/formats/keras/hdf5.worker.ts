/**
 * The HDF5 worker: h5wasm in a thread of its own, so that a damaged file that makes HDF5 loop or crash costs
 * a terminated worker (hdf5Host.ts respawns it), never a stuck analysis worker. Started by defaultHdf5Host.ts
 * from inside the analysis worker (a nested module worker, bundled by Vite through `new Worker(new URL(…))`).
 * Requests are answered one at a time, in order.
 */
import { createHdf5Dispatcher } from './hdf5Dispatch';
import { isHdf5Request } from './hdf5Protocol';

/** The two worker-global functions used (declared here: `src/formats` is typechecked without the WebWorker lib). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const dispatch = createHdf5Dispatcher();
let queue: Promise<void> = Promise.resolve();

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (!isHdf5Request(request)) return;
  queue = queue.then(async () => {
    const { response, transfer } = await dispatch(request);
    scope.postMessage(response, transfer);
  });
});
