/**
 * Write TF.js model files in memory for tests and fixtures: weight groups encoded as tfjs-core stores them
 * (little-endian float32/int32, bool bytes, length-prefixed strings, uint8/uint16 affine or float16
 * quantization) and split into shards of a chosen size (tfjs-converter's `group<k>-shard<i>of<n>.bin`
 * naming), plus the model.json or bare manifest that lists them.
 */
import { encodeFloats } from '../../encodeFloats';

/** One weight to write. */
export interface WeightToWrite {
  readonly name: string;
  readonly shape: readonly number[];
  /** The manifest dtype (default `float32`). */
  readonly dtype?: string;
  /** Values: floats, integers or 0/1 in row-major order; complex64 as interleaved (re, im) pairs. */
  readonly values?: ArrayLike<number>;
  /** The elements of a `string` weight (encoded UTF-8, each after its 4-byte little-endian length). */
  readonly strings?: readonly string[];
  /** Store a float32 weight quantized, as tfjs-converter's `--quantize_uint8/uint16/float16` does. */
  readonly quantize?: 'uint8' | 'uint16' | 'float16';
  /** Store exactly these bytes instead of encoding `values`. */
  readonly bytes?: Uint8Array;
  /** Manifest entry fields added or replaced (e.g. a hostile `quantization`). */
  readonly entry?: Readonly<Record<string, unknown>>;
}

/** One weights group to write. */
export interface GroupToWrite {
  readonly weights: readonly WeightToWrite[];
  /** Shard size in bytes (tfjs-converter's default is 4 MiB); the last shard holds the rest. Default: one shard. */
  readonly shardBytes?: number;
  /** Shard file names instead of `group<k>-shard<i>of<n>.bin`. */
  readonly shardNames?: readonly string[];
}

/** A written group: its manifest entry and its shard files. */
export interface WrittenGroup {
  readonly manifest: { paths: string[]; weights: Record<string, unknown>[] };
  readonly shards: { name: string; bytes: Uint8Array }[];
}

/**
 * Affine quantization as tfjs-converter describes it: scale = (max − min) / (2^bits − 1), with `min` nudged
 * so that 0 is exactly representable when the range contains it; q = round((v − min) / scale), clamped.
 */
export function affineQuantize(values: ArrayLike<number>, bits: 8 | 16): { q: number[]; min: number; scale: number } {
  const top = 2 ** bits - 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i] as number);
    hi = Math.max(hi, values[i] as number);
  }
  if (!(hi > lo)) return { q: Array.from(values, () => 0), min: Number.isFinite(lo) ? lo : 0, scale: 1 };
  const scale = (hi - lo) / top;
  const min = lo <= 0 && hi >= 0 ? -Math.round(-lo / scale) * scale : lo;
  const q = Array.from(values, (v) => Math.min(top, Math.max(0, Math.round((v - min) / scale))));
  return { q, min, scale };
}

function littleEndian(values: ArrayLike<number>, width: 1 | 2 | 4, signed = false): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (width === 1) view.setUint8(i, v);
    else if (width === 2) view.setUint16(2 * i, v, true);
    else if (signed) view.setInt32(4 * i, v, true);
    else view.setUint32(4 * i, v, true);
  }
  return out;
}

function stringBytes(strings: readonly string[]): Uint8Array {
  const encoded = strings.map((s) => new TextEncoder().encode(s));
  const out = new Uint8Array(encoded.reduce((n, e) => n + 4 + e.length, 0));
  let at = 0;
  for (const e of encoded) {
    new DataView(out.buffer).setUint32(at, e.length, true);
    out.set(e, at + 4);
    at += 4 + e.length;
  }
  return out;
}

/** The manifest entry and stored bytes of one weight. */
export function encodeWeight(w: WeightToWrite): { entry: Record<string, unknown>; bytes: Uint8Array } {
  const dtype = w.dtype ?? 'float32';
  const values = w.values ?? [];
  const entry: Record<string, unknown> = { name: w.name, shape: [...w.shape], dtype };
  let bytes: Uint8Array;
  if (w.quantize === 'float16') {
    entry.quantization = { dtype: 'float16' };
    bytes = encodeFloats(values, 'F16');
  } else if (w.quantize) {
    const bits = w.quantize === 'uint8' ? 8 : 16;
    const { q, min, scale } = affineQuantize(values, bits);
    entry.quantization = { dtype: w.quantize, min, scale };
    bytes = littleEndian(q, bits === 8 ? 1 : 2);
  } else if (dtype === 'string') bytes = stringBytes(w.strings ?? []);
  else if (dtype === 'int32') bytes = littleEndian(values, 4, true);
  else if (dtype === 'bool') bytes = littleEndian(values, 1);
  else bytes = encodeFloats(values, 'F32');
  return { entry: { ...entry, ...w.entry }, bytes: w.bytes ?? bytes };
}

/** Encode group `k` (1-based) into its manifest entry and shards. */
export function writeTfjsGroup(group: GroupToWrite, k: number): WrittenGroup {
  const encoded = group.weights.map(encodeWeight);
  const data = new Uint8Array(encoded.reduce((n, e) => n + e.bytes.length, 0));
  let at = 0;
  for (const e of encoded) {
    data.set(e.bytes, at);
    at += e.bytes.length;
  }
  const size = group.shardBytes ?? Math.max(1, data.length);
  const count = group.shardNames?.length ?? Math.max(1, Math.ceil(data.length / size));
  const shards = Array.from({ length: count }, (_, i) => ({
    name: group.shardNames?.[i] ?? `group${k}-shard${i + 1}of${count}.bin`,
    bytes: i === count - 1 ? data.slice(i * size) : data.slice(i * size, (i + 1) * size),
  }));
  return { manifest: { paths: shards.map((s) => s.name), weights: encoded.map((e) => e.entry) }, shards };
}

/** A TF.js model to write. */
export interface TfjsModelToWrite {
  readonly groups: readonly GroupToWrite[];
  /** `modelTopology` (a layers config or a GraphDef JSON); omitted for a bare manifest. */
  readonly topology?: unknown;
  /** `format` (`layers-model`, `graph-model`); `null` for a bare manifest (the JSON is the manifest array). */
  readonly format: 'layers-model' | 'graph-model' | null;
  /** Other top-level fields. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The JSON value and shard files of a model. */
export function writeTfjs(model: TfjsModelToWrite): { json: unknown; shards: { name: string; bytes: Uint8Array }[] } {
  const groups = model.groups.map((g, i) => writeTfjsGroup(g, i + 1));
  const manifest = groups.map((g) => g.manifest);
  const shards = groups.flatMap((g) => g.shards);
  if (model.format === null) return { json: manifest, shards };
  const json = {
    format: model.format,
    generatedBy: model.format === 'graph-model' ? '2.15.0' : 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: model.format === 'graph-model' ? 'TensorFlow.js Converter v4.22.0' : null,
    modelTopology: model.topology,
    ...model.extra,
    weightsManifest: manifest,
  };
  return { json, shards };
}

/** Deterministic values for tests: sin(k + offset) scaled, row-major. */
export function wave(n: number, offset = 0, amplitude = 0.1): number[] {
  return Array.from({ length: n }, (_, i) => amplitude * Math.sin(1.7 * (i + offset) + 0.3));
}
