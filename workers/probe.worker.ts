/**
 * The probe worker: a thin dispatcher over `workers/probe` (probeProtocol.ts). It holds the open model's runtime
 * session (onnxruntime-web or tfjs) and its cached singular directions; only plain data and typed arrays cross
 * back, their buffers transferred.
 */
import type { ProbeRequest, ProbeResponse } from './probeProtocol';
import { isProbeRequest } from './probe/probeGuards';
import { openProbeModel } from './probe/openProbeModel';
import { ProbeError } from './probe/probeErrors';
import type { ProbeSession } from './probe/probeSession';
import { WORKER_RUNTIMES } from './probe/workerRuntimes';
import { toSerializedError } from './serializeError';

declare const self: DedicatedWorkerGlobalScope;

let session: ProbeSession | null = null;
/** Requests cancelled by message (checked between chunks). */
const cancelled = new Set<number>();

function post(message: ProbeResponse, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function handleOpen(request: Extract<ProbeRequest, { kind: 'open' }>): Promise<void> {
  // The previous session stays until the new model has opened: a bad file leaves the worker as it was.
  const opened = await openProbeModel(request.files, WORKER_RUNTIMES);
  session?.dispose();
  session = opened;
  post({ id: request.id, kind: 'opened', info: opened.info });
}

async function handleRun(request: Extract<ProbeRequest, { kind: 'run' }>): Promise<void> {
  const { id } = request;
  if (!session) throw new ProbeError('PROBE_NOT_RUNNABLE', 'No model is open in the probe worker.', { remedy: 'Open a model before running probes.' });
  try {
    const layers = await session.run(request.batch, request.layers, request.aggregate, {
      shouldCancel: () => cancelled.has(id),
      onProgress: (done, total, stage) => post({ id, kind: 'progress', done, total, stage }),
    });
    post({ id, kind: 'result', layers }, layers.flatMap((l) => [l.sigma.buffer as ArrayBuffer, l.aggregates.buffer as ArrayBuffer]));
  } finally {
    cancelled.delete(id);
  }
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const request = event.data;
  if (!isProbeRequest(request)) return;
  if (request.kind === 'cancel') {
    cancelled.add(request.target);
    return;
  }
  const work = request.kind === 'open' ? handleOpen(request) : handleRun(request);
  work.catch((error: unknown) => post({ id: request.id, kind: 'error', error: toSerializedError(error) }));
});
