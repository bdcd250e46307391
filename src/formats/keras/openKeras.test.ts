/**
 * Round trips through h5wasm: Keras 2 (`model.save`, `save_weights`) and Keras 3 (`.weights.h5`, `.keras`)
 * files built in the test, opened in this thread (the in-process host), checked for names, shapes, values,
 * op names and layouts; then the errors.
 */
import { describe, expect, it } from 'vitest';
import { namedFile } from '../testing/memoryBlob';
import { FormatError } from '../formatError';
import { inProcessHdf5Host } from './hdf5Host';
import type { KerasModel } from './openKeras';
import { openKeras } from './openKeras';
import type { LayerSpec } from './testing/buildKeras';
import { buildHdf5, buildKeras2, buildKeras3Weights, buildKerasArchive, buildZip, keras3Config } from './testing/buildKeras';
import { float32DatasetToFloat16 } from './testing/patchHdf5';

const host = inProcessHdf5Host();
const open = (name: string, bytes: Uint8Array) => openKeras([namedFile(name, bytes)], { host });

const ramp = (n: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(i + 1));

const LAYERS: readonly LayerSpec[] = [
  {
    name: 'conv2d',
    className: 'Conv2D',
    weights: [
      { name: 'conv2d/kernel:0', shape: [3, 3, 2, 4], values: ramp(72) },
      { name: 'conv2d/bias:0', shape: [4], values: ramp(4, 0.1) },
    ],
  },
  { name: 'flatten', className: 'Flatten', weights: [] },
  {
    name: 'dense',
    className: 'Dense',
    weights: [
      { name: 'dense/kernel:0', shape: [16, 10], values: ramp(160, 0.5) },
      { name: 'dense/bias:0', shape: [10], values: ramp(10, 0.01) },
    ],
  },
];
/** The same layers as Keras 3 names them (weights by position). */
const KERAS3_LAYERS: readonly LayerSpec[] = LAYERS.map((l) => ({ ...l, weights: l.weights.map((w, i) => ({ ...w, name: String(i) })) }));

async function valuesOf(model: KerasModel): Promise<number[][]> {
  return Promise.all(model.tensors.map(async (t) => Array.from(await t.read())));
}

