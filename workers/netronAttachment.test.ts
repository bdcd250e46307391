import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openModel } from '../src/formats/registry';
import { decodeOnnxModel } from '../src/formats/onnx/decodeOnnxModel';
import type { GraphMessage } from '../src/formats/onnx/onnxSchema';
import { namedFile } from '../src/formats/testing/memoryBlob';
import { notAnalysedReason } from '../src/model/analysable';
import type { Model, ModelInfo, TensorInfo } from '../src/model/types';
import { toModelInfo } from '../src/model/types';
import type { LayerRecord } from './layerRecords';
import { layerRecord } from './layerRecords';
import type { NetronAttachment, NetronItem } from './netronAttachment';
import { NETRON_ATTACHMENT_SIGNATURE, netronAttachment, netronAttachmentText, netronTargets } from './netronAttachment';
import type { AnalysisSettings } from './protocol';
import { scanTensor } from './scanTensor';

const ROOT = join(import.meta.dirname, '..');

/**
 * Netron's reading of an attachment, transcribed from lutzroeder/netron source/view.js:6478-6549
 * (`metadata.Attachment.Container`): items filed under `${kind}::${target}` by name (a later name wins), and
 * looked up by an object's kind and the first line of its name (model and graph: always, even unnamed).
 */
function netronLookup(data: unknown, container: 'metadata' | 'metrics', kind: string, name: string): Map<string, unknown> {
  const entries = new Map<string, Map<string, unknown>>();
  const items = (data as Record<string, unknown>)[container];
  if (Array.isArray(items)) {
    for (const item of items as Record<string, unknown>[]) {
      if (item.kind && ('target' in item || 'identifier' in item)) {
        const key = 'target' in item ? `${String(item.kind)}::${String(item.target)}` : `${String(item.kind)}[${String(item.identifier)}]`;
        if (!entries.has(key)) entries.set(key, new Map());
        entries.get(key)!.set(String(item.name), item.value);
      }
    }
  }
  if (!name && kind !== 'model' && kind !== 'graph') return new Map();
  return entries.get(`${kind}::${name.split('\n').shift()}`) ?? new Map();
}

const tensor = (name: string, shape: number[], extra: Partial<TensorInfo> = {}): TensorInfo => ({
  name,
  dtype: 'F32',
  shape,
  size: shape.reduce((a, b) => a * b, 1),
  kind: shape.length === 4 ? 'conv2d' : shape.length === 2 ? 'dense' : 'vector',
  file: 'm.safetensors',
  byteLength: 0,
  ...extra,
});

const info = (format: string, tensors: TensorInfo[], metadata: Record<string, string> = {}): ModelInfo => ({
  format,
  name: `m.${format}`,
  files: [{ name: `m.${format}`, size: 1 }],
  tensors,
  metadata,
});

/** A record as `layerRecord` writes it, with WeightWatcher's columns. */
const record = (name: string, shape: string, columns: Record<string, string | number | boolean | null>): LayerRecord => ({
  name,
  shape,
  dtype: 'F32',
  layer_type: 'dense',
  ...columns,
  definition: 'dense, λ = σ² (WeightWatcher 0.7.5.5 parity)',
});

const SYNTHETIC_INFO = info('safetensors', [tensor('features.0.weight', [8, 3, 3, 3]), tensor('features.0.bias', [8]), tensor('classifier.weight', [10, 8])]);
const SYNTHETIC_RECORDS: LayerRecord[] = [
  record('features.0.weight', '8x3x3x3', { alpha: 3.25, alpha_weighted: 1.5, D: 0.0625, stable_rank: 4.5, log_spectral_norm: 0.125, num_evals: 27, warning: '', status: 'success' }),
  record('classifier.weight', '10x8', {
    alpha: Number.NaN,
    alpha_weighted: Number.NaN,
    D: 0.5,
    condition_number: Number.POSITIVE_INFINITY,
    log_norm: Number.NEGATIVE_INFINITY,
    xmin: null,
    stable_rank: 1,
    warning: 'under-trained',
    status: 'success',
  }),
];

/** The finite metrics of a record: what Netron must show for it. */
function expectedMetrics(r: LayerRecord): Map<string, unknown> {
  const skip = new Set(['name', 'shape', 'dtype', 'definition', 'approximations']);
  return new Map(Object.entries(r).filter(([k, v]) => !skip.has(k) && (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))));
}

