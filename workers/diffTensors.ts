/**
 * What changed from model A to model B, layer by layer (issue 9, "Differences between two models": fine-tune vs
 * base, checkpoint vs init). One core for `analyze --diff` (cli/diff.ts) and the analysis worker's `diff` request,
 * so both print identical numbers. No worker globals here.
 *
 * For every dense or conv weight both models have with the same name and shape, with W the matrix as stored
 * (dense) or the unfold matrix c_out × c_in·kh·kw (conv, SCIENCE.md §1):
 * - rel_change = ‖W_b − W_a‖_F / ‖W_a‖_F (`relativeChange`);
 * - the spectrum of ΔW = W_b − W_a (float64): delta_sv_max, delta_stable_rank = Σσ²/σ₁², delta_effective_rank
 *   (entropy effective rank, Roy & Vetterli 2007), delta_energy_rank_90 / _99 (k keeping 90 / 99 % of Σσ²),
 *   delta_matrix_rank: the σ of ΔW above the rounding floor of the stored weights,
 *   max(σ₁(W_a), σ₁(W_b))·max(N, M)·ε with ε of their dtype (2⁻²³ unless both are 64-bit, else 2⁻⁵²): a difference
 *   of two float32 matrices carries noise of that size;
 * - the alignment of the top-k left singular subspaces of W_a and W_b (`subspaceAlignment`): subspace_cos2 =
 *   ‖U_aᵀU_b‖²_F / k and the largest principal angle in degrees (Björck & Golub 1973).
 * One layer in memory at a time.
 */
import type { ShouldCancel } from '../src/analysis/cancel';
import { throwIfCancelled } from '../src/analysis/cancel';
import { deltaMatrix, matchLayers, relativeChange, subspaceAlignment } from '../src/analysis/checkpoints';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { singularValues } from '../src/analysis/linalg/singularValues';
import { effectiveRank, energyRank } from '../src/analysis/metrics/beyondWw';
import { unfoldConvKernel } from '../src/analysis/profiles';
import { convDims } from '../src/analysis/spectra/convKernel';
import { notAnalysedReason } from '../src/model/analysable';
import type { Model, TensorRef } from '../src/model/types';
import type { LayerRecord } from './layerRecords';
import { toSerializedError } from './serializeError';

const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;

/** The change of one layer from model A to model B. */
export interface DiffLayerResult {
  readonly tensor: string;
  readonly shape: readonly number[];
  /** The matrix compared: the tensor as stored, or a conv kernel's unfold matrix c_out × c_in·kh·kw. */
  readonly matrix: 'dense' | 'unfold';
  readonly rows: number;
  readonly cols: number;
  /**
   * The CLI's record columns: name, shape, N, M, rel_change, delta_sv_max, delta_stable_rank, delta_effective_rank,
   * delta_energy_rank_90, delta_energy_rank_99, delta_matrix_rank, subspace_k, subspace_cos2, max_principal_angle_deg.
   */
  readonly record: LayerRecord;
  /** σ of ΔW, descending (all min(rows, cols)). */
  readonly deltaSigma: Float64Array;
  /** Principal angles between the top-k left singular subspaces, radians ascending. */
  readonly angles: Float64Array;
  /** Top-k σ of W_a and W_b. */
  readonly sigmaA: Float64Array;
  readonly sigmaB: Float64Array;
  /** The rounding floor used for delta_matrix_rank. */
  readonly floor: number;
  /** Wall time for this layer in ms. */
  readonly ms: number;
}

/** Options of `diffTensors` and `diffModelLayers`. */
export interface DiffTensorsOptions {
  /** Singular directions compared per layer (more than min(rows, cols) compares min(rows, cols)). */
  readonly k: number;
  /** Where the Grams run (default: plain TypeScript). */
  readonly linalg?: LinalgBackend;
  /** Polled inside the decompositions; throws `AnalysisCancelled`. */
  readonly shouldCancel?: ShouldCancel;
  /** Called with the fraction of the layer done (0..1). */
  readonly onFraction?: (fraction: number) => void;
  readonly now?: () => number;
}

/** The matrix a weight's change is measured on, or null for tensors that are not 2-D dense or 4-D conv. */
function matrixKind(ref: TensorRef): 'dense' | 'unfold' | null {
  if (ref.kind === 'dense' && ref.shape.length === 2) return 'dense';
  if (ref.kind === 'conv2d' && ref.shape.length === 4) return 'unfold';
  return null;
}

