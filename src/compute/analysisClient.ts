/**
 * Main-thread client of the analysis worker: request ids, progress and layer callbacks, cancellation
 * through an AbortSignal, and recovery from a crashed worker (it is respawned and the model reopened).
 */
import type { ModelInfo } from '../model/types';
import type { AnalysisRequest, AnalysisResponse, AnalysisSettings, FileEntry, LayerResult, SerializedError, SingularVectorsResult } from '../../workers/protocol';
import { isAnalysisResponse } from '../../workers/protocol';

/** An error reported by the worker (or about it), with the stable code the UI shows. */
export class AnalysisError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly remedy?: string;
  readonly context?: string;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name === 'Error' ? 'AnalysisError' : error.name;
    this.code = error.code;
    this.file = error.file;
    this.remedy = error.remedy;
    this.context = error.context;
  }
  toSerialized(): SerializedError {
    return { name: this.name, code: this.code, message: this.message, file: this.file, remedy: this.remedy, context: this.context };
  }
}

export interface ScanProgress {
  readonly done: number;
  readonly total: number;
  readonly tensor: string;
  readonly fraction: number;
}

export interface AnalyzeOptions {
  readonly signal?: AbortSignal;
  /** Conv definition, MP fit, filters (defaults: WeightWatcher's). */
  readonly settings?: AnalysisSettings;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly onLayer?: (result: LayerResult) => void;
}

export interface AnalysisClient {
  open(files: readonly FileEntry[]): Promise<ModelInfo>;
  /** Resolves `{ cancelled }` when the scan ends; rejects with AnalysisError on failure. */
  analyze(tensors: readonly string[], options?: AnalyzeOptions): Promise<{ cancelled: boolean }>;
  /** The top `k` singular triplets of one tensor of the open model (dense: as stored; conv: its unfold matrix). */
  vectors(tensor: string, k: number, settings?: AnalysisSettings): Promise<SingularVectorsResult>;
  dispose(): void;
}

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = Distributive<AnalysisRequest>;

interface Pending {
  readonly onMessage: (message: AnalysisResponse) => void;
  readonly onCrash: (error: AnalysisError) => void;
}

/** How long a cancelled scan may take to stop before the worker is terminated. */
const CANCEL_GRACE_MS = 2000;

export function defaultAnalysisWorker(): Worker {
  return new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
}

export function createAnalysisClient(spawn: () => Worker = defaultAnalysisWorker): AnalysisClient {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** The files of the open model, so a respawned worker can reopen it. */
  let openFiles: readonly FileEntry[] | null = null;
  let needsReopen = false;

  const crashAll = (error: AnalysisError) => {
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
      if (!isAnalysisResponse(message)) return;
      pending.get(message.id)?.onMessage(message);
    });
    w.addEventListener('error', (event) => {
      event.preventDefault();
      crashAll(
        new AnalysisError({
          name: 'WorkerError',
          code: 'WORKER_CRASHED',
          message: `The analysis worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`,
          remedy: 'Try again; the worker is restarted automatically. If it keeps happening, the layer may be too large for this browser.',
        }),
      );
    });
    worker = w;
    return w;
  };

  /** Send one request and route its responses to `onMessage` until it settles. */
  const send = (body: RequestBody, handlers: Omit<Pending, 'onMessage'> & { onMessage: (m: AnalysisResponse, settle: () => void) => void }) => {
    const id = nextId++;
    const w = ensureWorker();
    pending.set(id, {
      onCrash: handlers.onCrash,
      onMessage: (m) => handlers.onMessage(m, () => pending.delete(id)),
    });
    w.postMessage({ ...body, id } as AnalysisRequest);
    return id;
  };

  const rawOpen = (files: readonly FileEntry[]) =>
    new Promise<ModelInfo>((resolve, reject) => {
      send(
        { kind: 'open', files },
        {
          onCrash: reject,
          onMessage: (m, settle) => {
            if (m.kind === 'opened') {
              settle();
              resolve(m.model);
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

    async vectors(tensor, k, settings) {
      if (needsReopen && openFiles) {
        await rawOpen(openFiles);
        needsReopen = false;
      }
      return new Promise<SingularVectorsResult>((resolve, reject) => {
        send(
          { kind: 'vectors', tensor, k, ...(settings ? { settings } : {}) },
          {
            onCrash: reject,
            onMessage: (m, settle) => {
              if (m.kind === 'vectors') {
                settle();
                resolve(m.result);
              } else if (m.kind === 'error') {
                settle();
                reject(new AnalysisError(m.error));
              }
            },
          },
        );
      });
    },

    async analyze(tensors, options = {}) {
      if (needsReopen && openFiles) {
        await rawOpen(openFiles);
        needsReopen = false;
      }
      const { signal, onProgress, onLayer, settings } = options;
      if (signal?.aborted) return { cancelled: true };
      const shared = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
      const cancelFlag = shared ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
      return new Promise<{ cancelled: boolean }>((resolve, reject) => {
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
          { kind: 'analyze', tensors, ...(settings ? { settings } : {}), ...(cancelFlag ? { cancelFlag } : {}) },
          {
            onCrash: (error) => finish(() => reject(error)),
            onMessage: (m, settle) => {
              if (m.kind === 'progress') onProgress?.(m);
              else if (m.kind === 'layer') onLayer?.(m.result);
              else if (m.kind === 'done') {
                settle();
                finish(() => resolve({ cancelled: m.cancelled }));
              } else if (m.kind === 'error') {
                settle();
                finish(() => reject(new AnalysisError(m.error)));
              }
            },
          },
        );
        function onAbort() {
          if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
          worker?.postMessage({ id: nextId++, kind: 'cancel', target: id } satisfies AnalysisRequest);
          // Last resort: a worker stuck in a long computation is terminated and respawned on next use.
          graceTimer = setTimeout(() => {
            pending.delete(id);
            worker?.terminate();
            worker = null;
            needsReopen = openFiles !== null;
            finish(() => resolve({ cancelled: true }));
          }, CANCEL_GRACE_MS);
        }
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },

    dispose() {
      worker?.terminate();
      worker = null;
      pending.clear();
    },
  };
}