describe('openKeras: Keras 2 HDF5', () => {
  it('reads a model.save file: names, shapes, kinds, op names, HWIO layout from the config, values', async () => {
    const model = await open('cnn.h5', await buildKeras2(LAYERS));
    expect(model.format).toBe('keras');
    expect(model.name).toBe('cnn.h5');
    expect(model.metadata).toMatchObject({ keras_format: 'Keras 2 HDF5 (model.save)', keras_version: '2.15.0', backend: 'tensorflow', model_class: 'Sequential' });
    expect(model.metadata).not.toHaveProperty('model_config');
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.kind, t.layout ?? null, t.layoutSource ?? null, t.op ?? null, t.byteLength])).toEqual([
      ['conv2d/kernel:0', 'F32', [3, 3, 2, 4], 'conv2d', 'HWIO', 'file', 'Conv2D', 288],
      ['conv2d/bias:0', 'F32', [4], 'vector', null, null, 'Conv2D', 16],
      ['dense/kernel:0', 'F32', [16, 10], 'dense', null, null, 'Dense', 640],
      ['dense/bias:0', 'F32', [10], 'vector', null, null, 'Dense', 40],
    ]);
    const values = await valuesOf(model);
    LAYERS.flatMap((l) => l.weights).forEach((w, i) => expect(values[i]).toEqual(Array.from(w.values)));
    model.dispose();
    await expect(model.tensors[0]?.read()).rejects.toMatchObject({ code: 'READ_FAILED' });
  });

  it('reads a save_weights file (weights at the root, no config: conv layout by convention)', async () => {
    const model = await open('w.h5', await buildKeras2(LAYERS, { weightsOnly: true }));
    expect(model.metadata.keras_format).toBe('Keras 2 HDF5 (save_weights)');
    const conv = model.tensors[0];
    expect([conv?.name, conv?.layout, conv?.layoutSource, conv?.op]).toEqual(['conv2d/kernel:0', 'HWIO', 'convention', undefined]);
    expect(Array.from((await conv?.read()) ?? [])).toEqual(Array.from(LAYERS[0]?.weights[0]?.values ?? []));
    model.dispose();
  });

  it('reads a file in the HDF5 1.10+ format (checksummed object headers) and a float16 dataset', async () => {
    const latest = await open('l.h5', await buildKeras2(LAYERS, { libver: 'latest' }));
    expect(Array.from((await latest.tensors[2]?.read()) ?? [])).toEqual(Array.from(LAYERS[2]?.weights[0]?.values ?? []));
    latest.dispose();
    const layers: LayerSpec[] = [
      { name: 'd', className: 'Dense', weights: [{ name: 'd/kernel:0', shape: [2, 3], values: new Float32Array(6) }, { name: 'd/bias:0', shape: [4], values: new Float64Array(4) }] },
    ];
    const half = Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x0001, 0x7c00, 0x8000]); // 1, −2, 0.5, 2^−24, +Inf, −0
    const model = await open('f16.h5', float32DatasetToFloat16(await buildKeras2(layers), 6, half));
    expect(model.tensors.map((t) => [t.name, t.dtype, t.byteLength])).toEqual([
      ['d/kernel:0', 'F16', 12],
      ['d/bias:0', 'F64', 32],
    ]);
    expect(Array.from((await model.tensors[0]?.read()) ?? [])).toEqual([1, -2, 0.5, 2 ** -24, Infinity, -0]);
    model.dispose();
  });

  it('reads variable-length string attributes, split layer_names, gzip datasets, float64 and nested weight scopes', async () => {
    const layers: LayerSpec[] = [
      { name: 'a', className: 'Dense', weights: [{ name: 'a/kernel:0', shape: [4, 3], values: Float64Array.from(ramp(12)), gzip: true }] },
      { name: 'b', className: 'Dense', weights: [{ name: 'b/kernel:0', shape: [3, 2], values: ramp(6) }] },
      { name: 'inner', className: 'Sequential', weights: [{ name: 'c/kernel:0', shape: [2, 2], values: ramp(4) }] },
    ];
    const config = {
      class_name: 'Functional',
      config: {
        layers: [
          { class_name: 'Dense', config: { name: 'a' } },
          { class_name: 'Dense', config: { name: 'b' } },
          { class_name: 'Sequential', config: { name: 'inner', layers: [{ class_name: 'DepthwiseConv2D', config: { name: 'c' } }] } },
        ],
      },
    };
    const model = await open('v.h5', await buildKeras2(layers, { vlenStrings: true, splitLayerNames: 2, modelConfig: config }));
    expect(model.tensors.map((t) => [t.name, t.dtype, t.op])).toEqual([
      ['a/kernel:0', 'F64', 'Dense'],
      ['b/kernel:0', 'F32', 'Dense'],
      ['c/kernel:0', 'F32', 'DepthwiseConv2D'],
    ]);
    expect(model.metadata.model_class).toBe('Functional');
    const values = await valuesOf(model);
    expect(values[0]).toEqual(Array.from(Float64Array.from(ramp(12))));
    expect(values[2]).toEqual(Array.from(ramp(4)));
    model.dispose();
  });

  it('lists integer weights as unsupported, and BF16 tagged 16-bit data as BF16', async () => {
    const bf16 = Uint16Array.from([0x3f80, 0xc000, 0x4040, 0x0000]); // 1, −2, 3, 0
    const layers: LayerSpec[] = [
      {
        name: 'q',
        className: 'Dense',
        weights: [
          { name: 'q/kernel:0', shape: [2, 2], values: Int8Array.from([1, -2, 3, -4]) },
          { name: 'q/scale:0', shape: [2, 2], values: bf16, attributes: { dtype: 'bfloat16' } },
        ],
      },
    ];
    const model = await open('q.h5', await buildKeras2(layers));
    const [int8, bf] = model.tensors;
    expect([int8?.dtype, int8?.unsupported]).toEqual(['I8', expect.stringContaining('I8')]);
    await expect(int8?.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
    expect([bf?.dtype, bf?.unsupported]).toEqual(['BF16', undefined]);
    expect(Array.from((await bf?.read()) ?? [])).toEqual([1, -2, 3, 0]);
    model.dispose();
  });

  it('gives repeated weight names their layer prefix', async () => {
    const layers: LayerSpec[] = ['m1', 'm2'].map((name) => ({ name, className: 'Sequential', weights: [{ name: 'dense/kernel:0', shape: [2, 2], values: ramp(4) }] }));
    const model = await open('dup.h5', await buildKeras2(layers));
    expect(model.tensors.map((t) => t.name)).toEqual(['m1/dense/kernel:0', 'm2/dense/kernel:0']);
    model.dispose();
  });
});

