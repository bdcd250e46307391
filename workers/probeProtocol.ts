/**
 * The probe worker's typed protocol (issue 7): run a runnable model (ONNX via onnxruntime-web, TF.js layers models
 * via @tensorflow/tfjs) on a batch of inputs and return, per probed layer, each input's projection onto the layer's
 * singular directions, aggregated over positions (SCIENCE.md §3: P = Uᵀ(A − bias), mean or max).
 * Only typed arrays and plain data cross; sessions and tensors stay in the worker.
 */
import type { FileEntry, SerializedError } from './protocol';

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

export type ProbeRequest =
  | { readonly id: number; readonly kind: 'open'; readonly files: readonly FileEntry[] }
  | {
      readonly id: number;
      readonly kind: 'run';
      readonly batch: ProbeBatch;
      readonly layers: readonly string[];
      readonly aggregate: ProbeAggregate;
    }
  | { readonly id: number; readonly kind: 'cancel'; readonly target: number };

export type ProbeResponse =
  | { readonly id: number; readonly kind: 'opened'; readonly info: ProbeModelInfo }
  | { readonly id: number; readonly kind: 'progress'; readonly done: number; readonly total: number; readonly stage: string }
  | { readonly id: number; readonly kind: 'result'; readonly layers: readonly ProbeLayerResult[] }
  | { readonly id: number; readonly kind: 'error'; readonly error: SerializedError };
