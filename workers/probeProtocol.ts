/**
 * The probe worker's typed protocol (issue 7): run a runnable model (ONNX via onnxruntime-web, TF.js layers models
 * via @tensorflow/tfjs) on a batch of inputs and return, per probed layer, each input's projection onto the layer's
 * singular directions, aggregated over positions (SCIENCE.md §3: P = Uᵀ(A − bias), mean or max).
 * Issue 8 adds a second request, `respond`: each unit's response at the spatial position over the image centre,
 * for a batch of synthetic stimuli (SCIENCE.md §4), to draw tuning curves.
 * Issue 8 part 5 (circuit editing) adds `weights` (a layer's current weight), `edit` (the complete list of weight
 * edits the session runs with from then on) and `export` (the edited model as a file). The dropped files are never
 * modified: edits live in the worker's memory only.
 * Issue 9 (low-rank what-if) adds `lowRankEffect`: the model's final outputs on a batch with the session's edits, and
 * again with chosen layers replaced by their rank-k truncation (the `lowRank` weight edit), the session's edits then
 * restored.
 * Only typed arrays and plain data cross; sessions and tensors stay in the worker.
 */
import type { WeightEdit, WeightLayout } from '../src/analysis/curves/weightEdits';
import type { FileEntry, SerializedError } from './protocol';

export type { WeightEdit, WeightLayout } from '../src/analysis/curves/weightEdits';

/** How a model's input is laid out, as far as the file says (the user can adjust it). */
export interface ProbeInputSpec {
  /** The graph input's name. */
  readonly name: string;
  /** Height and width the model expects (null when the graph leaves them free). */
  readonly height: number | null;
  readonly width: number | null;
  readonly channels: number;
  /** NCHW (ONNX convention) or NHWC (TF.js / Keras). */
  readonly layout: 'NCHW' | 'NHWC';
}

/** A layer the probe can project: a dense or conv weight whose layer input/output the runtime exposes. */
export interface ProbeLayer {
  /** The weight tensor's name, as in the scan (`ModelInfo.tensors[].name`). */
  readonly tensor: string;
  /** The op that uses it (`Conv`, `Gemm`, `MatMul`, `Conv2D`, `Dense`). */
  readonly op: string;
  /** c_out: the rows of U. */
  readonly outChannels: number;
}

/** What opening a model for probes found. */
export interface ProbeModelInfo {
  /** False for weights-only files: `reason` says so ("weights only: probes need a runnable model"). */
  readonly runnable: boolean;
  readonly reason?: string;
  readonly runtime?: 'onnxruntime-web' | 'tfjs';
  readonly input?: ProbeInputSpec;
  readonly layers: readonly ProbeLayer[];
}

/** A batch of inputs, already resized and normalised for the model, in the model's layout. */
export interface ProbeBatch {
  /** N × (the input's per-example shape), float32, in `shape` order. */
  readonly data: Float32Array;
  /** [N, C, H, W] for NCHW, [N, H, W, C] for NHWC. */
  readonly shape: readonly number[];
}

/** How positions are aggregated (SCIENCE.md §3: mean by default). */
export type ProbeAggregate = 'mean' | 'max';

/** One probed layer's result for the whole batch. */
export interface ProbeLayerResult {
  readonly tensor: string;
  /** 'dense' or 'conv unfold' (c_out × c_in·kh·kw), the definition U comes from. */
  readonly definition: string;
  /** r = number of singular directions (rows of P). */
  readonly rank: number;
  /** σ_1 ≥ … ≥ σ_r of the same matrix. */
  readonly sigma: Float64Array;
  /** N × r row-major: input n's aggregated projection onto direction k. */
  readonly aggregates: Float64Array;
}

/**
 * Which value of a layer a `respond` request reads: 'pre' = the layer's own output A (conv / dense output with its
 * bias, before any nonlinearity); 'post' = the output of the first nonlinearity after it (see `ProbeResponses.postOp`).
 */
