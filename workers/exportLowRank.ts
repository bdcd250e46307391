/**
 * Export a model with some layers replaced by their best rank-k approximation, as safetensors (issue 9): either
 * the truncated weights W_k in each tensor's own shape, layout and dtype, or the balanced factor pairs
 * U_k·√Σ_k and √Σ_k·V_kᵀ (src/analysis/checkpoints/truncate.ts). No worker globals: the analysis worker and the
 * Node CLI both call it.
 *
 * Streaming: the result is a list of parts (`safetensorsParts`). A tensor that is not in the plan is copied as a
 * slice of the source file when its reader offers one (`TensorRef.storedBytes`: safetensors), so it is never
 * read; only one planned layer's values are in memory at a time, and `options.store` can move each computed
 * tensor's bytes out of the heap (a `Blob` in the browser, a spill file in the CLI) before the next layer.
 */
import { throwIfCancelled, type ShouldCancel } from '../src/analysis/cancel';
import { rankForEnergy } from '../src/analysis/checkpoints/lowRank';
import { lowRankFactors, type LowRankFactors } from '../src/analysis/checkpoints/truncate';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { singularValues } from '../src/analysis/linalg/singularValues';
import { convDims, toOihw, type ConvDims } from '../src/analysis/spectra/convKernel';
import { isFloatDType, type FloatDType } from '../src/formats/dtype';
import { encodeFloats } from '../src/formats/encodeFloats';
import { partLength, safetensorsParts, type RawTensorToWrite, type SafetensorsPart, type TensorBytes } from '../src/formats/safetensors/writeSafetensors';
import type { ConvLayout, Model, TensorRef } from '../src/model/types';
import { encodeMatrix, encodeProduct } from './encodeLowRank';

/** One layer to truncate: at a fixed rank k (≥ 1), or at the smallest k keeping a fraction of Σσ² (`rankForEnergy`). */
export type LowRankPlanEntry = { readonly tensor: string; readonly k: number } | { readonly tensor: string; readonly energy: number };

export interface ExportLowRankOptions {
  /** 'truncated': W_k in the tensor's place; 'factors': two tensors `<stem>.lowrank_left` and `<stem>.lowrank_right`. */
  readonly form: 'truncated' | 'factors';
  /**
   * dtype of the computed tensors: the source tensor's ('source', default: BF16 stays BF16; a dequantized GGUF or
   * TF.js tensor uses the float dtype its reader reports) or F32.
   */
  readonly dtype?: 'source' | 'F32';
  readonly linalg?: LinalgBackend;
  readonly shouldCancel?: ShouldCancel;
  /** Called before each planned tensor (done = planned tensors finished) and once at the end (done = total). */
  readonly onProgress?: (done: number, total: number, tensor: string) => void;
  /** Where each computed tensor's bytes wait until written (default: kept as they are, in memory). */
  readonly store?: (bytes: Uint8Array, tensor: string) => TensorBytes | Promise<TensorBytes>;
}

/** What happened to one planned layer. */
export interface LowRankLayerSummary {
  readonly tensor: string;
  /** The rank used: as planned, at most min(rows, cols); for an energy plan, `rankForEnergy(σ, energy)`. */
  readonly k: number;
  /** The layer's matrix: dense as stored, conv as its unfold c_out × c_in·kh·kw. */
  readonly rows: number;
  readonly cols: number;
  readonly matrix: 'dense' | 'unfold';
  /** Σ_{j≤k} σⱼ² / ‖W‖²_F (1 for a zero matrix). */
  readonly energyKept: number;
  /** ‖W − W_k‖_F / ‖W‖_F = √(1 − energyKept) (Eckart–Young). */
  readonly relError: number;
  /** rows·cols. */
  readonly paramsBefore: number;
  /** What the export stores for this layer: rows·cols when truncated, k·(rows + cols) as factors. */
  readonly paramsAfter: number;
  /** Tensors written in its place: its own name, or the left and right factor names. */
  readonly written: readonly string[];
}

