/**
 * Main-thread client of the analysis worker: request ids, progress and layer callbacks, cancellation
 * through an AbortSignal, and recovery from a crashed worker (it is respawned and the model reopened).
 */
import type { ModelInfo } from '../model/types';
import type { AnalysisRequest, AnalysisResponse, AnalysisSettings, DiffLayerResult, FileEntry, LayerResult, LowRankLayerSummary, LowRankPlanEntry, NotCompared, PlannedDiffLayer, SingularVectorsResult } from '../../workers/protocol';
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

export interface DiffOptions {
  /** Singular directions compared per layer (default 10). */
  readonly k?: number;
  /** Compare only these tensors (default: every weight both models have with one shape). */
  readonly tensors?: readonly string[];
  /**
   * Only match the layers, computing nothing (no progress, no `onLayer`): the outcome's `planned` lists the layers a
   * diff with the same `tensors` compares. A pool plans on one worker, then hands the layers out one at a time.
   */
  readonly planOnly?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly onLayer?: (result: DiffLayerResult) => void;
}

/** How a diff ended: whether it was cancelled, the layers not compared (with why), the two models' labels. */
export interface DiffOutcome {
  readonly cancelled: boolean;
  readonly notCompared: readonly NotCompared[];
  readonly labels: readonly [string, string];
  /** For a `planOnly` diff that was not cancelled: the layers matched, model A's order, with their matrix sizes. */
  readonly planned?: readonly PlannedDiffLayer[];
}

/** A low-rank model written by `exportLowRank`. */
export interface LowRankFile {
  readonly name: string;
  readonly blob: Blob;
  readonly summary: readonly LowRankLayerSummary[];
  readonly notes: readonly string[];
}

export interface AnalysisClient {
  open(files: readonly FileEntry[]): Promise<ModelInfo>;
  /** Resolves `{ cancelled }` when the scan ends; rejects with AnalysisError on failure. */
  analyze(tensors: readonly string[], options?: AnalyzeOptions): Promise<{ cancelled: boolean }>;
  /** The top `k` singular triplets of one tensor of the open model (dense: as stored; conv: its unfold matrix). */
  vectors(tensor: string, k: number, settings?: AnalysisSettings): Promise<SingularVectorsResult>;
  /**
   * Compare model B with model A layer by layer (ΔW = W_b − W_a, workers/diffTensors.ts). Both are opened in the
   * worker for this request only; the model opened with `open` stays. Resolves when the diff ends (also when
   * cancelled through `signal`); rejects with AnalysisError when a model does not open (code, the file, remedy)
   * or the two have no layer in common (`NO_COMMON_LAYERS`).
   */
  diff(filesA: readonly FileEntry[], filesB: readonly FileEntry[], options?: DiffOptions): Promise<DiffOutcome>;
  /**
   * The open model with the planned layers replaced by their rank-k approximation, as a safetensors Blob
   * (workers/exportLowRank.ts); null when cancelled through `signal`. Rejects with AnalysisError (e.g. a bad plan).
   */
  exportLowRank(plan: readonly LowRankPlanEntry[], options: { readonly form: 'truncated' | 'factors'; readonly signal?: AbortSignal; readonly onProgress?: (progress: ScanProgress) => void }): Promise<LowRankFile | null>;
  dispose(): void;
}

/** How long a cancelled scan may take to stop before the worker is terminated. */
const CANCEL_GRACE_MS = 2000;

/** A shared Int32 cancel flag when the page is cross-origin isolated (checked inside numeric loops), else none. */
function sharedCancelFlag(): Int32Array | undefined {
  const shared = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true;
  return shared ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
}

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
      const cancelFlag = sharedCancelFlag();
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

    async exportLowRank(plan, { form, signal, onProgress }) {
      const reopening = channel.reopenIfNeeded(rawOpen);
      if (reopening) await reopening;
      if (signal?.aborted) return null;
      const cancelFlag = sharedCancelFlag();
      return channel.streaming<LowRankFile | null>(
        { kind: 'exportLowRank', plan, form, ...(cancelFlag ? { cancelFlag } : {}) },
        {
          signal,
          onMessage: (m) => {
            if (m.kind === 'progress') onProgress?.(m);
            else if (m.kind === 'exported') return { value: { name: m.name, blob: m.blob, summary: m.summary, notes: m.notes } };
            else if (m.kind === 'done' && m.cancelled) return { value: null };
            return undefined;
          },
          cancel: (target) => ({ kind: 'cancel', target }),
          onAbort: () => {
            if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
          },
          graceMs: CANCEL_GRACE_MS,
          afterGrace: { value: null },
          dropError: new AnalysisError({ name: 'WorkerError', code: 'CANCELLED', message: 'The analysis worker was restarted to stop a cancelled export.' }),
        },
      );
    },

    async diff(filesA, filesB, options = {}) {
      const { signal, onProgress, onLayer, k, tensors, planOnly } = options;
      const labels: readonly [string, string] = [filesA[0]?.name ?? '', filesB[0]?.name ?? ''];
      if (signal?.aborted) return { cancelled: true, notCompared: [], labels };
      const cancelFlag = sharedCancelFlag();
      return channel.streaming<DiffOutcome>(
        { kind: 'diff', filesA, filesB, ...(k !== undefined ? { k } : {}), ...(tensors ? { tensors } : {}), ...(planOnly ? { planOnly } : {}), ...(cancelFlag ? { cancelFlag } : {}) },
        {
          signal,
          onMessage: (m) => {
            if (m.kind === 'progress') onProgress?.(m);
            else if (m.kind === 'diffLayer') onLayer?.(m.result);
            else if (m.kind === 'diffDone') return { value: { cancelled: m.cancelled, notCompared: m.notCompared, labels: m.labels } };
            else if (m.kind === 'diffPlanned') return { value: { cancelled: false, notCompared: m.notCompared, labels: m.labels, planned: m.layers } };
            return undefined;
          },
          cancel: (target) => ({ kind: 'cancel', target }),
          onAbort: () => {
            if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
          },
          graceMs: CANCEL_GRACE_MS,
          afterGrace: { value: { cancelled: true, notCompared: [], labels } },
          dropError: new AnalysisError({ name: 'WorkerError', code: 'CANCELLED', message: 'The analysis worker was restarted to stop a cancelled diff.' }),
        },
      );
    },

    dispose() {
      channel.dispose();
    },
  };
}