async function matrixOf(ref: TensorRef, kind: 'dense' | 'unfold'): Promise<{ data: Float32Array | Float64Array; rows: number; cols: number }> {
  if (kind === 'dense') {
    const [rows = 0, cols = 0] = ref.shape;
    return { data: await ref.read(), rows, cols };
  }
  return unfoldConvKernel(await ref.read(), ref.shape, ref.layout ?? 'OIHW');
}

/** A typed array that owns its whole buffer (so the buffer can be transferred without taking others along). */
function own(values: Float64Array): Float64Array {
  return values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
}

/**
 * The change of one weight from model A (`a`) to model B (`b`).
 *
 * @param a The tensor in model A: 2-D dense or 4-D conv (any layout; compared as its OIHW unfold matrix).
 * @param b The tensor of the same name and shape in model B (each unfolded by its own layout).
 * @throws RangeError when the names or shapes differ or the tensor is not a dense or conv weight; errors of
 *   `read()` (e.g. FormatError); `AnalysisCancelled`.
 */
export async function diffTensors(a: TensorRef, b: TensorRef, options: DiffTensorsOptions): Promise<DiffLayerResult> {
  const now = options.now ?? (() => Date.now());
  const start = now();
  const { linalg, shouldCancel } = options;
  const matrix = matrixKind(a);
  if (a.name !== b.name || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]) || matrix === null || matrixKind(b) !== matrix) {
    throw new RangeError(`diffTensors: "${a.name}" [${a.shape.join(', ')}] (${a.kind}) and "${b.name}" [${b.shape.join(', ')}] (${b.kind}) are not one dense or conv weight in two models`);
  }
  const wa = await matrixOf(a, matrix);
  const wb = await matrixOf(b, matrix);
  const { rows, cols } = wa;
  throwIfCancelled(shouldCancel);
  const sv = singularValues(deltaMatrix(wa.data, wb.data), rows, cols, shouldCancel, linalg);
  options.onFraction?.(0.5);
  const s1 = sv[0] ?? 0;
  let sumSq = 0;
  for (const s of sv) sumSq += s * s;
  const align = subspaceAlignment(wa.data, wb.data, rows, cols, Math.min(options.k, rows, cols), { linalg, shouldCancel });
  const stored64 = (t: TensorRef) => /64/.test(String(t.dtype));
  const eps = stored64(a) && stored64(b) ? EPS64 : EPS32;
  const floor = Math.max(align.sigmaA[0] ?? 0, align.sigmaB[0] ?? 0) * Math.max(rows, cols) * eps;
  const angles = align.angles;
  const record: LayerRecord = {
    name: a.name,
    shape: a.shape.join('x'),
    N: Math.max(rows, cols),
    M: Math.min(rows, cols),
    rel_change: relativeChange(wa.data, wb.data),
    delta_sv_max: s1,
    delta_stable_rank: s1 > 0 ? sumSq / (s1 * s1) : 0,
    delta_effective_rank: s1 > 0 ? effectiveRank(sv) : 0,
    delta_energy_rank_90: s1 > 0 ? energyRank(sv, 0.9) : 0,
    delta_energy_rank_99: s1 > 0 ? energyRank(sv, 0.99) : 0,
    delta_matrix_rank: sv.filter((s) => s > floor).length,
    subspace_k: align.k,
    subspace_cos2: align.meanCos2,
    max_principal_angle_deg: angles.length > 0 ? ((angles[angles.length - 1] as number) * 180) / Math.PI : 0,
  };
  options.onFraction?.(1);
  return {
    tensor: a.name,
    shape: [...a.shape],
    matrix,
    rows,
    cols,
    record,
    deltaSigma: own(sv),
    angles: own(angles),
    sigmaA: own(align.sigmaA),
    sigmaB: own(align.sigmaB),
    floor,
    ms: now() - start,
  };
}

/** A layer left out of a diff, and why (one line for the UI). */
export interface NotCompared {
  readonly name: string;
  readonly detail: string;
}

/** The layers two models share, in A's order, and the ones they do not. */
export interface ModelDiffPlan {
  readonly pairs: readonly { readonly a: TensorRef; readonly b: TensorRef }[];
  readonly notCompared: readonly NotCompared[];
  /** The two models' labels as used in `notCompared` details. */
  readonly labels: readonly [string, string];
}

/** A layer a diff will compare: its name and the size of the matrix compared (rows × cols, a conv kernel unfolded). */
export interface PlannedDiffLayer {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
}

/** The layers of a plan in model A's order, with the size of each matrix compared (what a pool of workers schedules by). */
export function plannedLayers(plan: ModelDiffPlan): PlannedDiffLayer[] {
  return plan.pairs.map(({ a }) => {
    if (matrixKind(a) === 'unfold') {
      const { cOut, cIn, kh, kw } = convDims(a.shape, a.layout ?? 'OIHW');
      return { name: a.name, rows: cOut, cols: cIn * kh * kw };
    }
    const [rows = 0, cols = 0] = a.shape;
    return { name: a.name, rows, cols };
  });
}