describe('openKeras: Keras 3', () => {
  it('reads a .keras archive: config order, op names, values, metadata', async () => {
    const layers: LayerSpec[] = [...KERAS3_LAYERS, { name: 'head', className: 'Conv2D', weights: [{ name: '0', shape: [1, 1, 4, 2], values: ramp(8) }] }];
    const model = await open('model.keras', await buildKerasArchive(layers));
    expect(model.metadata).toMatchObject({ keras_format: 'Keras 3 .keras', keras_version: '3.3.3', date_saved: '2024-06-11@00:00:00', model_class: 'Sequential' });
    expect(model.tensors.map((t) => [t.name, t.shape, t.kind, t.layoutSource ?? null, t.op ?? null])).toEqual([
      ['conv2d/vars/0', [3, 3, 2, 4], 'conv2d', 'file', 'Conv2D'],
      ['conv2d/vars/1', [4], 'vector', null, 'Conv2D'],
      ['dense/vars/0', [16, 10], 'dense', null, 'Dense'],
      ['dense/vars/1', [10], 'vector', null, 'Dense'],
      ['conv2d_1/vars/0', [1, 1, 4, 2], 'conv2d', 'file', 'Conv2D'],
    ]);
    const values = await valuesOf(model);
    expect(values[0]).toEqual(Array.from(ramp(72)));
    expect(values[4]).toEqual(Array.from(ramp(8)));
    model.dispose();
  });

  it('reads a deflated archive, and a .weights.h5 without config (no ops, layout by convention)', async () => {
    const deflated = await open('d.keras', await buildKerasArchive(KERAS3_LAYERS, { deflate: true }));
    expect(deflated.tensors).toHaveLength(4);
    expect(Array.from(await (deflated.tensors[2]?.read() ?? Promise.reject()))).toEqual(Array.from(ramp(160, 0.5)));
    deflated.dispose();
    const bare = await open('m.weights.h5', await buildKeras3Weights(KERAS3_LAYERS));
    expect(bare.metadata.keras_format).toBe('Keras 3 weights');
    expect(bare.tensors.map((t) => [t.name, t.op ?? null, t.layoutSource ?? null])).toEqual([
      ['conv2d/vars/0', null, 'convention'],
      ['conv2d/vars/1', null, null],
      ['dense/vars/0', null, null],
      ['dense/vars/1', null, null],
    ]);
    bare.dispose();
  });

  it('survives a damaged config.json (opens without op names)', async () => {
    const model = await open('c.keras', await buildKerasArchive(KERAS3_LAYERS, { config: '{"class_name": ' }));
    expect(model.tensors.map((t) => t.op)).toEqual([undefined, undefined, undefined, undefined]);
    model.dispose();
  });
});

