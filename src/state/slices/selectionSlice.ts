import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from '../appState';

export interface SelectionSlice {
  selection: { tensor: string | null };
  /** The layer under the pointer in any view (the linked-views hover channel). */
  hover: string | null;
  setHover(name: string | null): void;
  view: { spectrumScale: 'log' | 'linear' };
  selectTensor(name: string | null): void;
  setSpectrumScale(scale: 'log' | 'linear'): void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selection: { tensor: null },
  hover: null,
  setHover(name) {
    set({ hover: name });
  },
  view: { spectrumScale: 'log' },
  selectTensor(name) {
    set({ selection: { tensor: name } });
  },
  setSpectrumScale(scale) {
    set((s) => ({ view: { ...s.view, spectrumScale: scale } }));
  },
});
