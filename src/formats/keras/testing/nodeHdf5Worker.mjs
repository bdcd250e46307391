// Bootstrap of the Node test worker (nodeHdf5Host.ts): worker threads do not inherit vitest's TypeScript
// loader, so register tsx's and load the TypeScript entry named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
