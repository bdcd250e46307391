/**
 * A model holding LoRA adapters, seen as the updates they are (issue 9: "LoRA adapter files (A, B pairs in
 * safetensors) are recognised and analysed as the low-rank update B·A they are").
 *
 * `withLoraAdapters` adds one virtual tensor per pair, ΔW = scale·B·A (out × in; conv adapters: the unfold matrix
 * out × in·kh·kw), placed where the pair's first factor is listed, with `lowRank` saying what it is made of and
 * `factors` holding A and B so that σ come from the factors (`loraSingularValues`, never forming out × in). Its
 * `read()` does form the product, for the consumers that need W itself (singular vectors, two-model diffs).
 *
 * The stored factors stay in the list (a researcher looks for them by name) with `loraFactorOf` set, so they are
 * not analysed on their own: A (r × in) and B (out × r) alone say little (LoRA's B starts at zero), and
 * WeightWatcher's `peft=True` mode does the same: it replaces the lora_A layer by B·A (named `lora_BA`) and skips
 * lora_B (WW 0.7.5.5 `WWPeftLayerIterator.update_peft_layers`). The virtual name follows WW's: A's name with
 * `lora_A` → `lora_BA` (kohya `lora_down` → `lora_BA`, diffusers `_lora.down` → `_lora.BA`).
 *
 * The scale (Hu et al., "LoRA", ICLR 2022, §4.1: ΔW·x scaled by α/r), in order of precedence:
 * 1. kohya / diffusers: the module's scalar `.alpha` tensor, scale = alpha / r;
 * 2. PEFT: `adapter_config.json` dropped with the weights (`lora_alpha`, `alpha_pattern`, `use_rslora`: α/√r),
 *    then the safetensors `__metadata__`: `lora_adapter_metadata` (the LoraConfig as JSON, written by diffusers'
 *    `save_lora_weights`, keys possibly prefixed by component, `transformer.lora_alpha`), then plain `lora_alpha`;
 * 3. kohya without an alpha tensor: `ss_network_alpha` from the metadata, else kohya's default alpha = r (scale 1);
 * 4. otherwise scale 1, marked `scaleKnown: false` and said so in `scaleSource`.
 * Whatever the source, r is the tensors' own rank (PEFT's `rank_pattern` changes it per module; the tensors
 * carry the result).
 *
 * src/model imports nothing, so the pairing itself (`findLoraPairs` in src/analysis/checkpoints/lora.ts) is
 * passed in by the caller (the worker, the CLI).
 */
import type { DType, LowRankInfo, Model, NamedBlob, TensorRef } from './types';
import { FLOAT_DTYPES } from './types';

/**
 * What this module needs of a LoRA pair; `LoraPair` (src/analysis/checkpoints/lora.ts) has all of it (src/model and
 * src/analysis import nothing from each other, so the shape is restated here; passing `findLoraPairs` as
 * `FindLoraPairs` checks that the two agree). The fields the virtual tensor's `LowRankInfo` copies as they are
 * share its declarations.
 */
export interface LoraPairLike extends Pick<LowRankInfo, 'convention' | 'rank' | 'kernel' | 'magnitudeTensor' | 'targetWeight'> {
  readonly base: string;
  readonly kind: LowRankInfo['layerKind'];
  /** Tensor names of A (r × in × kernel…) and B (out × r × 1…). */
  readonly A: string;
  readonly B: string;
  readonly rows: number;
  readonly cols: number;
  readonly alphaTensor?: string;
}

/** Finds the LoRA pairs among a model's tensors (`findLoraPairs`). */
export type FindLoraPairs = (tensors: readonly { readonly name: string; readonly shape: readonly number[] }[]) => { readonly pairs: readonly LoraPairLike[] };

/** PEFT's scale settings (a LoraConfig's `lora_alpha`, `r`, `use_rslora`, `alpha_pattern`). */
export interface LoraScaleConfig {
  readonly loraAlpha?: number;
  readonly r?: number;
  readonly useRslora: boolean;
  readonly alphaPattern: Readonly<Record<string, number>>;
  /** Where it was read, e.g. `adapter_config.json`. */
  readonly source: string;
  /** Tensor-name prefix it applies to (diffusers' per-component metadata, `transformer`); none = all. */
  readonly prefix?: string;
}

/** PEFT's `LoraConfig.lora_alpha` default, used when a config leaves it out. */
const PEFT_DEFAULT_ALPHA = 8;
/** The file PEFT's `save_pretrained` writes next to `adapter_model.safetensors`. */
const ADAPTER_CONFIG = 'adapter_config.json';

