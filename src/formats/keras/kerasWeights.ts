/**
 * Find the Keras weights in an HDF5 snapshot. Two layouts exist:
 *
 * - **Keras 2** (`keras.saving.legacy.hdf5_format`, also tf.keras and Keras 3's legacy `.h5`): `model.save`
 *   puts the weights in group `/model_weights`, `save_weights` at the root. That group's attribute
 *   `layer_names` lists the layer groups in model order; each layer group's `weight_names` lists its
 *   datasets by path relative to the group, e.g. `conv2d/kernel:0` → `/model_weights/conv2d/conv2d/kernel:0`.
 *   Attributes over 64 KB are split into `layer_names0`, `layer_names1`, … (`save_attributes_to_hdf5_group`).
 * - **Keras 3** (`keras.saving.saving_lib.H5IOStore`, the `model.weights.h5` of a `.keras` archive, and
 *   `*.weights.h5`): each layer's variables are datasets `0`, `1`, … in a `vars` group under the layer's path,
 *   e.g. `/layers/conv2d/vars/0` (kernel), `/layers/conv2d/vars/1` (bias). tf-keras 2.13–2.15 used
 *   `/_layer_checkpoint_dependencies/<layer name>/vars/0`. Optimizer state (`/optimizer/vars/…`) is not a weight.
 */
import { FormatError } from '../formatError';
import type { KerasLayerClasses } from './kerasConfig';
import type { Hdf5AttributeValue, Hdf5Dataset, Hdf5Group, Hdf5Object, Hdf5Snapshot } from './hdf5Snapshot';

/** Which layout a file uses. */
export type KerasLayout = 'keras2-model' | 'keras2-weights' | 'keras3';

/** One weight dataset and what is known about it. */
export interface KerasWeight {
  /** Tensor name: the Keras 2 weight name (`conv2d/kernel:0`) or the Keras 3 path (`conv2d/vars/0`). */
  readonly name: string;
  readonly dataset: Hdf5Dataset;
  /** The class of the layer that owns it (`Conv2D`), when a model config says so. */
  readonly layerClass?: string;
}

