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
import { AnalysisError } from './analysisError';
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

export interface ProbeClient {
  /** Open a model for probes (replacing the previous one); a weights-only model resolves with `runnable: false`. */
  open(files: readonly FileEntry[]): Promise<ProbeModelInfo>;
  /** Run the batch through the open model; per requested layer, σ and the N × rank aggregates. */
  run(batch: ProbeBatch, options: ProbeRunOptions): Promise<ProbeLayerResult[]>;
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

  return {
    async open(files) {
      const info = await rawOpen(files);
      channel.opened(files);
      return info;
    },

    async run(batch, { layers, aggregate, signal, onProgress }) {
      if (signal?.aborted) throw cancelledError();
      const reopening = channel.reopenIfNeeded(rawOpen);
      if (reopening) await reopening;
      return channel.streaming<ProbeLayerResult[]>(
        { kind: 'run', batch, layers, aggregate },
        {
          signal,
          onMessage: (m) => {
            if (m.kind === 'progress') onProgress?.({ done: m.done, total: m.total, stage: m.stage });
            else if (m.kind === 'result') return { value: [...m.layers] };
            return undefined;
          },
          cancel: (target) => ({ kind: 'cancel', target }),
          graceMs: CANCEL_GRACE_MS,
          // A model run in progress cannot be interrupted: the worker is restarted and the run rejected.
          afterGrace: { error: cancelledError() },
          dropError: new AnalysisError({ name: 'ProbeError', code: 'PROBE_CANCELLED', message: 'The probe worker was restarted to stop a cancelled run; try again.' }),
        },
      );
    },

    dispose() {
      channel.dispose();
    },
  };
}
