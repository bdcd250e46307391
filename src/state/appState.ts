import type { AnalysisClient } from '../compute/analysisClient';
import type { FileEntry } from '../../workers/protocol';
import type { ModelSlice } from './slices/modelSlice';
import type { AnalysisSlice } from './slices/analysisSlice';
import type { SelectionSlice } from './slices/selectionSlice';
import type { ReferenceSlice } from './slices/referenceSlice';
import type { SettingsSlice } from './slices/settingsSlice';
import type { PermalinkSlice } from './slices/permalinkSlice';
import type { TrapSlice } from './slices/trapSlice';

/** The whole app state: one zustand store made of slices (zustand docs, "Slices Pattern"). */
export type AppState = ModelSlice & AnalysisSlice & SelectionSlice & ReferenceSlice & SettingsSlice & PermalinkSlice & TrapSlice;

/** What the store needs from the outside world, injected so tests can fake it. */
export interface StoreDeps {
  readonly client: AnalysisClient;
  /** Fetch a built-in sample's files by sample id, and name its comparison twin if it has one. */
  readonly loadSample: (id: string) => Promise<LoadedSample>;
  /** Fetch a model's files from URLs (a `?url=` permalink). */
  readonly loadUrls: (urls: readonly string[]) => Promise<FileEntry[]>;
  /** A second worker client for the reference model (e.g. the sample's random-init twin). */
  readonly referenceClient: AnalysisClient;
  readonly now: () => number;
}

/** A built-in sample's files, and the sample to compare it with (its random-init twin), if any. */
export interface LoadedSample {
  readonly files: FileEntry[];
  readonly twin?: { readonly id: string; readonly title: string };
}
