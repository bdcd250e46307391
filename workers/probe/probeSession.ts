/**
 * What every runnable model does on a probe run, whatever runs it (SCIENCE.md §3): check the batch against the
 * model's input, compute each requested layer's singular directions U once (dense W as out × in, conv kernels
 * as their unfold matrix; cached for the session), feed the batch in chunks to the runtime adapter, and project
 * each chunk's activations: P = Uᵀ(A − bias), aggregated over positions. Cancellation is checked between
 * chunks and inside the SVD; progress is one step per layer SVD and per chunk.
 *
 * `respond` (issue 8) runs the same chunks but reads one position of one layer, the one over the image centre:
 * its channels before or after the layer's nonlinearity, and optionally Uᵀ(A − bias) there.
 *
 * Circuit editing (issue 8, part 5; weightEditor.ts): `edit` sets the weight edits the session runs with, `weights`
 * reads a layer's current weight, `exportModel` writes the edited model. An edit waits for running requests and
 * holds the session alone (sessionLock.ts), then drops the cached U of the layers it changed.
 *
 * `lowRankEffect` (issue 9; lowRankEffect.ts) runs the batch to the model's outputs before and after truncating chosen
 * layers, holding the session alone, and restores the session's edits.
 */
import type { WeightEdit } from '../../src/analysis/curves/weightEdits';
import type { ConvLayout, Model, TensorRef } from '../../src/model/types';
import { projectAggregateBatch } from '../../src/analysis/profiles/index';
import type {
  ProbeAggregate,
  ProbeBatch,
  ProbeExportFormat,
  ProbeInputSpec,
  ProbeLayer,
  LowRankLayer,
  ProbeLayerResult,
  ProbeLowRankEffect,
  ProbeModelInfo,
  ProbeResponses,
  ProbeStage,
  ProbeWeights,
} from '../probeProtocol';
import { centreReadout } from './centreReadout';
import { checkBatch, chunkedRun, neuronCache } from './chunkedRun';
import { measureLowRankEffect } from './lowRankEffect';
import { ProbeError } from './probeErrors';
import { sessionLock } from './sessionLock';
import { createWeightEditor } from './weightEditor';

export { checkBatch } from './chunkedRun';

