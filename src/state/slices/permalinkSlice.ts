import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from '../appState';

/** What a permalink asked for that cannot be applied yet: a layer not scanned yet, local files not dropped yet. */
export interface PermalinkSlice {
  restore: {
    /** Select this layer once the model that has it is open. */
    layer: string | null;
    /** The link was made on these local files: ask the user to drop them. */
    files: readonly string[] | null;
    /** Show that layer's page (its view or its probes) rather than the scan with it selected. */
    page: 'layer' | 'probe' | 'curves' | 'study' | null;
    /** In a study, show this checkpoint (by name) once the study is open. */
    checkpoint: string | null;
    /** Load the built-in probe inputs once the model's probe form is known. */
    builtinInputs: boolean;
  };
  setRestore(restore: Partial<PermalinkSlice['restore']>): void;
}

export const createPermalinkSlice: StateCreator<AppState, [], [], PermalinkSlice> = (set) => ({
  restore: { layer: null, files: null, page: null, checkpoint: null, builtinInputs: false },
  setRestore(restore) {
    set((s) => ({ restore: { ...s.restore, ...restore } }));
  },
});
