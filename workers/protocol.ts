/**
 * The typed message protocol between the main thread (`src/compute/analysisClient.ts`) and
 * `workers/analysis.worker.ts`. Types and tiny guards only: both sides import this file.
 *
 * Every request carries an `id`; every response names the request it answers. Long requests stream
 * `progress` and `layer` messages before their final `done` or `error`. Cancellation is cooperative:
 * a shared Int32 flag (when the page is cross-origin isolated) checked inside the numeric loops, or a
 * `cancel` message checked between layers; the client terminates the worker as a last resort.
 */
import type { ModelInfo } from '../src/model/types';
import type { ConvDefinition, LayerSpectrum } from '../src/analysis/spectra/layerSpectrum';
import type { LayerReport } from '../src/analysis/metrics/layerReport';
import type { RandomizedLayerEsd } from '../src/analysis/metrics/layerRandomization';
import type { WwLayerFilters } from '../src/analysis/metrics/layerFilters';
import type { EigenvalueNormalization } from '../src/analysis/metrics/layerMetrics';
import type { SingularVectorsResult } from './tensorVectors';
import type { DiffLayerResult, NotCompared, PlannedDiffLayer } from './diffTensors';

export type { SingularVectorsResult } from './tensorVectors';
export type { DiffLayerResult, NotCompared, PlannedDiffLayer } from './diffTensors';
import type { LowRankLayerSummary, LowRankPlanEntry } from './exportLowRank';
export type { LowRankLayerSummary, LowRankPlanEntry } from './exportLowRank';
export type { RandomizedLayerEsd } from '../src/analysis/metrics/layerRandomization';

/** How a scan computes: the conv definition, the MP fit, WW's layer filters. Defaults are WeightWatcher's. */
export interface AnalysisSettings {
  readonly conv?: ConvDefinition;
  /** Input size n of the `operator` conv definition. */
  readonly operatorInputSize?: number;
  readonly mpFit?: boolean;
  /**
   * How λ is scaled before the fits (SCIENCE.md §1): `none` (default) is WeightWatcher's λ = σ²; `per-row`
   * divides by the rows (DeepDataProfiler's λ/c_out); `mp` divides by N (random-matrix scaling).
   */
  readonly normalization?: EigenvalueNormalization;
  readonly filters?: Partial<WwLayerFilters>;
  /**
   * The spectrum's tail: `auto` (default) recomputes a matrix's small σ by QR + one-sided Jacobi when the Gram
   * route's σ_min < 1e-6·σ_max (near its noise floor); `always` does so for every matrix (exact tail, slower);
   * `off` keeps the Gram route alone (σ below ~1e-8·σ_max are noise).
   */
  readonly exactTail?: 'auto' | 'always' | 'off';
  /** Also shuffle each layer's entries (seeded) and compare ESDs: rand_distance, ww_softrank, correlation traps. */
  readonly randomize?: boolean;
  readonly randomizeSeed?: number;
  /**
   * Split a large dense layer's Gram across threads sharing one WebAssembly memory: `auto` (default) from
   * 1e10 multiply-adds (e.g. a 50257×768 embedding), `always`, or `off`. Results are identical either way.
   */
  readonly parallelGram?: 'auto' | 'always' | 'off';
  /** Force the plain-TypeScript linear algebra (default: WASM SIMD where available). */
  readonly linalg?: 'auto' | 'typescript';
}

/** An input file as posted to the worker (a `File` is a `Blob`; posting it copies no bytes). */
export interface FileEntry {
  readonly name: string;
  readonly blob: Blob;
}

/** An error in a form that survives structured cloning, rebuilt on the main thread. */
export interface SerializedError {
  readonly name: string;
  /** Stable code, e.g. `BAD_HEADER_JSON`, `WORKER_CRASHED`, `CANCELLED`. */
  readonly code: string;
  readonly message: string;
  /** The file concerned, when there is one. */
  readonly file?: string;
  /** One line telling the user what to do. */
  readonly remedy?: string;
  /** Extra detail, e.g. the file's first and last bytes in hex. */
  readonly context?: string;
}

/** The singular values of one tensor, with the definition that produced them (see `computeLayerSpectrum`). */
export type SpectrumResult = LayerSpectrum;
export type { SpectrumDefinition } from '../src/analysis/spectra/layerSpectrum';

/** The outcome for one tensor of a scan. */
export type LayerResult =
  | {
      readonly tensor: string;
      readonly status: 'ok';
      readonly spectrum: SpectrumResult;
      /** The layer's metrics and plot data (WW columns, detX, beyond-WW), from the same code as the CLI. */
      readonly report: LayerReport;
      /**
       * The seeded shuffled copy's ESD (λ in the report's units) and its MP fit, when `settings.randomize` was on
       * and WeightWatcher can randomise the layer. Its columns are in `report.columns`; this is what a plot needs.
       */
      readonly randomized?: RandomizedLayerEsd;
      /** Wall time for this tensor in ms, and the part of it spent reading and decoding its bytes. */
      readonly ms: number;
      readonly readMs: number;
      /** The part spent on the metrics and fits (the rest of `ms − readMs` is the singular values). */
      readonly metricsMs: number;
    }
  | { readonly tensor: string; readonly status: 'non-finite'; readonly nanCount: number; readonly infCount: number }
  | { readonly tensor: string; readonly status: 'failed'; readonly error: SerializedError };

