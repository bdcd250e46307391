/**
 * Our per-layer metrics as a Netron attachment: a JSON file that Netron (https://github.com/lutzroeder/netron)
 * overlays on a model it has open, showing the numbers in the "Metrics" / "Metadata" sections of its
 * sidebars. Pure (no DOM, no Node): the app's export button and `artificial-mri analyze --netron` both call
 * {@link netronAttachmentText}, so they write the same bytes.
 *
 * ## What Netron reads (lutzroeder/netron at 38591e39cda4, 2026-08-08, package version 9.2.1)
 *
 * - Recognition, source/view.js:6454-6476 (`metadata.Attachment.open`): the opened file's name must end in
 *   `.json` (case-insensitive) and its top-level object must have `signature === 'netron:attachment'`. Then
 *   the arrays `data.metadata` and `data.metrics` are loaded into two containers of the same name; every
 *   other top-level key is ignored (so ours, `generator`, `model`, `definitions`, `layers`, are for people
 *   and scripts only).
 * - Loading, view.js:6478-6503 (`metadata.Attachment.Container.open`): each array item is
 *   `{ kind, target | identifier, name, value, type? }`. An item without a truthy `kind`, or with neither a
 *   `target` nor an `identifier` key, is dropped silently. It is filed under the key `${kind}::${target}`
 *   (or `${kind}[${identifier}]`), then by `name` with `{ value, type }`: a repeated name for the same key
 *   overwrites the earlier one (so our names are unique per target).
 * - Matching, view.js:6525-6549 (`_list`): an object of kind `model | graph | node | value | tensor` looks
 *   up `${kind}::${first line of its name}` (only when its name is non-empty, or for model and graph) and
 *   `${kind}[${its identifier}]` (when it has one). The model and graph metrics are asked for through the
 *   wrappers `metrics.Model` / `metrics.Target` (view.js:4647-4650, 4720-4723), which have no name, so
 *   model-level metrics match `target: ""` (`model::`) whatever the model is called; model-level *metadata*
 *   is matched by the model's own name (view.js:4631), which we do not know, so we put nothing there.
 * - Display: `type` defaults to `'attribute'` (view.js:6533); the value goes through `view.Formatter`
 *   (view.js:5505-5606): numbers, strings and booleans are shown with `toString()`, `null` as an empty
 *   cell. A `type` other than `'attribute'` makes the row expandable with "type: …"; in the tensor sidebar
 *   only, `type: 'percentage'` shows `value × 100 %` (view.js:4572). We give no `type`.
 *   - node: the node sidebar ("Node Properties") lists the node's Metadata then Metrics sections
 *     (view.js:3746-3758, `attachment.metadata.node(node)`, `attachment.metrics.node(node)`), keyed by the
 *     node's `name`.
 *   - tensor: clicking a weight (an initializer) in a node, or its "Show Tensor" button, opens the tensor
 *     sidebar (view.js:3251-3255, 3291) whose Metrics section (view.js:4560-4578) merges Netron's own
 *     min / max / mean / std / sparsity with the attachment's `tensor::${tensor.name}` items
 *     (`metrics.Tensor.name`, view.js:6643-6645). Its Metadata section uses the same key (view.js:4550).
 *   - value: the connection sidebar (view.js:4441-4453) is only shown for edges, never for initializers
 *     (view.js:3251-3255), so weights cannot be reached by `value::` keys; we emit none.
 * - Opening: with a model open, drop or open the `.json` file; `View.attach` (view.js:765-774) is tried
 *   before opening a new model (source/browser.js:510, source/desktop.mjs:490).
 *
 * ## How our tensors map onto Netron's names (per format reader of Netron, same commit)
 *
 * Each analysed layer gets `tensor` and/or `node` targets (see {@link netronTargets}); targets Netron does not
 * have are ignored by it, so a candidate that does not exist costs bytes, not correctness.
 *
 * - onnx (source/onnx.js): initializers are tensors named by the initializer's name (onnx.js:438-448, 595,
 *   1157-1166); a Constant node that feeds one input is inlined as a tensor named by its TensorProto's name
 *   (onnx.js:1281-1295), which exporters often leave empty or set to the output name. Target:
 *   `tensor::<our name>` (our ONNX reader names a weight by its initializer / Constant output name).
 *   and `node::<name of the node that uses it>` (onnx.js: a node's name is NodeProto.name; our reader records
 *   it as TensorInfo.node; unnamed nodes get no node target). Names our reader invented
 *   (`(unnamed tensor N)`, and `name @scope` for a name reused in a subgraph, which is ambiguous in Netron)
 *   get no target.
 * - pytorch (source/pytorch.js:2168-2216, 280-285, 770-777, 878-880): a state dict is shown as one node per module,
 *   named by the key without its last `.` part (`features.0` for `features.0.weight`; `a._packed_params`
 *   keeps the last two parts), whose weights are tensors named by the full key. Targets:
 *   `tensor::features.0.weight`, `node::features.0`. (A state dict wrapped in a checkpoint dict, our
 *   `model.features.0.weight`, is shown by Netron as a generic object: nothing matches there.)
 * - safetensors (source/safetensors.js:62-85, 105-118, 163-170): one node per key prefix (key without its last
 *   `.` part); its tensors have no name. Target: `node::<prefix>`.
 * - gguf (source/gguf.js:531-554, 935-1030): flat tensors (`token_embd.weight`, `output.weight`) become a node
 *   named by the prefix; tensors inside `blk.N.` blocks are grouped under component names that repeat in
 *   every block, and tensors have no name. Target: `node::<prefix>` outside `blk.N.` blocks, none inside.
 * - numpy (source/numpy.js:45-65, 113-127): an `.npz` is one node per key prefix (separator `.` when every key
 *   ends in `.weight.npy`, else `/`); tensors have no name; a single `.npy` is an unnamed node.
 *   Target: `node::<prefix>` for `.npz` entries.
 * - keras, and tfjs layers-models / weights manifests (source/keras.js:330-345, 906-916, 1193-1208, 1378-1383,
 *   1420-1437): nodes are the layers, named by their config name (`outer/inner` inside a nested model), or for
 *   weights alone by the weight name without its last part; weights are tensors named by the weight name
 *   (`conv1/kernel`, `dense/kernel:0`). Targets: `tensor::<name>`, and `node::` the name without its last
 *   part (Keras 3 `dense/vars/0` → `dense`, dropping `layers/` path parts) and, when different, its first
 *   part (`lstm/lstm_cell/kernel:0` → `lstm`).
 * - tfjs graph-models (source/tf.js:1112-1116, 1835-1880): a weight is a Const node inlined as a tensor named by the node
 *   (= manifest) name. Target: `tensor::<name>` only.
 *
 * A node that gets several analysed tensors (an LSTM's `weight_ih_l0` and `weight_hh_l0`) has its item names
 * prefixed with the rest of the tensor's name (`weight_ih_l0.alpha`); otherwise they are the plain column
 * names. Tensor targets always use the plain names.
 *
 * ## Values
 *
 * Metrics items carry the records' columns under WeightWatcher's names (`alpha`, `alpha_weighted`, `D`,
 * `stable_rank`, `log_spectral_norm`, `warning`, …) with numbers as JSON numbers, in record order, except
 * `name`, `shape`, `dtype`, `definition` and `approximations`, which go to the metadata items with the
 * analysed `tensor` name. JSON has no NaN or ±Infinity (`JSON.stringify` would silently write `null`, which
 * Netron shows as an empty cell): a column whose value is not a finite number, or is null, is omitted from
 * that target's items, and the top-level `layers` entry lists it under `omitted`.
 */
