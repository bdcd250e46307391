/**
 * Build Keras files for tests and fixtures with h5wasm's write API, laid out as Keras writes them:
 *
 * - Keras 2 (`hdf5_format.save_model_to_hdf5` / `save_weights_to_hdf5_group`): root attributes
 *   `keras_version`, `backend`, `model_config` (JSON) as fixed-length byte strings, group `model_weights`
 *   (or the root, for `save_weights`) with `layer_names`, each layer group with `weight_names` and its
 *   datasets at `<layer>/<weight name>`; an empty `weight_names` is a float64 array of shape (0,), as NumPy
 *   makes it from an empty list.
 * - Keras 3 (`saving_lib`): `layers/<snake_case class>[_k]/vars/<i>` datasets, and a `.keras` zip holding
 *   `metadata.json`, `config.json` and `model.weights.h5` (stored, as Python's zipfile writes it).
 *
 * Deterministic: HDF5 stamps object headers with the time, so `Date.now` is pinned while a file is built;
 * zip entries get a fixed date.
 */
import { zipSync } from 'fflate';
import { toSnakeCase } from '../kerasConfig';

/** The h5wasm write API used here (h5wasm's own types need DOM; these are the calls made). */
interface H5Group {
  create_group(name: string): H5Group;
  create_dataset(args: { name: string; data: Float32Array | Float64Array | Uint16Array | Int8Array; shape: number[]; chunks?: number[]; compression?: 'gzip' }): H5Group;
  create_attribute(name: string, data: string | string[] | Float64Array, shape?: number[] | null, dtype?: string | null): void;
}
interface H5File extends H5Group {
  close(): void;
}
interface H5wasmWriter {
  readonly ready: Promise<{ readonly FS: { readFile(path: string): Uint8Array; unlink(path: string): void } }>;
  readonly File: new (path: string, mode: 'w', options: { libver: string | [string, string] }) => H5File;
}

/** The time HDF5 stamps into fixture files (2024-06-11T00:00:00Z). */
const FIXED_TIME_MS = Date.UTC(2024, 5, 11);
let fileCounter = 0;

/**
 * Build an HDF5 file with `write` and return its bytes. The format defaults to h5py's (`libver='earliest'`:
 * version 1 object headers, no checksums); `latest` gives the HDF5 1.10+ structures (checksummed headers).
 */
export async function buildHdf5(write: (file: H5File) => void, { libver = 'earliest' }: { libver?: 'earliest' | 'latest' } = {}): Promise<Uint8Array> {
  const h5 = (await import('h5wasm')) as unknown as H5wasmWriter;
  const { FS } = await h5.ready;
  const path = `/build-${++fileCounter}.h5`;
  const realNow = Date.now;
  Date.now = () => FIXED_TIME_MS;
  try {
    const file = new h5.File(path, 'w', { libver: libver === 'earliest' ? ['earliest', 'latest'] : 'latest' });
    try {
      write(file);
    } finally {
      file.close();
    }
    return FS.readFile(path).slice();
  } finally {
    Date.now = realNow;
    try {
      FS.unlink(path);
    } catch {
      // Not created.
    }
  }
}

/** A fixed-length string attribute (NumPy `S`, what h5py writes for `bytes`), as Keras 2 writes its attributes. */
function bytesAttribute(group: H5Group, name: string, value: string | readonly string[], vlen = false): void {
  const list = typeof value === 'string' ? [value] : [...value];
  if (list.length === 0) {
    group.create_attribute(name, new Float64Array(0), [0]);
    return;
  }
  const width = Math.max(1, ...list.map((s) => new TextEncoder().encode(s).length));
  const dtype = vlen ? 'S' : `S${width}`;
  if (typeof value === 'string') group.create_attribute(name, value, null, dtype);
  else group.create_attribute(name, list, [list.length], dtype);
}

/** A weight to write. */
export interface WeightSpec {
  /** Keras 2: the weight name relative to the layer group, e.g. `conv2d/kernel:0`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array | Float64Array | Uint16Array | Int8Array;
  /** Dataset attributes (e.g. `{ dtype: 'bfloat16' }`). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Store chunked and gzip-compressed. */
  readonly gzip?: boolean;
}

/** A layer to write. */
export interface LayerSpec {
  readonly name: string;
  readonly className: string;
  readonly weights: readonly WeightSpec[];
}

/** A Keras model config (`{class_name, config: {name, layers}}`) listing the layers. */
export function modelConfig(layers: readonly LayerSpec[], modelClass = 'Sequential'): Record<string, unknown> {
  return {
    class_name: modelClass,
    config: { name: modelClass.toLowerCase(), layers: layers.map((l) => ({ class_name: l.className, config: { name: l.name, trainable: true } })) },
  };
}

function writeWeight(group: H5Group, weight: WeightSpec, name: string): void {
  const shape = [...weight.shape];
  const chunks = weight.gzip ? shape.map((d) => Math.max(1, d)) : undefined;
  const dataset = group.create_dataset({ name, data: weight.values, shape, ...(chunks ? { chunks, compression: 'gzip' as const } : {}) });
  for (const [key, value] of Object.entries(weight.attributes ?? {})) bytesAttribute(dataset, key, value);
}

/** Where a path's parent groups must exist: create them one by one. */
function ensureGroups(root: H5Group, path: readonly string[], made: Map<string, H5Group>): H5Group {
  let group = root;
  for (let i = 0; i < path.length; i++) {
    const key = path.slice(0, i + 1).join('/');
    const existing = made.get(key);
    group = existing ?? group.create_group(path[i] as string);
    made.set(key, group);
  }
  return group;
}

