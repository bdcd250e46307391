/**
 * Main-thread client of the probe worker (`workers/probe.worker.ts`): request ids, progress callbacks,
 * cancellation through an AbortSignal, and recovery from a crashed worker (PROBE_WORKER_CRASHED; the next call
 * starts a new worker and reopens the model). Errors arrive as {@link AnalysisError}s with the worker's codes:
 * PROBE_NOT_RUNNABLE, PROBE_INPUT_SHAPE, PROBE_NO_SUCH_LAYER, PROBE_RUN_FAILED, PROBE_CANCELLED, or the format
 * reader's (UNKNOWN_FORMAT, …) from `open`.
 */
import type { FileEntry } from '../../workers/protocol';
import type { ProbeAggregate, ProbeBatch, ProbeLayerResult, ProbeModelInfo, ProbeRequest, ProbeResponse } from '../../workers/probeProtocol';
import { isProbeResponse } from '../../workers/probe/probeGuards';
import { AnalysisError } from './analysisClient';

export { AnalysisError } from './analysisClient';

/** Progress of a probe run: steps done of total (one per layer SVD, one per chunk of inputs), and what runs now. */
export interface ProbeProgress {
  readonly done: number;
  readonly total: number;
  readonly stage: string;
}

export interface ProbeRunOptions {
  /** Tensor names from `ProbeModelInfo.layers`. */
  readonly layers: readonly string[];
  readonly aggregate: ProbeAggregate;
  /** Aborting rejects the run with PROBE_CANCELLED (the worker stops between chunks, or is restarted). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProbeProgress) => void;
}

export interface ProbeClient {
  /** Open a model for probes (replacing the previous one); a weights-only model resolves with `runnable: false`. */
  open(files: readonly FileEntry[]): Promise<ProbeModelInfo>;
  /** Run the batch through the open model; per requested layer, σ and the N × rank aggregates. */
  run(batch: ProbeBatch, options: ProbeRunOptions): Promise<ProbeLayerResult[]>;
  dispose(): void;
}

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = Distributive<ProbeRequest>;

interface Pending {
  readonly onMessage: (message: ProbeResponse) => void;
  readonly onCrash: (error: AnalysisError) => void;
}

/** How long a cancelled run may take to stop (a model run in progress cannot be interrupted) before the worker is terminated. */
const CANCEL_GRACE_MS = 2000;

const cancelledError = () =>
  new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe run was cancelled.' });

export function defaultProbeWorker(): Worker {
  return new Worker(new URL('../../workers/probe.worker.ts', import.meta.url), { type: 'module', name: 'probe' });
}

/**
 * A client over one probe worker, started on first use.
 *
 * @param spawn starts a worker (tests pass a fake)
 */
export function createProbeClient(spawn: () => Worker = defaultProbeWorker): ProbeClient {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** The files of the open model, so a new worker can reopen it. */
  let openFiles: readonly FileEntry[] | null = null;
  let needsReopen = false;

  /** Drop the worker; whatever was pending hears `error`. The next call starts a new one. */
  const dropWorker = (error: AnalysisError) => {
    worker?.terminate();
    worker = null;
    needsReopen = openFiles !== null;
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) p.onCrash(error);
  };

  const ensureWorker = (): Worker => {
    if (worker) return worker;
    const w = spawn();
    w.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (w !== worker || !isProbeResponse(message)) return;
      pending.get(message.id)?.onMessage(message);
    });
    w.addEventListener('error', (event) => {
      event.preventDefault();
      if (w !== worker) return;
      dropWorker(
        new AnalysisError({
          name: 'WorkerError',
          code: 'PROBE_WORKER_CRASHED',
          message: `The probe worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`,
          remedy: 'Try again; the worker is restarted automatically. If it keeps happening, the model or the batch may be too large for this browser.',
        }),
      );
    });
    worker = w;
    return w;
  };

  /** Send one request and route its responses to `onMessage` until it settles. */
  const send = (body: RequestBody, handlers: { onCrash: Pending['onCrash']; onMessage: (m: ProbeResponse, settle: () => void) => void }) => {
    const id = nextId++;
    const w = ensureWorker();
    pending.set(id, { onCrash: handlers.onCrash, onMessage: (m) => handlers.onMessage(m, () => pending.delete(id)) });
    w.postMessage({ ...body, id } as ProbeRequest);
    return id;
  };

  const rawOpen = (files: readonly FileEntry[]) =>
    new Promise<ProbeModelInfo>((resolve, reject) => {
      send(
        { kind: 'open', files },
        {
          onCrash: reject,
          onMessage: (m, settle) => {
            if (m.kind === 'opened') {
              settle();
              resolve(m.info);
            } else if (m.kind === 'error') {
              settle();
              reject(new AnalysisError(m.error));
            }
          },
        },
      );
    });

  return {
    async open(files) {
      const info = await rawOpen(files);
      openFiles = files;
      needsReopen = false;
      return info;
    },

    async run(batch, { layers, aggregate, signal, onProgress }) {
      if (signal?.aborted) throw cancelledError();
      if (needsReopen && openFiles) {
        await rawOpen(openFiles);
        needsReopen = false;
      }
      return new Promise<ProbeLayerResult[]>((resolve, reject) => {
        let graceTimer: ReturnType<typeof setTimeout> | undefined;
        let settled = false;
        const finish = (fn: () => void) => {
          if (settled) return;
          settled = true;
          if (graceTimer !== undefined) clearTimeout(graceTimer);
          signal?.removeEventListener('abort', onAbort);
          fn();
        };
        const id = send(
          { kind: 'run', batch, layers, aggregate },
          {
            onCrash: (error) => finish(() => reject(error)),
            onMessage: (m, settle) => {
              if (m.kind === 'progress') onProgress?.({ done: m.done, total: m.total, stage: m.stage });
              else if (m.kind === 'result') {
                settle();
                finish(() => resolve([...m.layers]));
              } else if (m.kind === 'error') {
                settle();
                finish(() => reject(new AnalysisError(m.error)));
              }
            },
          },
        );
        function onAbort() {
          worker?.postMessage({ id: nextId++, kind: 'cancel', target: id } satisfies ProbeRequest);
          // Last resort: a worker stuck inside one model run is terminated; the next call starts a new one.
          graceTimer = setTimeout(() => {
            pending.delete(id);
            finish(() => reject(cancelledError()));
            dropWorker(
              new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe worker was restarted to stop a cancelled run; try again.' }),
            );
          }, CANCEL_GRACE_MS);
        }
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },

    dispose() {
      worker?.terminate();
      worker = null;
      pending.clear();
      openFiles = null;
      needsReopen = false;
    },
  };
}
