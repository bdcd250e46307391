import type { StateCreator } from 'zustand/vanilla';
import type { ScanProgress } from '../../compute/analysisClient';
import type { DiffLayerResult, NotCompared, SerializedError } from '../../../workers/protocol';
import type { AppState, StoreDeps } from '../appState';
import { toSerializedError } from '../toSerializedError';

export type { DiffLayerResult, NotCompared } from '../../../workers/protocol';

/**
 * What changed between two checkpoints of a study, layer by layer (issue 9, "Differences between two models"):
 * ΔW = W_B − W_A for every weight both have with one name and shape, computed in the study's worker by the same
 * core as `npm run analyze -- --diff` (workers/diffTensors.ts), so the app and the CLI print the same numbers.
 * Results arrive one layer at a time; a new run aborts the previous one. The results belong to the study they were
 * computed in: opening another study or a single model clears them.
 */

/** Singular directions compared per layer by default (the CLI's `--k`). */
export const DEFAULT_DIFF_K = 10;
/** The largest k the UI offers (a k over min(rows, cols) compares min(rows, cols)). */
export const MAX_DIFF_K = 256;

/** The checkpoints of a diff and its k: what a permalink needs to show the same comparison. */
export interface DiffPair {
  readonly a: string;
  readonly b: string;
  readonly k: number;
}

export interface DiffSlice {
  diff: {
    status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
    /** Checkpoint A (the base, W_A) and B (W_B), by name; null before any run. */
    a: string | null;
    b: string | null;
    k: number;
    /** By tensor name. */
    results: Readonly<Record<string, DiffLayerResult>>;
    /** Tensor names in the order their results arrived (model A's order). */
    layers: readonly string[];
    /** Weights not compared (not in both, or of two shapes), with why. */
    notCompared: readonly NotCompared[];
    /** The two models' labels as the worker named them (its first file names). */
    labels: readonly [string, string] | null;
    progress: ScanProgress | null;
    error: SerializedError | null;
    /** Wall milliseconds of the last finished run (workers run layers in parallel: less than the layers' sum). */
    wallMs: number | null;
  };
  /**
   * The comparison shown, or asked for by a permalink and not run yet (`restoreDiff`): the shareable part. Null when
   * there is none.
   */
  diffPair: DiffPair | null;
  /** Compare checkpoint B with checkpoint A (by name) in every common weight; aborts a diff in progress. */
  runDiff(a: string, b: string, k?: number): Promise<void>;
  /** Run this comparison as soon as the study has both checkpoints open (a permalink's). */
  restoreDiff(pair: DiffPair): void;
  cancelDiff(): void;
  /** Forget the diff and its pair (aborts one in progress). */
  clearDiff(): void;
}

const idleDiff: DiffSlice['diff'] = {
  status: 'idle',
  a: null,
  b: null,
  k: DEFAULT_DIFF_K,
  results: {},
  layers: [],
  notCompared: [],
  labels: null,
  progress: null,
  error: null,
  wallMs: null,
};

/** k as a whole number in [1, MAX_DIFF_K] (the default for anything else). */
export function clampDiffK(k: number | undefined): number {
  if (k === undefined || !Number.isFinite(k)) return DEFAULT_DIFF_K;
  return Math.min(MAX_DIFF_K, Math.max(1, Math.round(k)));
}

export const createDiffSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], DiffSlice> =>
  (set, get, api) => {
    const client = () => deps.studyClient ?? deps.referenceClient;
    let controller: AbortController | null = null;
    /** A permalink's comparison waiting for its study's checkpoints. */
    let pending: DiffPair | null = null;

    const hasCheckpoint = (s: AppState, name: string) => s.study.checkpoints.some((c) => c.name === name);

    // The diff belongs to the study it was computed in: a new study (status back to 'opening') or none at all
    // clears it. A pending permalink comparison runs once the new study has both checkpoints.
    api.subscribe((s, previous) => {
      if (s.study.status !== previous.study.status && (s.study.status === 'opening' || s.study.status === 'none')) {
        controller?.abort();
        controller = null;
        if (s.study.status === 'none') pending = null;
        if (s.diff.status !== 'idle' || (s.diffPair !== null && pending === null)) set({ diff: idleDiff, diffPair: pending });
      }
      if (pending && s.study.checkpoints !== previous.study.checkpoints && hasCheckpoint(s, pending.a) && hasCheckpoint(s, pending.b)) {
        const { a, b, k } = pending;
        pending = null;
        void get().runDiff(a, b, k);
      }
    });

    return {
      diff: idleDiff,
      diffPair: null,

      async runDiff(a, b, k) {
        controller?.abort();
        const mine = new AbortController();
        controller = mine;
        pending = null;
        const kk = clampDiffK(k);
        const pair: DiffPair = { a, b, k: kk };
        set({ diff: { ...idleDiff, status: 'running', a, b, k: kk }, diffPair: pair });
        const filesA = get().checkpointFiles(a);
        const filesB = get().checkpointFiles(b);
        const missing = filesA === null ? a : filesB === null ? b : null;
        if (missing !== null || filesA === null || filesB === null) {
          const error: SerializedError = {
            name: 'DiffError',
            code: 'DIFF_NO_CHECKPOINT',
            message: `"${missing ?? ''}" is not a checkpoint of the open study.`,
            remedy: 'Choose checkpoints A and B from the study’s checkpoints.',
          };
          set((s) => ({ diff: { ...s.diff, status: 'error', error } }));
          controller = null;
          return;
        }
        const started = deps.now();
        try {
          const outcome = await client().diff(filesA, filesB, {
            k: kk,
            signal: mine.signal,
            onProgress: (p) => {
              if (controller === mine) set((s) => ({ diff: { ...s.diff, progress: p } }));
            },
            onLayer: (r) => {
              if (controller !== mine) return;
              set((s) => ({
                diff: { ...s.diff, results: { ...s.diff.results, [r.tensor]: r }, layers: s.diff.layers.includes(r.tensor) ? s.diff.layers : [...s.diff.layers, r.tensor] },
              }));
            },
          });
          if (controller !== mine) return;
          set((s) => ({
            diff: {
              ...s.diff,
              status: outcome.cancelled || mine.signal.aborted ? 'cancelled' : 'done',
              notCompared: outcome.notCompared,
              labels: outcome.labels,
              progress: null,
              wallMs: deps.now() - started,
            },
          }));
        } catch (error) {
          if (controller !== mine) return;
          set((s) => ({ diff: { ...s.diff, status: 'error', progress: null, error: toSerializedError(error) } }));
        } finally {
          if (controller === mine) controller = null;
        }
      },

      restoreDiff(pair) {
        const k = clampDiffK(pair.k);
        const s = get();
        if (hasCheckpoint(s, pair.a) && hasCheckpoint(s, pair.b)) {
          void s.runDiff(pair.a, pair.b, k);
          return;
        }
        pending = { ...pair, k };
        set({ diffPair: pending });
      },

      cancelDiff() {
        pending = null;
        controller?.abort();
      },

      clearDiff() {
        pending = null;
        controller?.abort();
        controller = null;
        set({ diff: idleDiff, diffPair: null });
      },
    };
  };
