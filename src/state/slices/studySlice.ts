import type { StateCreator } from 'zustand/vanilla';
import type { ModelInfo } from '../../model/types';
import { analysableTensorNames } from '../../model/analysable';
import type { LayerMismatch, TrainingCurve } from '../../analysis/checkpoints';
import { matchLayers, orderCheckpoints } from '../../analysis/checkpoints';
import type { FileEntry, LayerResult, SerializedError } from '../../../workers/protocol';
import type { AppState, StoreDeps } from '../appState';
import type { ModelSource } from './modelSlice';
import { toSerializedError } from '../toSerializedError';
import type { OpenSequence } from '../openSequence';
import { createOpenSequence } from '../openSequence';

/**
 * Several checkpoints of one training run as one study (issue 9): ordered by step (parsed from their names,
 * editable), their layers matched by name and shape, each scanned by the same core as a single model. One
 * checkpoint at a time is "the model" every other page shows (the step slider); the study page draws every
 * metric against step. Checkpoints are analysed in their own worker(s), one after another, so only one is open
 * there at a time; their results (spectra and reports, a few KB a layer) are kept.
 */

/** One checkpoint of the study. */
export interface StudyCheckpoint {
  /** Its display name: the file name, or the folder name of a multi-file checkpoint. */
  readonly name: string;
  /** The step its name gives (null: none). */
  readonly parsedStep: number | null;
  /** The step it is drawn at: the parsed one unless the user changed it (null: unknown, drawn by position). */
  readonly step: number | null;
  readonly info: ModelInfo;
  readonly status: 'waiting' | 'running' | 'done' | 'cancelled' | 'failed';
}

/** A checkpoint as handed to `openStudy`. */
export interface StudyInput {
  readonly name: string;
  readonly files: readonly FileEntry[];
}

/** Optional extras of a study: its title and its training log's curves. */
export interface StudyExtras {
  readonly title?: string;
  readonly curves?: readonly TrainingCurve[];
  readonly milestones?: Readonly<Record<string, number>>;
  /** Show the study page as soon as the checkpoints are open (a drop or a click; a permalink chooses its own page). */
  readonly showPage?: boolean;
}

export interface StudySlice {
  study: {
    status: 'none' | 'opening' | 'running' | 'done' | 'cancelled' | 'error';
    title: string;
    source: ModelSource | null;
    /** In study order: by step, then as given. */
    checkpoints: readonly StudyCheckpoint[];
    /** Checkpoints that could not be opened (left out of the study), with why. */
    failed: readonly { readonly name: string; readonly error: SerializedError }[];
    /** Tensors not comparable across every checkpoint, with why (`matchLayers`). */
    mismatches: readonly LayerMismatch[];
    /** The analysable tensors every checkpoint has with one shape, in model order. */
    layers: readonly string[];
    /** Results by checkpoint name, then tensor name. */
    results: Readonly<Record<string, Readonly<Record<string, LayerResult>>>>;
    /** The checkpoint being analysed (its position in `checkpoints`), and layers done of all. */
    progress: { readonly checkpoint: number; readonly done: number; readonly total: number; readonly tensor: string } | null;
    /** The checkpoint the other pages show (a position in `checkpoints`). */
    current: number;
    curves: readonly TrainingCurve[];
    milestones: Readonly<Record<string, number>>;
    error: SerializedError | null;
    /** Milliseconds from opening the study to the last checkpoint analysed (null until then). */
    totalMs: number | null;
  };
  /** Open checkpoints as a study, show the last one and analyse them all. Replaces any model or study; the page stays (callers show the study page). */
  openStudy(inputs: readonly StudyInput[], source: ModelSource, extras?: StudyExtras): Promise<void>;
  /** Show the checkpoint at this position (in study order) on every page. */
  setStudyCheckpoint(index: number): Promise<void>;
  /** Change a checkpoint's step (null: unknown); the study is re-ordered and the shown checkpoint kept. */
  setCheckpointStep(name: string, step: number | null): void;
  /** The files of a checkpoint (for a comparison or an export). */
  checkpointFiles(name: string): readonly FileEntry[] | null;
  cancelStudy(): void;
  /** Resume a cancelled study (checkpoints not finished are analysed). */
  resumeStudy(): Promise<void>;
  /** Forget the study (a single model was opened). */
  closeStudy(): void;
}

/** At most this often (ms) do a running study's results reach the store while a checkpoint is analysed. */
const FLUSH_MS = 250;

const noStudy: StudySlice['study'] = {
  status: 'none',
  title: '',
  source: null,
  checkpoints: [],
  failed: [],
  mismatches: [],
  layers: [],
  results: {},
  progress: null,
  current: 0,
  curves: [],
  milestones: {},
  error: null,
  totalMs: null,
};

