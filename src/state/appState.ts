import type { AnalysisClient } from '../compute/analysisClient';
import type { FileEntry } from '../../workers/protocol';
import type { ModelSlice } from './slices/modelSlice';
import type { AnalysisSlice } from './slices/analysisSlice';
import type { SelectionSlice } from './slices/selectionSlice';

/** The whole app state: one zustand store made of slices (zustand docs, "Slices Pattern"). */
export type AppState = ModelSlice & AnalysisSlice & SelectionSlice;

/** What the store needs from the outside world, injected so tests can fake it. */
export interface StoreDeps {
  readonly client: AnalysisClient;
  /** Fetch a built-in sample's files by sample id. */
  readonly loadSample: (id: string) => Promise<FileEntry[]>;
  readonly now: () => number;
}
