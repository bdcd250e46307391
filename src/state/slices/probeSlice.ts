import type { StateCreator } from 'zustand/vanilla';
import type { FileEntry, SerializedError } from '../../../workers/protocol';
import type { LowRankLayer, LowRankTruncation, ProbeAggregate, ProbeLayerResult, ProbeModelInfo, ProbeOutputs } from '../../../workers/probeProtocol';
import type { AppState, StoreDeps } from '../appState';
import type { OutputChange } from '../../analysis/checkpoints/outputChange';
import { outputChange } from '../../analysis/checkpoints/outputChange';
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { defaultPreprocessing, samplePreprocessing } from '../../analysis/probeInputs/inputSpec';
import { toSerializedError } from '../toSerializedError';

/**
 * Activation probes (issue 7; SCIENCE.md §3): the open model run on a labelled input set in the probe worker, each
 * probed layer's activations projected onto its singular directions. The files are kept from the last open so the
 * probe worker can open the same model when the user first asks for probes (never before: it costs a runtime).
 *
 * The low-rank what-if on the model's outputs (issue 9) runs the same inputs to the model's final outputs, with the
 * chosen layers at their rank-k truncation and without, and keeps the change (`outputChange`).
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

/** A finished low-rank what-if on the outputs (issue 9). */
export interface LowRankEffectResult {
  /** Per truncated layer, by the scan's tensor names, in request order: the k used and what it did to the weight. */
  readonly layers: readonly LowRankTruncation[];
  /** The outputs with the edits in force (`curves.edits`), and with the layers truncated on top of them. */
  readonly before: ProbeOutputs;
  readonly after: ProbeOutputs;
  /** Relative change, top-1 agreement, accuracy (when the width equals the class count), KL: `outputChange`. */
  readonly change: OutputChange;
  /** The input set measured (`ProbeInputSet.source`) and its size. */
  readonly inputs: { readonly source: string; readonly n: number };
  /** How many weight edits were in force (the baseline is the edited model when > 0). */
  readonly edits: number;
}

/** The state of the low-rank what-if on the outputs. */
export interface LowRankEffectState {
  readonly status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  /** What was asked last, by the scan's tensor names: each layer at rank k or at an energy fraction. */
  readonly layers: readonly LowRankLayer[];
  readonly progress: { done: number; total: number; stage: string } | null;
  readonly result: LowRankEffectResult | null;
  readonly error: SerializedError | null;
}

const IDLE_LOW_RANK: LowRankEffectState = { status: 'idle', layers: [], progress: null, result: null, error: null };

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
    /** The low-rank what-if on the model's outputs for the current inputs (issue 9). */
    lowRankEffect: LowRankEffectState;
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
  /**
   * Run the current inputs to the model's outputs as it runs now and with `layers` (the scan's tensor names) replaced by
   * their rank-k truncation, and keep the change (issue 9). The probe worker's edits are left as they were. Without a
   * runnable model or without inputs the state says why (PROBE_NOT_RUNNABLE, PROBE_NO_INPUTS).
   */
  measureLowRankEffect(layers: readonly LowRankLayer[]): Promise<void>;
  cancelLowRankEffect(): void;
}

/** The probe model's name of a scanned tensor (the sample's TF.js name for its scanned name; else the same name). */
export function probeTensorName(names: Readonly<Record<string, string>>, scanName: string): string {
  return Object.entries(names).find(([, to]) => to === scanName)?.[0] ?? scanName;
}

/** The probe model's name of the selected layer (the sample's TF.js name for its scanned name), or null when it is not probe-able. */
export function selectedProbeLayerName(state: AppState): string | null {
  const { model, names } = state.probe;
  const scanName = state.selection.tensor;
  if (!model || scanName === null) return null;
  const probeName = probeTensorName(names, scanName);
  return model.layers.some((l) => l.tensor === probeName) ? probeName : null;
}

export const createProbeSlice = (deps: StoreDeps): StateCreator<AppState, [], [], ProbeSlice> => {
  let controller: AbortController | null = null;
  /** The low-rank what-if in flight (independent of probe runs). */
  let lowRankController: AbortController | null = null;
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
    lowRankEffect: IDLE_LOW_RANK,
  });
  return (set, get) => ({
    probe: empty([], {}, DEFAULT_PROBE_OPTIONS),

    resetProbe(files, names = {}) {
      controller?.abort();
      controller = null;
      lowRankController?.abort();
      lowRankController = null;
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
      lowRankController?.abort();
      lowRankController = null;
      set((s) => ({
        probe: { ...s.probe, inputs, results: {}, resultsAggregate: null, direction: null, status: s.probe.model ? 'ready' : s.probe.status, error: null, lowRankEffect: IDLE_LOW_RANK },
      }));
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

    async measureLowRankEffect(layers) {
      const files = get().probe.files;
      lowRankController?.abort();
      const mine = new AbortController();
      lowRankController = mine;
      const update = (change: Partial<LowRankEffectState>) => {
        if (lowRankController === mine && get().probe.files === files) set((s) => ({ probe: { ...s.probe, lowRankEffect: { ...s.probe.lowRankEffect, ...change } } }));
      };
      const fail = (error: SerializedError) => update({ status: 'error', progress: null, error });
      update({ status: 'running', layers, progress: { done: 0, total: 1, stage: 'opening the model' }, error: null });
      await get().openProbeModel();
      const { model, inputs, names } = get().probe;
      if (!model) return fail(get().probe.error ?? { name: 'ProbeError', code: 'PROBE_NOT_RUNNABLE', message: 'The model could not be opened for running.' });
      if (!model.runnable) {
        return fail({
          name: 'ProbeError',
          code: 'PROBE_NOT_RUNNABLE',
          message: `The outputs cannot be measured: ${model.reason ?? 'this model cannot be run'}.`,
          remedy: 'Open an ONNX model (.onnx) or a TF.js layers model (model.json with its weight files) to run it on inputs.',
        });
      }
      if (!inputs) {
        return fail({ name: 'ProbeError', code: 'PROBE_NO_INPUTS', message: 'There is no input set to run.', remedy: 'Choose inputs on the Probe page (or the built-in set of the sample).' });
      }
      const n = inputs.labels.length;
      const edits = get().curves.edits.length;
      try {
        const effect = await deps.probeClient.lowRankEffect(
          { data: inputs.data, shape: inputs.shape },
          {
            layers: layers.map((l) => ({ ...l, tensor: probeTensorName(names, l.tensor) })),
            signal: mine.signal,
            onProgress: (progress) => update({ progress }),
          },
        );
        if (lowRankController !== mine || get().probe.inputs !== inputs) return;
        const { before, after } = effect;
        const change = outputChange(before.values, after.values, before.width, { labels: inputs.labels, classCount: inputs.classes.length });
        const result: LowRankEffectResult = {
          layers: effect.layers.map((l) => ({ ...l, tensor: names[l.tensor] ?? l.tensor })),
          before,
          after,
          change,
          inputs: { source: inputs.source, n },
          edits,
        };
        update({ status: 'done', progress: null, result });
      } catch (error) {
        const e = toSerializedError(error);
        if (e.code === 'PROBE_CANCELLED' || mine.signal.aborted) update({ status: 'cancelled', progress: null, error: null });
        else fail(e);
      } finally {
        if (lowRankController === mine) lowRankController = null;
      }
    },

    cancelLowRankEffect() {
      lowRankController?.abort();
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