/** Study order: by step (unknown last), then by the order given. */
function ordered(checkpoints: readonly StudyCheckpoint[]): StudyCheckpoint[] {
  const position = new Map(checkpoints.map((c, i) => [c.name, i]));
  const missing = (c: StudyCheckpoint) => (c.step === null ? 1 : 0);
  return [...checkpoints].sort((a, b) => missing(a) - missing(b) || (a.step ?? 0) - (b.step ?? 0) || (position.get(a.name) ?? 0) - (position.get(b.name) ?? 0));
}

export const createStudySlice = (deps: StoreDeps, opens: OpenSequence = createOpenSequence()): StateCreator<AppState, [], [], StudySlice> => {
  const client = () => deps.studyClient ?? deps.referenceClient;
  let files = new Map<string, readonly FileEntry[]>();
  let controller: AbortController | null = null;
  /** The latest `setStudyCheckpoint` call: older ones that finish later change nothing. */
  let showing = 0;

  return (set, get) => {
    /** Analyse every checkpoint not done yet, the shown one first. */
    let started = 0;
    async function analyseAll(mine: AbortController): Promise<void> {
      const { checkpoints, layers } = get().study;
      const todo = checkpoints.map((c, i) => ({ c, i })).filter(({ c }) => c.status !== 'done');
      const current = get().study.current;
      todo.sort((a, b) => (a.i === current ? -1 : b.i === current ? 1 : 0));
      set((s) => ({ study: { ...s.study, status: 'running', error: null } }));
      let pending: LayerResult[] = [];
      let lastFlush = deps.now();
      let lastProgress = -Infinity;
      /** Move the buffered results of checkpoint `name` into the store (and, if it is shown, into every page), with its new status. */
      const flush = (name: string, status?: StudyCheckpoint['status']) => {
        lastFlush = deps.now();
        if (pending.length === 0 && status === undefined) return;
        const batch = Object.fromEntries(pending.map((r) => [r.tensor, r]));
        pending = [];
        // One store update for the batch and the checkpoint's new status: each update redraws the study's charts.
        set((s) => ({
          study: {
            ...s.study,
            results: { ...s.study.results, [name]: { ...s.study.results[name], ...batch } },
            checkpoints: status === undefined ? s.study.checkpoints : s.study.checkpoints.map((c) => (c.name === name ? { ...c, status } : c)),
          },
        }));
        if (get().study.checkpoints[get().study.current]?.name === name) {
          set((s) => ({ analysis: { ...s.analysis, results: { ...s.analysis.results, ...batch } } }));
          const first = Object.values(batch).find((r) => r.status === 'ok');
          if (get().selection.tensor === null && first) get().selectTensor(first.tensor);
        }
      };
      try {
        for (const { c } of todo) {
          if (mine.signal.aborted) break;
          const have = get().study.results[c.name] ?? {};
          const names = layers.filter((n) => !(n in have));
          await client().open(files.get(c.name) ?? []);
          const { cancelled } = await client().analyze(names, {
            signal: mine.signal,
            settings: get().settings,
            onProgress: (p) => {
              if (controller !== mine || deps.now() - lastProgress < FLUSH_MS) return;
              lastProgress = deps.now();
              const position = get().study.checkpoints.findIndex((x) => x.name === c.name);
              set((s) => ({ study: { ...s.study, progress: { checkpoint: position, done: p.done, total: p.total, tensor: p.tensor } } }));
            },
            onLayer: (result) => {
              if (controller !== mine) return;
              pending.push(result);
              // Small layers finish faster than a page can redraw: their results reach the store in batches.
              if (deps.now() - lastFlush >= FLUSH_MS) flush(c.name);
            },
          });
          if (controller !== mine) return;
          flush(c.name, cancelled ? 'cancelled' : 'done');
          if (get().study.checkpoints[get().study.current]?.name === c.name && !cancelled) {
            set((s) => ({ analysis: { ...s.analysis, status: 'done', progress: null, totalMs: s.analysis.totalMs ?? 0 } }));
          }
          if (cancelled) break;
        }
        if (controller !== mine) return;
        const cancelled = mine.signal.aborted || get().study.checkpoints.some((c) => c.status !== 'done');
        set((s) => ({ study: { ...s.study, status: cancelled ? 'cancelled' : 'done', progress: null, totalMs: cancelled ? null : deps.now() - started } }));
      } catch (error) {
        if (controller !== mine) return;
        set((s) => ({ study: { ...s.study, status: 'error', progress: null, error: toSerializedError(error) } }));
      } finally {
        if (controller === mine) controller = null;
      }
    }

    return {
      study: noStudy,

      async openStudy(inputs, source, extras = {}) {
        const ticket = opens.next();
        started = deps.now();
        controller?.abort();
        const mine = new AbortController();
        controller = mine;
        get().cancelAnalysis();
        files = new Map(inputs.map((i) => [i.name, i.files]));
        const title = extras.title ?? `${inputs.length} checkpoints`;
        set({ study: { ...noStudy, status: 'opening', title, source, curves: extras.curves ?? [], milestones: extras.milestones ?? {} } });
        set((s) => ({ model: { ...s.model, status: 'opening', pendingName: title, openError: null } }));
        const order = orderCheckpoints(inputs.map((i) => i.name));
        const opened: StudyCheckpoint[] = [];
        const failed: { name: string; error: SerializedError }[] = [];
        for (const o of order) {
          if (controller !== mine) return;
          try {
            const info = await client().open(files.get(o.name) ?? []);
            opened.push({ name: o.name, parsedStep: o.step, step: o.step, info, status: 'waiting' });
          } catch (error) {
            failed.push({ name: o.name, error: toSerializedError(error) });
          }
        }
        if (controller !== mine || !opens.isLatest(ticket)) return;
        const analysable = opened.map((c) => {
          const names = new Set(analysableTensorNames(c.info.tensors));
          return c.info.tensors.filter((t) => names.has(t.name)).map((t) => ({ name: t.name, shape: t.shape }));
        });
        const match = opened.length > 0 ? matchLayers(analysable, opened.map((c) => c.name)) : { matched: [], mismatches: [] };
        if (opened.length === 0 || match.matched.length === 0) {
          const first = failed[0]?.error;
          const error: SerializedError =
            opened.length === 0
              ? { name: 'StudyError', code: 'STUDY_NOT_OPENED', message: `None of the ${inputs.length} checkpoints could be opened${first ? `: ${first.message}` : '.'}`, ...(first?.file ? { file: first.file } : {}), remedy: first?.remedy ?? 'Drop model files of one architecture.' }
              : { name: 'StudyError', code: 'STUDY_NO_COMMON_LAYERS', message: `The ${opened.length} checkpoints share no layer of the same name and shape, so they cannot be compared step by step.`, remedy: 'Drop checkpoints of one model (one architecture, one naming).' };
          set((s) => ({ study: { ...noStudy, status: 'error', error, failed }, model: { ...s.model, status: s.model.info ? 'ready' : 'idle', pendingName: null, openError: error } }));
          return;
        }
        // The checkpoint a permalink asks for, else the last one.
        const wanted = get().restore.checkpoint;
        const initial = wanted === null ? -1 : opened.findIndex((c) => c.name === wanted);
        if (wanted !== null) get().setRestore({ checkpoint: null });
        const shown = initial >= 0 ? initial : opened.length - 1;
        set((s) => ({
          study: { ...s.study, status: 'running', checkpoints: opened, failed, mismatches: match.mismatches, layers: match.matched.map((m) => m.name), current: shown },
        }));
        await get().setStudyCheckpoint(shown);
        if (controller !== mine) return;
        if (extras.showPage) get().showStudy();
        await analyseAll(mine);
      },

      async setStudyCheckpoint(index) {
        const { checkpoints, results, source } = get().study;
        const c = checkpoints[index];
        if (!c) return;
        const ticket = ++showing;
        const previous = get().model;
        try {
          await deps.client.open(files.get(c.name) ?? []);
        } catch (error) {
          set({ model: { ...previous, openError: toSerializedError(error) } });
          return;
        }
        if (ticket !== showing) return;
        get().resetAnalysis();
        get().clearReference();
        get().clearTraps();
        get().resetProbe(files.get(c.name) ?? []);
        const done = c.status === 'done';
        set((s) => ({
          study: { ...s.study, current: index },
          model: { status: 'ready', info: c.info, source, pendingName: null, openError: null },
          analysis: { ...s.analysis, status: done ? 'done' : 'running', results: results[c.name] ?? {}, progress: null, totalMs: done ? 0 : null },
        }));
        const selected = get().selection.tensor;
        if (selected === null || !c.info.tensors.some((t) => t.name === selected)) {
          const first = get().study.layers.find((n) => get().analysis.results[n]?.status === 'ok');
          get().selectTensor(first ?? null);
        }
      },

      setCheckpointStep(name, step) {
        const { checkpoints, current } = get().study;
        const shown = checkpoints[current]?.name;
        const next = ordered(checkpoints.map((c) => (c.name === name ? { ...c, step } : c)));
        set((s) => ({ study: { ...s.study, checkpoints: next, current: Math.max(0, next.findIndex((c) => c.name === shown)) } }));
      },

      checkpointFiles(name) {
        return files.get(name) ?? null;
      },

      cancelStudy() {
        controller?.abort();
      },

      async resumeStudy() {
        const s = get().study;
        if (s.status !== 'cancelled' && s.status !== 'error') return;
        controller?.abort();
        const mine = new AbortController();
        controller = mine;
        await analyseAll(mine);
      },

      closeStudy() {
        controller?.abort();
        controller = null;
        files = new Map();
        if (get().study.status !== 'none') set((s) => ({ study: noStudy, view: s.view.page === 'study' ? { ...s.view, page: 'scan' } : s.view }));
      },
    };
  };
};
