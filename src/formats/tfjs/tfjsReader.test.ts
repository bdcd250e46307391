/**
 * The TF.js reader as the registry sees it: what `sniff` and `companion` claim (and leave to other readers),
 * and whole drops through `openModel`, including the app's own TF.js sample against its safetensors twin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../../analysis/linalg/singularValues';
import { tensorMatrices } from '../../analysis/spectra/tensorMatrices';
import type { Model, NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { onnxReader } from '../onnx/onnxReader';
import { openModel, supportedFormatsText } from '../registry';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { namedFile } from '../testing/memoryBlob';
import { layersModelFiles } from './testing/tfjsTestModels';
import { tfjsReader } from './tfjsReader';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const encode = (text: string) => new TextEncoder().encode(text);
const sniff = (text: string | Uint8Array, name: string) => {
  const bytes = typeof text === 'string' ? encode(text) : text;
  return tfjsReader.sniff(bytes.subarray(0, 64), namedFile(name, bytes));
};

/** A stand-in for a reader that takes `.bin` files by extension (PyTorch does), without its parser. */
const binReader: FormatReader = {
  id: 'bin',
  label: 'BIN',
  extensions: ['.bin'],
  sniff: () => false,
  open: async () => {
    throw new Error('not this one');
  },
};

describe('tfjsReader.sniff', () => {
  it.each([
    ['{"format": "layers-model", "generatedBy": "TensorFlow.js tfjs-layers v4.22.0"', 'my-model.json'],
    ['{"format":"graph-model","generatedBy":"2.15.0","convertedBy":"TensorFlow.js Converter v4.22.0"', 'x.json'],
    ['{"modelTopology":{"class_name":"Sequential"', 'download.json'],
    ['\n {\n  "weightsManifest": [', 'a.txt'],
    ['[\n  {\n      "weights":\n      [\n          {"name":"conv32_down/conv/filters"', 'weights.json'],
    ['[{"paths": ["group1-shard1of1.bin"], "weights": [', 'manifest.json'],
    ['\ufeff{"modelTopology": {}', 'bom.json'],
    ['{"anything": 1}', 'model.json'],
    ['[]', 'face_landmark_68_model-weights_manifest.json'],
    ['{ damaged', 'Model.JSON'],
  ])('claims %j named %s', (head, name) => expect(sniff(head, name)).toBe(true));

  it.each([
    ['{"architectures": ["BertModel"], "model_type": "bert"}', 'config.json'],
    ['{"weight_map": {"modelTopology": "model-00001-of-00002.safetensors"}}', 'model.safetensors.index.json'],
    ['{"metadata": {}, "weight_map": {}}', 'model.safetensors.index.json'],
    ['[1, 2, 3]', 'data.json'],
    ['[{"name": "w"}]', 'list.json'],
    ['', 'model.json'],
    ['modelTopology', 'model.json'],
    ['<html>{"modelTopology"', 'page.html'],
  ])('leaves %j named %s', (head, name) => expect(sniff(head, name)).toBe(false));

  it('leaves binary formats alone', () => {
    expect(sniff(Uint8Array.of(0x08, 0x07, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74), 'model.onnx')).toBe(false);
    expect(sniff(Uint8Array.of(0x10, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x22), 'model.safetensors')).toBe(false);
    expect(sniff(Uint8Array.of(0x50, 0x4b, 0x03, 0x04), 'model.json')).toBe(false);
  });
});

describe('tfjsReader.companion', () => {
  it.each([
    ['group1-shard1of1.bin', true],
    ['group12-shard3of17.bin', true],
    ['group1-shard1of2', true],
    ['dir/Group1-Shard2Of2.BIN', true],
    ['face_recognition_model-shard1', true],
    ['model.weights.bin', false],
    ['weights.bin', false],
    ['model-shard1of2.safetensors', false],
    ['group1-shard1of1.onnx', false],
    ['face_recognition_model.bin', false],
    ['pytorch_model.bin', false],
    ['pytorch_model-00001-of-00002.bin', false],
    ['my_weights.bin', false],
    ['group1-shard1of1.json', false],
    ['model.json', false],
  ])('%s → %s', (name, claimed) => expect(tfjsReader.companion?.(namedFile(name, ''))).toBe(claimed));

  it('describes itself for the list of formats', () => {
    expect(supportedFormatsText([tfjsReader])).toBe('TF.js (model.json, weights_manifest.json, with .bin weight shards)');
  });
});