async function scan(model: Model, settings: AnalysisSettings = {}): Promise<LayerRecord[]> {
  const records: LayerRecord[] = [];
  for (const t of model.tensors) if (notAnalysedReason(t) === null) records.push(layerRecord(t, await scanTensor(t, { settings })));
  return records;
}

async function open(...paths: string[]): Promise<Model> {
  return openModel(paths.map((p) => namedFile(p.slice(p.lastIndexOf('/') + 1), new Uint8Array(readFileSync(join(ROOT, p))))));
}

describe('netronAttachment', () => {
  it('carries the signature Netron looks for, our name and version, and the definitions with defaults filled in', () => {
    const a = netronAttachment(SYNTHETIC_INFO, SYNTHETIC_RECORDS, {});
    expect(a.signature).toBe('netron:attachment');
    expect(NETRON_ATTACHMENT_SIGNATURE).toBe('netron:attachment');
    expect(Object.keys(a)[0]).toBe('signature');
    expect(a.generator).toEqual({ name: 'Artificial MRI', package: 'artificial-mri', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(a.model).toEqual({ name: 'm.safetensors', format: 'safetensors' });
    expect(a.definitions).toMatchObject({ conv: 'ww-pooled', normalization: 'none', mp_fit: false, randomize: false, exact_tail: 'auto' });
    expect(a.definitions).not.toHaveProperty('filters');
    expect(a.definitions.lambda).toMatch(/^λ = σ² \(WeightWatcher\); ½σ² for conv kernels/);
    expect(a.definitions.layers).toEqual(['dense, λ = σ² (WeightWatcher 0.7.5.5 parity)']);
    expect(a.definitions).not.toHaveProperty('operator_input_size');
    const op = netronAttachment(SYNTHETIC_INFO, [], { conv: 'operator', normalization: 'mp', randomize: true, filters: { minEvals: 0 } }).definitions;
    expect(op).toMatchObject({ conv: 'operator', operator_input_size: 16, normalization: 'mp', randomize: true, randomize_seed: 20241123 });
    expect(op.lambda).toBe('λ = σ²; divided by N (Marchenko–Pastur scaling)');
    // Model-level items are metrics with target "": Netron asks for `model::` whatever the model is called.
    const model = netronLookup(a, 'metrics', 'model', '');
    expect(model.get('analysis')).toMatch(/^Artificial MRI \d/);
    expect(model.get('conv_definition')).toBe('ww-pooled');
    expect(model.get('layers_analysed')).toBe(2);
  });

  it('puts every analysed layer on its Netron node with metrics equal to the records; NaN and ±Infinity are left out', () => {
    const a = netronAttachment(SYNTHETIC_INFO, SYNTHETIC_RECORDS, {});
    expect(a.layers.map((l) => l.tensor)).toEqual(['features.0.weight', 'classifier.weight']);
    expect(a.layers[0]).toEqual({ tensor: 'features.0.weight', targets: [{ kind: 'node', target: 'features.0' }] });
    expect(a.layers[1]).toEqual({ tensor: 'classifier.weight', targets: [{ kind: 'node', target: 'classifier' }], omitted: ['alpha', 'alpha_weighted', 'condition_number', 'log_norm', 'xmin'] });
    for (const r of SYNTHETIC_RECORDS) {
      const layer = a.layers.find((l) => l.tensor === r.name)!;
      for (const target of layer.targets) {
        expect(netronLookup(a, 'metrics', target.kind, target.target)).toEqual(expectedMetrics(r));
        const meta = netronLookup(a, 'metadata', target.kind, target.target);
        expect(meta.get('tensor')).toBe(r.name);
        expect(meta.get('shape')).toBe(r.shape);
        expect(meta.get('definition')).toBe(r.definition);
      }
    }
    const fc = netronLookup(a, 'metrics', 'node', 'classifier');
    expect(fc.get('D')).toBe(0.5);
    expect(fc.get('warning')).toBe('under-trained');
    expect(fc.has('alpha')).toBe(false);
    // Every item is one Netron keeps (view.js:6493) and has a JSON-safe value.
    for (const item of [...a.metadata, ...a.metrics] as NetronItem[]) {
      expect(item.kind).toBeTruthy();
      expect(typeof item.target).toBe('string');
      expect(typeof item.name).toBe('string');
      expect(typeof item.value === 'number' ? Number.isFinite(item.value) : ['string', 'boolean'].includes(typeof item.value)).toBe(true);
    }
  });

  it('text: round-trips through JSON.parse, one item per line, no NaN/Infinity/null, trailing newline', () => {
    const text = netronAttachmentText(SYNTHETIC_INFO, SYNTHETIC_RECORDS, {});
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "signature": "netron:attachment",\n')).toBe(true);
    const parsed = JSON.parse(text) as NetronAttachment;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(netronAttachment(SYNTHETIC_INFO, SYNTHETIC_RECORDS, {}))));
    expect(parsed).toEqual(netronAttachment(SYNTHETIC_INFO, SYNTHETIC_RECORDS, {}));
    expect(text).not.toMatch(/NaN|Infinity|null/);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('    {"kind":'))).toHaveLength(parsed.metadata.length + parsed.metrics.length);
    // No layers: still valid JSON.
    expect(JSON.parse(netronAttachmentText(SYNTHETIC_INFO, [], {}))).toMatchObject({ layers: [], metadata: [] });
  });

  it('the app and the CLI write the same bytes for the same scan, whatever defaults each spells out', () => {
    const cli: AnalysisSettings = { conv: 'ww-pooled', mpFit: false, normalization: 'none', exactTail: 'auto', randomize: false, filters: {} };
    const app: AnalysisSettings = { conv: 'ww-pooled', mpFit: false, operatorInputSize: 16, linalg: 'auto', parallelGram: 'auto', filters: { minEvals: 10 } };
    expect(netronAttachmentText(SYNTHETIC_INFO, SYNTHETIC_RECORDS, app)).toBe(netronAttachmentText(SYNTHETIC_INFO, SYNTHETIC_RECORDS, cli));
  });

  it('a node with several analysed tensors gets their items prefixed, so none overwrites another', () => {
    const lstm = info('pytorch', [tensor('lstm.weight_ih_l0', [32, 8]), tensor('lstm.weight_hh_l0', [32, 8]), tensor('fc.weight', [4, 8])]);
    const records = [
      record('lstm.weight_ih_l0', '32x8', { alpha: 2 }),
      record('lstm.weight_hh_l0', '32x8', { alpha: 3 }),
      record('fc.weight', '4x8', { alpha: 4 }),
    ];
    const a = netronAttachment(lstm, records, {});
    const node = netronLookup(a, 'metrics', 'node', 'lstm');
    expect(node.get('weight_ih_l0.alpha')).toBe(2);
    expect(node.get('weight_hh_l0.alpha')).toBe(3);
    expect(netronLookup(a, 'metadata', 'node', 'lstm').get('weight_hh_l0.tensor')).toBe('lstm.weight_hh_l0');
    expect(netronLookup(a, 'metrics', 'node', 'fc').get('alpha')).toBe(4);
    // PyTorch tensors are named by their state-dict key: plain names there.
    expect(netronLookup(a, 'metrics', 'tensor', 'lstm.weight_hh_l0').get('alpha')).toBe(3);
  });

  it('maps names the way each of Netron’s readers names nodes and tensors', () => {
    const t = (format: string, name: string, extra: Partial<TensorInfo> = {}, others: TensorInfo[] = [], metadata: Record<string, string> = {}) => {
      const me = tensor(name, [4, 4], extra);
      return netronTargets(info(format, [me, ...others], metadata), me).map((x) => `${x.kind}::${x.target}`);
    };
    expect(t('onnx', 'layer1.weight')).toEqual(['tensor::layer1.weight']);
    expect(t('onnx', '(unnamed tensor 3)')).toEqual([]);
    expect(t('onnx', 'w @Loop_3/body', {}, [tensor('w', [4, 4])])).toEqual([]);
    expect(t('onnx', 'w @Loop_3/body#2', {}, [tensor('w', [4, 4])])).toEqual([]);
    expect(t('pytorch', 'features.0.weight')).toEqual(['tensor::features.0.weight', 'node::features.0']);
    expect(t('pytorch', 'fc._packed_params.weight')).toEqual(['tensor::fc._packed_params.weight', 'node::fc']);
    expect(t('pytorch', 'tensor')).toEqual(['tensor::tensor']);
    expect(t('safetensors', 'model.layers.0.mlp.up_proj.weight')).toEqual(['node::model.layers.0.mlp.up_proj']);
    expect(t('safetensors', 'embeddings')).toEqual([]);
    expect(t('gguf', 'token_embd.weight')).toEqual(['node::token_embd']);
    expect(t('gguf', 'blk.3.attn_q.weight')).toEqual([]);
    expect(t('gguf', 'enc.blk.0.ffn_up.weight')).toEqual([]);
    expect(t('numpy', 'fc1.weight', { file: 'w.npz' }, [tensor('fc2.weight', [2, 2], { file: 'w.npz' })])).toEqual(['node::fc1']);
    expect(t('numpy', 'dense/kernel', { file: 'w.npz' }, [tensor('dense/bias', [2], { file: 'w.npz' })])).toEqual(['node::dense']);
    expect(t('numpy', 'w1', { file: 'w1.npy' })).toEqual([]);
    expect(t('keras', 'dense/kernel:0')).toEqual(['tensor::dense/kernel:0', 'node::dense']);
    expect(t('keras', 'lstm/lstm_cell/kernel:0')).toEqual(['tensor::lstm/lstm_cell/kernel:0', 'node::lstm/lstm_cell', 'node::lstm']);
    expect(t('keras', 'conv2d/vars/0')).toEqual(['tensor::conv2d/vars/0', 'node::conv2d']);
    expect(t('keras', 'sequential/layers/dense/vars/1')).toEqual(['tensor::sequential/layers/dense/vars/1', 'node::sequential/dense', 'node::sequential']);
    expect(t('tfjs', 'conv1/kernel', {}, [], { format: 'layers-model' })).toEqual(['tensor::conv1/kernel', 'node::conv1']);
    expect(t('tfjs', 'dense/kernel', {}, [], { format: 'weights manifest' })).toEqual(['tensor::dense/kernel', 'node::dense']);
    expect(t('tfjs', 'StatefulPartitionedCall/model/dense/MatMul/ReadVariableOp', {}, [], { format: 'graph-model' })).toEqual([
      'tensor::StatefulPartitionedCall/model/dense/MatMul/ReadVariableOp',
    ]);
    expect(t('onnx', 'a\nb')).toEqual(['tensor::a']);
  });
});

