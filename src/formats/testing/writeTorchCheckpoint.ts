/**
 * Build PyTorch checkpoints as `torch.save` (PyTorch ≥ 1.6, torch/serialization.py `_save`) writes them, for
 * tests and fixtures: a zip with `<root>/data.pkl` (protocol 2 pickle: `collections.OrderedDict` state dicts
 * with `_metadata`, tensors via `torch._utils._rebuild_tensor_v2`, storages as
 * `('storage', torch.FloatStorage, key, 'cpu', numel)` persistent ids), `<root>/byteorder`,
 * `<root>/data/<key>` (stored, 64-byte aligned) and `<root>/version`.
 */
import { encodeFloats } from '../encodeFloats';
import { PickleWriter } from './writePickle';
import type { ZipEntryToWrite } from './writeZip';
import { writeZip } from './writeZip';

/** Element types the builder can write, by torch name, with their storage class and size. */
const STORAGES = {
  float32: ['FloatStorage', 4],
  float16: ['HalfStorage', 2],
  bfloat16: ['BFloat16Storage', 2],
  float64: ['DoubleStorage', 8],
  int64: ['LongStorage', 8],
  int32: ['IntStorage', 4],
  int8: ['CharStorage', 1],
  uint8: ['ByteStorage', 1],
  bool: ['BoolStorage', 1],
} as const;

/** A torch dtype name the builder writes. */
export type TorchDtypeName = keyof typeof STORAGES;

/** A tensor to save. Without `storage`, it gets its own contiguous storage holding `values`. */
export interface TensorToSave {
  readonly kind: 'tensor';
  readonly dtype: TorchDtypeName;
  readonly shape: readonly number[];
  /** C-order values (ignored when `storage` is given). */
  readonly values: ArrayLike<number>;
  /** Share or shape the storage: its key and every element in it. */
  readonly storage?: { readonly key: string; readonly values: ArrayLike<number> };
  readonly stride?: readonly number[];
  readonly storageOffset?: number;
  /** Wrap in `torch._utils._rebuild_parameter`, as an `nn.Parameter` pickles. */
  readonly parameter?: boolean;
}

/** A dict to save: `ordered` ones pickle as `collections.OrderedDict` (state dicts), with `_metadata` when `metadata`. */
export interface DictToSave {
  readonly kind: 'dict';
  readonly entries: readonly (readonly [string | number, Saveable])[];
  readonly ordered?: boolean;
  readonly metadata?: boolean;
}

/** What the builder can pickle. */
export type Saveable = TensorToSave | DictToSave | { readonly kind: 'tuple'; readonly items: readonly Saveable[] } | readonly Saveable[] | number | string | boolean | null;

/** A tensor with its own storage. */
export const tensor = (dtype: TorchDtypeName, shape: readonly number[], values: ArrayLike<number>, extra: Partial<TensorToSave> = {}): TensorToSave => ({
  kind: 'tensor',
  dtype,
  shape,
  values,
  ...extra,
});

/** A state dict (OrderedDict with `_metadata`, as `module.state_dict()` pickles). */
export const stateDict = (record: Readonly<Record<string, Saveable>>): DictToSave => ({ kind: 'dict', entries: Object.entries(record), ordered: true, metadata: true });

/** A plain dict (as `{'model': …, 'epoch': 3}` pickles). */
export const plainDict = (record: Readonly<Record<string, Saveable>>): DictToSave => ({ kind: 'dict', entries: Object.entries(record) });

/** Element bytes of `values` in `dtype`, little- or big-endian. */
export function storageBytes(dtype: TorchDtypeName, values: ArrayLike<number>, bigEndian = false): Uint8Array {
  let bytes: Uint8Array;
  if (dtype === 'float32' || dtype === 'float16' || dtype === 'bfloat16' || dtype === 'float64') {
    bytes = encodeFloats(values, ({ float32: 'F32', float16: 'F16', bfloat16: 'BF16', float64: 'F64' } as const)[dtype]);
  } else if (dtype === 'int64') bytes = new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer);
  else if (dtype === 'int32') bytes = new Uint8Array(Int32Array.from(values).buffer);
  else bytes = Uint8Array.from(values, (v) => v & 0xff);
  const width = STORAGES[dtype][1];
  if (bigEndian) for (let at = 0; at < bytes.length; at += width) bytes.subarray(at, at + width).reverse();
  return bytes;
}

/** Pickles values the way `torch.save` does (protocol 2, every object memoized). */
class TorchPickler {
  readonly w = new PickleWriter();
  readonly storages = new Map<string, { dtype: TorchDtypeName; values: ArrayLike<number> }>();
  private memo = 0;
  private readonly globals = new Map<string, number>();

