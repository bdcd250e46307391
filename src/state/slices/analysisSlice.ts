import type { StateCreator } from 'zustand/vanilla';
import { analysableTensorNames } from '../../model/analysable';
import type { LayerResult, SerializedError } from '../../../workers/protocol';
import type { ScanProgress } from '../../compute/analysisClient';
import type { AppState, StoreDeps } from '../appState';
import { toSerializedError } from '../toSerializedError';

export interface AnalysisSlice {
  analysis: {
    status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
    progress: ScanProgress | null;
    /** Results so far, by tensor name. */
    results: Readonly<Record<string, LayerResult>>;
    /** Milliseconds from the start of the scan to the first spectrum, and to the end. */
    firstResultMs: number | null;
    /** `deps.now()` when the first spectrum arrived (in the browser: ms since navigation start). */
    firstResultAt: number | null;
    totalMs: number | null;
    error: SerializedError | null;
  };
  startAnalysis(): Promise<void>;
  cancelAnalysis(): void;
  resetAnalysis(): void;
}

const emptyAnalysis: AnalysisSlice['analysis'] = {
  status: 'idle',
  progress: null,
  results: {},
  firstResultMs: null,
  firstResultAt: null,
  totalMs: null,
  error: null,
};

export const createAnalysisSlice = (deps: StoreDeps): StateCreator<AppState, [], [], AnalysisSlice> => {
  let controller: AbortController | null = null;
  return (set, get) => ({
    analysis: emptyAnalysis,

    async startAnalysis() {
      const info = get().model.info;
      if (!info) return;
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      const done = get().analysis.results;
      const names = analysableTensorNames(info.tensors).filter((n) => !(n in done));
      const start = deps.now();
      set((s) => ({ analysis: { ...s.analysis, status: 'running', error: null, progress: { done: 0, total: names.length, tensor: names[0] ?? '', fraction: 0 } } }));
      try {
        const { cancelled } = await deps.client.analyze(names, {
          signal: mine.signal,
          settings: get().settings,
          onProgress: (progress) => {
            if (controller === mine) set((s) => ({ analysis: { ...s.analysis, progress } }));
          },
          onLayer: (result) => {
            if (controller !== mine) return;
            set((s) => ({
              analysis: {
                ...s.analysis,
                results: { ...s.analysis.results, [result.tensor]: result },
                firstResultMs: s.analysis.firstResultMs ?? deps.now() - start,
                firstResultAt: s.analysis.firstResultAt ?? deps.now(),
              },
            }));
            if (get().selection.tensor === null && result.status === 'ok') get().selectTensor(result.tensor);
          },
        });
        if (controller !== mine) return;
        set((s) => ({ analysis: { ...s.analysis, status: cancelled ? 'cancelled' : 'done', totalMs: deps.now() - start } }));
      } catch (error) {
        if (controller !== mine) return;
        set((s) => ({ analysis: { ...s.analysis, status: 'error', error: toSerializedError(error) } }));
      } finally {
        if (controller === mine) controller = null;
      }
    },

    cancelAnalysis() {
      controller?.abort();
    },

    resetAnalysis() {
      controller?.abort();
      controller = null;
      set({ analysis: emptyAnalysis });
    },
  });
};
