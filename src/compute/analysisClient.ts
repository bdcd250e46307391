/**
 * Main-thread client of the analysis worker: request ids, progress and layer callbacks, cancellation
 * through an AbortSignal, and recovery from a crashed worker (it is respawned and the model reopened).
 */
import type { ModelInfo } from '../model/types';
import type { AnalysisRequest, AnalysisResponse, AnalysisSettings, FileEntry, LayerResult, SingularVectorsResult } from '../../workers/protocol';
import { isAnalysisResponse } from '../../workers/protocol';
import { AnalysisError } from './analysisError';
import { createWorkerChannel } from './workerChannel';

export { AnalysisError } from './analysisError';

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

/** How long a cancelled scan may take to stop before the worker is terminated. */
const CANCEL_GRACE_MS = 2000;

export function defaultAnalysisWorker(): Worker {
  return new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' });
}

export function createAnalysisClient(spawn: () => Worker = defaultAnalysisWorker): AnalysisClient {
  const channel = createWorkerChannel<AnalysisRequest, AnalysisResponse>({
    spawn,
    isResponse: isAnalysisResponse,
    crashError: (detail) =>
      new AnalysisError({
        name: 'WorkerError',
        code: 'WORKER_CRASHED',
        message: `The analysis worker stopped unexpectedly${detail}.`,
        remedy: 'Try again; the worker is restarted automatically. If it keeps happening, the layer may be too large for this browser.',
      }),
  });
  const rawOpen = async (files: readonly FileEntry[]) => (await channel.request({ kind: 'open', files }, 'opened')).model;

  return {
    async open(files) {
      const info = await rawOpen(files);
      channel.opened(files);
      return info;
    },

    async vectors(tensor, k, settings) {
      const reopening = channel.reopenIfNeeded(rawOpen);
      if (reopening) await reopening;
      return (await channel.request({ kind: 'vectors', tensor, k, ...(settings ? { settings } : {}) }, 'vectors')).result;
    },

    async analyze(tensors, options = {}) {
      const reopening = channel.reopenIfNeeded(rawOpen);
      if (reopening) await reopening;
      const { signal, onProgress, onLayer, settings } = options;
      if (signal?.aborted) return { cancelled: true };
      const shared = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
      const cancelFlag = shared ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
      return channel.streaming<{ cancelled: boolean }>(
        { kind: 'analyze', tensors, ...(settings ? { settings } : {}), ...(cancelFlag ? { cancelFlag } : {}) },
        {
          signal,
          onMessage: (m) => {
            if (m.kind === 'progress') onProgress?.(m);
            else if (m.kind === 'layer') onLayer?.(m.result);
            else if (m.kind === 'done') return { value: { cancelled: m.cancelled } };
            return undefined;
          },
          cancel: (target) => ({ kind: 'cancel', target }),
          onAbort: () => {
            if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
          },
          graceMs: CANCEL_GRACE_MS,
          afterGrace: { value: { cancelled: true } },
          dropError: new AnalysisError({ name: 'WorkerError', code: 'CANCELLED', message: 'The analysis worker was restarted to stop a cancelled scan.' }),
        },
      );
    },

    dispose() {
      channel.dispose();
    },
  };
}
