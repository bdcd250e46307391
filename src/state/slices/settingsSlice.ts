import type { StateCreator } from 'zustand/vanilla';
import type { AnalysisSettings } from '../../../workers/protocol';
import type { AppState } from '../appState';

/** How the app computes: WeightWatcher's definitions by default, with the MP fit on (it feeds the ESD overlay). */
export const DEFAULT_SETTINGS: Required<Pick<AnalysisSettings, 'conv' | 'mpFit' | 'operatorInputSize'>> = {
  conv: 'ww-pooled',
  mpFit: true,
  operatorInputSize: 16,
};

export interface SettingsSlice {
  settings: AnalysisSettings;
  /** Change how layers are computed; the scan (and the reference's) restarts with the new settings. */
  setSettings(change: Partial<AnalysisSettings>): void;
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set, get) => ({
  settings: DEFAULT_SETTINGS,
  setSettings(change) {
    const next = { ...get().settings, ...change };
    if (JSON.stringify(next) === JSON.stringify(get().settings)) return;
    set({ settings: next });
    get().clearTraps();
    if (!get().model.info) return;
    get().resetAnalysis();
    void get().startAnalysis();
    const { sampleId, label } = get().reference;
    if (sampleId && label) void get().loadReference(sampleId, label);
  },
});