export interface LowRankExport {
  /** The safetensors file: header, then each tensor (unread source slices and computed bytes). */
  readonly parts: SafetensorsPart[];
  /** Suggested file name, e.g. `model.rank-64.safetensors`. */
  readonly name: string;
  readonly summary: LowRankLayerSummary[];
  /** File size in bytes. */
  readonly bytes: number;
  /** The `__metadata__` written. */
  readonly metadata: Record<string, string>;
  /** Tensors re-encoded or left out, in words (also in the metadata). */
  readonly notes: string[];
}

/** How the export is described in `__metadata__.lowrank_definition`. */
export const LOW_RANK_DEFINITION =
  'W is the layer matrix: a dense tensor as stored (rows x cols), a conv kernel as its unfold matrix c_out x (c_in*kh*kw) in OIHW order. ' +
  'W_k = U_k S_k V_k^T is its best rank-k approximation (Eckart-Young). truncated: W_k refolded to the stored shape, layout and dtype. ' +
  'factors: left = U_k sqrt(S_k) (rows x k), right = sqrt(S_k) V_k^T (k x cols), W_k = left right; for a conv, right is a k-channel kh x kw conv ' +
  'and left a 1x1 conv, in conv_layout. energy_kept = sum_{j<=k} s_j^2 / ||W||_F^2, rel_error = ||W - W_k||_F / ||W||_F = sqrt(1 - energy_kept).';

interface Planned {
  readonly ref: TensorRef;
  readonly entry: LowRankPlanEntry;
  readonly rows: number;
  readonly cols: number;
  /** For conv kernels: dims and stored layout. */
  readonly conv: { readonly dims: ConvDims; readonly layout: ConvLayout } | null;
}

/** The matrix a planned tensor stands for, or a RangeError saying why it has none. */
function plannedOf(model: Model, entry: LowRankPlanEntry): Planned {
  const ref = model.tensors.find((t) => t.name === entry.tensor);
  if (!ref) {
    const some = model.tensors.slice(0, 3).map((t) => `"${t.name}"`).join(', ');
    throw new RangeError(`Low-rank export: "${model.name}" has no tensor "${entry.tensor}" (it has ${model.tensors.length}${some ? `, e.g. ${some}` : ''}).`);
  }
  const what = `"${ref.name}" [${ref.shape.join(', ')}]`;
  if (ref.kind !== 'dense' && ref.kind !== 'conv2d') {
    const is = ref.kind === 'stack' ? 'a stack of matrices' : ref.kind === 'other' ? `a ${ref.shape.length}-D tensor` : `a ${ref.kind}`;
    throw new RangeError(`Low-rank export: ${what} is ${is}; only dense (2-D) and conv2d (4-D) tensors have one matrix to truncate.`);
  }
  if (ref.lowRank) throw new RangeError(`Low-rank export: ${what} is a virtual LoRA update (B·A), not a weight stored in the file; plan its base weight instead.`);
  if (ref.unsupported !== undefined || !isFloatDType(ref.dtype)) throw new RangeError(`Low-rank export: ${what} cannot be read as floats (${ref.unsupported ?? ref.dtype}).`);
  if ('k' in entry && !(Number.isInteger(entry.k) && entry.k >= 1)) throw new RangeError(`Low-rank export: k = ${entry.k} for ${what} is not a whole number ≥ 1.`);
  if ('energy' in entry && !(entry.energy > 0 && entry.energy <= 1)) throw new RangeError(`Low-rank export: energy ${entry.energy} for ${what} is outside (0, 1].`);
  if (ref.kind === 'dense') {
    const [rows, cols] = ref.shape as [number, number];
    return { ref, entry, rows, cols, conv: null };
  }
  const layout = ref.layout ?? 'OIHW';
  const dims = convDims(ref.shape, layout);
  return { ref, entry, rows: dims.cOut, cols: dims.cIn * dims.kh * dims.kw, conv: { dims, layout } };
}

/** `fc1.weight` → `fc1`: factor names sit beside the layer's bias (`fc1.bias`). */
function stemOf(name: string): string {
  return name.endsWith('.weight') ? name.slice(0, -'.weight'.length) : name;
}