/** Callbacks of one run. */
export interface ProbeHooks {
  /** Polled between chunks and inside the SVD; true stops the run with PROBE_CANCELLED. */
  readonly shouldCancel?: () => boolean;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

/** An open model, ready to probe. */
export interface ProbeSession {
  readonly info: ProbeModelInfo;
  /**
   * Project the batch's activations of `layers` (tensor names from `info.layers`) onto their singular directions.
   *
   * @throws ProbeError PROBE_NOT_RUNNABLE, PROBE_INPUT_SHAPE, PROBE_NO_SUCH_LAYER, PROBE_RUN_FAILED, PROBE_CANCELLED
   */
  run(batch: ProbeBatch, layers: readonly string[], aggregate: ProbeAggregate, hooks?: ProbeHooks): Promise<ProbeLayerResult[]>;
  /**
   * Each unit's response to each input at the position over the image centre (`centreReadout`): the channels of
   * `stage`, and with `directions` the projection Uᵀ(a − b) of the pre-activation there (issue 8; SCIENCE.md §4).
   * Chunks, progress and cancellation as `run`.
   *
   * @throws ProbeError as `run`, and PROBE_NO_ACTIVATION for stage 'post' on a layer with no nonlinearity after it
   */
  respond(batch: ProbeBatch, layer: string, options: { readonly stage: ProbeStage; readonly directions: boolean }, hooks?: ProbeHooks): Promise<ProbeResponses>;
  /**
   * A layer's weight as the session runs it (the file's values with the current edits).
   *
   * @throws ProbeError PROBE_NOT_RUNNABLE, PROBE_NO_SUCH_LAYER
   */
  weights(layer: string): Promise<ProbeWeights>;
  /**
   * Run with `edits` from now on: the complete list, applied in order to the file's values (an empty list restores
   * them). Returns the tensors whose values now differ from the file's, in `info.layers` order.
   *
   * @throws ProbeError PROBE_NOT_RUNNABLE, PROBE_NO_SUCH_LAYER, PROBE_BAD_EDIT, PROBE_RUN_FAILED (the runtime could not
   *   load the edited model; the previous edits stay in force)
   */
  edit(edits: readonly WeightEdit[]): Promise<string[]>;
  /**
   * The model with the current edits as a file: 'onnx' (ONNX models: the file itself, edited values in place),
   * 'safetensors' (every float tensor as F32, with `edited_by`, `source`, `edits` metadata).
   *
   * @throws ProbeError PROBE_NOT_RUNNABLE, PROBE_EXPORT_UNSUPPORTED (ONNX of a TF.js model)
   */
  exportModel(format: ProbeExportFormat): Promise<{ name: string; blob: Blob }>;
  /**
   * The model's outputs on the batch with the current edits, then with `layers` replaced by their rank-k truncation
   * (appended to the current edits); the current edits are in force again when it settles, whatever happens.
   * Progress: one step per energy-rank SVD, per chunk of each run, for the truncation and for the restore.
   *
   * @throws ProbeError as `run`, and PROBE_BAD_EDIT (a k that is not a non-negative integer, an energy outside (0, 1],
   *   a weight that is not float)
   */
  lowRankEffect(batch: ProbeBatch, layers: readonly LowRankLayer[], hooks?: ProbeHooks): Promise<ProbeLowRankEffect>;
  dispose(): void;
}

/** How a layer's weight becomes the matrix W whose left singular vectors are U. */
export type LayerMatrix = { readonly kind: 'dense'; readonly orientation: 'out×in' | 'in×out' } | { readonly kind: 'conv'; readonly layout: ConvLayout };

/**
 * A layer's post-activation, as its adapter found it: the op whose output it is, or why there is none (for
 * PROBE_NO_ACTIVATION's message, e.g. 'its Conv output "c1" goes to MaxPool "pool1"').
 */
export type PostActivation = { readonly op: string } | { readonly missing: string };

/** A probe-able layer with what the session needs to compute its U. */
export interface RunnableLayer extends ProbeLayer {
  readonly weight: TensorRef;
  readonly matrix: LayerMatrix;
  readonly postActivation: PostActivation;
}

/** One layer's activations for a chunk of n inputs. */
export interface LayerActivation {
  /** A, n × c_out × positions row-major (float32 as the runtime computes it). */
  readonly data: Float32Array;
  readonly positions: number;
  /** The positions as a grid, row-major: height × width = positions (dense: 1 × 1; a sequence of T: 1 × T). */
  readonly height: number;
  readonly width: number;
  /** The bias to subtract (length c_out), or null when A has none in it. */
  readonly bias: ArrayLike<number> | null;
  /** The post-activation, laid out as `data`, when it was asked for (`{ post: true }`). */
  readonly post?: Float32Array;
}

/** What a runtime adapter (onnxruntime-web, tfjs) provides to a session. */
export interface ActivationSource {
  readonly runtime: NonNullable<ProbeModelInfo['runtime']>;
  readonly input: ProbeInputSpec;
  readonly layers: readonly RunnableLayer[];
  /** Inputs per runtime call (the adapter pads or splits further if its model needs it). */
  readonly chunkSize: number;
  /**
   * Run n inputs (`shape` = [n, …] in the input's layout) and return the activations of `layers`, by tensor name,
   * with their post-activations when `options.post` (only asked of layers whose `postActivation` has an op).
   * Throws whatever the runtime throws (the session reports it as PROBE_RUN_FAILED).
   */
  activations(data: Float32Array, shape: readonly number[], layers: readonly RunnableLayer[], options?: { readonly post?: boolean }): Promise<Map<string, LayerActivation>>;
  /** The model as our reader opened it: every tensor, by the names the scan shows (the safetensors export). */
  readonly model: Model;
  /**
   * Run with these weights from now on instead of the file's (by layer tensor name, float32 in stored order); a
   * layer not in the map runs with the file's values. Leaves the previous weights in force when it throws.
   */
  setWeights(weights: ReadonlyMap<string, Float32Array>): Promise<void>;
  /**
   * The model's first output for n inputs (`shape` = [n, …] in the input's layout): its name, its dimensions per
   * input (without the batch axis) and its values, n × Π dims row-major. Throws whatever the runtime throws.
   */
  outputs(data: Float32Array, shape: readonly number[]): Promise<{ name: string; dims: readonly number[]; data: Float32Array }>;
  /** The model file itself with `weights` in place, as Blob parts (absent when the format cannot be written). */
  exportOnnx?(weights: ReadonlyMap<string, Float32Array>): Promise<Uint8Array[]>;
  dispose(): void;
}

/** The batch's image height and width. */
const imageSize = (batch: ProbeBatch, spec: ProbeInputSpec): [number, number] =>
  spec.layout === 'NCHW' ? [batch.shape[2] as number, batch.shape[3] as number] : [batch.shape[1] as number, batch.shape[2] as number];

/**
 * A session over a runtime adapter: checks, U cache, chunked runs, projection.
 *
 * @param source the runtime adapter (disposed with the session)
 */
export function createProbeSession(source: ActivationSource): ProbeSession {
  const byName = new Map(source.layers.map((l) => [l.tensor, l]));
  const lock = sessionLock();
  const info: ProbeModelInfo = {
    runnable: true,
    runtime: source.runtime,
    input: source.input,
    layers: source.layers.map(({ tensor, op, outChannels }) => ({ tensor, op, outChannels })),
  };
  const layerNamed = (name: string): RunnableLayer => {
    const layer = byName.get(name);
    if (!layer) {
      throw new ProbeError('PROBE_NO_SUCH_LAYER', `"${name}" is not a layer this model can probe.`, {
        remedy: `Choose among the model's probe-able layers (${source.layers.length}): dense and conv weights used by a ${[...new Set(source.layers.map((l) => l.op))].join('/') || 'Conv/Gemm/MatMul'} op.`,
      });
    }
    return layer;
  };
  const editor = createWeightEditor(source, layerNamed);
  const neurons = neuronCache(editor.editedValues);
  return {
    info,
    run: (batch, names, aggregate, hooks = {}) => lock.shared(async () => {
      const layers = [...new Set(names)].map(layerNamed);
      const n = checkBatch(batch, source.input);
      const out = new Map<string, Float64Array>();
      await chunkedRun(source, neurons, batch, layers, layers, { post: false }, hooks, (acts, start, m) => {
        for (const layer of layers) {
          const act = acts.get(layer.tensor) as LayerActivation;
          const { neurons: u } = neurons.get(layer);
          let values = out.get(layer.tensor);
          if (!values) out.set(layer.tensor, (values = new Float64Array(n * u.rank)));
          values.set(projectAggregateBatch(u, act.data, m, act.positions, act.bias, aggregate), start * u.rank);
        }
      });
      return layers.map((layer) => {
        const { definition, neurons: u } = neurons.get(layer);
        // σ is copied: the cached one must survive the transfer of the result's buffers.
        return { tensor: layer.tensor, definition, rank: u.rank, sigma: u.sigma.slice(), aggregates: out.get(layer.tensor) ?? new Float64Array(0) };
      });
    }),

    respond: (batch, name, { stage, directions }, hooks = {}) => lock.shared(async () => {
      const layer = layerNamed(name);
      const post = stage === 'post';
      const { postActivation } = layer;
      if (post && 'missing' in postActivation) {
        throw new ProbeError('PROBE_NO_ACTIVATION', `Layer "${layer.tensor}" has no post-activation to read: ${postActivation.missing}.`, {
          remedy: 'Use the pre-activation (the layer’s own output) for this layer.',
        });
      }
      const n = checkBatch(batch, source.input);
      const [inHeight, inWidth] = imageSize(batch, source.input);
      const c = layer.outChannels;
      const channels = new Float32Array(n * c);
      let grid = { outHeight: 0, outWidth: 0, row: 0, col: 0 };
      let projected: Float64Array | null = null;
      await chunkedRun(source, neurons, batch, [layer], directions ? [layer] : [], { post }, hooks, (acts, start, m) => {
        const act = acts.get(layer.tensor) as LayerActivation;
        grid = { outHeight: act.height, outWidth: act.width, ...centreReadout(inHeight, inWidth, act.height, act.width) };
        const p = grid.row * act.width + grid.col;
        const values = post ? (act.post as Float32Array) : act.data;
        const pre = new Float32Array(m * c);
        for (let i = 0; i < m; i++)
          for (let o = 0; o < c; o++) {
            const at = (i * c + o) * act.positions + p;
            channels[(start + i) * c + o] = values[at] as number;
            pre[i * c + o] = act.data[at] as number;
          }
        if (!directions) return;
        const { neurons: u } = neurons.get(layer);
        projected ??= new Float64Array(n * u.rank);
        // One position: the 'mean' aggregate is Uᵀ(a − b) at (row, col) itself.
        projected.set(projectAggregateBatch(u, pre, m, 1, act.bias, 'mean'), start * u.rank);
      });
      return {
        tensor: layer.tensor,
        stage,
        postOp: post && 'op' in postActivation ? postActivation.op : null,
        ...grid,
        channels,
        directions: projected,
        // σ is copied: the cached one must survive the transfer of the result's buffers.
        sigma: directions ? neurons.get(layer).neurons.sigma.slice() : null,
      };
    }),

    weights: (name) => lock.shared(() => editor.weights(layerNamed(name))),

    edit: (edits) => lock.exclusive(() => editor.edit(edits, (changed) => neurons.invalidate(changed))),

    exportModel: (format) => lock.shared(() => editor.exportModel(format)),

    lowRankEffect: (batch, layers, hooks = {}) => lock.exclusive(() => measureLowRankEffect({ source, editor, neurons, layerNamed }, batch, layers, hooks)),

    dispose() {
      neurons.clear();
      source.dispose();
    },
  };
}

/** A session for a model without a runnable graph: it says why, and refuses to run. */
export function notRunnableSession(reason: string, extra: Pick<ProbeModelInfo, 'runtime' | 'input'> = {}): ProbeSession {
  const refuse = () => Promise.reject(new ProbeError('PROBE_NOT_RUNNABLE', reason, { remedy: 'Open an ONNX model (.onnx) or a TF.js layers model (model.json with its weight files) to run probes.' }));
  return {
    info: { runnable: false, reason, ...extra, layers: [] },
    run: refuse,
    respond: refuse,
    weights: refuse,
    edit: refuse,
    exportModel: refuse,
    lowRankEffect: refuse,
    dispose() {},
  };
}