describe('openKeras: errors', () => {
  it('an HDF5 file without Keras weights is BAD_STRUCTURE', async () => {
    const bytes = await buildHdf5((f) => f.create_group('data').create_dataset({ name: 'x', data: ramp(4), shape: [4] }));
    await expect(open('x.h5', bytes)).rejects.toMatchObject({
      code: 'BAD_STRUCTURE',
      file: 'x.h5',
      message: expect.stringMatching(/^"x\.h5" is an HDF5 file but holds no Keras weights \(no model_weights group or layer_names attribute/),
    });
  });

  it('layer_names or weight_names pointing nowhere is BAD_STRUCTURE naming the layer', async () => {
    const missingLayer = await buildHdf5((f) => f.create_group('model_weights').create_attribute('layer_names', ['ghost'], [1], 'S5'));
    await expect(open('g.h5', missingLayer)).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('"ghost"') });
    const missingWeight = await buildHdf5((f) => {
      const root = f.create_group('model_weights');
      root.create_attribute('layer_names', ['d'], [1], 'S1');
      root.create_group('d').create_attribute('weight_names', ['d/kernel:0'], [1], 'S10');
    });
    await expect(open('w.h5', missingWeight)).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('/model_weights/d/d/kernel:0 is not a dataset') });
  });

  it('a truncated file is TRUNCATED, with the sizes HDF5 reports', async () => {
    const bytes = await buildKeras2(LAYERS);
    const error = await open('t.h5', bytes.slice(0, 1500)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ code: 'TRUNCATED', file: 't.h5', message: `"t.h5" is truncated: its HDF5 superblock says the file is ${bytes.length} bytes long, but it has 1500.` });
    expect((error as FormatError).context).toMatch(/^1500 bytes; first 16: 89 48 44 46/);
  });

  it('a damaged HDF5 file is BAD_HDF5 quoting HDF5; a non-HDF5 .h5 is BAD_HDF5', async () => {
    const bytes = await buildKeras2(LAYERS);
    const damaged = bytes.slice();
    damaged.fill(0xff, 96, 160);
    await expect(open('d.h5', damaged)).rejects.toMatchObject({ code: 'BAD_HDF5', file: 'd.h5', message: expect.stringMatching(/^"d\.h5" is a damaged HDF5 file: HDF5 failed while opening it: ./) });
    await expect(open('n.h5', new TextEncoder().encode('not hdf5 at all'))).rejects.toMatchObject({ code: 'BAD_HDF5', message: '"n.h5" is not an HDF5 file (HDF5 found no file signature).' });
  });

  it('archive errors: not a zip, no model.weights.h5, cut short', async () => {
    // The zip reader's verdict (no end of central directory: the archive was cut short).
    await expect(open('z.keras', new TextEncoder().encode('PK\x03\x04 but nothing else'))).rejects.toMatchObject({ code: 'TRUNCATED', file: 'z.keras' });
    const noWeights = buildZip([['config.json', keras3Config(KERAS3_LAYERS)]]);
    await expect(open('e.keras', noWeights)).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('holds no model.weights.h5 (found only "config.json")') });
    const archive = await buildKerasArchive(KERAS3_LAYERS);
    const cut = await open('c.keras', archive.slice(0, archive.length - 3000)).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(FormatError);
    expect(['TRUNCATED', 'BAD_ZIP']).toContain((cut as FormatError).code);
    const damaged = archive.slice();
    const at = archive.length - 4000;
    damaged[at] = (archive[at] as number) ^ 0x40;
    await expect(open('b.keras', damaged)).rejects.toMatchObject({ code: 'BAD_ZIP', message: expect.stringContaining('CRC-32') });
  });

  it('an HDF5 engine that cannot start is READ_FAILED, not a damaged file', async () => {
    const broken = inProcessHdf5Host(() => Promise.reject(new Error('WebAssembly is not allowed')));
    await expect(openKeras([namedFile('ok.h5', await buildKeras2(LAYERS))], { host: broken })).rejects.toMatchObject({
      code: 'READ_FAILED',
      message: 'HDF5 support could not be started to read "ok.h5": could not start h5wasm: WebAssembly is not allowed.',
    });
  });

  it('refuses files over 2 GiB and several files at once', async () => {
    const huge = { name: 'big.h5', blob: { size: 3 * 1024 ** 3, slice: () => huge.blob, arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)) } };
    await expect(openKeras([huge], { host })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('"big.h5" is 3.0 GiB') });
    const bytes = await buildKeras2(LAYERS);
    await expect(openKeras([namedFile('a.h5', bytes), namedFile('b.h5', bytes)], { host })).rejects.toMatchObject({ code: 'MULTIPLE_MODELS' });
  });
});
