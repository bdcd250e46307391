/**
 * A pool of analysis workers behind the `AnalysisClient` interface: each worker opens the model itself (only
 * headers are read; posting a `File` copies no bytes) and the layers are handed out one at a time to whichever
 * worker is free, so a whole-model scan, or the ΔW of two models, uses every core. Progress is reported for the
 * pool as a whole.
 */
import type { DiffLayerResult, PlannedDiffLayer } from '../../workers/protocol';
import type { AnalysisClient, AnalyzeOptions, DiffOutcome, ScanProgress } from './analysisClient';
import { createAnalysisClient, defaultAnalysisWorker } from './analysisClient';

/** How many workers to start: the cores the browser reports, at least 1, at most `max`. */
export function poolSize(hardwareConcurrency: number | undefined, max = 8): number {
  return Math.max(1, Math.min(max, Math.floor(hardwareConcurrency ?? 1)));
}

/** One item's run on one worker: resolves whether it was cancelled; `onProgress` reports the item's own progress. */
type RunItem = (client: AnalysisClient, name: string, signal: AbortSignal, onProgress: (progress: ScanProgress) => void) => Promise<{ cancelled: boolean }>;

/**
 * Hand `names` out one at a time, in order, to whichever client is free, with one combined progress line. Stops
 * handing out when `signal` aborts or an item is cancelled; when an item fails, the items running elsewhere are
 * cancelled and the first error is thrown once every worker has stopped.
 */
async function shareQueue(clients: readonly AnalysisClient[], names: readonly string[], signal: AbortSignal | undefined, onProgress: ((progress: ScanProgress) => void) | undefined, runItem: RunItem): Promise<{ cancelled: boolean }> {
  const queue = [...names];
  const total = names.length;
  let done = 0;
  let cancelled = false;
  const failures: unknown[] = [];
  // Aborted by the caller's signal, or by a failure so the other workers stop too.
  const stop = new AbortController();
  const abort = () => stop.abort();
  if (signal?.aborted) stop.abort();
  else signal?.addEventListener('abort', abort, { once: true });
  // Each worker's current item and fraction, for one combined progress line.
  const current = new Map<number, ScanProgress>();
  const report = () => {
    const busy = [...current.values()];
    const fraction = busy.reduce((s, p) => s + p.fraction, 0);
    const tensor = busy[0]?.tensor ?? '';
    onProgress?.({ done, total, tensor: busy.length > 1 ? `${tensor} (+${busy.length - 1} in parallel)` : tensor, fraction: Math.min(1, fraction) });
  };
  const run = async (worker: AnalysisClient, index: number): Promise<void> => {
    while (!cancelled && queue.length > 0 && !stop.signal.aborted) {
      const name = queue.shift() as string;
      current.set(index, { done, total, tensor: name, fraction: 0 });
      report();
      try {
        const result = await runItem(worker, name, stop.signal, (p) => {
          current.set(index, { ...p, tensor: name });
          report();
        });
        if (result.cancelled) {
          cancelled = true;
          return;
        }
      } catch (error) {
        failures.push(error);
        stop.abort();
        return;
      } finally {
        current.delete(index);
      }
      done++;
      report();
    }
  };
  try {
    await Promise.all(clients.map((c, i) => run(c, i)));
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  if (failures.length > 0) throw failures[0];
  return { cancelled: cancelled || (signal?.aborted ?? false) };
}

/** Relative cost of one layer of a diff: the Grams of an N × M matrix take N·M·min(N, M) multiply-adds. */
const diffCost = (l: PlannedDiffLayer) => l.rows * l.cols * Math.min(l.rows, l.cols);

/** A pool over the given clients (the first one answers `open`, `vectors`, `exportLowRank` and plans a `diff`). */
export function createAnalysisPool(clients: readonly AnalysisClient[]): AnalysisClient {
  if (clients.length === 0) throw new RangeError('createAnalysisPool: no clients');
  const first = clients[0] as AnalysisClient;
  return {
    async open(files) {
      const [info] = await Promise.all(clients.map((c) => c.open(files)));
      return info as NonNullable<typeof info>;
    },

    analyze(tensors, options: AnalyzeOptions = {}) {
      const { signal, onProgress, onLayer, settings } = options;
      return shareQueue(clients, tensors, signal, onProgress, (worker, name, stop, onItemProgress) =>
        worker.analyze([name], { signal: stop, ...(settings ? { settings } : {}), onProgress: onItemProgress, onLayer: (layer) => onLayer?.(layer) }),
      );
    },

    vectors(tensor, k, settings) {
      return first.vectors(tensor, k, settings);
    },

    exportLowRank(plan, options) {
      return first.exportLowRank(plan, options);
    },

    /**
     * The layers are matched on the first worker (`planOnly`), then handed out one at a time, largest first, each
     * worker opening both models for its layer (headers only). Results are passed on in model A's order, as one
     * worker would give them (the ΔW table's order and its exports follow it); a cancelled or failed diff still
     * passes on the layers that finished.
     */
    async diff(filesA, filesB, options = {}) {
      if (clients.length === 1 || options.planOnly) return first.diff(filesA, filesB, options);
      const { signal, onProgress, onLayer, k, tensors } = options;
      const plan = await first.diff(filesA, filesB, { planOnly: true, ...(tensors ? { tensors } : {}), ...(signal ? { signal } : {}) });
      const outcome = (cancelled: boolean): DiffOutcome => ({ cancelled, notCompared: plan.notCompared, labels: plan.labels });
      if (plan.cancelled || signal?.aborted) return outcome(true);
      const planned = plan.planned ?? [];
      const position = new Map(planned.map((l, i) => [l.name, i]));
      const finished = new Map<number, DiffLayerResult>();
      let next = 0;
      const passOn = (all: boolean) => {
        for (; next < planned.length; next++) {
          const result = finished.get(next);
          if (!result && !all) return;
          if (result) onLayer?.(result);
          finished.delete(next);
        }
      };
      // Largest first, so a big layer (a 50257×768 embedding) never starts last while the other workers idle.
      const largestFirst = [...planned].sort((p, q) => diffCost(q) - diffCost(p)).map((l) => l.name);
      try {
        const { cancelled } = await shareQueue(clients, largestFirst, signal, onProgress, (worker, name, stop, onItemProgress) =>
          worker.diff(filesA, filesB, {
            ...(k !== undefined ? { k } : {}),
            tensors: [name],
            signal: stop,
            onProgress: onItemProgress,
            onLayer: (result) => {
              const at = position.get(result.tensor);
              if (at === undefined) return;
              finished.set(at, result);
              passOn(false);
            },
          }),
        );
        return outcome(cancelled);
      } finally {
        passOn(true);
      }
    },

    dispose() {
      for (const c of clients) c.dispose();
    },
  };
}

/** The app's pool: one worker per core the browser reports. */
export function createDefaultAnalysisPool(size = poolSize(globalThis.navigator?.hardwareConcurrency)): AnalysisClient {
  return createAnalysisPool(Array.from({ length: size }, () => createAnalysisClient(defaultAnalysisWorker)));
}
