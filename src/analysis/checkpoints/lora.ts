/**
 * LoRA adapters (Hu et al., "LoRA: Low-Rank Adaptation of Large Language Models", ICLR 2022) found in a
 * safetensors file and analysed as the update they are: ΔW = scale·B·A, with A (down) r×in and B (up) out×r.
 *
 * Naming conventions recognised (`findLoraPairs`):
 * - PEFT (Hugging Face): `<module>.lora_A.weight` (r×in) and `<module>.lora_B.weight` (out×r); in-memory state
 *   dicts insert the adapter name, `<module>.lora_A.default.weight`. Embeddings: `<module>.lora_embedding_A`
 *   (r×vocab) and `…lora_embedding_B` (dim×r), ΔW = B·A is the transposed embedding update (same σ). DoRA adds
 *   `<module>.lora_magnitude_vector`: then the update is not B·A alone, and the pair names it (`magnitudeTensor`).
 *   The scale lives in `adapter_config.json`, not in the tensors: `lora_alpha / r` (`lora_alpha / √r` with
 *   `use_rslora`).
 * - kohya-ss / sd-scripts: `<module>.lora_down.weight` (r×in), `<module>.lora_up.weight` (out×r) and an optional
 *   scalar `<module>.alpha`; scale = alpha / r, and 1 when the alpha tensor is absent (alpha defaults to r).
 * - diffusers (attention processors): `<module>_lora.down.weight` / `<module>_lora.up.weight`; scale 1 unless the
 *   pipeline was given one.
 * Conv adapters store A as r×in×kh×kw (r×in×k for 1-D) and B as out×r×1×1; ΔW is then the unfold matrix
 * out × (in·kh·kw) (SCIENCE.md §1, `unfold`), and `cols` counts in·kh·kw.
 *
 * Singular values without the out×in product (`loraSingularValues`): with thin QR factorisations B = Q_B·R_B and
 * Aᵀ = Q_A·R_A (Householder, `householderR`), ΔW = scale·Q_B·(R_B·R_Aᵀ)·Q_Aᵀ, and Q_B, Q_A have orthonormal
 * columns, so σ(ΔW) = |scale|·σ(R_B·R_Aᵀ), an r×r problem (one-sided Jacobi, `jacobiSingularValues`). Cost
 * ≈ 2r²(out + in) + O(r³) instead of out·in·r for the product and min(out, in)²·max(out, in) for its SVD.
 */
import { jacobiSingularValues } from '../linalg/jacobiSingularValues';
import { householderR } from './householderR';
import type { NamedShape } from './matchLayers';

/** One adapter: the two factors of ΔW = scale·B·A for one module. */
export interface LoraPair {
  /** The module name as it appears in the tensor names (`base_model.model.layers.0.q_proj`, `lora_unet_…`). */
  readonly base: string;
  /** The PEFT adapter name when the tensor names include one (`default`). */
  readonly adapter?: string;
  readonly convention: 'peft' | 'kohya' | 'diffusers';
  /** 'conv' when A has kernel dimensions; 'embedding' for PEFT `lora_embedding_*`. */
  readonly kind: 'linear' | 'conv' | 'embedding';
  /** Tensor name of A (down projection): r × in (× kernel). */
  readonly A: string;
  /** Tensor name of B (up projection): out × r (× 1 × 1). */
  readonly B: string;
  /** r: A's first dimension, equal to B's second. */
  readonly rank: number;
  /** Rows of ΔW: out. */
  readonly rows: number;
  /** Columns of ΔW: in, times the kernel size for conv adapters. */
  readonly cols: number;
  /** Kernel dimensions of a conv adapter (A's shape after r and in). */
  readonly kernel?: readonly number[];
  /** kohya's scalar alpha tensor, when present: scale = alpha / rank. */
  readonly alphaTensor?: string;
  /** DoRA's magnitude vector, when present: the update is then not B·A alone. */
  readonly magnitudeTensor?: string;
  /**
   * A guess at the base model's weight this adapter updates (PEFT only: the module name without PEFT's
   * `base_model.model.` prefix, plus `.weight`). Check that it exists before using it.
   */
  readonly targetWeight?: string;
}

/** A LoRA-looking tensor that could not be paired, and why. */
export interface LoraUnmatched {
  readonly name: string;
  readonly reason: string;
}

/** What `findLoraPairs` found. */
export interface LoraScan {
  /** Complete pairs, in the order their first tensor appears. */
  readonly pairs: readonly LoraPair[];
  /** LoRA-looking tensors without a partner or with inconsistent shapes. */
  readonly unmatched: readonly LoraUnmatched[];
  /** Tensors that are not LoRA factors (e.g. PEFT `modules_to_save` copies), in input order. */
  readonly others: readonly string[];
}

type Role = 'A' | 'B' | 'alpha' | 'magnitude';
interface Parsed {
  readonly base: string;
  readonly adapter: string | undefined;
  readonly convention: LoraPair['convention'];
  readonly role: Role;
  readonly embedding: boolean;
}