export type ProbeStage = 'pre' | 'post';

/**
 * One layer's responses to a batch at the read-out position (issue 8, SCIENCE.md §4).
 *
 * The read-out position is the output position whose receptive-field centre is nearest the image centre, by the
 * geometric scale between input and output: row = round(outHeight · (inHeight/2) / inHeight − ½), col likewise,
 * ties (even sizes) to the larger index; see `centreReadout` in workers/probe/centreReadout.ts.
 */
export interface ProbeResponses {
  readonly tensor: string;
  readonly stage: ProbeStage;
  /**
   * The op (ONNX, e.g. 'Relu', 'HardSwish', 'Swish' for x·Sigmoid(x)) or activation / layer (TF.js, e.g. 'relu',
   * 'LeakyReLU') whose output is the post-activation; null for stage 'pre'.
   */
  readonly postOp: string | null;
  /** The layer's output grid (a dense layer: 1 × 1; a sequence of T positions: 1 × T). */
  readonly outHeight: number;
  readonly outWidth: number;
  /** The read-out position in that grid. */
  readonly row: number;
  readonly col: number;
  /** N × c_out row-major: each channel's value at (row, col), of the requested stage. */
  readonly channels: Float32Array;
  /**
   * N × rank row-major, or null when not requested: Uᵀ(a − b) at (row, col), U and b as `run` projects them
   * (SCIENCE.md §3). Always of the PRE-activation a, whatever the stage: singular directions are defined by the
   * layer's linear map, so with stage 'post' they come alongside the post-activation channels, from the same run.
   */
  readonly directions: Float64Array | null;
  /** σ_1 ≥ … ≥ σ_r (rank = its length), or null when directions were not requested. */
  readonly sigma: Float64Array | null;
}

/** A probe-able layer's weight as the session runs it now (the file's values with the current edits applied). */
export interface ProbeWeights {
  /** A tensor name from `ProbeModelInfo.layers`. */
  readonly tensor: string;
  /** As stored, in `layout` order: [c_out, c_in, kh, kw] (OIHW), [kh, kw, c_in, c_out] (HWIO), [out, in] or [in, out]. */
  readonly shape: readonly number[];
  readonly layout: WeightLayout;
  /** float32, row-major in `layout` order. */
  readonly values: Float32Array;
}

/**
 * What an export writes: 'onnx' = the ONNX file itself with the edited values in place (ONNX models only; the probe's
 * extra graph outputs are not in it); 'safetensors' = every float tensor of the model as F32, edits applied.
 */
export type ProbeExportFormat = 'onnx' | 'safetensors';

/**
 * Values of each input's model output a `lowRankEffect` returns at most: the first PROBE_OUTPUT_VALUES_CAP in
 * row-major order (a classifier's logits fit whole; a dense map, e.g. a segmentation, is cut, and `ProbeOutputs`
 * says so).
 */
export const PROBE_OUTPUT_VALUES_CAP = 16384;

/** The model's (first) output for each input of a batch. */
export interface ProbeOutputs {
  /** The output's name: the ONNX graph's first output, the Keras model's first output. */
  readonly name: string;
  /** Its dimensions per input, as the model gives them (without the batch axis). */
  readonly dims: readonly number[];
  /** Values kept per input: min(Π dims, PROBE_OUTPUT_VALUES_CAP); fewer than Π dims means the output was cut. */
  readonly width: number;
  /** N × width row-major, float32: each input's output flattened in row-major order, its first `width` values. */
  readonly values: Float32Array;
}

/**
 * A layer to truncate in `lowRankEffect`: at rank k, or at the smallest k whose top σ² hold at least `energy` of Σσ²
 * (`rankForEnergy`), σ of the weight the session runs now as the matrix the analysis sees (dense out × in, conv
 * c_out × c_in·kh·kw; SCIENCE.md §1).
 */
export type LowRankLayer = { readonly tensor: string; readonly k: number } | { readonly tensor: string; readonly energy: number };