export type AnalysisRequest =
  /** Open a model from one or more files; replaces any model the worker holds. */
  | { readonly id: number; readonly kind: 'open'; readonly files: readonly FileEntry[] }
  /**
   * Compute spectra of the named tensors of the open model, in order. `cancelFlag`, when given,
   * is an Int32Array over a SharedArrayBuffer whose element 0 the client sets to 1 to cancel.
   */
  | {
      readonly id: number;
      readonly kind: 'analyze';
      readonly tensors: readonly string[];
      readonly settings?: AnalysisSettings;
      readonly cancelFlag?: Int32Array;
    }
  /** The top `k` singular triplets (σ, U, V) of one tensor of the open model. */
  | { readonly id: number; readonly kind: 'vectors'; readonly tensor: string; readonly k: number; readonly settings?: AnalysisSettings }
  /**
   * Compare two models layer by layer (ΔW = W_b − W_a, workers/diffTensors.ts). Both file sets are opened as two
   * separate models for this request only (the model held for scans stays as it is) and disposed at the end.
   * `k` (default 10): singular directions compared; `tensors`: only these names (default: every matched weight).
   * Answered by `progress` and `diffLayer` messages, then `diffDone`. With `planOnly`, the layers are matched and
   * nothing is computed: answered by `diffPlanned` (or `diffDone` when cancelled while opening), so a pool of
   * workers can hand the layers out one at a time (`tensors: [name]` each).
   */
  | {
      readonly id: number;
      readonly kind: 'diff';
      readonly filesA: readonly FileEntry[];
      readonly filesB: readonly FileEntry[];
      readonly k?: number;
      readonly tensors?: readonly string[];
      readonly planOnly?: boolean;
      readonly cancelFlag?: Int32Array;
    }
  /**
   * The open model with chosen layers replaced by their best rank-k approximation, as safetensors
   * (workers/exportLowRank.ts): `form` 'truncated' writes W_k in each layer's stored shape, 'factors' the pair
   * U√Σ, √ΣVᵀ. Untouched tensors are slices of the source file (no copy). Answered by `progress`, then `exported`.
   */
  | {
      readonly id: number;
      readonly kind: 'exportLowRank';
      readonly plan: readonly LowRankPlanEntry[];
      readonly form: 'truncated' | 'factors';
      readonly cancelFlag?: Int32Array;
    }
  /** Cancel request `target` (checked between layers when no shared flag is available). */
  | { readonly id: number; readonly kind: 'cancel'; readonly target: number };

export type AnalysisResponse =
  | { readonly id: number; readonly kind: 'opened'; readonly model: ModelInfo }
  | {
      readonly id: number;
      readonly kind: 'progress';
      /** Tensors finished so far, and in all. */
      readonly done: number;
      readonly total: number;
      /** The tensor being worked on and the fraction of it done (0..1). */
      readonly tensor: string;
      readonly fraction: number;
    }
  | { readonly id: number; readonly kind: 'layer'; readonly result: LayerResult }
  | { readonly id: number; readonly kind: 'done'; readonly cancelled: boolean }
  | { readonly id: number; readonly kind: 'vectors'; readonly result: SingularVectorsResult }
  /** One compared layer of a `diff` (its typed arrays are transferred). */
  | { readonly id: number; readonly kind: 'diffLayer'; readonly result: DiffLayerResult }
  /**
   * A `diff` ended (`cancelled` when stopped early). `notCompared`: the layers not in both models with one shape,
   * with the reason; `labels`: the two models' names as the details use them.
   */
  | { readonly id: number; readonly kind: 'diffDone'; readonly cancelled: boolean; readonly notCompared: readonly NotCompared[]; readonly labels: readonly [string, string] }
  /** The answer to a `planOnly` diff: the layers a diff compares (model A's order), those it does not, the labels. */
  | { readonly id: number; readonly kind: 'diffPlanned'; readonly layers: readonly PlannedDiffLayer[]; readonly notCompared: readonly NotCompared[]; readonly labels: readonly [string, string] }
  /** The low-rank model of an `exportLowRank`: the file, its suggested name, what each layer kept, notes. */
  | { readonly id: number; readonly kind: 'exported'; readonly name: string; readonly blob: Blob; readonly summary: readonly LowRankLayerSummary[]; readonly notes: readonly string[] }
  | { readonly id: number; readonly kind: 'error'; readonly error: SerializedError };

/** Guard for messages arriving on the main thread. */
export function isAnalysisResponse(value: unknown): value is AnalysisResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; kind?: unknown };
  return (
    typeof v.id === 'number' &&
    (v.kind === 'opened' ||
      v.kind === 'progress' ||
      v.kind === 'layer' ||
      v.kind === 'done' ||
      v.kind === 'error' ||
      v.kind === 'vectors' ||
      v.kind === 'diffLayer' ||
      v.kind === 'diffDone' ||
      v.kind === 'diffPlanned' ||
      v.kind === 'exported')
  );
}

/** Guard for messages arriving in the worker. */
export function isAnalysisRequest(value: unknown): value is AnalysisRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; kind?: unknown };
  return typeof v.id === 'number' && (v.kind === 'open' || v.kind === 'analyze' || v.kind === 'cancel' || v.kind === 'vectors' || v.kind === 'diff' || v.kind === 'exportLowRank');
}
