import { createStore } from 'zustand/vanilla';
import type { AppState, StoreDeps } from './appState';
import { createModelSlice } from './slices/modelSlice';
import { createAnalysisSlice } from './slices/analysisSlice';
import { createSelectionSlice } from './slices/selectionSlice';
import { createReferenceSlice } from './slices/referenceSlice';
import { createSettingsSlice } from './slices/settingsSlice';
import { createPermalinkSlice } from './slices/permalinkSlice';
import { createProbeSlice } from './slices/probeSlice';
import { createTrapSlice } from './slices/trapSlice';
import { createCurvesSlice } from './slices/curvesSlice';
import { createStudySlice } from './slices/studySlice';
import { createOpenSequence } from './openSequence';
import { createLowRankSlice } from './slices/lowRankSlice';
import { createDiffSlice } from './slices/diffSlice';

/** One store per app instance (several embeds on a page each get their own). */
export function createAppStore(deps: StoreDeps) {
  const opens = createOpenSequence();
  return createStore<AppState>()((...a) => ({
    ...createModelSlice(deps, opens)(...a),
    ...createAnalysisSlice(deps)(...a),
    ...createSelectionSlice(...a),
    ...createReferenceSlice(deps)(...a),
    ...createSettingsSlice(...a),
    ...createPermalinkSlice(...a),
    ...createProbeSlice(deps)(...a),
    ...createTrapSlice(deps)(...a),
    ...createCurvesSlice(deps)(...a),
    ...createStudySlice(deps, opens)(...a),
    ...createLowRankSlice(deps)(...a),
    ...createDiffSlice(deps)(...a),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