/** What truncating one layer did to its weight W (the session's current values) → W_k. */
export interface LowRankTruncation {
  readonly tensor: string;
  /** The rank used: the one asked, or the energy rank, at most `fullRank`. */
  readonly k: number;
  /** min(rows, cols) of the matrix: k ≥ fullRank leaves W as it is. */
  readonly fullRank: number;
  /** ‖W_k‖²_F / ‖W‖²_F = Σ_{j≤k} σⱼ² / Σ σⱼ² (1 for W = 0). */
  readonly energyKept: number;
  /** ‖W − W_k‖_F / ‖W‖_F (0 for W = 0). */
  readonly relativeError: number;
}

/** The answer to `lowRankEffect`. */
export interface ProbeLowRankEffect {
  /** The outputs with the session's current edits (the model as it runs now). */
  readonly before: ProbeOutputs;
  /** The outputs with the chosen layers truncated on top of those edits. */
  readonly after: ProbeOutputs;
  /** One per truncated layer, in request order. */
  readonly layers: readonly LowRankTruncation[];
}

export type ProbeRequest =
  | { readonly id: number; readonly kind: 'open'; readonly files: readonly FileEntry[] }
  | {
      readonly id: number;
      readonly kind: 'run';
      readonly batch: ProbeBatch;
      readonly layers: readonly string[];
      readonly aggregate: ProbeAggregate;
    }
  | {
      readonly id: number;
      readonly kind: 'respond';
      readonly batch: ProbeBatch;
      /** A tensor name from `ProbeModelInfo.layers`. */
      readonly layer: string;
      readonly stage: ProbeStage;
      /** Also project onto the layer's singular directions (of the pre-activation, see `ProbeResponses`). */
      readonly directions: boolean;
    }
  /** The current values of a probe-able layer's weight (answered by `weights`). */
  | { readonly id: number; readonly kind: 'weights'; readonly tensor: string }
  /**
   * Run with these edits from now on (answered by `edited`): the COMPLETE list, applied in order to the file's
   * values, replacing any earlier list; an empty list restores the file's weights.
   */
  | { readonly id: number; readonly kind: 'edit'; readonly edits: readonly WeightEdit[] }
  /** The model with the current edits as a file (answered by `exported`). */
  | { readonly id: number; readonly kind: 'export'; readonly format: ProbeExportFormat }
  /**
   * The model's outputs on the batch with the current edits, then with `layers` truncated (`lowRank` edits appended to
   * the current list), the current list restored before the answer, also on failure or cancel (answered by
   * `lowRankEffect`). One entry per tensor: a later entry replaces an earlier one. Holds the session alone.
   */
  | { readonly id: number; readonly kind: 'lowRankEffect'; readonly batch: ProbeBatch; readonly layers: readonly LowRankLayer[] }
  | { readonly id: number; readonly kind: 'cancel'; readonly target: number };

export type ProbeResponse =
  | { readonly id: number; readonly kind: 'opened'; readonly info: ProbeModelInfo }
  | { readonly id: number; readonly kind: 'progress'; readonly done: number; readonly total: number; readonly stage: string }
  | { readonly id: number; readonly kind: 'result'; readonly layers: readonly ProbeLayerResult[] }
  | { readonly id: number; readonly kind: 'responses'; readonly result: ProbeResponses }
  | ({ readonly id: number; readonly kind: 'weights' } & ProbeWeights)
  /** The tensors whose values now differ from the file's, in the order of `ProbeModelInfo.layers`. */
  | { readonly id: number; readonly kind: 'edited'; readonly tensors: readonly string[] }
  /** A file name for the export (e.g. `line-detector.edited.onnx`) and its bytes. */
  | { readonly id: number; readonly kind: 'exported'; readonly name: string; readonly blob: Blob }
  | { readonly id: number; readonly kind: 'lowRankEffect'; readonly result: ProbeLowRankEffect }
  | { readonly id: number; readonly kind: 'error'; readonly error: SerializedError };