import { version as PACKAGE_VERSION, name as PACKAGE_NAME } from '../package.json';
import type { ModelInfo, TensorInfo } from '../src/model/types';
import { DEFAULT_RANDOMIZE_SEED } from '../src/analysis/metrics/layerRandomization';
import { DEFAULT_OPERATOR_INPUT_SIZE } from '../src/analysis/spectra/convOperator';
import type { LayerRecord } from './layerRecords';
import type { AnalysisSettings } from './protocol';

/** The value of `signature` that makes Netron read a JSON file as an attachment (view.js:6465). */
export const NETRON_ATTACHMENT_SIGNATURE = 'netron:attachment';

/** The object kinds Netron looks attachment items up for (view.js:6505-6523). */
export type NetronKind = 'model' | 'graph' | 'node' | 'value' | 'tensor';

/** Where a layer's items go in Netron: `${kind}::${target}`. */
export interface NetronTarget {
  readonly kind: 'node' | 'tensor';
  readonly target: string;
}

/** One item of the `metadata` / `metrics` arrays. No `type`: Netron's default (`attribute`) shows the value as is. */
export interface NetronItem {
  readonly kind: NetronKind;
  readonly target: string;
  readonly name: string;
  readonly value: string | number | boolean;
}

/** The definitions the numbers were computed with (our key; Netron ignores it). */
export interface NetronDefinitions {
  readonly conv: string;
  /** Input size n of the `operator` conv definition; present only for it. */
  readonly operator_input_size?: number;
  readonly normalization: string;
  /** What λ is, in words, for these settings. */
  readonly lambda: string;
  readonly mp_fit: boolean;
  readonly randomize: boolean;
  readonly randomize_seed?: number;
  readonly exact_tail: string;
  /** The distinct per-layer `definition` texts of the records, in first-seen order. */
  readonly layers: readonly string[];
}