/** Read the layer, choose k, factorise. The values go out of scope on return: one layer in memory at a time. */
async function factorise(p: Planned, options: ExportLowRankOptions): Promise<{ factors: LowRankFactors; totalEnergy: number }> {
  const values = await p.ref.read();
  const matrix = p.conv?.layout === 'HWIO' ? toOihw(values, p.conv.dims, 'HWIO') : values;
  let totalEnergy = 0;
  for (let i = 0; i < values.length; i++) totalEnergy += (values[i] as number) ** 2;
  const k = 'k' in p.entry ? p.entry.k : rankForEnergy(singularValues(matrix, p.rows, p.cols, options.shouldCancel, options.linalg), p.entry.energy);
  const factors = lowRankFactors(matrix, p.rows, p.cols, k, {
    ...(options.linalg ? { linalg: options.linalg } : {}),
    ...(options.shouldCancel ? { shouldCancel: options.shouldCancel } : {}),
  });
  return { factors, totalEnergy };
}

type Store = NonNullable<ExportLowRankOptions['store']>;

/** What happens to tensors written as they are: how many were re-encoded, and which could not be read. */
interface PassLog {
  readonly reencoded: { tensor: string; dtype: string; encoding?: string }[];
  readonly dropped: { tensor: string; reason: string }[];
  /** Virtual tensors (a LoRA pair's B·A, `src/model/loraModel.ts`): shown by the app, not stored, so not written. */
  readonly virtual: string[];
}

/** A tensor as it is: its stored bytes (a slice, unread) when the reader has them, else `read()` re-encoded; null when unreadable. */
async function passThrough(ref: TensorRef, store: Store, log: PassLog): Promise<RawTensorToWrite<TensorBytes> | null> {
  if (ref.lowRank) {
    log.virtual.push(ref.name);
    return null;
  }
  if (ref.storedBytes) {
    const { dtype, bytes } = ref.storedBytes();
    return { name: ref.name, dtype, shape: ref.shape, bytes };
  }
  if (ref.unsupported !== undefined || !isFloatDType(ref.dtype)) {
    log.dropped.push({ tensor: ref.name, reason: ref.unsupported ?? `dtype ${ref.dtype}` });
    return null;
  }
  const bytes = encodeFloats(await ref.read(), ref.dtype);
  log.reencoded.push({ tensor: ref.name, dtype: ref.dtype, ...(ref.encoding ? { encoding: ref.encoding } : {}) });
  return { name: ref.name, dtype: ref.dtype, shape: ref.shape, bytes: await store(bytes, ref.name) };
}

function summaryOf(p: Planned, k: number, energyKept: number, paramsAfter: number, tensors: readonly RawTensorToWrite<TensorBytes>[]): LowRankLayerSummary {
  return {
    tensor: p.ref.name,
    k,
    rows: p.rows,
    cols: p.cols,
    matrix: p.conv ? 'unfold' : 'dense',
    energyKept,
    relError: Math.sqrt(Math.max(0, 1 - energyKept)),
    paramsBefore: p.rows * p.cols,
    paramsAfter,
    written: tensors.map((t) => t.name),
  };
}

/**
 * The tensors that replace one planned layer, and its summary. At full rank (k = min(rows, cols)) a truncated
 * layer is W itself: written as it is, in its own dtype (unread when it has stored bytes), not through the SVD's rounding.
 */
