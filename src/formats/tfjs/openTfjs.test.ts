/**
 * The TF.js reader on models written in memory: layers and graph models, bare manifests, several groups,
 * weights straddling shards, every dtype's handling, op and layout from the topology, and lazy reads.
 */
import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { encodeFloats } from '../encodeFloats';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { openTfjs } from './openTfjs';
import { wave, writeTfjs } from './testing/buildTfjs';
import { GRAPH_TOPOLOGY, LAYERS_TOPOLOGY, graphWeights, layersModelFiles, layersWeights, modelFiles } from './testing/tfjsTestModels';

const f32 = (values: readonly number[]) => Float32Array.from(values);

describe('openTfjs: layers models', () => {
  it('lists every weight with shape, dtype, kind, HWIO layout from the layer class, and op', async () => {
    const model = await openTfjs(layersModelFiles());
    expect(model).toMatchObject({ format: 'tfjs', name: 'model.json', files: [{ name: 'model.json' }, { name: 'group1-shard1of1.bin', size: 4 * 634 }] });
    expect(model.tensors.map((t) => [t.name, t.shape, t.dtype, t.kind, t.layout ?? null, t.layoutSource ?? null, t.op ?? null])).toEqual([
      ['conv1/kernel', [3, 3, 3, 8], 'F32', 'conv2d', 'HWIO', 'file', 'Conv2D'],
      ['conv1/bias', [8], 'F32', 'vector', null, null, 'Conv2D'],
      ['dw/depthwise_kernel', [3, 3, 8, 1], 'F32', 'other', null, null, 'DepthwiseConv2D'],
      ['dw/bias', [8], 'F32', 'vector', null, null, 'DepthwiseConv2D'],
      ['fc/kernel', [32, 10], 'F32', 'dense', null, null, 'Dense'],
      ['fc/bias', [10], 'F32', 'vector', null, null, 'Dense'],
    ]);
    expect(model.metadata).toMatchObject({ format: 'layers-model', model_class: 'Sequential', keras_version: 'tfjs-layers 4.22.0', weight_files: '1' });
    for (const [t, w] of model.tensors.map((t, i) => [t, layersWeights()[i]] as const)) {
      expect(t.byteLength).toBe(4 * t.size);
      expect(await t.read()).toEqual(f32(Array.from(w?.values ?? [])));
    }
  });

  it('reads the Keras converter layout (modelTopology.model_config) and nested layer names', async () => {
    const topology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: { class_name: 'Functional', config: { name: 'outer', layers: [{ class_name: 'Functional', name: 'inner', config: { name: 'inner', layers: [{ class_name: 'Conv2D', config: { name: 'conv2d' } }] } }] } } };
    const files = modelFiles({ format: 'layers-model', topology, groups: [{ weights: [{ name: 'inner/conv2d/kernel', shape: [1, 1, 2, 3], values: wave(6) }, { name: 'stray/w', shape: [2, 2], values: wave(4) }] }] });
    const model = await openTfjs(files);
    expect(model.tensors.map((t) => [t.name, t.op ?? null, t.layoutSource ?? null])).toEqual([
      ['inner/conv2d/kernel', 'Conv2D', 'file'],
      ['stray/w', null, null],
    ]);
    expect(model.metadata).toMatchObject({ model_class: 'Functional', keras_version: '2.15.0', backend: 'tensorflow' });
  });
});

describe('openTfjs: graph models', () => {
  it('takes each weight’s op from the node that reads it (through Identity), conv filters HWIO from the op', async () => {
    const files = modelFiles({ format: 'graph-model', topology: GRAPH_TOPOLOGY, groups: [{ weights: graphWeights(), shardBytes: 300 }] });
    const model = await openTfjs(files);
    expect(model.tensors.map((t) => [t.name, t.dtype, t.kind, t.layout ?? null, t.layoutSource ?? null, t.op ?? null, t.unsupported ?? null])).toEqual([
      ['w1', 'F32', 'conv2d', 'HWIO', 'file', '_FusedConv2D', null],
      ['b1', 'F32', 'vector', null, null, '_FusedConv2D', null],
      ['dw', 'F32', 'other', null, null, 'DepthwiseConv2dNative', null],
      ['fc', 'F32', 'dense', null, null, 'MatMul', null],
      ['shape', 'I32', 'vector', null, null, 'Reshape', expect.stringContaining('I32')],
    ]);
    expect(model.metadata).toMatchObject({ format: 'graph-model', graph_nodes: '11', graph_producer_version: '1645', convertedBy: 'TensorFlow.js Converter v4.22.0' });
    expect(model.files.map((f) => f.name)).toEqual(['model.json', 'group1-shard1of4.bin', 'group1-shard2of4.bin', 'group1-shard3of4.bin', 'group1-shard4of4.bin']);
    expect(await model.tensors[0]?.read()).toEqual(f32(wave(108, 10, 0.3)));
    expect(model.tensors[2]?.encoding).toMatch(/^float16-quantized/);
    expect(model.tensors[3]?.encoding).toMatch(/^uint16 dequantized: min \+ scale·q/);
  });
});