/** The weights of a Keras file, in model order. */
export interface KerasWeights {
  readonly layout: KerasLayout;
  readonly weights: readonly KerasWeight[];
  /** Text attributes of the root and the weights group: `keras_version`, `backend`, `model_config`. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** How the file is named in messages: the file, and where the HDF5 data sits (`"a.h5"`, `model.weights.h5 in "a.keras"`). */
export interface KerasSource {
  readonly file: string;
  readonly where: string;
}

/** Top-level Keras 3 groups that hold training state, not model weights. */
const NOT_WEIGHTS = new Set(['optimizer', 'metrics', 'compile_metrics', 'compiled_metrics', 'compiled_loss', 'loss_tracker']);

/** The attributes of the root and weights group that become model metadata. */
const METADATA_ATTRIBUTES = ['keras_version', 'backend', 'model_config'];

function structureError(source: KerasSource, message: string): FormatError {
  return new FormatError('BAD_STRUCTURE', `${source.where} ${message}`, { file: source.file });
}

/** `base/relative` as an HDF5 path, with repeated and trailing slashes removed (HDF5 ignores them too). */
function joinPath(base: string, relative: string): string {
  const joined = `${base}/${relative}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/**
 * A list-of-texts attribute, joining `name0`, `name1`, … when the attribute was split; `undefined` when the
 * group has neither.
 */
function textList(group: Hdf5Group, name: string, source: KerasSource): readonly string[] | undefined {
  const own = group.attributes;
  const parts: Hdf5AttributeValue[] = [];
  if (Object.hasOwn(own, name)) parts.push(own[name] as Hdf5AttributeValue);
  else for (let i = 0; Object.hasOwn(own, `${name}${i}`); i++) parts.push(own[`${name}${i}`] as Hdf5AttributeValue);
  if (parts.length === 0) return undefined;
  const out: string[] = [];
  for (const part of parts) {
    if (part === null) throw structureError(source, `has a "${name}" attribute on ${group.path} that is not a list of names.`);
    if (typeof part === 'string') out.push(part);
    else out.push(...part);
  }
  return out;
}

/** Numbers inside names compare as numbers: `conv2d_2` before `conv2d_10`, `vars/2` before `vars/10`. */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Give every weight a unique name: a repeated one gets its longer form, then a `#k` suffix. */
function uniqueNames(weights: readonly (KerasWeight & { readonly longName: string })[]): KerasWeight[] {
  const counts = new Map<string, number>();
  for (const w of weights) counts.set(w.name, (counts.get(w.name) ?? 0) + 1);
  const used = new Set<string>();
  return weights.map(({ longName, ...w }) => {
    let name = (counts.get(w.name) ?? 0) > 1 ? longName : w.name;
    for (let k = 2; used.has(name); k++) name = `${longName}#${k}`;
    used.add(name);
    return { ...w, name };
  });
}

function keras2(objects: ReadonlyMap<string, Hdf5Object>, root: Hdf5Group, classes: KerasLayerClasses | null, source: KerasSource): KerasWeight[] {
  const layerNames = textList(root, 'layer_names', source) ?? [];
  const weights: (KerasWeight & { longName: string })[] = [];
  for (const layerName of layerNames) {
    const layer = objects.get(joinPath(root.path, layerName));
    if (layer?.kind !== 'group') throw structureError(source, `lists layer "${layerName}" in layer_names, but has no group ${joinPath(root.path, layerName)}.`);
    const weightNames = textList(layer, 'weight_names', source);
    if (weightNames === undefined) throw structureError(source, `has no weight_names attribute on layer group ${layer.path}.`);
    for (const weightName of weightNames) {
      const path = joinPath(layer.path, weightName);
      const dataset = objects.get(path);
      if (dataset?.kind !== 'dataset') throw structureError(source, `lists weight "${weightName}" for layer "${layerName}", but ${path} is not a dataset.`);
      // The owning layer: the innermost named scope of the weight name that the config knows, else the group.
      const scopes = weightName.split('/').slice(0, -1).reverse();
      const layerClass = [...scopes, layerName].map((n) => classes?.byName.get(n)).find((c) => c !== undefined);
      weights.push({ name: weightName, longName: `${layerName}/${weightName}`, dataset, ...(layerClass ? { layerClass } : {}) });
    }
  }
  return uniqueNames(weights);
}

/** The layer class of a Keras 3 layer path (`layers/conv2d_1`, `_layer_checkpoint_dependencies/dense`). */
function keras3Class(layerPath: string, classes: KerasLayerClasses | null): string | undefined {
  if (!classes) return undefined;
  const legacy = /^_layer_checkpoint_dependencies\/([^/]+)$/.exec(layerPath);
  return legacy ? classes.byName.get(legacy[1] as string) : classes.byPath.get(layerPath);
}

function keras3(objects: ReadonlyMap<string, Hdf5Object>, classes: KerasLayerClasses | null): KerasWeight[] {
  const order = new Map([...(classes?.byPath.keys() ?? [])].map((path, i) => [path, i]));
  const found: { layerPath: string; weight: KerasWeight & { longName: string } }[] = [];
  for (const object of objects.values()) {
    const match = /^\/(.+)\/vars\/([^/]+)$|^\/vars\/([^/]+)$/.exec(object.path);
    if (object.kind !== 'dataset' || !match) continue;
    const layerPath = match[1] ?? '';
    if (NOT_WEIGHTS.has(layerPath.split('/')[0] as string)) continue;
    const longName = object.path.slice(1);
    const name = longName.startsWith('layers/') ? longName.slice('layers/'.length) : longName;
    const layerClass = keras3Class(layerPath, classes);
    found.push({ layerPath, weight: { name, longName, dataset: object, ...(layerClass ? { layerClass } : {}) } });
  }
  // Model order where the config gives it, then the rest by path (numbers compared as numbers).
  const rank = (p: string) => order.get(p) ?? Number.MAX_SAFE_INTEGER;
  found.sort((a, b) => rank(a.layerPath) - rank(b.layerPath) || naturalCompare(a.weight.longName, b.weight.longName));
  return uniqueNames(found.map((f) => f.weight));
}

function isKeras3(objects: ReadonlyMap<string, Hdf5Object>): boolean {
  if (objects.get('/layers')?.kind === 'group' || objects.get('/_layer_checkpoint_dependencies')?.kind === 'group') return true;
  for (const path of objects.keys()) if (/\/vars$/.test(path) && objects.get(path)?.kind === 'group') return true;
  return false;
}

/** The string-valued metadata attributes of some groups, the first value of a name winning. */
function textAttributes(groups: readonly (Hdf5Object | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of groups) {
    for (const name of METADATA_ATTRIBUTES) {
      const value = group?.attributes[name];
      if (typeof value === 'string' && !Object.hasOwn(out, name)) out[name] = value;
    }
  }
  return out;
}

/**
 * The Keras weights of a file, in model order.
 *
 * @param classes layer classes from the model config, if any (`model_config` or `config.json`)
 * @throws FormatError `BAD_STRUCTURE` when the file holds no Keras weight layout, or when `layer_names` /
 *   `weight_names` point at groups or datasets that are not there
 */
export function listKerasWeights(snapshot: Hdf5Snapshot, classes: KerasLayerClasses | null, source: KerasSource): KerasWeights {
  const objects = new Map(snapshot.objects.map((o) => [o.path, o]));
  const root = objects.get('/');
  const modelWeights = objects.get('/model_weights');
  const hasLayerNames = (o: Hdf5Object | undefined): o is Hdf5Group =>
    o?.kind === 'group' && Object.keys(o.attributes).some((name) => /^layer_names\d*$/.test(name));
  if (hasLayerNames(modelWeights)) {
    return { layout: 'keras2-model', weights: keras2(objects, modelWeights, classes, source), attributes: textAttributes([root, modelWeights]) };
  }
  if (hasLayerNames(root)) {
    return { layout: 'keras2-weights', weights: keras2(objects, root, classes, source), attributes: textAttributes([root]) };
  }
  if (isKeras3(objects)) return { layout: 'keras3', weights: keras3(objects, classes), attributes: textAttributes([root]) };
  throw structureError(source, 'is an HDF5 file but holds no Keras weights (no model_weights group or layer_names attribute, and no Keras 3 layers/…/vars groups).');
}