/**
 * Add a virtual ΔW = scale·B·A tensor for every LoRA pair of `model` (see the file comment). Never throws: an
 * unreadable config or alpha tensor leaves the scale unknown (1) and says why in `scaleSource`.
 *
 * @param model An opened model (lazy tensors).
 * @param findPairs The pairing rule, `findLoraPairs`.
 * @param files The files the model was opened from; an `adapter_config.json` among them sets PEFT's scale.
 * @returns The model unchanged when it has no pairs; otherwise a model with the virtual tensors added and the
 *   factors marked. `dispose` disposes the original.
 */
export async function withLoraAdapters(model: Model, findPairs: FindLoraPairs, files: readonly NamedBlob[] = []): Promise<Model> {
  const { pairs } = findPairs(model.tensors);
  if (pairs.length === 0) return model;
  const byName = new Map(model.tensors.map((t) => [t.name, t]));
  const configs = [...(await configFromFiles(files)), ...configsFromMetadata(model.metadata)];
  const taken = new Set(model.tensors.map((t) => t.name));
  const virtualAt = new Map<string, TensorRef>();
  const factorOf = new Map<string, string>();
  for (const pair of pairs) {
    const a = byName.get(pair.A);
    const b = byName.get(pair.B);
    if (!a || !b) continue;
    const name = virtualName(pair, taken);
    taken.add(name);
    const scale = await scaleOf(pair, configs, model.metadata, byName);
    virtualAt.set(firstListed(model.tensors, pair), loraTensor(name, pair, a, b, scale));
    for (const member of [pair.A, pair.B, pair.alphaTensor, pair.magnitudeTensor]) if (member !== undefined) factorOf.set(member, name);
  }
  const tensors: TensorRef[] = [];
  for (const t of model.tensors) {
    const virtual = virtualAt.get(t.name);
    if (virtual) tensors.push(virtual);
    const of = factorOf.get(t.name);
    tensors.push(of === undefined ? t : markFactor(t, of));
  }
  return { ...model, tensors, ...(model.dispose ? { dispose: () => model.dispose?.() } : {}) };
}

/** The name of a pair's A or B, whichever the model lists first. */
function firstListed(tensors: readonly TensorRef[], pair: LoraPairLike): string {
  return tensors.find((t) => t.name === pair.A || t.name === pair.B)?.name ?? pair.A;
}

/** WW's name for B·A (A's name with its role tag replaced), or `<base> (B·A)` if that is not new. */
export function virtualName(pair: Pick<LoraPairLike, 'A' | 'base'>, taken: ReadonlySet<string> = new Set()): string {
  const renamed = pair.A.replace(/\.lora_A(?=\.|$)/, '.lora_BA')
    .replace(/\.lora_embedding_A(?=\.|$)/, '.lora_embedding_BA')
    .replace(/\.lora_down(?=\.weight$)/, '.lora_BA')
    .replace(/_lora\.down(?=\.weight$)/, '_lora.BA');
  return renamed !== pair.A && !taken.has(renamed) ? renamed : `${pair.base} (B·A)`;
}

/** A stored factor, marked as analysed inside `virtual` (its reads go to the original). */
function markFactor(ref: TensorRef, virtual: string): TensorRef {
  return { ...ref, loraFactorOf: virtual, read: () => ref.read() };
}

interface Scale {
  readonly scale: number;
  readonly source: string;
  readonly known: boolean;
}

function loraTensor(name: string, pair: LoraPairLike, a: TensorRef, b: TensorRef, scale: Scale): TensorRef {
  const { rows, cols, rank } = pair;
  const dtype: DType = a.dtype === 'F64' && b.dtype === 'F64' ? 'F64' : 'F32';
  const unsupported = a.unsupported ?? b.unsupported ?? factorDtypeProblem(a) ?? factorDtypeProblem(b);
  const lowRank: LowRankInfo = {
    method: 'lora',
    convention: pair.convention,
    layerKind: pair.kind,
    a: pair.A,
    b: pair.B,
    rank,
    scale: scale.scale,
    scaleSource: scale.source,
    scaleKnown: scale.known,
    ...(pair.kernel ? { kernel: pair.kernel } : {}),
    ...(pair.targetWeight ? { targetWeight: pair.targetWeight } : {}),
    ...(pair.magnitudeTensor ? { magnitudeTensor: pair.magnitudeTensor } : {}),
  };
  return {
    name,
    dtype,
    shape: [rows, cols],
    size: rows * cols,
    kind: 'dense',
    file: a.file,
    byteLength: a.byteLength + b.byteLength,
    encoding: `LoRA update ${scale.scale}·B·A of "${pair.B}" (${rows}×${rank}) and "${pair.A}" (${rank}×${cols}); formed only when read`,
    ...(unsupported !== undefined ? { unsupported } : {}),
    lowRank,
    factors: { a, b },
    read: async () => loraProduct(await a.read(), await b.read(), rank, rows, cols, scale.scale, dtype),
  };
}

