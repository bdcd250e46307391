/**
 * A pool of analysis workers behind the `AnalysisClient` interface: each worker opens the model itself (only
 * headers are read; posting a `File` copies no bytes) and the layers are handed out one at a time to whichever
 * worker is free, so a whole-model scan uses every core. Progress is reported for the pool as a whole.
 */
import type { AnalysisClient, AnalyzeOptions, ScanProgress } from './analysisClient';
import { createAnalysisClient, defaultAnalysisWorker } from './analysisClient';

/** How many workers to start: the cores the browser reports, at least 1, at most `max`. */
export function poolSize(hardwareConcurrency: number | undefined, max = 8): number {
  return Math.max(1, Math.min(max, Math.floor(hardwareConcurrency ?? 1)));
}

/** A pool over the given clients (the first one answers `open`). */
export function createAnalysisPool(clients: readonly AnalysisClient[]): AnalysisClient {
  if (clients.length === 0) throw new RangeError('createAnalysisPool: no clients');
  return {
    async open(files) {
      const [info] = await Promise.all(clients.map((c) => c.open(files)));
      return info as NonNullable<typeof info>;
    },

    async analyze(tensors, options: AnalyzeOptions = {}) {
      const { signal, onProgress, onLayer, settings } = options;
      const queue = [...tensors];
      const total = tensors.length;
      let done = 0;
      let cancelled = false;
      // Each worker's current layer and fraction, for one combined progress line.
      const current = new Map<number, ScanProgress>();
      const report = () => {
        const busy = [...current.values()];
        const fraction = busy.reduce((s, p) => s + p.fraction, 0);
        const tensor = busy[0]?.tensor ?? '';
        onProgress?.({ done, total, tensor: busy.length > 1 ? `${tensor} (+${busy.length - 1} in parallel)` : tensor, fraction: Math.min(1, fraction) });
      };
      const run = async (worker: AnalysisClient, index: number): Promise<void> => {
        while (!cancelled && queue.length > 0 && !signal?.aborted) {
          const name = queue.shift() as string;
          current.set(index, { done, total, tensor: name, fraction: 0 });
          report();
          const result = await worker.analyze([name], {
            ...(signal ? { signal } : {}),
            ...(settings ? { settings } : {}),
            onProgress: (p) => {
              current.set(index, { ...p, tensor: name });
              report();
            },
            onLayer: (layer) => onLayer?.(layer),
          });
          current.delete(index);
          if (result.cancelled) {
            cancelled = true;
            return;
          }
          done++;
          report();
        }
      };
      await Promise.all(clients.map((c, i) => run(c, i)));
      return { cancelled: cancelled || (signal?.aborted ?? false) };
    },

    vectors(tensor, k, settings) {
      return (clients[0] as AnalysisClient).vectors(tensor, k, settings);
    },

    exportLowRank(plan, options) {
      return (clients[0] as AnalysisClient).exportLowRank(plan, options);
    },

    diff(filesA, filesB, options) {
      return (clients[0] as AnalysisClient).diff(filesA, filesB, options);
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