/** The weights a diff compares: analysable (float, not a LoRA factor) 2-D dense or 4-D conv tensors. */
function weightsOf(model: Model): TensorRef[] {
  return model.tensors.filter((t) => notAnalysedReason(t) === null && matrixKind(t) !== null);
}

/**
 * Match the weight layers of two opened models by name and shape (`matchLayers`).
 *
 * @param labels Names of the two models for the details (default: their display names).
 * @param tensors Compare only these names (default: all matched); a requested name that is not a weight of
 *   both models is listed in `notCompared`.
 */
export function planModelDiff(a: Model, b: Model, options: { readonly labels?: readonly [string, string]; readonly tensors?: readonly string[] } = {}): ModelDiffPlan {
  const labels = options.labels ?? [a.name, b.name];
  const weightsA = weightsOf(a);
  const weightsB = weightsOf(b);
  const match = matchLayers(
    [weightsA, weightsB].map((ws) => ws.map((t) => ({ name: t.name, shape: t.shape }))),
    labels,
  );
  const wanted = options.tensors ? new Set(options.tensors) : null;
  const byNameA = new Map(weightsA.map((t) => [t.name, t]));
  const byNameB = new Map(weightsB.map((t) => [t.name, t]));
  const pairs = match.matched.filter(({ name }) => wanted === null || wanted.has(name)).map(({ name }) => ({ a: byNameA.get(name) as TensorRef, b: byNameB.get(name) as TensorRef }));
  const notCompared: NotCompared[] = match.mismatches.filter((m) => wanted === null || wanted.has(m.name)).map((m) => ({ name: m.name, detail: m.detail }));
  if (wanted) {
    const known = new Set([...match.matched, ...match.mismatches].map((m) => m.name));
    for (const name of wanted) if (!known.has(name)) notCompared.push({ name, detail: `not a dense or conv weight of either model (${labels[0]}, ${labels[1]})` });
  }
  return { pairs, notCompared, labels };
}

/**
 * The per-layer results of a diff, one layer at a time.
 *
 * @param onLayerStart Called before each layer with the layers done, the total and the layer's name.
 */
export async function* diffModelLayers(
  plan: ModelDiffPlan,
  options: DiffTensorsOptions & { readonly onLayerStart?: (done: number, total: number, name: string) => void },
): AsyncGenerator<DiffLayerResult> {
  for (const [i, { a, b }] of plan.pairs.entries()) {
    throwIfCancelled(options.shouldCancel);
    options.onLayerStart?.(i, plan.pairs.length, a.name);
    yield await diffTensors(a, b, options);
  }
}

/** The files of one side of a diff, for messages. */
function filesLabel(fileNames: readonly string[]): string {
  if (fileNames.length === 0) return 'no files';
  return fileNames.length === 1 ? `"${fileNames[0]}"` : `${fileNames.length} files from "${fileNames[0]}"`;
}

/**
 * The error for a side of a diff that does not open: the reader's code, file, remedy and context are kept, and
 * the message says which model it was.
 */
export function diffOpenError(side: 'A' | 'B', fileNames: readonly string[], error: unknown): Error {
  const e = toSerializedError(error);
  return Object.assign(new Error(`Model ${side} (${filesLabel(fileNames)}) could not be opened: ${e.message}`), {
    name: e.name,
    code: e.code,
    file: e.file ?? fileNames[0] ?? '',
    remedy: e.remedy ?? `Give model ${side} as a model file in a supported format.`,
    ...(e.context !== undefined ? { context: e.context } : {}),
  });
}

/** The error for two models that share no weight by name and shape (`NO_COMMON_LAYERS`). */
export function noCommonLayersError(plan: ModelDiffPlan, a: Model, b: Model): Error {
  const count = (m: Model) => {
    const n = weightsOf(m).length;
    return `${n} weight${n === 1 ? '' : 's'}`;
  };
  const example = plan.notCompared[0];
  return Object.assign(
    new Error(
      `Model A (${plan.labels[0]}, ${count(a)}) and model B (${plan.labels[1]}, ${count(b)}) have no dense or conv weight with the same name and shape${example ? `; e.g. ${example.name}: ${example.detail}` : ''}.`,
    ),
    {
      code: 'NO_COMMON_LAYERS',
      file: b.files[0]?.name ?? b.name,
      remedy: 'Compare two checkpoints of one architecture (a fine-tune and its base, a checkpoint and its init): layers are matched by tensor name and shape.',
    },
  );
}