const roleOf = (tag: string | undefined): Role => (tag === 'A' || tag === 'down' ? 'A' : 'B');

/** Name patterns; `parse` turns a match into the tensor's role. */
const PATTERNS: readonly { readonly re: RegExp; readonly parse: (m: RegExpExecArray) => Parsed }[] = [
  {
    re: /^(.+)\.lora_(A|B)(?:\.([^.]+))?\.weight$/,
    parse: (m) => ({ base: m[1] as string, adapter: m[3], convention: 'peft', role: roleOf(m[2]), embedding: false }),
  },
  {
    re: /^(.+)\.lora_embedding_(A|B)(?:\.([^.]+))?$/,
    parse: (m) => ({ base: m[1] as string, adapter: m[3], convention: 'peft', role: roleOf(m[2]), embedding: true }),
  },
  {
    re: /^(.+)\.lora_magnitude_vector(?:\.(?!weight$)([^.]+))?(?:\.weight)?$/,
    parse: (m) => ({ base: m[1] as string, adapter: m[2], convention: 'peft', role: 'magnitude', embedding: false }),
  },
  {
    re: /^(.+)\.lora_(down|up)\.weight$/,
    parse: (m) => ({ base: m[1] as string, adapter: undefined, convention: 'kohya', role: roleOf(m[2]), embedding: false }),
  },
  {
    re: /^(.+)\.alpha$/,
    parse: (m) => ({ base: m[1] as string, adapter: undefined, convention: 'kohya', role: 'alpha', embedding: false }),
  },
  {
    re: /^(.+)_lora\.(down|up)\.weight$/,
    parse: (m) => ({ base: m[1] as string, adapter: undefined, convention: 'diffusers', role: roleOf(m[2]), embedding: false }),
  },
];

/** The role of a tensor name in an adapter, or null when it is not a LoRA tensor. */
function parseName(name: string): Parsed | null {
  for (const { re, parse } of PATTERNS) {
    const match = re.exec(name);
    if (match) return parse(match);
  }
  return null;
}

interface Member {
  readonly tensor: NamedShape;
  readonly parsed: Parsed;
  readonly index: number;
}

/**
 * LoRA factor pairs among a file's tensors. A lone `….alpha` tensor is not taken for LoRA (other layers have
 * parameters of that name) and is listed under `others`.
 *
 * @param tensors Names and shapes as stored (e.g. `ModelInfo.tensors`).
 */
export function findLoraPairs(tensors: readonly NamedShape[]): LoraScan {
  const groups = new Map<string, Partial<Record<Role, Member>>>();
  const others: { name: string; index: number }[] = [];
  const unmatched: LoraUnmatched[] = [];
  tensors.forEach((tensor, index) => {
    const parsed = parseName(tensor.name);
    if (!parsed) {
      others.push({ name: tensor.name, index });
      return;
    }
    // kohya and diffusers share a group key so that a kohya alpha finds its pair; PEFT has no alpha tensors.
    const key = `${parsed.convention === 'peft' ? 'peft' : 'kohya'}\u0000${parsed.base}\u0000${parsed.adapter ?? ''}`;
    const group = groups.get(key) ?? {};
    groups.set(key, group);
    if (group[parsed.role]) unmatched.push({ name: tensor.name, reason: `a second ${parsed.role} tensor for '${parsed.base}'` });
    else group[parsed.role] = { tensor, parsed, index };
  });

  const ordered = [...groups.values()].sort((x, y) => firstIndex(x) - firstIndex(y));
  const pairs: LoraPair[] = [];
  for (const { A: a, B: b, alpha, magnitude } of ordered) {
    const members = [a, b, alpha, magnitude].filter((m): m is Member => m !== undefined);
    if (!a && !b && !magnitude && alpha) {
      others.push({ name: alpha.tensor.name, index: alpha.index });
      continue;
    }
    if (!a || !b) {
      const missing = a ? 'B (up)' : b ? 'A (down)' : 'A and B';
      for (const m of members) unmatched.push({ name: m.tensor.name, reason: `no LoRA ${missing} factor for '${m.parsed.base}'` });
      continue;
    }
    const problem = shapeProblem(a.tensor.shape, b.tensor.shape);
    if (problem) {
      for (const m of members) unmatched.push({ name: m.tensor.name, reason: problem });
      continue;
    }
    pairs.push(toPair(a, b, alpha, magnitude));
  }
  return { pairs, unmatched, others: others.sort((x, y) => x.index - y.index).map((o) => o.name) };
}

function firstIndex(group: Partial<Record<Role, Member>>): number {
  return Math.min(...Object.values(group).map((m) => m.index));
}