function factorDtypeProblem(t: TensorRef): string | undefined {
  return FLOAT_DTYPES.includes(t.dtype) ? undefined : `LoRA factor "${t.name}" has dtype ${t.dtype}, not a float type`;
}

/**
 * scale·B·A, row-major out × in (float64 accumulation).
 *
 * @param a A, r × in row-major (a conv adapter's r × in × kh × kw as stored).
 * @param b B, out × r row-major (conv: out × r × 1 × 1 as stored).
 * @throws RangeError when the lengths do not match r, out and in.
 */
export function loraProduct(a: Float32Array | Float64Array, b: Float32Array | Float64Array, r: number, out: number, inputs: number, scale: number, dtype: DType = 'F32'): Float32Array | Float64Array {
  if (a.length !== r * inputs || b.length !== out * r) throw new RangeError(`loraProduct: A has ${a.length} values (${r}×${inputs} needs ${r * inputs}), B ${b.length} (${out}×${r} needs ${out * r})`);
  const row = new Float64Array(inputs);
  const w = dtype === 'F64' ? new Float64Array(out * inputs) : new Float32Array(out * inputs);
  for (let i = 0; i < out; i++) {
    row.fill(0);
    for (let l = 0; l < r; l++) {
      const f = b[i * r + l] as number;
      if (f === 0) continue;
      const offset = l * inputs;
      for (let j = 0; j < inputs; j++) row[j] = (row[j] as number) + f * (a[offset + j] as number);
    }
    for (let j = 0; j < inputs; j++) w[i * inputs + j] = scale * (row[j] as number);
  }
  return w;
}

/** α/r (standard) or α/√r (rsLoRA), as `loraScale` in src/analysis/checkpoints/lora.ts. */
function scaleFromAlpha(alpha: number, rank: number, rslora: boolean): number {
  return rslora ? alpha / Math.sqrt(rank) : alpha / rank;
}

const formatNumber = (x: number) => String(Number(x.toPrecision(6)));

/** The scale of one pair (the file comment's order of precedence). */
async function scaleOf(pair: LoraPairLike, configs: readonly LoraScaleConfig[], metadata: Readonly<Record<string, string>>, byName: ReadonlyMap<string, TensorRef>): Promise<Scale> {
  const r = pair.rank;
  if (pair.alphaTensor !== undefined) {
    const alpha = await scalarValue(byName.get(pair.alphaTensor));
    if (alpha !== null) return { scale: alpha / r, source: `alpha tensor "${pair.alphaTensor}" = ${formatNumber(alpha)}, r = ${r} → ${formatNumber(alpha / r)}`, known: true };
    return { scale: 1, source: `alpha tensor "${pair.alphaTensor}" could not be read as one finite number: scale 1 assumed`, known: false };
  }
  if (pair.convention === 'peft') {
    const config = configs.find((c) => c.prefix !== undefined && pair.base.startsWith(`${c.prefix}.`)) ?? configs.find((c) => c.prefix === undefined);
    if (config) {
      const pattern = patternAlpha(config.alphaPattern, pair.base);
      const alpha = pattern?.alpha ?? config.loraAlpha ?? PEFT_DEFAULT_ALPHA;
      const what = pattern ? `alpha_pattern["${pattern.key}"] = ${formatNumber(alpha)}` : config.loraAlpha !== undefined ? `lora_alpha = ${formatNumber(alpha)}` : `no lora_alpha, PEFT's default ${PEFT_DEFAULT_ALPHA}`;
      const scale = scaleFromAlpha(alpha, r, config.useRslora);
      const rNote = config.r !== undefined && config.r !== r && pattern === undefined ? ` (the config's r = ${config.r}; the tensors' rank is used)` : '';
      return { scale, source: `${config.source}: ${what}, r = ${r}${rNote} → ${config.useRslora ? 'α/√r (use_rslora)' : 'α/r'} = ${formatNumber(scale)}`, known: true };
    }
    return { scale: 1, source: 'no lora_alpha found (no adapter_config.json with the file, none in its metadata): scale 1 assumed', known: false };
  }
  const networkAlpha = finiteNumber(metadata.ss_network_alpha);
  if (networkAlpha !== undefined) return { scale: networkAlpha / r, source: `metadata ss_network_alpha = ${formatNumber(networkAlpha)}, r = ${r} → ${formatNumber(networkAlpha / r)}`, known: true };
  if (pair.convention === 'kohya') return { scale: 1, source: "no alpha tensor: kohya's default alpha = r, scale 1", known: true };
  return { scale: 1, source: 'diffusers attention-processor LoRA without alpha: scale 1 (a pipeline scale set at inference is not stored)', known: true };
}

