import type { StateCreator } from 'zustand/vanilla';
import type { SerializedError } from '../../../workers/protocol';
import type { ProbeResponses } from '../../../workers/probeProtocol';
import type { StimulusCanvas, StimulusParams, SweepGrid, SweepResponses } from '../../analysis/curves/types';
import type { CurveOptions } from '../curveOptions';
import { DEFAULT_CURVE_OPTIONS } from '../curveOptions';
import { baselineStats, defaultRadii, defaultStimulus, stimulusBatch, sweepGrid, sweepParams } from '../../analysis/curves';
import { baselineStimuli } from '../../analysis/curves/baseline';
import type { WeightEdit } from '../../analysis/curves/weightEdits';
import { curveDetectorKernel } from '../../analysis/curves/weightEdits';
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import type { AppState, StoreDeps } from '../appState';
import { toSerializedError } from '../toSerializedError';
import { selectedProbeLayerName } from './probeSlice';

/**
 * Curve circuits, live (issue 8; SCIENCE.md §4): synthetic curve / line / angle stimuli run through the model in the
 * probe worker, every unit of the selected layer (channels, and singular directions via Uᵀ) read at the position over
 * the image centre. Two sweeps: the radial sweep (θ in `thetaStepDeg` steps at one radius, for tuning curves) and the
 * orientation × curvature sweep (θ in `heatmapStepDeg` steps over a log grid of radii and the line), plus a baseline
 * set for responses in standard deviations.
 */

export type { CurveOptions } from '../curveOptions';
export { DEFAULT_CURVE_OPTIONS } from '../curveOptions';

/** One layer's responses to both sweeps and to the baseline. */
export interface LayerSweep {
  readonly layer: string;
  readonly postOp: string | null;
  readonly position: { readonly row: number; readonly col: number; readonly outHeight: number; readonly outWidth: number };
  readonly radial: { readonly channels: SweepResponses; readonly directions: SweepResponses | null };
  readonly heatmap: { readonly channels: SweepResponses; readonly directions: SweepResponses | null };
  readonly baseline: { readonly channels: Float32Array; readonly directions: Float64Array | null; readonly n: number };
  readonly sigma: Float64Array | null;
  /** The layer's weight as the model runs it now (with edits), for the circuit view; null for the first layer of a pair. */
  readonly kernel: { readonly shape: readonly number[]; readonly layout: string; readonly values: Float32Array } | null;
}

export interface CurveResult {
  /** The options the result was computed with (the stimulus part; display options may change without a rerun). */
  readonly options: CurveOptions;
  readonly canvas: StimulusCanvas;
  readonly radialGrid: SweepGrid;
  readonly heatmapGrid: SweepGrid;
  /** The selected layer, and the conv layer before it when the circuit view has one. */
  readonly layers: readonly LayerSweep[];
}

export interface CurvesSlice {
  curves: {
    status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
    options: CurveOptions;
    progress: { done: number; total: number; stage: string } | null;
    error: SerializedError | null;
    result: CurveResult | null;
    /** The unit in focus (heatmap, isolated in the radial plot), an index into channels or directions. */
    unit: number | null;
    /** Weight edits in force in the probe worker's copy of the model (never the file). */
    edits: readonly WeightEdit[];
    /** The result of the unedited model with the same stimuli, for before/after (null without edits). */
    before: CurveResult | null;
  };
  setCurveOptions(change: Partial<CurveOptions>): void;
  /** Run both sweeps and the baseline through the selected layer (and the conv layer before it). */
  runCurves(): Promise<void>;
  cancelCurves(): void;
  focusUnit(unit: number | null): void;
  /**
   * Put `edits` in force (replacing the previous ones; [] restores the file's weights) and rerun the stimuli; the
   * unedited result is kept (or computed first) for before/after.
   */
  applyEdits(edits: readonly WeightEdit[]): Promise<void>;
  /** A hand-built curve detector (`curveDetectorKernel`) as unit `unit`'s kernel in the selected layer, added to the edits. */
  replaceWithCurveDetector(unit: number, thetaDeg: number, radiusPx: number): Promise<void>;
  /** The edited model as a file (ONNX models: ONNX or safetensors; TF.js: safetensors). */
  exportEdited(format: 'onnx' | 'safetensors'): Promise<{ name: string; blob: Blob }>;
}