/** One analysed layer: its tensor, where its items went, and the columns left out (not JSON-encodable). */
export interface NetronLayer {
  readonly tensor: string;
  readonly targets: readonly NetronTarget[];
  readonly omitted?: readonly string[];
}

/** The attachment document. Key order is the order written. */
export interface NetronAttachment {
  readonly signature: typeof NETRON_ATTACHMENT_SIGNATURE;
  readonly generator: { readonly name: string; readonly package: string; readonly version: string };
  readonly model: { readonly name: string; readonly format: string };
  readonly definitions: NetronDefinitions;
  readonly layers: readonly NetronLayer[];
  readonly metadata: readonly NetronItem[];
  readonly metrics: readonly NetronItem[];
}

/** The app's display name. */
export const APP_NAME = 'Artificial MRI';

/** Record columns that describe the layer rather than measure it: metadata items, not metrics. */
const METADATA_COLUMNS = new Set(['shape', 'dtype', 'definition', 'approximations']);

/** `name` without its last `sep`-separated part, or null when it has a single part. */
function parent(name: string, sep: string): string | null {
  const i = name.lastIndexOf(sep);
  return i > 0 ? name.slice(0, i) : null;
}

/** PyTorch state-dict module of a key (pytorch.js:2196-2204: `…._packed_params.x` keeps two parts). */
function torchModule(name: string): string | null {
  const parts = name.split('.');
  if (parts.length < 2) return null;
  parts.pop();
  if (parts.length > 1 && parts[parts.length - 1] === '_packed_params') parts.pop();
  return parts.join('.');
}

/** Keras layer candidates of a weight name: its module path, and its first part (see the module comment). */
function kerasNodes(name: string): string[] {
  const parts = name.split('/');
  const last = parts.length - 1;
  const keras3 = parts.length >= 3 && parts[last - 1] === 'vars' && /^\d+$/.test(parts[last] as string);
  const path = (keras3 ? parts.slice(0, -2).filter((p) => p !== 'layers') : parts.slice(0, -1)).filter((p) => p !== '');
  if (path.length === 0) return [];
  const full = path.join('/');
  const first = path[0] as string;
  return full === first ? [full] : [full, first];
}

/** Whether the ONNX reader made this name up (see the module comment): Netron has no tensor of that name. */
function inventedOnnxName(name: string, names: ReadonlySet<string>): boolean {
  if (/^\(unnamed tensor \d+\)$/.test(name)) return true;
  // `${name} @${scope}` (then `#k`), given to a name already taken: some prefix before a ` @` is a tensor's name.
  for (let i = name.indexOf(' @'); i > 0; i = name.indexOf(' @', i + 1)) if (names.has(name.slice(0, i))) return true;
  return false;
}

/** Netron's name for a target: it matches the first line of its objects' names (view.js:6530). */
function firstLine(name: string): string {
  return name.split('\n')[0] as string;
}

