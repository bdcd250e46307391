import type { StateCreator } from 'zustand/vanilla';
import { analysableTensorNames } from '../../model/analysable';
import type { SpectrumResult } from '../../../workers/protocol';
import type { AppState, StoreDeps } from '../appState';

/**
 * A second model whose spectra are drawn behind the open model's, layer by layer (matched by tensor
 * name and shape): for the sample, its random-initialised twin, so training's effect is visible.
 */
export interface ReferenceSlice {
  reference: {
    status: 'none' | 'loading' | 'ready' | 'error';
    label: string | null;
    /** The sample it was loaded from (to reload it when the settings change). */
    sampleId: string | null;
    /** Spectra by tensor name; only tensors whose shape matches the open model's. */
    spectra: Readonly<Record<string, SpectrumResult>>;
    /** Whether the views draw it. */
    visible: boolean;
  };
  loadReference(sampleId: string, label: string): Promise<void>;
  clearReference(): void;
  setReferenceVisible(visible: boolean): void;
}

const none: ReferenceSlice['reference'] = { status: 'none', label: null, sampleId: null, spectra: {}, visible: true };

export const createReferenceSlice = (deps: StoreDeps): StateCreator<AppState, [], [], ReferenceSlice> => {
  let controller: AbortController | null = null;
  return (set, get) => ({
    reference: none,

    async loadReference(sampleId, label) {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      const current = get().model.info;
      if (!current) return;
      set((s) => ({ reference: { ...s.reference, status: 'loading', label, sampleId, spectra: {} } }));
      try {
        const { files } = await deps.loadSample(sampleId);
        const info = await deps.referenceClient.open(files);
        const shapeOf = new Map(current.tensors.map((t) => [t.name, t.shape.join('×')]));
        const names = analysableTensorNames(info.tensors).filter((n) => {
          const t = info.tensors.find((x) => x.name === n);
          return t !== undefined && shapeOf.get(n) === t.shape.join('×');
        });
        await deps.referenceClient.analyze(names, {
          signal: mine.signal,
          settings: get().settings,
          onLayer: (result) => {
            if (controller !== mine || result.status !== 'ok') return;
            set((s) => ({ reference: { ...s.reference, spectra: { ...s.reference.spectra, [result.tensor]: result.spectrum } } }));
          },
        });
        if (controller === mine) set((s) => ({ reference: { ...s.reference, status: 'ready' } }));
      } catch (error) {
        if (controller === mine) {
          console.warn('The reference model could not be analysed; it is only a comparison, so the scan goes on.', error);
          set((s) => ({ reference: { ...s.reference, status: 'error' } }));
        }
      }
    },

    clearReference() {
      controller?.abort();
      controller = null;
      set((s) => ({ reference: { ...none, visible: s.reference.visible } }));
    },

    setReferenceVisible(visible) {
      set((s) => ({ reference: { ...s.reference, visible } }));
    },
  });
};