/** Stimuli per worker request: bounds the batch's memory (256 × 3 × 224² float32 ≈ 150 MB at most). */
const CHUNK = 256;
/** Baseline images when there is no probe input set. */
const BASELINE_COUNT = 64;
const BASELINE_SEED = 20260418;

/** Options whose change invalidates the result (the rest only change the display). */
const STIMULUS_KEYS: readonly (keyof CurveOptions)[] = ['kind', 'radiusPx', 'widthPx', 'lengthPx', 'openingDeg', 'darkOnLight', 'thetaStepDeg', 'heatmapStepDeg', 'stage'];

/** The stimulus of the options on a canvas, with the automatic radius and length filled in (θ = 0). */
export function stimulusOf(o: CurveOptions, canvas: StimulusCanvas): StimulusParams {
  const auto = defaultStimulus(canvas);
  const lengthPx = o.lengthPx ?? auto.lengthPx;
  return { kind: o.kind, thetaDeg: 0, radiusPx: o.radiusPx ?? (o.lengthPx === null ? auto.radiusPx : lengthPx / 2), widthPx: o.widthPx, lengthPx, openingDeg: o.openingDeg, darkOnLight: o.darkOnLight };
}

/** The radial sweep's stimuli: every θ at the chosen radius (a line: r = ∞). */
export function radialSweep(o: CurveOptions, canvas: StimulusCanvas): SweepGrid {
  return sweepGrid({ thetaStepDeg: o.thetaStepDeg, radiiPx: [o.kind === 'line' ? Infinity : stimulusOf(o, canvas).radiusPx] });
}

/** N × units (row-major) responses to a sweep → `SweepResponses` (unit-major: (u·R + r)·T + t). */
export function toSweepResponses(values: ArrayLike<number>, units: number, grid: SweepGrid): SweepResponses {
  const t = grid.thetasDeg.length;
  const r = grid.radiiPx.length;
  const out = new Float64Array(units * r * t);
  for (let i = 0; i < r * t; i++) for (let u = 0; u < units; u++) out[u * r * t + i] = values[i * units + u] as number;
  return { grid, units, values: out };
}