/**
 * Where Netron shows one tensor's items, for this model's format (see the module comment for the sources).
 * @param info the model (its format, tensor names, and for tfjs its `format` metadata)
 * @param tensor the tensor's name and file
 */
export function netronTargets(info: Pick<ModelInfo, 'format' | 'tensors' | 'metadata'>, tensor: Pick<TensorInfo, 'name' | 'file' | 'node'>): NetronTarget[] {
  const { name } = tensor;
  const tensorTarget: NetronTarget = { kind: 'tensor', target: firstLine(name) };
  let nodes: (string | null)[] = [];
  let named = false;
  switch (info.format) {
    case 'onnx':
      named = !inventedOnnxName(name, new Set(info.tensors.map((t) => t.name)));
      // The node that uses the weight, by its name (Netron's node title); unnamed nodes cannot be targeted.
      nodes = named && tensor.node ? [tensor.node] : [];
      break;
    case 'pytorch':
      named = true;
      nodes = [torchModule(name)];
      break;
    case 'safetensors':
      nodes = [parent(name, '.')];
      break;
    case 'gguf':
      nodes = /^(?:(?:enc|dec)\.)?blk\.\d+\./.test(name) ? [] : [parent(name, '.')];
      break;
    case 'numpy': {
      if (!tensor.file.toLowerCase().endsWith('.npy')) {
        const inFile = info.tensors.filter((t) => t.file === tensor.file);
        const sep = inFile.length > 0 && inFile.every((t) => t.name.endsWith('.weight')) ? '.' : '/';
        nodes = [parent(name, sep)];
      }
      break;
    }
    case 'keras':
      named = true;
      nodes = kerasNodes(name);
      break;
    case 'tfjs':
      named = true;
      if (info.metadata.format === 'layers-model' || info.metadata.format === 'weights manifest') nodes = kerasNodes(name);
      break;
    default:
      break;
  }
  const targets: NetronTarget[] = named && name !== '' ? [tensorTarget] : [];
  for (const node of nodes) if (node) targets.push({ kind: 'node', target: firstLine(node) });
  return targets;
}

/** What λ is under these settings, in words. */
function lambdaText(conv: string, normalization: string): string {
  const base = conv === 'ww-pooled' ? 'λ = σ² (WeightWatcher); ½σ² for conv kernels, whose slices are pooled (WeightWatcher conv2d_norm)' : 'λ = σ²';
  if (normalization === 'per-row') return `${base}; divided by the rows (DeepDataProfiler per-row)`;
  if (normalization === 'mp') return `${base}; divided by N (Marchenko–Pastur scaling)`;
  return base;
}

/** The definitions behind the numbers, with the defaults filled in (so the app and the CLI agree). */
function definitionsOf(records: readonly LayerRecord[], settings: AnalysisSettings): NetronDefinitions {
  const conv = settings.conv ?? 'ww-pooled';
  const normalization = settings.normalization ?? 'none';
  const randomize = settings.randomize ?? false;
  // WeightWatcher's layer filters are left out: they choose which layers are reported (the `layers` list says
  // which are), they never change a number; the app reports every layer, the CLI those the filters keep.
  const layers = [...new Set(records.flatMap((r) => (typeof r.definition === 'string' ? [r.definition] : [])))];
  return {
    conv,
    ...(conv === 'operator' ? { operator_input_size: settings.operatorInputSize ?? DEFAULT_OPERATOR_INPUT_SIZE } : {}),
    normalization,
    lambda: lambdaText(conv, normalization),
    mp_fit: settings.mpFit ?? false,
    randomize,
    ...(randomize ? { randomize_seed: settings.randomizeSeed ?? DEFAULT_RANDOMIZE_SEED } : {}),
    exact_tail: settings.exactTail ?? 'auto',
    layers,
  };
}

/** A record value Netron can be given: finite numbers, strings, booleans (JSON has no NaN / Infinity). */
function encodable(value: LayerRecord[string] | undefined): value is string | number | boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' || typeof value === 'boolean';
}

/**
 * The Netron attachment of a scan.
 *
 * @param info the model the records were computed from (names, format)
 * @param records one record per analysed layer (`layerRecord`), in the order to write
 * @param settings the settings of the scan (defaults are filled in for the `definitions`)
 */
