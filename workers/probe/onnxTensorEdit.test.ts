/**
 * `replaceOnnxTensors` on tiny-cnn.onnx (weights as initializers, and head.w as a Constant node's value): the edited
 * file reopens through our reader with the new values, every other tensor bit-identical, and the same graph.
 */
import { describe, expect, it } from 'vitest';
import { decodeOnnxModel } from '../../src/formats/onnx/decodeOnnxModel';
import { openModel } from '../../src/formats/registry';
import { joinParts, replaceOnnxTensors } from './onnxTensorEdit';
import { bits, bytesOf, tensorValues as read } from './testing/nodeProbe';

const TINY_CNN = bytesOf('e2e/fixtures/onnx/tiny-cnn.onnx');
const open = (bytes: Uint8Array) => openModel([{ name: 'tiny-cnn.onnx', blob: new Blob([bytes as BlobPart]) }]);

describe('replaceOnnxTensors', () => {
  it('replaces an initializer and a Constant node’s value; everything else reads back bit for bit', async () => {
    const original = await open(TINY_CNN);
    const conv1 = await read(original, 'conv1.weight');
    const head = await read(original, 'head.w');
    const newConv1 = conv1.map((v, i) => (i % 2 === 0 ? 0 : -v));
    const newHead = Float32Array.from(head, (_, i) => i / 7);
    const parts = replaceOnnxTensors(TINY_CNN, new Map([['conv1.weight', newConv1], ['head.w', newHead]]));
    // Most of the file is kept as views of the original bytes.
    expect(parts.some((p) => p.buffer === TINY_CNN.buffer)).toBe(true);
    const edited = await open(joinParts(parts));
    expect(edited.tensors.map(({ read: _r, ...info }) => ({ ...info, byteLength: 0 }))).toEqual(original.tensors.map(({ read: _r, ...info }) => ({ ...info, byteLength: 0 })));
    expect(await read(edited, 'conv1.weight')).toEqual(newConv1);
    expect(await read(edited, 'head.w')).toEqual(newHead);
    for (const t of original.tensors) {
      if (t.name === 'conv1.weight' || t.name === 'head.w' || t.unsupported !== undefined) continue;
      expect(bits(await read(edited, t.name)), t.name).toEqual(bits(await t.read()));
    }
    const before = decodeOnnxModel(TINY_CNN, 'a.onnx').graph;
    const after = decodeOnnxModel(joinParts(parts), 'b.onnx').graph;
    expect(after?.node.map((n) => [n.op_type, n.input, n.output])).toEqual(before?.node.map((n) => [n.op_type, n.input, n.output]));
  });

  it('no replacements: the file itself; an unknown name throws', () => {
    expect(replaceOnnxTensors(TINY_CNN, new Map())).toEqual([TINY_CNN]);
    expect(() => replaceOnnxTensors(TINY_CNN, new Map([['nope', new Float32Array(1)]]))).toThrow(/"nope"/);
  });
});
