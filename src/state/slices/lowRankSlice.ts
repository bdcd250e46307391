import type { StateCreator } from 'zustand/vanilla';
import type { LowRankFile, ScanProgress } from '../../compute/analysisClient';
import type { LowRankPlanEntry, SerializedError } from '../../../workers/protocol';
import type { AppState, StoreDeps } from '../appState';
import { toSerializedError } from '../toSerializedError';

/**
 * Writing the open model with chosen layers replaced by their rank-k approximation (issue 9, low-rank what-if):
 * the analysis worker streams a safetensors file (workers/exportLowRank.ts) that the page offers as a download.
 */
export interface LowRankSlice {
  lowRankExport: {
    status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
    progress: ScanProgress | null;
    /** What the last export wrote (not the bytes: they go to the download). */
    last: { readonly name: string; readonly bytes: number; readonly summary: LowRankFile['summary']; readonly notes: readonly string[] } | null;
    error: SerializedError | null;
  };
  /** Write the low-rank model; resolves with the file (null when cancelled or failed: see `lowRankExport`). */
  exportLowRankModel(plan: readonly LowRankPlanEntry[], form: 'truncated' | 'factors'): Promise<LowRankFile | null>;
  cancelLowRankExport(): void;
}

export const createLowRankSlice = (deps: StoreDeps): StateCreator<AppState, [], [], LowRankSlice> => {
  let controller: AbortController | null = null;
  return (set) => ({
    lowRankExport: { status: 'idle', progress: null, last: null, error: null },

    async exportLowRankModel(plan, form) {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      set((s) => ({ lowRankExport: { ...s.lowRankExport, status: 'running', progress: null, error: null } }));
      try {
        const file = await deps.client.exportLowRank(plan, {
          form,
          signal: mine.signal,
          onProgress: (progress) => {
            if (controller === mine) set((s) => ({ lowRankExport: { ...s.lowRankExport, progress } }));
          },
        });
        if (controller !== mine) return null;
        set({
          lowRankExport: file
            ? { status: 'done', progress: null, error: null, last: { name: file.name, bytes: file.blob.size, summary: file.summary, notes: file.notes } }
            : { status: 'cancelled', progress: null, error: null, last: null },
        });
        return file;
      } catch (error) {
        if (controller === mine) set({ lowRankExport: { status: 'error', progress: null, last: null, error: toSerializedError(error) } });
        return null;
      } finally {
        if (controller === mine) controller = null;
      }
    },

    cancelLowRankExport() {
      controller?.abort();
    },
  });
};
