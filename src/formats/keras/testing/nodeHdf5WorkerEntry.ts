/**
 * The Node twin of hdf5.worker.ts, for tests: the same dispatcher behind a `worker_threads` port, so the
 * watchdog, respawn and transfer paths of workerHdf5Host run for real (a damaged file that makes HDF5 loop
 * ends in a terminated thread, not a stuck test run).
 */
import { parentPort } from 'node:worker_threads';
import { createHdf5Dispatcher } from '../hdf5Dispatch';
import { isHdf5Request } from '../hdf5Protocol';

const port = parentPort;
if (!port) throw new Error('nodeHdf5WorkerEntry.ts must run in a worker thread');
const dispatch = createHdf5Dispatcher();
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: unknown) => {
  if (!isHdf5Request(request)) return;
  queue = queue.then(async () => {
    const { response, transfer } = await dispatch(request);
    port.postMessage(response, transfer);
  });
});
