/**
 * Main-thread client of the probe worker (`workers/probe.worker.ts`): request ids, progress callbacks,
 * cancellation through an AbortSignal, and recovery from a crashed worker (PROBE_WORKER_CRASHED; the next call
 * starts a new worker and reopens the model). Errors arrive as {@link AnalysisError}s with the worker's codes:
 * PROBE_NOT_RUNNABLE, PROBE_INPUT_SHAPE, PROBE_NO_SUCH_LAYER, PROBE_RUN_FAILED, PROBE_CANCELLED,
 * PROBE_NO_ACTIVATION (`respond` with stage 'post' on a layer without a nonlinearity), PROBE_BAD_EDIT and
 * PROBE_EXPORT_UNSUPPORTED (circuit editing), or the format reader's (UNKNOWN_FORMAT, …) from `open`.
 *
 * The low-rank what-if (issue 9): `lowRankEffect` runs the inputs to the model's outputs before and after truncating
 * chosen layers; the worker restores its edits itself, and a worker restarted to stop it comes back with the client's
 * edit list, so the truncation never stays in force.
 *
 * Circuit editing (issue 8, part 5): the client keeps the last edit list the worker accepted, and a replacement
 * worker gets it again right after the model is reopened, so a crash never silently drops the edits.
 */
import type { FileEntry } from '../../workers/protocol';
import type {
  LowRankLayer,
  ProbeAggregate,
  ProbeBatch,
  ProbeExportFormat,
  ProbeLayerResult,
  ProbeLowRankEffect,
  ProbeModelInfo,
  ProbeRequest,
  ProbeResponse,
  ProbeResponses,
  ProbeStage,
  ProbeWeights,
  WeightEdit,
} from '../../workers/probeProtocol';
import { isProbeResponse } from '../../workers/probe/probeGuards';
import { AnalysisError } from './analysisError';
import type { WithoutId } from './workerChannel';
import { createWorkerChannel } from './workerChannel';

export { AnalysisError } from './analysisError';

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

export interface ProbeRespondOptions {
  /** A tensor name from `ProbeModelInfo.layers`. */
  readonly layer: string;
  /** 'pre': the layer's output; 'post': the output of the nonlinearity after it (PROBE_NO_ACTIVATION if none). */
  readonly stage: ProbeStage;
  /** Also return Uᵀ(a − b) of the pre-activation at the read-out position, and σ. */
  readonly directions: boolean;
  /** Aborting rejects with PROBE_CANCELLED, as for `run`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProbeProgress) => void;
}

export interface ProbeLowRankOptions {
  /** The layers to truncate (tensor names from `ProbeModelInfo.layers`), each at rank k or at an energy fraction. */
  readonly layers: readonly LowRankLayer[];
  /** Aborting rejects with PROBE_CANCELLED, as for `run`; the worker's edits are restored either way. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ProbeProgress) => void;
}

export interface ProbeClient {
  /** Open a model for probes (replacing the previous one); a weights-only model resolves with `runnable: false`. */
  open(files: readonly FileEntry[]): Promise<ProbeModelInfo>;
  /** Run the batch through the open model; per requested layer, σ and the N × rank aggregates. */
  run(batch: ProbeBatch, options: ProbeRunOptions): Promise<ProbeLayerResult[]>;
  /**
   * Each unit's response to each input of the batch at the position over the image centre (issue 8; see
   * `ProbeResponses`): one layer, its channels before or after its nonlinearity, optionally its singular directions.
   */
  respond(batch: ProbeBatch, options: ProbeRespondOptions): Promise<ProbeResponses>;
  /** A probe-able layer's weight as the model runs now: the file's values with the current edits (a fresh copy). */
  weights(tensor: string): Promise<ProbeWeights>;
  /**
   * Run with `edits` from now on: the COMPLETE list (applied in order to the file's values), replacing the previous
   * one; `[]` restores the file's weights. Resolves with the tensors that now differ from the file. A rejected list
   * (PROBE_BAD_EDIT, PROBE_NO_SUCH_LAYER) leaves the previous one in force. Opening another model clears the edits.
   */
  edit(edits: readonly WeightEdit[]): Promise<string[]>;
  /**
   * The model with the current edits as a file to download: 'onnx' (ONNX models only, else
   * PROBE_EXPORT_UNSUPPORTED) or 'safetensors' (every float tensor as F32, edits in the metadata).
   */
  exportModel(format: ProbeExportFormat): Promise<{ name: string; blob: Blob }>;
  /**
   * The low-rank what-if on the model's outputs (issue 9): the batch's outputs with the current edits (`before`) and
   * with `layers` replaced by their rank-k truncation on top of them (`after`), each input's first
   * PROBE_OUTPUT_VALUES_CAP values; the current edits are in force again when it settles.
   */
  lowRankEffect(batch: ProbeBatch, options: ProbeLowRankOptions): Promise<ProbeLowRankEffect>;
  dispose(): void;
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
  const channel = createWorkerChannel<ProbeRequest, ProbeResponse>({
    spawn,
    isResponse: isProbeResponse,
    crashError: (detail) =>
      new AnalysisError({
        name: 'WorkerError',
        code: 'PROBE_WORKER_CRASHED',
        message: `The probe worker stopped unexpectedly${detail}.`,
        remedy: 'Try again; the worker is restarted automatically. If it keeps happening, the model or the batch may be too large for this browser.',
      }),
  });
  const rawOpen = async (files: readonly FileEntry[]) => (await channel.request({ kind: 'open', files }, 'opened')).info;
  /** The last edit list the worker accepted for the open model. */
  let edits: readonly WeightEdit[] = [];
  /** Reopen the model in a replacement worker, with the current edits. */
  const reopen = async (files: readonly FileEntry[]) => {
    await rawOpen(files);
    if (edits.length > 0) await channel.request({ kind: 'edit', edits }, 'edited');
  };
  /** Before a request on the open model: reopen it first when the worker was replaced. */
  const ready = async () => {
    const reopening = channel.reopenIfNeeded(reopen);
    if (reopening) await reopening;
  };

