import type { StateCreator } from 'zustand/vanilla';
import type { ModelInfo } from '../../model/types';
import type { FileEntry, SerializedError } from '../../../workers/protocol';
import type { AppState, LoadedSample, StoreDeps } from '../appState';
import { toSerializedError } from '../toSerializedError';
import type { OpenSequence } from '../openSequence';
import { createOpenSequence } from '../openSequence';

/** Where the open model came from: a built-in sample (shareable) or files the user dropped (not). */
export type ModelSource =
  | { readonly kind: 'sample'; readonly id: string }
  | { readonly kind: 'url'; readonly urls: readonly string[] }
  | { readonly kind: 'files'; readonly names: readonly string[] };
// A study (several checkpoints) has the source of its files: a study sample's id, or the dropped files' names.

export interface ModelSlice {
  model: {
    status: 'idle' | 'opening' | 'ready';
    info: ModelInfo | null;
    source: ModelSource | null;
    /** What is being opened (shown while `opening`). */
    pendingName: string | null;
    /** The last open failure; the previous model, if any, stays open. */
    openError: SerializedError | null;
  };
  openFiles(files: readonly FileEntry[], source?: ModelSource): Promise<void>;
  /** Open a built-in sample; `showStudy`: a study sample opens on its training-steps page. */
  openSample(id: string, options?: { readonly showStudy?: boolean }): Promise<void>;
  /** Fetch a model (its files, e.g. a model.json and its shards) from URLs the browser may read, and open it. */
  openUrls(urls: readonly string[]): Promise<void>;
  dismissOpenError(): void;
}

export const createModelSlice =
  (deps: StoreDeps, opens: OpenSequence = createOpenSequence()): StateCreator<AppState, [], [], ModelSlice> =>
  (set, get) => ({
    model: { status: 'idle', info: null, source: null, pendingName: null, openError: null },

    async openFiles(files, source) {
      if (files.length === 0) return;
      const ticket = opens.next();
      const previous = get().model;
      get().cancelAnalysis();
      const pendingName = files.map((f) => f.name).join(', ');
      set({ model: { ...previous, status: 'opening', pendingName, openError: null } });
      try {
        const info = await deps.client.open(files);
        // Another model or study was asked for meanwhile: it wins.
        if (!opens.isLatest(ticket)) return;
        // The old model's results, reference and selection go before the new model appears, so no listener
        // ever sees the new model with the old results.
        get().closeStudy();
        get().resetAnalysis();
        get().clearReference();
        get().clearTraps();
        get().resetProbe(files);
        get().selectTensor(null);
        get().showScan();
        set({
          model: {
            status: 'ready',
            info,
            source: source ?? { kind: 'files', names: files.map((f) => f.name) },
            pendingName: null,
            openError: null,
          },
        });
        void get().startAnalysis();
      } catch (error) {
        if (!opens.isLatest(ticket)) return;
        set({ model: { ...previous, status: previous.info ? 'ready' : 'idle', pendingName: null, openError: toSerializedError(error) } });
      }
    },

    async openSample(id, options = {}) {
      const ticket = opens.next();
      let sample: LoadedSample;
      try {
        sample = await deps.loadSample(id);
      } catch (error) {
        if (opens.isLatest(ticket)) set((s) => ({ model: { ...s.model, openError: toSerializedError(error) } }));
        return;
      }
      if (!opens.isLatest(ticket)) return;
      if (sample.study) {
        await get().openStudy(sample.study.checkpoints, { kind: 'sample', id }, { ...sample.study, showPage: options.showStudy === true });
        return;
      }
      await get().openFiles(sample.files, { kind: 'sample', id });
      const current = get().model.source;
      if (current?.kind !== 'sample' || current.id !== id) return;
      if (sample.probe) get().resetProbe(sample.probe.files, sample.probe.names);
      if (sample.twin) void get().loadReference(sample.twin.id, sample.twin.title);
    },

    async openUrls(urls) {
      let files: FileEntry[];
      set((s) => ({ model: { ...s.model, status: s.model.info ? 'ready' : 'opening', pendingName: urls.join(', '), openError: null } }));
      try {
        files = await deps.loadUrls(urls);
      } catch (error) {
        set((s) => ({ model: { ...s.model, status: s.model.info ? 'ready' : 'idle', pendingName: null, openError: toSerializedError(error) } }));
        return;
      }
      await get().openFiles(files, { kind: 'url', urls });
    },

    dismissOpenError() {
      set((s) => ({ model: { ...s.model, openError: null } }));
    },
  });