describe('openTfjs: bare weights manifests (no topology)', () => {
  it('opens a face-api style manifest with any shard name: HWIO by convention, depthwise known by name', async () => {
    const weights = [
      { name: 'conv0/filters', shape: [3, 3, 3, 4], values: wave(108) },
      { name: 'conv1/depthwise_filter', shape: [3, 3, 4, 1], values: wave(36, 1) },
      { name: 'fc', shape: [4, 3], values: wave(12, 2), quantize: 'uint8' as const },
    ];
    const files = modelFiles({ format: null, groups: [{ weights, shardNames: ['tiny_model.bin'] }] }, 'tiny_model-weights_manifest.json');
    const model = await openTfjs(files);
    expect(model.metadata).toMatchObject({ format: 'weights manifest', weight_groups: '1', weight_files: '1' });
    expect(model.tensors.map((t) => [t.name, t.kind, t.layout ?? null, t.layoutSource ?? null, t.op ?? null, t.file])).toEqual([
      ['conv0/filters', 'conv2d', 'HWIO', 'convention', null, 'tiny_model.bin'],
      ['conv1/depthwise_filter', 'other', null, null, 'depthwise conv (from the weight name)', 'tiny_model.bin'],
      ['fc', 'dense', null, null, null, 'tiny_model.bin'],
    ]);
    expect(model.tensors[2]?.byteLength).toBe(12);
  });

  it('matches manifest paths with directories or URL escapes to dropped files by base name, and ignores other files', async () => {
    const { json, shards } = writeTfjs({ format: null, groups: [{ weights: [{ name: 'w', shape: [2, 2], values: [1, 2, 3, 4] }], shardNames: ['weights/my%20model.bin'] }] });
    const files = [namedFile('m-weights_manifest.json', JSON.stringify(json)), namedFile('my model.bin', shards[0]?.bytes ?? new Uint8Array()), namedFile('README.md', '# hi')];
    const model = await openTfjs(files);
    expect(model.files.map((f) => f.name)).toEqual(['m-weights_manifest.json', 'my model.bin']);
    expect(await model.tensors[0]?.read()).toEqual(f32([1, 2, 3, 4]));
  });
});