function toPair(a: Member, b: Member, alpha: Member | undefined, magnitude: Member | undefined): LoraPair {
  const { base, adapter, convention, embedding } = a.parsed;
  const [rank, input, ...kernel] = a.tensor.shape as readonly [number, number, ...number[]];
  const kernelSize = kernel.reduce((p, d) => p * d, 1);
  return {
    base,
    ...(adapter !== undefined ? { adapter } : {}),
    convention,
    kind: embedding ? 'embedding' : kernel.length > 0 ? 'conv' : 'linear',
    A: a.tensor.name,
    B: b.tensor.name,
    rank,
    rows: b.tensor.shape[0] as number,
    cols: input * kernelSize,
    ...(kernel.length > 0 ? { kernel } : {}),
    ...(alpha ? { alphaTensor: alpha.tensor.name } : {}),
    ...(magnitude ? { magnitudeTensor: magnitude.tensor.name } : {}),
    ...(convention === 'peft' ? { targetWeight: `${base.replace(/^base_model\.model\./, '')}.weight` } : {}),
  };
}

/** Why A (r × in × kernel…) and B (out × r × 1…) do not form a LoRA pair, or null when they do. */
function shapeProblem(a: readonly number[], b: readonly number[]): string | null {
  const text = `A [${a.join(', ')}], B [${b.join(', ')}]`;
  if (a.length < 2 || b.length < 2) return `LoRA factors must be at least 2-D: ${text}`;
  if (a[0] !== b[1]) return `the ranks differ (A has ${a[0]} rows, B ${b[1]} columns): ${text}`;
  if (b.slice(2).some((d) => d !== 1)) return `B's kernel dimensions must be 1: ${text}`;
  return null;
}

/**
 * The scale of ΔW = scale·B·A.
 *
 * @param alpha PEFT `lora_alpha` (adapter_config.json) or kohya's alpha tensor; undefined means alpha = rank
 *   (kohya's default), i.e. scale 1.
 * @param rank r.
 * @param variant 'standard' (alpha / r, PEFT and kohya) or 'rslora' (alpha / √r, PEFT `use_rslora`).
 * @throws RangeError unless rank is a positive integer and alpha (when given) is finite.
 */
export function loraScale(alpha: number | undefined, rank: number, variant: 'standard' | 'rslora' = 'standard'): number {
  if (!Number.isInteger(rank) || rank <= 0) throw new RangeError(`loraScale: rank ${rank} is not a positive integer`);
  if (alpha !== undefined && !Number.isFinite(alpha)) throw new RangeError(`loraScale: alpha ${alpha} is not finite`);
  const a = alpha ?? rank;
  return variant === 'rslora' ? a / Math.sqrt(rank) : a / rank;
}

/**
 * Singular values of ΔW = scale·B·A without forming it (see the file comment).
 *
 * @param a A, r×in row-major (conv adapters: r × in·kh·kw, i.e. the stored r×in×kh×kw tensor as is).
 * @param b B, out×r row-major (conv: out×r×1×1 as is).
 * @param r Rank of the adapter.
 * @param out Rows of ΔW.
 * @param inputs Columns of ΔW (`in` is a reserved word).
 * @param scale The factor in front of B·A (`loraScale`); its sign does not change σ.
 * @returns min(r, out, in) singular values, descending, float64. ΔW's other min(out, in) − r singular values are
 *   exactly 0.
 * @throws RangeError on non-integer or negative sizes, lengths other than r·in and out·r, or a non-finite scale.
 */
export function loraSingularValues(
  a: Float32Array | Float64Array,
  b: Float32Array | Float64Array,
  r: number,
  out: number,
  inputs: number,
  scale = 1,
): Float64Array {
  for (const [label, value] of [['r', r], ['out', out], ['in', inputs]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`loraSingularValues: ${label} = ${value} is not a non-negative integer`);
  }
  if (a.length !== r * inputs) throw new RangeError(`loraSingularValues: A has ${a.length} values, ${r}×${inputs} needs ${r * inputs}`);
  if (b.length !== out * r) throw new RangeError(`loraSingularValues: B has ${b.length} values, ${out}×${r} needs ${out * r}`);
  if (!Number.isFinite(scale)) throw new RangeError(`loraSingularValues: scale ${scale} is not finite`);
  // Aᵀ, in×r row-major.
  const aT = new Float64Array(inputs * r);
  for (let l = 0; l < r; l++) for (let i = 0; i < inputs; i++) aT[i * r + l] = a[l * inputs + i] as number;
  const rB = householderR(b, out, r); // pB×r
  const rA = householderR(aT, inputs, r); // pA×r
  const pB = Math.min(out, r);
  const pA = Math.min(inputs, r);
  // C = R_B·R_Aᵀ, pB×pA.
  const c = new Float64Array(pB * pA);
  for (let i = 0; i < pB; i++) {
    for (let j = 0; j < pA; j++) {
      let s = 0;
      for (let l = 0; l < r; l++) s += (rB[i * r + l] as number) * (rA[j * r + l] as number);
      c[i * pA + j] = s;
    }
  }
  const sigma = jacobiSingularValues(c, pB, pA);
  const factor = Math.abs(scale);
  for (let i = 0; i < sigma.length; i++) sigma[i] = factor * (sigma[i] as number);
  return sigma;
}