  /** A long request on the open model (`run`, `respond`, `lowRankEffect`): reopen after a respawn, stream progress, cancel on abort. */
  const streamingRun = async <T>(
    body: WithoutId<ProbeRequest>,
    signal: AbortSignal | undefined,
    onProgress: ((progress: ProbeProgress) => void) | undefined,
    resultOf: (message: ProbeResponse) => T | undefined,
  ): Promise<T> => {
    if (signal?.aborted) throw cancelledError();
    await ready();
    return channel.streaming<T>(body, {
      signal,
      onMessage: (m) => {
        if (m.kind === 'progress') onProgress?.({ done: m.done, total: m.total, stage: m.stage });
        const value = resultOf(m);
        return value === undefined ? undefined : { value };
      },
      cancel: (target) => ({ kind: 'cancel', target }),
      graceMs: CANCEL_GRACE_MS,
      // A model run in progress cannot be interrupted: the worker is restarted and the run rejected.
      afterGrace: { error: cancelledError() },
      dropError: new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe worker was restarted to stop a cancelled run; try again.' }),
    });
  };

  return {
    async open(files) {
      const info = await rawOpen(files);
      channel.opened(files);
      edits = [];
      return info;
    },

    run(batch, { layers, aggregate, signal, onProgress }) {
      return streamingRun<ProbeLayerResult[]>({ kind: 'run', batch, layers, aggregate }, signal, onProgress, (m) => (m.kind === 'result' ? [...m.layers] : undefined));
    },

    respond(batch, { layer, stage, directions, signal, onProgress }) {
      return streamingRun<ProbeResponses>({ kind: 'respond', batch, layer, stage, directions }, signal, onProgress, (m) => (m.kind === 'responses' ? m.result : undefined));
    },

    lowRankEffect(batch, { layers, signal, onProgress }) {
      return streamingRun<ProbeLowRankEffect>({ kind: 'lowRankEffect', batch, layers }, signal, onProgress, (m) => (m.kind === 'lowRankEffect' ? m.result : undefined));
    },

    async weights(tensor) {
      await ready();
      const { id: _id, kind: _kind, ...weights } = await channel.request({ kind: 'weights', tensor }, 'weights');
      return weights;
    },

    async edit(list) {
      await ready();
      // Kernels are copied: the list is resent after a worker restart, whatever the caller does with its arrays.
      const copy = list.map((e) => (e.op === 'replace' ? { ...e, kernel: e.kernel.slice() } : e));
      const { tensors } = await channel.request({ kind: 'edit', edits: copy }, 'edited');
      edits = copy;
      return [...tensors];
    },

    async exportModel(format) {
      await ready();
      const { name, blob } = await channel.request({ kind: 'export', format }, 'exported');
      return { name, blob };
    },

    dispose() {
      channel.dispose();
      edits = [];
    },
  };
}
