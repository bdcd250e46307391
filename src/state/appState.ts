import type { AnalysisClient } from '../compute/analysisClient';
import type { FileEntry } from '../../workers/protocol';
import type { ModelSlice } from './slices/modelSlice';
import type { AnalysisSlice } from './slices/analysisSlice';
import type { SelectionSlice } from './slices/selectionSlice';
import type { ReferenceSlice } from './slices/referenceSlice';
import type { SettingsSlice } from './slices/settingsSlice';
import type { PermalinkSlice } from './slices/permalinkSlice';
import type { TrapSlice } from './slices/trapSlice';
import type { ProbeSlice } from './slices/probeSlice';
import type { CurvesSlice } from './slices/curvesSlice';
import type { StudyInput, StudySlice } from './slices/studySlice';
import type { LowRankSlice } from './slices/lowRankSlice';
import type { DiffSlice } from './slices/diffSlice';
import type { TrainingCurve } from '../analysis/checkpoints';
import type { ProbeClient } from '../compute/probeClient';

/** The whole app state: one zustand store made of slices (zustand docs, "Slices Pattern"). */
export type AppState = ModelSlice & AnalysisSlice & SelectionSlice & ReferenceSlice & SettingsSlice & PermalinkSlice & TrapSlice & ProbeSlice & CurvesSlice & StudySlice & LowRankSlice & DiffSlice;

/** What the store needs from the outside world, injected so tests can fake it. */
export interface StoreDeps {
  readonly client: AnalysisClient;
  /** Fetch a built-in sample's files by sample id, and name its comparison twin if it has one. */
  readonly loadSample: (id: string) => Promise<LoadedSample>;
  /** Fetch a model's files from URLs (a `?url=` permalink). */
  readonly loadUrls: (urls: readonly string[]) => Promise<FileEntry[]>;
  /** A second worker client for the reference model (e.g. the sample's random-init twin). */
  readonly referenceClient: AnalysisClient;
  /** The client that analyses a study's checkpoints (default: `referenceClient`, idle while a study is open). */
  readonly studyClient?: AnalysisClient;
  /** The probe worker's client (runs models on inputs: issue 7). */
  readonly probeClient: ProbeClient;
  readonly now: () => number;
}

/** A built-in sample's files, and the sample to compare it with (its random-init twin), if any. */
export interface LoadedSample {
  readonly files: FileEntry[];
  /** The sample's runnable form for probes (its TF.js model), with its tensor names mapped to `files`' names. */
  readonly probe?: { readonly files: FileEntry[]; readonly names: Readonly<Record<string, string>> };
  readonly twin?: { readonly id: string; readonly title: string };
  /** A study sample: several checkpoints of one training run, and its training log (issue 9). */
  readonly study?: {
    readonly title: string;
    readonly checkpoints: readonly StudyInput[];
    readonly curves: readonly TrainingCurve[];
    readonly milestones: Readonly<Record<string, number>>;
  };
}