describe('netronAttachment on real models', () => {
  it('stroke-cnn.safetensors: one node per module, named as Netron’s safetensors reader names them', async () => {
    const model = await open('public/samples/stroke-cnn.safetensors');
    const records = await scan(model);
    const a = JSON.parse(netronAttachmentText(toModelInfo(model), records, {})) as NetronAttachment;
    // Netron's safetensors.js:66-80: a node per key prefix.
    const netronNodes = new Set(model.tensors.map((t) => t.name.split('.').slice(0, -1).join('.')));
    expect(records.map((r) => r.name)).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc1.weight', 'fc2.weight']);
    for (const r of records) {
      const node = String(r.name).replace(/\.weight$/, '');
      expect(netronNodes.has(node)).toBe(true);
      expect(a.layers.find((l) => l.tensor === r.name)?.targets).toEqual([{ kind: 'node', target: node }]);
      expect(netronLookup(a, 'metrics', 'node', node)).toEqual(expectedMetrics(r));
    }
    expect(netronLookup(a, 'metrics', 'node', 'conv1').get('layer_type')).toBe('conv2d');
  });

  it('stroke-cnn TF.js layers-model: tensors by weight name, nodes by the layer names of model.json', async () => {
    const model = await open('public/samples/stroke-cnn/model.json', 'public/samples/stroke-cnn/weights.bin');
    const records = await scan(model);
    const a = netronAttachment(toModelInfo(model), records, {});
    const json = JSON.parse(readFileSync(join(ROOT, 'public/samples/stroke-cnn/model.json'), 'utf8')) as {
      modelTopology: { config: { layers: { config: { name: string } }[] } };
    };
    const layerNames = new Set(json.modelTopology.config.layers.map((l) => l.config.name));
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      const targets = a.layers.find((l) => l.tensor === r.name)!.targets;
      expect(targets[0]).toEqual({ kind: 'tensor', target: r.name });
      expect(targets.slice(1).every((t) => t.kind === 'node' && layerNames.has(t.target))).toBe(true);
      for (const t of targets) expect(netronLookup(a, 'metrics', t.kind, t.target)).toEqual(expectedMetrics(r));
    }
  });

  /**
   * The tensor names Netron's onnx.js gives a graph: initializers by name (onnx.js:1157-1166), and a Constant
   * node's tensor by its TensorProto name when the Constant feeds exactly one input (onnx.js:1270-1295).
   */
  /** The node names of a graph (Netron titles a node by NodeProto.name). */
  const onnxNodeNames = (graph: GraphMessage) => new Set(graph.node.map((n) => n.name).filter((n) => n !== ''));

  function netronOnnxTensorNames(graph: GraphMessage): Set<string> {
    const names = new Set<string>(graph.initializer.map((t) => t.name));
    for (const s of graph.sparse_initializer) if (s.values) names.add(s.values.name);
    const uses = new Map<string, number>();
    for (const node of graph.node) for (const input of node.input) uses.set(input, (uses.get(input) ?? 0) + 1);
    for (const node of graph.node) {
      const [a] = node.attribute;
      if (node.op_type === 'Constant' && node.attribute.length === 1 && node.input.length === 0 && node.output.length === 1 && uses.get(node.output[0]!) === 1) {
        if (a?.name === 'value' && a.t) names.add(a.t.name);
      }
    }
    names.delete('');
    return names;
  }

  const ONNX_MODELS = ['node_modules/openwakeword-js/models/hello_deepa.onnx', 'e2e/fixtures/onnx/tiny-cnn.onnx'];
  for (const path of ONNX_MODELS) {
    it.skipIf(!existsSync(join(ROOT, path)))(`${path.slice(path.lastIndexOf('/') + 1)}: every layer's target is a tensor name Netron gives that model`, async () => {
      const bytes = new Uint8Array(readFileSync(join(ROOT, path)));
      const graph = decodeOnnxModel(bytes, 'model.onnx').graph!;
      const netronNames = netronOnnxTensorNames(graph);
      const nodeNames = onnxNodeNames(graph);
      const model = await open(path);
      const records = await scan(model, { mpFit: true });
      expect(records.length).toBeGreaterThan(0);
      const a = JSON.parse(netronAttachmentText(toModelInfo(model), records, { mpFit: true })) as NetronAttachment;
      expect(a.layers.map((l) => l.tensor)).toEqual(records.map((r) => r.name));
      for (const r of records) {
        const { targets } = a.layers.find((l) => l.tensor === r.name)!;
        expect(targets[0]).toEqual({ kind: 'tensor', target: r.name });
        expect(netronNames.has(String(r.name)), `${String(r.name)} is a Netron tensor`).toBe(true);
        expect(netronLookup(a, 'metrics', 'tensor', String(r.name))).toEqual(expectedMetrics(r));
        // And the node that uses it, by the node's name, when the file names its nodes.
        for (const t of targets.slice(1)) {
          expect(t.kind).toBe('node');
          expect(nodeNames.has(t.target), `${t.target} is a node name`).toBe(true);
          expect(netronLookup(a, 'metrics', 'node', t.target)).toEqual(expectedMetrics(r));
        }
      }
      // Named nodes are targeted.
      if (nodeNames.size > 0) expect(a.layers.some((l) => l.targets.some((t) => t.kind === 'node'))).toBe(true);
      // Every item's target is something Netron has (model-level items aside).
      for (const item of a.metrics) if (item.kind === 'tensor') expect(netronNames.has(item.target)).toBe(true);
      for (const item of a.metrics) if (item.kind === 'node') expect(nodeNames.has(item.target)).toBe(true);
    });
  }

  it('hello_deepa.onnx: the Gemm weights carry the WeightWatcher columns', async () => {
    const path = ONNX_MODELS[0]!;
    if (!existsSync(join(ROOT, path))) return;
    const model = await open(path);
    const a = netronAttachment(toModelInfo(model), await scan(model, { mpFit: true }), { mpFit: true });
    expect(a.layers.map((l) => l.tensor)).toEqual(['layer1.weight', 'blocks.0.fcn_layer.weight', 'last_layer.weight']);
    const m = netronLookup(a, 'metrics', 'tensor', 'layer1.weight');
    for (const column of ['alpha', 'alpha_weighted', 'D', 'stable_rank', 'log_spectral_norm', 'num_spikes', 'warning']) expect(m.has(column), column).toBe(true);
    expect(typeof m.get('alpha')).toBe('number');
  });
});