/** The value of a one-element float tensor, or null. */
async function scalarValue(ref: TensorRef | undefined): Promise<number | null> {
  if (!ref || ref.size !== 1) return null;
  try {
    const [value] = await ref.read();
    return value !== undefined && Number.isFinite(value) ? value : null;
  } catch {
    // An unreadable alpha leaves the scale unknown; the caller says so.
    return null;
  }
}

/**
 * PEFT's per-module alpha: a key of `alpha_pattern` matches a module when the module's name (without PEFT's
 * `base_model.model.` prefix) ends with it at a dot boundary, the key read as a regular expression (PEFT
 * `get_pattern_key`).
 */
function patternAlpha(patterns: Readonly<Record<string, number>>, base: string): { key: string; alpha: number } | undefined {
  const module = base.replace(/^base_model\.model\./, '');
  for (const [key, alpha] of Object.entries(patterns)) {
    let matches: boolean;
    try {
      matches = new RegExp(`(^|.*\\.)(${key})$`).test(module);
    } catch {
      // Not a valid regular expression: compare it as plain text.
      matches = module === key || module.endsWith(`.${key}`);
    }
    if (matches) return { key, alpha };
  }
  return undefined;
}

function finiteNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** One LoraConfig-like JSON object as scale settings, or null when it says nothing about the scale. */
function parseConfig(json: Readonly<Record<string, unknown>>, source: string, prefix?: string): LoraScaleConfig | null {
  const key = (k: string) => json[prefix === undefined ? k : `${prefix}.${k}`];
  const loraAlpha = finiteNumber(key('lora_alpha'));
  const r = finiteNumber(key('r'));
  const rawPattern = key('alpha_pattern');
  const alphaPattern: Record<string, number> = {};
  if (typeof rawPattern === 'object' && rawPattern !== null) {
    for (const [k, v] of Object.entries(rawPattern)) {
      const n = finiteNumber(v);
      if (n !== undefined) alphaPattern[k] = n;
    }
  }
  if (loraAlpha === undefined && r === undefined && Object.keys(alphaPattern).length === 0) return null;
  const rslora = key('use_rslora');
  return { ...(loraAlpha !== undefined ? { loraAlpha } : {}), ...(r !== undefined ? { r } : {}), useRslora: rslora === true || rslora === 'true', alphaPattern, source, ...(prefix !== undefined ? { prefix } : {}) };
}

/** Scale settings in a LoraConfig JSON: unprefixed, or one per component prefix (`transformer.lora_alpha`). */
function configsIn(json: unknown, source: string): LoraScaleConfig[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const record = json as Record<string, unknown>;
  const plain = parseConfig(record, source);
  if (plain) return [plain];
  const prefixes = new Set<string>();
  for (const k of Object.keys(record)) {
    const prefix = /^(.+)\.(lora_alpha|r|alpha_pattern)$/.exec(k)?.[1];
    if (prefix !== undefined) prefixes.add(prefix);
  }
  return [...prefixes].flatMap((p) => parseConfig(record, `${source} (${p})`, p) ?? []);
}

/** PEFT's `adapter_config.json`, when it was dropped with the weights. */
async function configFromFiles(files: readonly NamedBlob[]): Promise<LoraScaleConfig[]> {
  const file = files.find((f) => f.name === ADAPTER_CONFIG || f.name.endsWith(`/${ADAPTER_CONFIG}`));
  if (!file || file.blob.size > 1 << 20) return [];
  try {
    const text = new TextDecoder('utf-8').decode(await file.blob.arrayBuffer());
    return configsIn(JSON.parse(text), ADAPTER_CONFIG);
  } catch {
    // An unreadable config is as good as none: the scale is then reported as unknown.
    return [];
  }
}

/** Scale settings in the safetensors `__metadata__`. */
function configsFromMetadata(metadata: Readonly<Record<string, string>>): LoraScaleConfig[] {
  const packed = metadata.lora_adapter_metadata;
  if (packed !== undefined) {
    try {
      const found = configsIn(JSON.parse(packed), 'metadata lora_adapter_metadata');
      if (found.length > 0) return found;
    } catch {
      // Not JSON: fall through to the plain keys.
    }
  }
  return configsIn(metadata, 'metadata');
}
