import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from '../appState';

export interface SelectionSlice {
  selection: { tensor: string | null };
  view: { spectrumScale: 'log' | 'linear' };
  selectTensor(name: string | null): void;
  setSpectrumScale(scale: 'log' | 'linear'): void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selection: { tensor: null },
  view: { spectrumScale: 'log' },
  selectTensor(name) {
    set({ selection: { tensor: name } });
  },
  setSpectrumScale(scale) {
    set((s) => ({ view: { ...s.view, spectrumScale: scale } }));
  },
});
