import type { StateCreator } from 'zustand/vanilla';
import type { FileEntry, SerializedError } from '../../../workers/protocol';
import type { ProbeAggregate, ProbeLayerResult, ProbeModelInfo } from '../../../workers/probeProtocol';
import type { AppState, StoreDeps } from '../appState';
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { defaultPreprocessing, samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import { toSerializedError } from '../toSerializedError';

/**
 * Activation probes (issue 7; SCIENCE.md §3): the open model run on a labelled input set in the probe worker, each
 * probed layer's activations projected onto its singular directions. The files are kept from the last open so the
 * probe worker can open the same model when the user first asks for probes (never before: it costs a runtime).
 */

/** A labelled input set, preprocessed for the model (`data` in the model's layout, N first). */
export interface ProbeInputSet {
  /** Where it came from, for the caption and permalinks (`builtin:stroke` or `files`). */
  readonly source: string;
  readonly classes: readonly string[];
  /** Class index of each input. */
  readonly labels: readonly number[];
  readonly names: readonly string[];
  readonly data: Float32Array;
  readonly shape: readonly number[];
  /** A small image URL per input, for the top-inputs view. */
  readonly thumbnails: readonly string[];
}

export interface ProbeOptions {
  readonly aggregate: ProbeAggregate;
  /** The influence threshold (SCIENCE.md §3: 0.1). */
  readonly threshold: number;
  readonly mode: 'primal' | 'dual';
  readonly weighted: boolean;
  /** Run every probe-able layer ('all'), or only the selected one ('layer': for big models, one layer's activations at a time). */
  readonly scope: 'all' | 'layer';
}

export const DEFAULT_PROBE_OPTIONS: ProbeOptions = { aggregate: 'mean', threshold: 0.1, mode: 'primal', weighted: true, scope: 'all' };

export interface ProbeSlice {
  probe: {
    status: 'idle' | 'opening' | 'ready' | 'running' | 'done' | 'cancelled' | 'error';
    files: readonly FileEntry[];
    /** Probe-model tensor name → the scan's tensor name, when the probe runs another form of the model. */
    names: Readonly<Record<string, string>>;
    model: ProbeModelInfo | null;
    inputs: ProbeInputSet | null;
    /** By tensor name, for the current inputs and `resultsAggregate`. */
    results: Readonly<Record<string, ProbeLayerResult>>;
    /** The aggregate the results were computed with (null before a run). */
    resultsAggregate: ProbeAggregate | null;
    progress: { done: number; total: number; stage: string } | null;
    error: SerializedError | null;
    options: ProbeOptions;
    /** The selected singular direction (0-based rank) of the selected layer, linked to its spectrum. */
    direction: number | null;
    /**
     * How images become the model's input (size, channels, layout, normalisation): what the model's input says once
     * it is open (the sample: its training settings), adjustable by the user; shared by the probes and the curve stimuli.
     */
    preprocessing: InputPreprocessing;
  };
  /**
   * Forget the previous model's probes and remember the files to probe (called when a model opens). A sample whose
   * scanned form is a weights file (safetensors) is probed in its runnable form (TF.js): `names` maps that form's
   * tensor names to the scanned ones, so results are filed under the layers the scan shows.
   */
  resetProbe(files: readonly FileEntry[], names?: Readonly<Record<string, string>>): void;
  /** Open the current model in the probe worker (once per model). */
  openProbeModel(): Promise<void>;
  setProbeInputs(inputs: ProbeInputSet | null): void;
  /**
   * Run the inputs through the model and project every probe-able layer (scope 'all'), or only the selected one
   * (scope 'layer'; its result joins the others of the same inputs and aggregate).
   */
  runProbe(): Promise<void>;
  cancelProbe(): void;
  setProbeOptions(change: Partial<ProbeOptions>): void;
  selectDirection(direction: number | null): void;
  setPreprocessing(preprocessing: InputPreprocessing): void;
}

/** The probe model's name of the selected layer (the sample's TF.js name for its scanned name), or null when it is not probe-able. */
export function selectedProbeLayerName(state: AppState): string | null {
  const { model, names } = state.probe;
  const scanName = state.selection.tensor;
  if (!model || scanName === null) return null;
  const probeName = Object.entries(names).find(([, to]) => to === scanName)?.[0] ?? scanName;
  return model.layers.some((l) => l.tensor === probeName) ? probeName : null;
}

export const createProbeSlice = (deps: StoreDeps): StateCreator<AppState, [], [], ProbeSlice> => {
  let controller: AbortController | null = null;
  let opening: Promise<void> | null = null;
  const empty = (files: readonly FileEntry[], names: Readonly<Record<string, string>>, options: ProbeOptions): ProbeSlice['probe'] => ({
    status: 'idle',
    files,
    names,
    model: null,
    inputs: null,
    results: {},
    resultsAggregate: null,
    progress: null,
    error: null,
    options,
    direction: null,
    preprocessing: Object.keys(names).length > 0 ? samplePreprocessing : defaultPreprocessing(undefined),
  });
  return (set, get) => ({
    probe: empty([], {}, DEFAULT_PROBE_OPTIONS),

    resetProbe(files, names = {}) {
      controller?.abort();
      controller = null;
      opening = null;
      // Curve results and weight edits belong to the previous model too.
      set((s) => ({ probe: empty(files, names, s.probe.options), curves: { ...s.curves, status: 'idle', progress: null, error: null, result: null, unit: null, edits: [], before: null } }));
    },

    openProbeModel() {
      if (get().probe.model || get().probe.files.length === 0) return Promise.resolve();
      if (opening) return opening;
      const files = get().probe.files;
      set((s) => ({ probe: { ...s.probe, status: 'opening', error: null } }));
      const mine = (opening = deps.probeClient.open(files).then(
        (model) => {
          if (get().probe.files !== files) return;
          // Start from what the model's input says (the sample, probed in its TF.js form: its own settings).
          const spec = model.input;
          const sample = Object.keys(get().probe.names).length > 0;
          const preprocessing = spec ? (sample ? { ...samplePreprocessing, layout: spec.layout } : defaultPreprocessing(spec)) : get().probe.preprocessing;
          set((s) => ({ probe: { ...s.probe, status: 'ready', model, preprocessing } }));
        },
        (error: unknown) => {
          if (get().probe.files !== files) return;
          opening = null;
          set((s) => ({ probe: { ...s.probe, status: 'error', error: toSerializedError(error) } }));
        },
      ));
      return mine;
    },

    setProbeInputs(inputs) {
      controller?.abort();
      set((s) => ({ probe: { ...s.probe, inputs, results: {}, resultsAggregate: null, direction: null, status: s.probe.model ? 'ready' : s.probe.status, error: null } }));
    },

    async runProbe() {
      await get().openProbeModel();
      const { model, inputs, options, files } = get().probe;
      if (!model?.runnable || !inputs) return;
      const selectedLayer = selectedProbeLayerName(get());
      const layers = options.scope === 'all' ? model.layers.map((l) => l.tensor) : selectedLayer === null ? [] : [selectedLayer];
      if (layers.length === 0) return;
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      set((s) => ({ probe: { ...s.probe, status: 'running', error: null, progress: { done: 0, total: layers.length, stage: 'starting' } } }));
      try {
        const probed = await deps.probeClient.run(
          { data: inputs.data, shape: inputs.shape },
          {
            layers,
            aggregate: options.aggregate,
            signal: mine.signal,
            onProgress: (progress) => {
              if (controller === mine) set((s) => ({ probe: { ...s.probe, progress } }));
            },
          },
        );
        if (controller !== mine || get().probe.files !== files) return;
        const names = get().probe.names;
        const fresh = Object.fromEntries(probed.map((l) => [names[l.tensor] ?? l.tensor, { ...l, tensor: names[l.tensor] ?? l.tensor }]));
        const keep = options.scope === 'layer' && get().probe.resultsAggregate === options.aggregate;
        set((s) => ({ probe: { ...s.probe, status: 'done', progress: null, results: keep ? { ...s.probe.results, ...fresh } : fresh, resultsAggregate: options.aggregate } }));
      } catch (error) {
        if (controller !== mine) return;
        const e = toSerializedError(error);
        set((s) => ({ probe: { ...s.probe, status: e.code === 'PROBE_CANCELLED' || mine.signal.aborted ? 'cancelled' : 'error', progress: null, error: mine.signal.aborted ? null : e } }));
      } finally {
        if (controller === mine) controller = null;
      }
    },

    cancelProbe() {
      controller?.abort();
    },

    setProbeOptions(change) {
      const before = get().probe.options;
      const options = { ...before, ...change };
      set((s) => ({ probe: { ...s.probe, options } }));
      // A new aggregate changes the numbers: run again if there was a run.
      if (options.aggregate !== before.aggregate && Object.keys(get().probe.results).length > 0) void get().runProbe();
    },

    setPreprocessing(preprocessing) {
      set((s) => ({ probe: { ...s.probe, preprocessing } }));
    },

    selectDirection(direction) {
      set((s) => ({ probe: { ...s.probe, direction } }));
    },
  });
};
