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

/** The open session, or PROBE_NOT_RUNNABLE. */
function openSession(): ProbeSession {
  if (!session) throw new ProbeError('PROBE_NOT_RUNNABLE', 'No model is open in the probe worker.', { remedy: 'Open a model before running probes.' });
  return session;
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
  const current = openSession();
  try {
    const layers = await current.run(request.batch, request.layers, request.aggregate, {
      shouldCancel: () => cancelled.has(id),
      onProgress: (done, total, stage) => post({ id, kind: 'progress', done, total, stage }),
    });
    post({ id, kind: 'result', layers }, layers.flatMap((l) => [l.sigma.buffer as ArrayBuffer, l.aggregates.buffer as ArrayBuffer]));
  } finally {
    cancelled.delete(id);
  }
}

async function handleRespond(request: Extract<ProbeRequest, { kind: 'respond' }>): Promise<void> {
  const { id } = request;
  const current = openSession();
  try {
    const result = await current.respond(
      request.batch,
      request.layer,
      { stage: request.stage, directions: request.directions },
      {
        shouldCancel: () => cancelled.has(id),
        onProgress: (done, total, stage) => post({ id, kind: 'progress', done, total, stage }),
      },
    );
    const buffers = [result.channels, result.directions, result.sigma].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
    post({ id, kind: 'responses', result }, buffers);
  } finally {
    cancelled.delete(id);
  }
}

/** The low-rank what-if (issue 9): the model's outputs before and after truncating layers; the session's edits restored. */
async function handleLowRankEffect(request: Extract<ProbeRequest, { kind: 'lowRankEffect' }>): Promise<void> {
  const { id } = request;
  const current = openSession();
  try {
    const result = await current.lowRankEffect(request.batch, request.layers, {
      shouldCancel: () => cancelled.has(id),
      onProgress: (done, total, stage) => post({ id, kind: 'progress', done, total, stage }),
    });
    post({ id, kind: 'lowRankEffect', result }, [result.before.values.buffer as ArrayBuffer, result.after.values.buffer as ArrayBuffer]);
  } finally {
    cancelled.delete(id);
  }
}

/** The circuit-editing requests (issue 8, part 5): a layer's current weight, the edit list, the edited model as a file. */
async function handleEditing(request: Extract<ProbeRequest, { kind: 'weights' | 'edit' | 'export' }>): Promise<void> {
  const { id } = request;
  const current = openSession();
  if (request.kind === 'weights') {
    const weights = await current.weights(request.tensor);
    post({ id, kind: 'weights', ...weights }, [weights.values.buffer as ArrayBuffer]);
  } else if (request.kind === 'edit') {
    post({ id, kind: 'edited', tensors: await current.edit(request.edits) });
  } else {
    const { name, blob } = await current.exportModel(request.format);
    post({ id, kind: 'exported', name, blob });
  }
}

function handle(request: Exclude<ProbeRequest, { kind: 'cancel' }>): Promise<void> {
  switch (request.kind) {
    case 'open':
      return handleOpen(request);
    case 'run':
      return handleRun(request);
    case 'respond':
      return handleRespond(request);
    case 'lowRankEffect':
      return handleLowRankEffect(request);
    default:
      return handleEditing(request);
  }
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  const request = event.data;
  if (!isProbeRequest(request)) return;
  if (request.kind === 'cancel') {
    cancelled.add(request.target);
    return;
  }
  handle(request).catch((error: unknown) => post({ id: request.id, kind: 'error', error: toSerializedError(error) }));
});