async function exportLayer(p: Planned, options: ExportLowRankOptions, store: Store, log: PassLog) {
  const full = Math.min(p.rows, p.cols);
  const keepWhole = async () => {
    const same = await passThrough(p.ref, store, log);
    const tensors = same ? [same] : [];
    return { tensors, summary: summaryOf(p, full, 1, p.rows * p.cols, tensors), dtype: same?.dtype ?? p.ref.dtype };
  };
  if (options.form === 'truncated' && 'k' in p.entry && p.entry.k >= full) return keepWhole();
  const { factors, totalEnergy } = await factorise(p, options);
  const { k, sigma } = factors;
  if (options.form === 'truncated' && k === full) return keepWhole();
  let kept = 0;
  for (let j = 0; j < k; j++) kept += (sigma[j] as number) ** 2;
  const energyKept = totalEnergy > 0 ? Math.min(1, kept / totalEnergy) : 1;
  const dtype: FloatDType = options.dtype === 'F32' ? 'F32' : (p.ref.dtype as FloatDType);
  const hwio = p.conv?.layout === 'HWIO' ? p.conv.dims : null;
  const tensors: RawTensorToWrite<TensorBytes>[] = [];
  if (options.form === 'truncated') {
    const bytes = encodeProduct(factors, dtype, hwio, options.shouldCancel);
    tensors.push({ name: p.ref.name, dtype, shape: p.ref.shape, bytes: await store(bytes, p.ref.name) });
  } else {
    const stem = stemOf(p.ref.name);
    const d = p.conv?.dims;
    const [leftShape, rightShape] = !d
      ? [[p.rows, k], [k, p.cols]]
      : hwio
        ? [[1, 1, k, d.cOut], [d.kh, d.kw, d.cIn, k]]
        : [[d.cOut, k, 1, 1], [k, d.cIn, d.kh, d.kw]];
    const left = encodeMatrix(factors.left, p.rows, k, dtype, hwio ? { kh: 1, kw: 1, cIn: k } : null);
    const right = encodeMatrix(factors.right, k, p.cols, dtype, hwio);
    tensors.push({ name: `${stem}.lowrank_left`, dtype, shape: leftShape, bytes: await store(left, `${stem}.lowrank_left`) });
    tensors.push({ name: `${stem}.lowrank_right`, dtype, shape: rightShape, bytes: await store(right, `${stem}.lowrank_right`) });
  }
  const paramsAfter = options.form === 'truncated' ? p.rows * p.cols : k * (p.rows + p.cols);
  return { tensors, summary: summaryOf(p, k, energyKept, paramsAfter, tensors), dtype: dtype as string };
}

/** One layer in `__metadata__.lowrank_plan`. */
function planRecord(p: Planned, s: LowRankLayerSummary, dtype: string): Record<string, unknown> {
  return {
    tensor: s.tensor,
    k: s.k,
    ...('energy' in p.entry ? { energy: p.entry.energy } : {}),
    rows: s.rows,
    cols: s.cols,
    matrix: s.matrix,
    shape: p.ref.shape,
    ...(p.conv ? { layout: p.conv.layout } : {}),
    dtype,
    energy_kept: s.energyKept,
    rel_error: s.relError,
    ...(s.written.length === 2 ? { left: s.written[0], right: s.written[1] } : {}),
  };
}

/** Suggested output name: `<stem>.rank-<k>[-factors].safetensors`, or `low-rank` when the ranks differ. */
function exportName(model: Model, summary: readonly LowRankLayerSummary[], form: ExportLowRankOptions['form']): string {
  const stem = model.name.replace(/\.[^./\\]+$/, '') || 'model';
  const ranks = new Set(summary.map((s) => s.k));
  const tag = ranks.size === 1 ? `rank-${[...ranks][0]}` : 'low-rank';
  return `${stem}.${tag}${form === 'factors' ? '-factors' : ''}.safetensors`;
}

/**
 * Export `model` with the planned layers truncated to rank k, as safetensors parts.
 *
 * - Unplanned tensors keep their names, shapes and stored bytes: source slices when the reader offers
 *   `storedBytes` (safetensors; BF16 stays BF16, integer tensors included), else `read()` re-encoded in the
 *   tensor's dtype (noted in `lowrank_reencoded`); tensors that cannot be read as floats without stored bytes
 *   are left out (noted in `lowrank_dropped`).
 * - 'truncated': W_k in the tensor's shape, layout (OIHW or HWIO) and dtype. 'factors': `<stem>.lowrank_left`
 *   (dense [rows, k]; conv OIHW [c_out, k, 1, 1], HWIO [1, 1, k, c_out]) and `<stem>.lowrank_right` (dense
 *   [k, cols]; conv OIHW [k, c_in, kh, kw], HWIO [kh, kw, c_in, k]) with stem = the name without `.weight`;
 *   W_k = left·right as matrices.
 * - `__metadata__`: a safetensors source's own metadata, `conv_layout`, and `lowrank_form`, `lowrank_plan` (JSON),
 *   `lowrank_source` (JSON), `lowrank_definition`.
 *
 * @throws RangeError before any work if a planned tensor is missing, not a dense/conv2d float tensor, planned
 *   twice, has a bad k or energy, or a factor name collides with an existing tensor; `AnalysisCancelled`
 */