describe('TF.js through openModel', () => {
  it('opens model.json + shards, and its recognisable shards beat a reader that takes .bin by extension', async () => {
    const model = await openModel([namedFile('README.md', '# model'), ...layersModelFiles({ shardBytes: 1000 })], [safetensorsReader, binReader, onnxReader, tfjsReader]);
    expect(model.format).toBe('tfjs');
    expect(model.files.map((f) => f.name)).toEqual(['model.json', 'group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin']);
  });

  it('gets shards with other names as unclaimed files, and a lone shard says which JSON file is missing', async () => {
    const [json, shard] = layersModelFiles() as [NamedBlob, NamedBlob];
    const renamed = namedFile('data', await shard.blob.arrayBuffer().then((b) => new Uint8Array(b)));
    const text = new TextDecoder().decode(new Uint8Array(await json.blob.arrayBuffer())).replace('group1-shard1of1.bin', 'data');
    expect((await openModel([namedFile('model.json', text), renamed], [safetensorsReader, tfjsReader])).tensors).toHaveLength(6);
    await expect(openModel([shard], [safetensorsReader, tfjsReader])).rejects.toMatchObject({ code: 'MISSING_COMPANION', message: expect.stringContaining('No TF.js model.json') });
  });

  it('leaves a safetensors file named weights.bin to the safetensors reader', async () => {
    const bytes = new Uint8Array(readFileSync(join(ROOT, 'e2e', 'fixtures', 'tiny-mlp.safetensors')));
    expect((await openModel([namedFile('weights.bin', bytes)], [safetensorsReader, onnxReader, tfjsReader])).format).toBe('safetensors');
  });

  it('leaves config.json and safetensors indexes to other readers', async () => {
    const sharded = join(ROOT, 'e2e', 'fixtures', 'sharded');
    const names = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json'];
    const files = [...names.map((n) => namedFile(n, new Uint8Array(readFileSync(join(sharded, n))))), namedFile('config.json', '{"architectures": []}')];
    expect((await openModel(files, [safetensorsReader, onnxReader, tfjsReader])).format).toBe('safetensors');
  });

  it('opens the app’s TF.js sample (stroke-cnn: model.json + weights.bin) with the spectra of its safetensors twin', async () => {
    const dir = join(ROOT, 'public', 'samples');
    const file = (path: string) => namedFile(path.slice(path.lastIndexOf('/') + 1), new Uint8Array(readFileSync(join(dir, path))));
    // weights.bin is claimed by no reader: it reaches the TF.js reader as an unclaimed file.
    const tfjs = await openModel([file('stroke-cnn/model.json'), file('stroke-cnn/weights.bin')], [safetensorsReader, onnxReader, tfjsReader]);
    const torch = await openModel([file('stroke-cnn.safetensors')], [safetensorsReader]);
    expect(tfjs.tensors.filter((t) => t.kind === 'conv2d').map((t) => [t.name, t.layout, t.layoutSource, t.op])).toEqual([
      ['conv1/kernel', 'HWIO', 'file', 'Conv2D'],
      ['conv2/kernel', 'HWIO', 'file', 'Conv2D'],
      ['conv3/kernel', 'HWIO', 'file', 'Conv2D'],
    ]);
    const spectra = async (model: Model) => {
      const out: number[][] = [];
      for (const t of model.tensors.filter((x) => x.kind === 'conv2d' || x.kind === 'dense')) {
        const m = tensorMatrices(await t.read(), t.shape, t.kind, t.layout ?? 'OIHW');
        for (let k = 0; k < m.count; k++) out.push(Array.from(singularValues(m.matrix(k), m.rows, m.cols)));
      }
      return out;
    };
    const [ours, twin] = [await spectra(tfjs), await spectra(torch)];
    expect(ours.length).toBe(5 * 5 + 9 + 9 + 2);
    expect(ours.map((s) => s.length)).toEqual(twin.map((s) => s.length));
    ours.forEach((s, i) => s.forEach((v, j) => expect(v).toBeCloseTo((twin[i] as number[])[j] as number, 12)));
  });
});
