import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from '../appState';

/** Which page is shown: the whole-model scan, one layer's view, its singular directions at work (probes), its curve circuits, or a study's training steps. */
export type Page = 'scan' | 'layer' | 'probe' | 'curves' | 'study';

export interface SelectionSlice {
  selection: { tensor: string | null };
  /** The layer under the pointer in any view (the linked-views hover channel). */
  hover: string | null;
  setHover(name: string | null): void;
  view: {
    page: Page;
    spectrumScale: 'log' | 'linear';
    /** The WeightWatcher column that colours the scan's strip and its metric-vs-depth chart. */
    scanMetric: string;
    /** The rank k of the layer view's low-rank what-if (null: the 90 %-energy rank), marked on its spectrum. */
    lowRankK: number | null;
  };
  selectTensor(name: string | null): void;
  /** Select a layer and show its view (a click or Enter anywhere in the scan). */
  openLayer(name: string): void;
  /** Back to the whole-model scan (Esc), keeping the selection. */
  showScan(): void;
  /** Show the probes page of the selected layer. */
  showProbe(): void;
  /** Show the curve-circuits page of the selected layer. */
  showCurves(): void;
  /** Show a study's metrics against training step. */
  showStudy(): void;
  setSpectrumScale(scale: 'log' | 'linear'): void;
  setScanMetric(column: string): void;
  setLowRankK(k: number | null): void;
}

export const DEFAULT_SCAN_METRIC = 'alpha';

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selection: { tensor: null },
  hover: null,
  setHover(name) {
    set({ hover: name });
  },
  view: { page: 'scan', spectrumScale: 'log', scanMetric: DEFAULT_SCAN_METRIC, lowRankK: null },
  selectTensor(name) {
    // A direction index belongs to one layer: another layer starts with none selected.
    set((s) => ({
      selection: { tensor: name },
      probe: s.selection.tensor === name ? s.probe : { ...s.probe, direction: null },
      view: s.selection.tensor === name ? s.view : { ...s.view, lowRankK: null },
    }));
  },
  openLayer(name) {
    set((s) => ({
      selection: { tensor: name },
      view: { ...s.view, page: 'layer', lowRankK: s.selection.tensor === name ? s.view.lowRankK : null },
      probe: s.selection.tensor === name ? s.probe : { ...s.probe, direction: null },
    }));
  },
  showScan() {
    set((s) => ({ view: { ...s.view, page: 'scan' } }));
  },
  showProbe() {
    set((s) => ({ view: { ...s.view, page: 'probe' } }));
  },
  showCurves() {
    set((s) => ({ view: { ...s.view, page: 'curves' } }));
  },
  showStudy() {
    set((s) => ({ view: { ...s.view, page: 'study' } }));
  },
  setSpectrumScale(scale) {
    set((s) => ({ view: { ...s.view, spectrumScale: scale } }));
  },
  setLowRankK(k) {
    set((s) => ({ view: { ...s.view, lowRankK: k } }));
  },
  setScanMetric(column) {
    set((s) => ({ view: { ...s.view, scanMetric: column } }));
  },
});