export async function exportLowRank(model: Model, plan: readonly LowRankPlanEntry[], options: ExportLowRankOptions): Promise<LowRankExport> {
  const planned = new Map<string, Planned>();
  for (const entry of plan) {
    if (planned.has(entry.tensor)) throw new RangeError(`Low-rank export: "${entry.tensor}" is planned twice.`);
    planned.set(entry.tensor, plannedOf(model, entry));
  }
  if (options.form === 'factors') {
    const taken = new Set(model.tensors.map((t) => t.name));
    for (const name of planned.keys()) {
      for (const side of ['left', 'right']) {
        const factor = `${stemOf(name)}.lowrank_${side}`;
        if (taken.has(factor)) throw new RangeError(`Low-rank export: the factor name "${factor}" of "${name}" is already taken.`);
        taken.add(factor);
      }
    }
  }
  const store: Store = options.store ?? ((bytes: Uint8Array) => bytes);
  const log: PassLog = { reencoded: [], dropped: [], virtual: [] };
  const tensors: RawTensorToWrite<TensorBytes>[] = [];
  const summary: LowRankLayerSummary[] = [];
  const planRecords: Record<string, unknown>[] = [];
  for (const ref of model.tensors) {
    throwIfCancelled(options.shouldCancel);
    const p = planned.get(ref.name);
    if (p) {
      options.onProgress?.(summary.length, planned.size, ref.name);
      await options.linalg?.prepare?.();
      const layer = await exportLayer(p, options, store, log);
      tensors.push(...layer.tensors);
      summary.push(layer.summary);
      planRecords.push(planRecord(p, layer.summary, layer.dtype));
    } else {
      const same = await passThrough(ref, store, log);
      if (same) tensors.push(same);
    }
  }
  options.onProgress?.(summary.length, planned.size, summary.at(-1)?.tensor ?? '');

  // A safetensors source's metadata carries over, except an earlier export's lowrank_* record.
  const carried = model.format === 'safetensors' ? Object.entries(model.metadata).filter(([key]) => !key.startsWith('lowrank_')) : [];
  const metadata: Record<string, string> = Object.fromEntries(carried);
  const layouts = new Set(model.tensors.flatMap((t) => (t.kind === 'conv2d' ? [t.layout ?? 'OIHW'] : [])));
  if (layouts.size === 1) metadata.conv_layout = [...layouts][0] as string;
  metadata.lowrank_form = options.form;
  metadata.lowrank_plan = JSON.stringify(planRecords);
  metadata.lowrank_source = JSON.stringify({ format: model.format, name: model.name, files: model.files.map((f) => f.name) });
  metadata.lowrank_definition = LOW_RANK_DEFINITION;
  const notes: string[] = [];
  const { reencoded, dropped, virtual } = log;
  if (virtual.length > 0) notes.push(`${virtual.length} virtual LoRA updates (B·A) are not stored tensors and were not written; their factors were: ${virtual.join(', ')}`);
  if (layouts.size > 1) notes.push('conv kernels come in both OIHW and HWIO; no single conv_layout was written');
  if (reencoded.length > 0) {
    metadata.lowrank_reencoded = JSON.stringify(reencoded);
    notes.push(`${reencoded.length} unchanged tensors were decoded and re-encoded in their dtype (the source format has no safetensors-ready bytes)`);
  }
  if (dropped.length > 0) {
    metadata.lowrank_dropped = JSON.stringify(dropped);
    notes.push(`${dropped.length} tensors could not be read and were left out: ${dropped.map((d) => `${d.tensor} (${d.reason})`).join(', ')}`);
  }
  const parts = safetensorsParts(tensors, metadata);
  return { parts, name: exportName(model, summary, options.form), summary, bytes: parts.reduce((n, part) => n + partLength(part), 0), metadata, notes };
}