export const createCurvesSlice = (deps: StoreDeps): StateCreator<AppState, [], [], CurvesSlice> => {
  let controller: AbortController | null = null;
  return (set, get) => ({
    curves: { status: 'idle', options: DEFAULT_CURVE_OPTIONS, progress: null, error: null, result: null, unit: null, edits: [], before: null },

    setCurveOptions(change) {
      const before = get().curves.options;
      const options = { ...before, ...change };
      const stale = STIMULUS_KEYS.some((k) => options[k] !== before[k]);
      set((s) => ({ curves: { ...s.curves, options, ...(stale ? { result: null, before: null, status: s.curves.status === 'running' ? 'running' : 'idle' } : {}) } }));
    },

    async applyEdits(edits) {
      const fail = (error: unknown) => set((s) => ({ curves: { ...s.curves, status: 'error', error: toSerializedError(error) } }));
      try {
        const { result, edits: current } = get().curves;
        let before = get().curves.before;
        if (edits.length > 0 && before === null) {
          // The unedited responses to the same stimuli: the current result if it has no edits, else run them.
          if (result && current.length === 0) before = result;
          else {
            await deps.probeClient.edit([]);
            set((s) => ({ curves: { ...s.curves, edits: [] } }));
            await get().runCurves();
            before = get().curves.result;
          }
        }
        await deps.probeClient.edit(edits);
        set((s) => ({ curves: { ...s.curves, edits, before: edits.length > 0 ? before : null } }));
        await get().runCurves();
      } catch (error) {
        fail(error);
      }
    },

    async replaceWithCurveDetector(unit, thetaDeg, radiusPx) {
      const layer = selectedProbeLayerName(get());
      if (layer === null) return;
      try {
        const w = await deps.probeClient.weights(layer);
        const [inChannels, kh, kw] = w.layout === 'OIHW' ? [w.shape[1], w.shape[2], w.shape[3]] : w.layout === 'HWIO' ? [w.shape[2], w.shape[0], w.shape[1]] : [w.layout === 'out×in' ? w.shape[1] : w.shape[0], 1, 1];
        const kernel = curveDetectorKernel({ inChannels: inChannels ?? 1, kh: kh ?? 1, kw: kw ?? 1, thetaDeg, radiusPx, widthPx: 1 });
        await get().applyEdits([...get().curves.edits, { tensor: layer, op: 'replace', outUnit: unit, kernel }]);
      } catch (error) {
        set((s) => ({ curves: { ...s.curves, status: 'error', error: toSerializedError(error) } }));
      }
    },

    exportEdited(format) {
      return deps.probeClient.exportModel(format);
    },

    focusUnit(unit) {
      set((s) => ({ curves: { ...s.curves, unit } }));
    },

    cancelCurves() {
      controller?.abort();
    },

    async runCurves() {
      await get().openProbeModel();
      const { model, names, preprocessing, inputs } = get().probe;
      const probeName = selectedProbeLayerName(get());
      if (!model?.runnable || probeName === null) return;
      const index = model.layers.findIndex((l) => l.tensor === probeName);
      // The circuit view needs the conv layer before this one (when there is one).
      const previous = model.layers.slice(0, index).reverse().find((l) => /conv/i.test(l.op));
      const layers = [...(previous && /conv/i.test(model.layers[index]?.op ?? '') ? [previous.tensor] : []), probeName];

      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      const options = get().curves.options;
      const canvas: StimulusCanvas = { width: preprocessing.width, height: preprocessing.height };
      const stimulus = stimulusOf(options, canvas);
      const radialGrid = radialSweep(options, canvas);
      const heatmapGrid = sweepGrid({ thetaStepDeg: options.heatmapStepDeg, radiiPx: defaultRadii(canvas, stimulus.lengthPx) });
      const { thetaDeg: _theta, radiusPx: _radius, ...base } = stimulus;
      const radialStimuli = sweepParams(base, radialGrid);
      const heatmapStimuli = sweepParams({ ...base, kind: 'curve' }, heatmapGrid);
      const baselineList = inputs ? null : baselineStimuli(canvas, BASELINE_COUNT, BASELINE_SEED, base);
      const nBaseline = inputs ? (inputs.shape[0] ?? 0) : BASELINE_COUNT;
      const perLayer = Math.ceil(radialStimuli.length / CHUNK) + Math.ceil(heatmapStimuli.length / CHUNK) + Math.ceil(nBaseline / CHUNK);
      const total = perLayer * layers.length;
      let done = 0;
      const progress = (stage: string) => {
        if (controller === mine) set((s) => ({ curves: { ...s.curves, progress: { done, total, stage } } }));
      };
      set((s) => ({ curves: { ...s.curves, status: 'running', error: null, progress: { done: 0, total, stage: 'starting' } } }));

      /** Run a list of stimuli (or the probe inputs) through one layer in chunks; concatenated channels and directions. */
      const respond = async (layer: string, what: string, count: number, batchOf: (start: number, end: number) => { data: Float32Array; shape: readonly number[] }) => {
        const parts: ProbeResponses[] = [];
        for (let start = 0; start < count; start += CHUNK) {
          const end = Math.min(count, start + CHUNK);
          progress(`${layerLabel(layer)}: ${what} ${start + 1}–${end} of ${count}`);
          parts.push(await deps.probeClient.respond(batchOf(start, end), { layer, stage: options.stage, directions: true, signal: mine.signal }));
          done++;
        }
        return concatResponses(parts);
      };
      const layerLabel = (layer: string) => names[layer] ?? layer;
      const kernelOf = async (layer: string) => {
        const w = await deps.probeClient.weights(layer);
        return { shape: w.shape, layout: w.layout, values: w.values };
      };
      const stimuliBatch = (list: readonly StimulusParams[], p: InputPreprocessing) => (start: number, end: number) => stimulusBatch(list.slice(start, end), canvas, p);

      try {
        const sweeps: LayerSweep[] = [];
        for (const layer of layers) {
          const radial = await respond(layer, 'radial sweep', radialStimuli.length, stimuliBatch(radialStimuli, preprocessing));
          const heat = await respond(layer, 'orientation × curvature sweep', heatmapStimuli.length, stimuliBatch(heatmapStimuli, preprocessing));
          const perInput = inputs ? inputs.data.length / nBaseline : 0;
          const baseline = await respond(
            layer,
            inputs ? 'baseline (the probe inputs)' : 'baseline (random strokes)',
            nBaseline,
            inputs ? (start, end) => ({ data: inputs.data.subarray(start * perInput, end * perInput), shape: [end - start, ...inputs.shape.slice(1)] }) : stimuliBatch(baselineList ?? [], preprocessing),
          );
          const c = radial.channels.length / radialStimuli.length;
          const rank = radial.directions ? radial.directions.length / radialStimuli.length : 0;
          sweeps.push({
            layer: layerLabel(layer),
            postOp: radial.postOp,
            position: radial.position,
            radial: { channels: toSweepResponses(radial.channels, c, radialGrid), directions: radial.directions ? toSweepResponses(radial.directions, rank, radialGrid) : null },
            heatmap: { channels: toSweepResponses(heat.channels, c, heatmapGrid), directions: heat.directions ? toSweepResponses(heat.directions, rank, heatmapGrid) : null },
            baseline: { channels: baseline.channels, directions: baseline.directions, n: nBaseline },
            sigma: radial.sigma,
            kernel: sweeps.length > 0 ? await kernelOf(layer) : null,
          });
        }
        if (controller !== mine) return;
        set((s) => ({ curves: { ...s.curves, status: 'done', progress: null, result: { options, canvas, radialGrid, heatmapGrid, layers: sweeps } } }));
      } catch (error) {
        if (controller !== mine) return;
        const e = toSerializedError(error);
        set((s) => ({ curves: { ...s.curves, status: e.code === 'PROBE_CANCELLED' || mine.signal.aborted ? 'cancelled' : 'error', progress: null, error: mine.signal.aborted ? null : e } }));
      } finally {
        if (controller === mine) controller = null;
      }
    },
  });
};

/** Concatenate chunked responses of one layer (same position and σ). */
function concatResponses(parts: readonly ProbeResponses[]) {
  const first = parts[0];
  if (!first) throw new Error('no responses');
  const cat = <T extends Float32Array | Float64Array>(arrays: readonly T[], make: (n: number) => T): T => {
    const out = make(arrays.reduce((s, a) => s + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  return {
    postOp: first.postOp,
    position: { row: first.row, col: first.col, outHeight: first.outHeight, outWidth: first.outWidth },
    channels: cat(
      parts.map((p) => p.channels),
      (n) => new Float32Array(n),
    ),
    directions: first.directions
      ? cat(
          parts.map((p) => p.directions as Float64Array),
          (n) => new Float64Array(n),
        )
      : null,
    sigma: first.sigma,
  };
}

/** Each unit's baseline mean and standard deviation (for responses in σ of the baseline). */
export function baselineOf(sweep: LayerSweep, units: 'channels' | 'directions') {
  const values = units === 'channels' ? sweep.baseline.channels : sweep.baseline.directions;
  const count = units === 'channels' ? sweep.radial.channels.units : (sweep.radial.directions?.units ?? 0);
  return values ? baselineStats(values, sweep.baseline.n, count) : null;
}