/** Options of {@link buildKeras2}. */
export interface Keras2Options {
  /** `save_weights` layout (weights at the root, no model_config). Default: `model.save`. */
  readonly weightsOnly?: boolean;
  /** Root attributes besides the defaults (`model_config: null` leaves the config out). */
  readonly modelConfig?: Record<string, unknown> | null;
  readonly kerasVersion?: string;
  /** Write string attributes as variable-length strings (h5py `str`) instead of fixed-length bytes. */
  readonly vlenStrings?: boolean;
  /** Split `layer_names` over `layer_names0`, `layer_names1`, … of this many names each. */
  readonly splitLayerNames?: number;
  /** HDF5 format generation (see {@link buildHdf5}). */
  readonly libver?: 'earliest' | 'latest';
}

/** A Keras 2 HDF5 file with these layers. */
export function buildKeras2(layers: readonly LayerSpec[], options: Keras2Options = {}): Promise<Uint8Array> {
  const vlen = options.vlenStrings ?? false;
  return buildHdf5((file) => {
    bytesAttribute(file, 'keras_version', options.kerasVersion ?? '2.15.0', vlen);
    bytesAttribute(file, 'backend', 'tensorflow', vlen);
    const config = options.modelConfig === undefined ? modelConfig(layers) : options.modelConfig;
    if (!options.weightsOnly && config !== null) bytesAttribute(file, 'model_config', JSON.stringify(config), vlen);
    const root = options.weightsOnly ? file : file.create_group('model_weights');
    const names = layers.map((l) => l.name);
    if (options.splitLayerNames) {
      for (let i = 0; i * options.splitLayerNames < names.length; i++) {
        bytesAttribute(root, `layer_names${i}`, names.slice(i * options.splitLayerNames, (i + 1) * options.splitLayerNames), vlen);
      }
    } else bytesAttribute(root, 'layer_names', names, vlen);
    for (const layer of layers) {
      const group = root.create_group(layer.name);
      bytesAttribute(group, 'weight_names', layer.weights.map((w) => w.name), vlen);
      const made = new Map<string, H5Group>();
      for (const weight of layer.weights) {
        const parts = weight.name.split('/');
        writeWeight(ensureGroups(group, parts.slice(0, -1), made), weight, parts.at(-1) as string);
      }
    }
  }, options.libver ? { libver: options.libver } : {});
}

/** Keras 3 layer groups: `layers/<snake_case class>`, then `_1`, `_2`, … for repeats (saving_lib). */
export function keras3LayerPaths(layers: readonly LayerSpec[]): string[] {
  const used = new Map<string, number>();
  return layers.map((l) => {
    const snake = toSnakeCase(l.className);
    const seen = used.get(snake);
    used.set(snake, seen === undefined ? 0 : seen + 1);
    return `layers/${seen === undefined ? snake : `${snake}_${seen + 1}`}`;
  });
}

/** A Keras 3 `model.weights.h5`: each layer's weights as `layers/<path>/vars/0`, `1`, …, plus optimizer state. */
export function buildKeras3Weights(layers: readonly LayerSpec[], { optimizer = true } = {}): Promise<Uint8Array> {
  const paths = keras3LayerPaths(layers);
  return buildHdf5((file) => {
    const made = new Map<string, H5Group>();
    layers.forEach((layer, i) => {
      const vars = ensureGroups(file, [...(paths[i] as string).split('/'), 'vars'], made);
      layer.weights.forEach((w, k) => writeWeight(vars, w, String(k)));
    });
    ensureGroups(file, ['vars'], made);
    if (optimizer) {
      const vars = ensureGroups(file, ['optimizer', 'vars'], made);
      vars.create_dataset({ name: '0', data: new Float32Array([3]), shape: [] });
      layers.flatMap((l) => l.weights).forEach((w, k) => writeWeight(vars, { ...w, gzip: false }, String(k + 1)));
    }
  });
}

/** The `config.json` of a Keras 3 archive: `{module, class_name, config: {layers: [{module, class_name, config}]}}`. */
export function keras3Config(layers: readonly LayerSpec[], modelClass = 'Sequential'): string {
  return JSON.stringify({
    module: 'keras',
    class_name: modelClass,
    config: {
      name: modelClass.toLowerCase(),
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { name: 'input_layer', batch_shape: [null, 8, 8, 3] } },
        ...layers.map((l) => ({ module: 'keras.layers', class_name: l.className, config: { name: l.name, trainable: true }, registered_name: null })),
      ],
    },
    registered_name: null,
  });
}

/** A zip holding `entries` in order, stored (not compressed), with a fixed date. */
export function buildZip(entries: readonly (readonly [string, Uint8Array | string])[], { deflate = false } = {}): Uint8Array {
  const encoder = new TextEncoder();
  const files = Object.fromEntries(entries.map(([name, data]) => [name, [typeof data === 'string' ? encoder.encode(data) : data, { level: deflate ? 6 : 0, mtime: new Date(FIXED_TIME_MS) }] as const]));
  return zipSync(files as Parameters<typeof zipSync>[0]);
}

/** A Keras 3 `.keras` archive: metadata.json, config.json, model.weights.h5. */
export async function buildKerasArchive(
  layers: readonly LayerSpec[],
  options: { deflate?: boolean; config?: string | null; optimizer?: boolean } = {},
): Promise<Uint8Array> {
  const weights = await buildKeras3Weights(layers, { optimizer: options.optimizer ?? true });
  const metadata = JSON.stringify({ keras_version: '3.3.3', date_saved: '2024-06-11@00:00:00' });
  const config = options.config === undefined ? keras3Config(layers) : options.config;
  const entries: [string, Uint8Array | string][] = [['metadata.json', metadata]];
  if (config !== null) entries.push(['config.json', config]);
  entries.push(['model.weights.h5', weights]);
  return buildZip(entries, { deflate: options.deflate ?? false });
}