describe('openTfjs: groups and shards', () => {
  it('locates weights per group, across groups and across shard boundaries', async () => {
    const a = wave(30, 0);
    const b = wave(50, 1);
    const c = wave(20, 2);
    const files = modelFiles({
      format: 'layers-model',
      topology: LAYERS_TOPOLOGY,
      groups: [
        // 120 + 200 bytes in 64-byte shards: b starts in shard 2 and ends in shard 5.
        { weights: [{ name: 'a', shape: [5, 6], values: a }, { name: 'b', shape: [5, 10], values: b }], shardBytes: 64 },
        { weights: [{ name: 'c', shape: [4, 5], values: c, quantize: 'uint16' }] },
      ],
    });
    const model = await openTfjs(files);
    expect(model.files.map((f) => f.name)).toEqual(['model.json', ...[1, 2, 3, 4, 5].map((i) => `group1-shard${i}of5.bin`), 'group2-shard1of1.bin']);
    expect(model.tensors.map((t) => [t.name, t.file, t.byteLength])).toEqual([
      ['a', 'group1-shard1of5.bin', 120],
      ['b', 'group1-shard2of5.bin', 200],
      ['c', 'group2-shard1of1.bin', 40],
    ]);
    expect(await model.tensors[0]?.read()).toEqual(f32(a));
    expect(await model.tensors[1]?.read()).toEqual(f32(b));
    const cValues = await model.tensors[2]?.read();
    cValues?.forEach((v, i) => expect(v).toBeCloseTo(c[i] as number, 4));
  });

  it('reads only the JSON at open (no shard bytes), and only a tensor’s own bytes (from every shard it spans) on read', async () => {
    const { json, shards } = writeTfjs({ format: 'layers-model', topology: LAYERS_TOPOLOGY, groups: [{ weights: layersWeights(), shardBytes: 1000 }] });
    const counted = shards.map((s) => countingFile(s.name, s.bytes));
    const model = await openTfjs([namedFile('model.json', JSON.stringify(json)), ...counted]);
    expect(counted.map((c) => c.bytesRead())).toEqual([0, 0, 0]);
    // fc/kernel is bytes 1216–2496 of the group: the end of shard 2 and the start of shard 3.
    await model.tensors.find((t) => t.name === 'fc/kernel')?.read();
    expect(counted.map((c) => c.ranges)).toEqual([[], [[216, 1000]], [[0, 496]]]);
  });

  it('locates weights after a string weight by its length prefixes', async () => {
    const files = modelFiles({
      format: null,
      groups: [{ weights: [{ name: 'vocab', shape: [3], dtype: 'string', strings: ['a', 'hello', 'é€'] }, { name: 'w', shape: [2], values: [0.5, -2] }], shardBytes: 7 }],
    });
    const model = await openTfjs(files);
    expect(model.tensors.map((t) => [t.name, t.dtype, t.byteLength, t.unsupported ?? null])).toEqual([
      ['vocab', 'UNKNOWN', 4 + 1 + 4 + 5 + 4 + 5, expect.stringContaining('string')],
      ['w', 'F32', 8, null],
    ]);
    expect(await model.tensors[1]?.read()).toEqual(f32([0.5, -2]));
    await expect(model.tensors[0]?.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
  });
});

describe('openTfjs: dtypes', () => {
  it('lists int32, bool, complex64 and odd quantizations as unsupported, and loses the weights after an unknown size', async () => {
    const weights = [
      { name: 'i', shape: [2], dtype: 'int32', values: [1, -1] },
      { name: 'b', shape: [3], dtype: 'bool', values: [1, 0, 1] },
      { name: 'c', shape: [2], dtype: 'complex64', values: [1, 2, 3, 4] },
      { name: 'iq', shape: [2], dtype: 'int32', bytes: Uint8Array.of(1, 2), entry: { quantization: { dtype: 'uint8', min: 0, scale: 1 } } },
      { name: 'nomin', shape: [2], bytes: Uint8Array.of(1, 2), entry: { quantization: { dtype: 'uint8', scale: 1 } } },
      { name: 'h', shape: [2], dtype: 'float16', bytes: encodeFloats([1, 2], 'F16') },
      { name: 'ok', shape: [2], values: [3, 4] },
      { name: 'odd', shape: [2], dtype: 'float64', bytes: new Uint8Array(16) },
      { name: 'after', shape: [2], values: [5, 6] },
    ];
    const model = await openTfjs(modelFiles({ format: null, groups: [{ weights }] }, 'x-weights_manifest.json'));
    expect(model.tensors.map((t) => [t.name, t.dtype, t.byteLength, t.unsupported !== undefined])).toEqual([
      ['i', 'I32', 8, true],
      ['b', 'BOOL', 3, true],
      ['c', 'UNKNOWN', 16, true],
      ['iq', 'I32', 2, true],
      ['nomin', 'F32', 2, true],
      ['h', 'F16', 4, true],
      ['ok', 'F32', 8, false],
      ['odd', 'UNKNOWN', 0, true],
      ['after', 'F32', 8, true],
    ]);
    expect(await model.tensors[6]?.read()).toEqual(f32([3, 4]));
    expect(model.tensors[8]?.unsupported).toMatch(/cannot be located: it follows weight "odd"/);
    await expect(model.tensors[8]?.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_FEATURE' });
    await expect(model.tensors[0]?.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
    await expect(model.tensors[4]?.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_FEATURE' });
  });

  it('opens a model with an empty manifest (no tensors) and zero-size weights', async () => {
    expect((await openTfjs([namedFile('model.json', '{"modelTopology": {}, "weightsManifest": []}')])).tensors).toEqual([]);
    const model = await openTfjs(modelFiles({ format: null, groups: [{ weights: [{ name: 'empty', shape: [0, 4] }] }] }, 'e-weights_manifest.json'));
    expect(model.tensors[0]).toMatchObject({ size: 0, byteLength: 0, kind: 'dense' });
    expect(await model.tensors[0]?.read()).toEqual(new Float32Array(0));
  });
});

describe('openTfjs: choosing the JSON file', () => {
  const layers = () => layersModelFiles();

  it('picks the JSON file by content among unrelated files, and refuses two models at once', async () => {
    const files: NamedBlob[] = [namedFile('config.json', '{"architectures": []}'), ...layers()];
    expect((await openTfjs(files)).name).toBe('model.json');
    const second = namedFile('other-weights_manifest.json', '[]');
    await expect(openTfjs([...layers(), second])).rejects.toMatchObject({ code: 'MULTIPLE_MODELS', message: expect.stringContaining('"other-weights_manifest.json"') });
  });

  it('says MISSING_COMPANION when only shards were dropped', async () => {
    await expect(openTfjs(layers().slice(1))).rejects.toMatchObject({ code: 'MISSING_COMPANION', message: expect.stringContaining('No TF.js model.json') });
  });
});