  private put(): void {
    this.w.put(this.memo++);
  }
  private global(module: string, name: string): void {
    const known = this.globals.get(`${module}.${name}`);
    if (known !== undefined) {
      this.w.get(known);
      return;
    }
    this.w.global(module, name);
    this.globals.set(`${module}.${name}`, this.memo);
    this.put();
  }
  private orderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.w.emptyTuple().reduce();
    this.put();
  }
  private tuple(items: readonly Saveable[]): void {
    if (items.length === 0) this.w.emptyTuple();
    else if (items.length <= 3) {
      for (const item of items) this.save(item);
      [this.w.tuple1, this.w.tuple2, this.w.tuple3][items.length - 1]?.call(this.w);
    } else {
      this.w.mark();
      for (const item of items) this.save(item);
      this.w.tuple();
    }
    this.put();
  }
  private items(entries: readonly (readonly [string | number, Saveable])[]): void {
    if (entries.length === 0) return;
    if (entries.length > 1) this.w.mark();
    for (const [k, v] of entries) {
      this.save(k);
      this.save(v);
    }
    if (entries.length > 1) this.w.setitems();
    else this.w.setitem();
  }
  private tensor(t: TensorToSave): void {
    const storage = t.storage ?? { key: String(this.storages.size), values: t.values };
    if (!this.storages.has(storage.key)) this.storages.set(storage.key, { dtype: t.dtype, values: storage.values });
    if (t.parameter) this.global('torch._utils', '_rebuild_parameter');
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.w.mark().mark();
    this.save('storage');
    this.global('torch', STORAGES[t.dtype][0]);
    this.save(storage.key);
    this.save('cpu');
    this.save(storage.values.length);
    this.w.tuple();
    this.put();
    this.w.binpersid();
    this.save(t.storageOffset ?? 0);
    const stride = t.stride ?? t.shape.map((_, j) => t.shape.slice(j + 1).reduce((a, b) => a * b, 1));
    this.tuple(t.shape.map((d) => d));
    this.tuple(stride.map((d) => d));
    this.w.bool(false);
    this.orderedDict();
    this.w.tuple();
    this.put();
    this.w.reduce();
    this.put();
    if (t.parameter) {
      this.w.bool(true);
      this.orderedDict();
      this.w.tuple3();
      this.put();
      this.w.reduce();
      this.put();
    }
  }

  save(value: Saveable): void {
    if (value === null) this.w.none();
    else if (typeof value === 'boolean') this.w.bool(value);
    else if (typeof value === 'number') {
      if (Number.isInteger(value)) this.w.int(value);
      else this.w.float(value);
    } else if (typeof value === 'string') {
      this.w.str(value);
      this.put();
    } else if (Array.isArray(value)) {
      this.w.emptyList();
      this.put();
      if (value.length === 1) this.save(value[0] as Saveable);
      else this.w.mark();
      if (value.length > 1) for (const item of value as readonly Saveable[]) this.save(item);
      if (value.length === 1) this.w.append();
      else if (value.length > 1) this.w.appends();
    } else if (!Array.isArray(value) && (value as TensorToSave).kind === 'tensor') this.tensor(value as TensorToSave);
    else if ((value as { kind: string }).kind === 'tuple') this.tuple((value as { items: readonly Saveable[] }).items);
    else {
      const dict = value as DictToSave;
      if (dict.ordered) this.orderedDict();
      else {
        this.w.emptyDict();
        this.put();
      }
      this.items(dict.entries);
      if (dict.ordered && dict.metadata) {
        this.w.emptyDict();
        this.put();
        this.save('_metadata');
        this.orderedDict();
        this.save('');
        this.save({ kind: 'dict', entries: [['version', 1]] });
        this.w.setitem().setitem().build();
      }
    }
  }
}

/** Options of {@link writeTorchCheckpoint}. */
export interface CheckpointOptions {
  /** The archive's root folder (torch uses the file's stem, or `archive`). */
  readonly root?: string;
  /** The `byteorder` record (`little`, `big`, or any text for damaged files); null leaves it out (as PyTorch < 1.10 did). */
  readonly byteorder?: string | null;
  readonly zip64?: boolean;
  /** Deflate the storages (torch never does; other zip tools might). */
  readonly deflateStorages?: boolean;
  /** Use these bytes as `data.pkl` instead of pickling `value` (storages still come from `value`). */
  readonly pickle?: Uint8Array;
  /** More entries, e.g. `constants.pkl` for TorchScript-like archives (names relative to the root). */
  readonly extraEntries?: readonly { readonly name: string; readonly data: Uint8Array }[];
}

/** The pickle `torch.save(value)` writes as `data.pkl`, and the storages it refers to. */
export function pickleForTorch(value: Saveable): { pickle: Uint8Array; storages: ReadonlyMap<string, { dtype: TorchDtypeName; values: ArrayLike<number> }> } {
  const p = new TorchPickler();
  p.w.proto(2);
  p.save(value);
  p.w.stop();
  return { pickle: p.w.bytes(), storages: p.storages };
}

/** The bytes of `torch.save(value, f)`. */
export function writeTorchCheckpoint(value: Saveable, options: CheckpointOptions = {}): Uint8Array {
  const root = options.root ?? 'archive';
  const { pickle, storages } = pickleForTorch(value);
  const byteorder = options.byteorder === undefined ? 'little' : options.byteorder;
  const text = (s: string) => new TextEncoder().encode(s);
  const entries: ZipEntryToWrite[] = [{ name: `${root}/data.pkl`, data: options.pickle ?? pickle, align: 64 }];
  if (byteorder !== null) entries.push({ name: `${root}/byteorder`, data: text(byteorder), align: 64 });
  for (const [key, s] of storages) {
    entries.push({ name: `${root}/data/${key}`, data: storageBytes(s.dtype, s.values, byteorder === 'big'), align: 64, method: options.deflateStorages ? 8 : 0 });
  }
  for (const extra of options.extraEntries ?? []) entries.push({ name: `${root}/${extra.name}`, data: extra.data, align: 64 });
  entries.push({ name: `${root}/version`, data: text('3\n'), align: 64 });
  return writeZip(entries, options.zip64 ? { zip64: true } : {});
}