export function netronAttachment(info: ModelInfo, records: readonly LayerRecord[], settings: AnalysisSettings): NetronAttachment {
  const byName = new Map(info.tensors.map((t) => [t.name, t]));
  const named = records.filter((r): r is LayerRecord & { name: string } => typeof r.name === 'string');
  const targetsOf = new Map(
    named.map((r) => {
      const tensor = byName.get(r.name) ?? { name: r.name, file: '' };
      return [r.name, netronTargets(info, tensor)] as const;
    }),
  );
  // How many analysed tensors each node gets: more than one, and their item names need the tensor's part.
  const perNode = new Map<string, number>();
  for (const targets of targetsOf.values()) for (const t of targets) if (t.kind === 'node') perNode.set(t.target, (perNode.get(t.target) ?? 0) + 1);

  const metadata: NetronItem[] = [];
  const metrics: NetronItem[] = [];
  const layers: NetronLayer[] = [];
  for (const record of named) {
    const targets = targetsOf.get(record.name) ?? [];
    const omitted: string[] = [];
    const columns: [string, string | number | boolean][] = [];
    for (const [column, value] of Object.entries(record)) {
      if (column === 'name') continue;
      if (encodable(value)) columns.push([column, value]);
      else omitted.push(column);
    }
    for (const target of targets) {
      const shared = target.kind === 'node' && (perNode.get(target.target) ?? 0) > 1;
      const rest = shared && record.name.startsWith(target.target) ? record.name.slice(target.target.length).replace(/^[./]/, '') : record.name;
      const label = (column: string) => (shared ? `${rest}.${column}` : column);
      const item = (name: string, value: string | number | boolean): NetronItem => ({ kind: target.kind, target: target.target, name, value });
      if (target.kind === 'node') metadata.push(item(label('tensor'), record.name));
      for (const [column, value] of columns) (METADATA_COLUMNS.has(column) ? metadata : metrics).push(item(label(column), value));
    }
    layers.push({ tensor: record.name, targets, ...(omitted.length ? { omitted } : {}) });
  }
  const definitions = definitionsOf(records, settings);
  const generator = { name: APP_NAME, package: PACKAGE_NAME, version: PACKAGE_VERSION };
  const model = (name: string, value: string | number | boolean): NetronItem => ({ kind: 'model', target: '', name, value });
  // Model-level items: metrics (`model::` matches whatever the model's name; view.js:4647-4650).
  const summary: NetronItem[] = [
    model('analysis', `${APP_NAME} ${PACKAGE_VERSION} (WeightWatcher-compatible)`),
    model('conv_definition', definitions.conv + (definitions.operator_input_size !== undefined ? ` (n = ${definitions.operator_input_size})` : '')),
    model('normalization', definitions.normalization),
    model('lambda', definitions.lambda),
    model('mp_fit', definitions.mp_fit),
    model('layers_analysed', named.length),
  ];
  return {
    signature: NETRON_ATTACHMENT_SIGNATURE,
    generator,
    model: { name: info.name, format: info.format },
    definitions,
    layers,
    metadata,
    metrics: [...summary, ...metrics],
  };
}

/** JSON of `value` with 2-space indents, its nested lines indented by `indent` more. */
function block(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
}

/**
 * The attachment as the file to save (name it `*.json`: Netron only reads attachments with that extension):
 * pretty JSON, one array item per line in `layers`, `metadata` and `metrics`, with a trailing newline.
 * The app's export and `artificial-mri analyze --netron` both write this text.
 */
export function netronAttachmentText(info: ModelInfo, records: readonly LayerRecord[], settings: AnalysisSettings): string {
  const attachment = netronAttachment(info, records, settings);
  const lines: string[] = [];
  const entries = Object.entries(attachment);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      lines.push(`  ${JSON.stringify(key)}: [`);
      value.forEach((item, j) => lines.push(`    ${JSON.stringify(item)}${j < value.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${block(value, '  ')}${comma}`);
    }
  });
  return `{\n${lines.join('\n')}\n}\n`;
}
