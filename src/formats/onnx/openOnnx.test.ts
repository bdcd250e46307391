import { describe, expect, it } from 'vitest';
import type { TensorRef } from '../../model/types';
import { toModelInfo } from '../../model/types';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { openOnnx } from './openOnnx';
import type { GraphSpec, TensorSpec } from './testing/buildOnnx';
import { DT, buildOnnx } from './testing/buildOnnx';

const seq = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => scale * Math.sin(i + 1));
const open = (graph: GraphSpec, extra: Parameters<typeof buildOnnx>[0] = {}) => openOnnx([namedFile('m.onnx', buildOnnx({ ...extra, graph }))]);
const byName = (tensors: readonly TensorRef[], name: string) => {
  const t = tensors.find((x) => x.name === name);
  if (!t) throw new Error(`no tensor ${name} among ${tensors.map((x) => x.name).join(', ')}`);
  return t;
};
const values = async (t: TensorRef) => Array.from(await t.read());

describe('openOnnx: initializers', () => {
  it('lists initializers with dtype, shape, kind, op, and reads them back', async () => {
    const w = seq(6);
    const model = await open(
      {
        initializers: [
          { name: 'fc.weight', dims: [2, 3], values: w },
          { name: 'fc.bias', dims: [2], values: [0.5, -0.5] },
        ],
        nodes: [{ op: 'Gemm', inputs: ['x', 'fc.weight', 'fc.bias'], outputs: ['y'], attrs: { transB: 1 } }],
      },
      { producer: 'pytorch', metadata: { author: 'test' } },
    );
    expect(model).toMatchObject({ format: 'onnx', name: 'm.onnx' });
    expect(model.metadata).toMatchObject({ ir_version: '8', producer: 'pytorch 1', opset_import: 'ai.onnx 13', graph: 'graph', author: 'test' });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.kind, t.op])).toEqual([
      ['fc.weight', 'F32', [2, 3], 'dense', 'Gemm'],
      ['fc.bias', 'F32', [2], 'vector', 'Gemm'],
    ]);
    expect(model.tensors[0]).toMatchObject({ size: 6, byteLength: 24, file: 'm.onnx' });
    expect(await values(model.tensors[0]!)).toEqual(Array.from(Float32Array.from(w)));
    expect(structuredClone(toModelInfo(model)).tensors).toHaveLength(2);
  });

  it('reads the .onnx once at open, and gives each read() its own array (never a view of the file)', async () => {
    const file = countingFile('m.onnx', buildOnnx({ graph: { initializers: [{ name: 'w', dims: [2, 2], values: [1, 2, 3, 4] }] } }));
    const model = await openOnnx([file]);
    const first = await model.tensors[0]!.read();
    first.fill(0);
    expect(Array.from(await model.tensors[0]!.read())).toEqual([1, 2, 3, 4]);
    expect(file.ranges).toEqual([[0, file.blob.size]]);
  });

  it.each([
    ['raw FLOAT16', DT.FLOAT16, 'raw', 'F16'],
    ['raw BFLOAT16', DT.BFLOAT16, 'raw', 'BF16'],
    ['raw DOUBLE', DT.DOUBLE, 'raw', 'F64'],
    ['float_data', DT.FLOAT, 'typed', 'F32'],
    ['int32_data FLOAT16 bits', DT.FLOAT16, 'typed', 'F16'],
    ['int32_data BFLOAT16 bits', DT.BFLOAT16, 'typed', 'BF16'],
    ['double_data', DT.DOUBLE, 'typed', 'F64'],
    ['unpacked float_data', DT.FLOAT, 'unpacked', 'F32'],
    ['unpacked int32_data FLOAT16', DT.FLOAT16, 'unpacked', 'F16'],
    ['unpacked double_data', DT.DOUBLE, 'unpacked', 'F64'],
  ] as const)('decodes %s', async (_label, dataType, storage, dtype) => {
    const v = [1.5, -2, 0.25, 1024, -0, 3];
    const model = await open({ initializers: [{ name: 'w', dims: [2, 3], values: v, dataType, storage }] });
    expect(model.tensors[0]).toMatchObject({ dtype, shape: [2, 3], kind: 'dense' });
    const read = await model.tensors[0]!.read();
    expect(read).toBeInstanceOf(dtype === 'F64' ? Float64Array : Float32Array);
    expect(Array.from(read)).toEqual(v);
  });

  it('ignores a typed-array field with the wrong wire type, as the protobuf decoder does', async () => {
    // Field 4 (float_data) as a varint: not a float, skipped; the packed values still count.
    const stray = Uint8Array.of(0x20, 0x05);
    const model = await open({ initializers: [{ name: 'w', dims: [2], values: [1, 2], storage: 'typed', fields: { $unknowns: [stray] } }] });
    expect(Array.from(await model.tensors[0]!.read())).toEqual([1, 2]);
  });

  it('lists non-float tensors as unsupported, by rank', async () => {
    const model = await open({
      initializers: [
        { name: 'shape', dims: [4], values: [1, 2, 3, 4], dataType: DT.INT64 },
        { name: 'q', dims: [2, 2], values: [1, 2, 3, 4], dataType: DT.INT8, storage: 'typed' },
        { name: 'flags', dims: [2], values: [1, 0], dataType: DT.BOOL },
        { name: 'strings', dims: [0], dataType: DT.STRING, storage: 'none' },
        { name: 'weird', dims: [1], dataType: 99, rawBytes: new Uint8Array([1, 2]) },
      ],
    });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.kind, t.byteLength])).toEqual([
      ['shape', 'I64', 'vector', 32],
      ['q', 'I8', 'dense', 4],
      ['flags', 'BOOL', 'vector', 2],
      ['strings', 'UNKNOWN', 'vector', 0],
      ['weird', 'UNKNOWN', 'vector', 2],
    ]);
    for (const t of model.tensors) expect(t.unsupported).toMatch(/dtype (INT64|INT8|BOOL|STRING|data_type 99) is not supported/);
    await expect(model.tensors[0]!.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE', file: 'm.onnx' });
  });

  it('lists sparse and segmented tensors as unsupported features', async () => {
    const model = await open({
      initializers: [{ name: 'seg', dims: [2], values: [1, 2], segment: [0, 2] }],
      sparse: [{ values: { name: 'sp', dims: [2], values: [1, 2] }, indices: { name: 'sp_i', dims: [2], values: [0, 5], dataType: DT.INT64 }, dims: [3, 4] }],
    });
    expect(model.tensors.map((t) => [t.name, t.shape, t.dtype, t.kind])).toEqual([
      ['seg', [2], 'F32', 'vector'],
      ['sp', [3, 4], 'F32', 'dense'],
    ]);
    expect(model.tensors[0]!.unsupported).toMatch(/segmented/);
    expect(model.tensors[1]!.unsupported).toMatch(/sparse/);
    await expect(model.tensors[1]!.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_FEATURE' });
  });
});

describe('openOnnx: Constant nodes (paddle2onnx style, no initializers)', () => {
  it('names each Constant value after the node output and keeps int constants as unsupported', async () => {
    const model = await open({
      nodes: [
        { op: 'Constant', outputs: ['linear_0.w_0'], attrs: { value: { name: 'ignored', dims: [3, 2], values: seq(6) } } },
        { op: 'Constant', outputs: ['eps'], attrs: { value_float: { float: 1e-5 } } },
        { op: 'Constant', outputs: ['scales'], attrs: { value_floats: { floats: [0.5, 2] } } },
        { op: 'Constant', outputs: ['axes'], attrs: { value_ints: [0, 1] } },
        { op: 'Constant', outputs: ['shape'], attrs: { value: { name: '', dims: [2], values: [3, 2], dataType: DT.INT64 } } },
        { op: 'MatMul', inputs: ['x', 'linear_0.w_0'], outputs: ['y'] },
        { op: 'Add', inputs: ['y', 'eps'], outputs: ['z'] },
      ],
    });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.kind, t.op ?? null, t.unsupported ? 'unsupported' : 'ok'])).toEqual([
      ['linear_0.w_0', 'F32', [3, 2], 'dense', 'MatMul', 'ok'],
      ['eps', 'F32', [], 'scalar', 'Add', 'ok'],
      ['scales', 'F32', [2], 'vector', null, 'ok'],
      ['axes', 'I64', [2], 'vector', null, 'unsupported'],
      ['shape', 'I64', [2], 'vector', null, 'unsupported'],
    ]);
    expect(await values(model.tensors[0]!)).toEqual(Array.from(Float32Array.from(seq(6))));
    expect(await values(model.tensors[1]!)).toEqual([Math.fround(1e-5)]);
    expect(await values(model.tensors[2]!)).toEqual([0.5, 2]);
  });

  it('walks If/Loop subgraphs, suffixing names that sibling branches reuse', async () => {
    const branch = (v: number): GraphSpec => ({
      nodes: [
        { op: 'Constant', outputs: ['k'], attrs: { value: { name: 'k', dims: [2, 2], values: [v, v, v, v] } } },
        { op: 'MatMul', inputs: ['x', 'k'], outputs: ['y'] },
      ],
    });
    const model = await open({
      initializers: [{ name: 'top', dims: [1], values: [7] }],
      nodes: [{ op: 'If', name: 'cond', inputs: ['c'], outputs: ['out'], attrs: { then_branch: branch(1), else_branch: branch(2) } }],
    });
    expect(model.tensors.map((t) => [t.name, t.op ?? null])).toEqual([
      ['top', null],
      ['k', 'MatMul'],
      ['k @cond/else_branch', 'MatMul'],
    ]);
    expect(await values(model.tensors[2]!)).toEqual([2, 2, 2, 2]);
  });
});

describe('openOnnx: ops, kinds and conv layouts', () => {
  const kernel = (name: string, dims: number[]): TensorSpec => ({ name, dims, values: seq(dims.reduce((a, b) => a * b, 1)) });

  it('takes OIHW from Conv (file), and falls back to the ONNX convention for other 4-D tensors', async () => {
    const model = await open({
      initializers: [kernel('conv.w', [4, 3, 3, 3]), kernel('deconv.w', [3, 4, 2, 2]), kernel('scale4d', [1, 4, 1, 1]), kernel('conv1d.w', [4, 3, 5])],
      nodes: [
        { op: 'Conv', inputs: ['x', 'conv.w'], outputs: ['a'] },
        { op: 'ConvTranspose', inputs: ['a', 'deconv.w'], outputs: ['b'] },
        { op: 'Mul', inputs: ['b', 'scale4d'], outputs: ['c'] },
        { op: 'Conv', inputs: ['s', 'conv1d.w'], outputs: ['d'] },
      ],
    });
    const row = (n: string) => {
      const t = byName(model.tensors, n);
      return [t.kind, t.layout ?? null, t.layoutSource ?? null, t.op ?? null];
    };
    expect(row('conv.w')).toEqual(['conv2d', 'OIHW', 'file', 'Conv']);
    expect(row('deconv.w')).toEqual(['conv2d', 'OIHW', 'file', 'ConvTranspose']);
    expect(row('scale4d')).toEqual(['conv2d', 'OIHW', 'convention', 'Mul']);
    // A Conv1d kernel (O, I, k) has no matrix definition here: not a stack of matrices.
    expect(row('conv1d.w')).toEqual(['other', null, null, 'Conv']);
  });

  it('follows Identity, Cast, DequantizeLinear and Transpose to the op, composing transposes into HWIO', async () => {
    const model = await open({
      initializers: [
        kernel('tf.kernel', [3, 3, 2, 4]),
        kernel('cast.w', [4, 2, 1, 1]),
        { name: 'int8.w', dims: [4, 2, 1, 1], values: seq(8).map((v) => Math.round(v * 100)), dataType: DT.INT8 },
        kernel('odd.perm', [3, 3, 2, 4]),
        kernel('mm.w', [5, 6]),
      ],
      nodes: [
        { op: 'Transpose', inputs: ['tf.kernel'], outputs: ['k_oihw'], attrs: { perm: [3, 2, 0, 1] } },
        { op: 'Identity', inputs: ['k_oihw'], outputs: ['k2'] },
        { op: 'Conv', inputs: ['x', 'k2'], outputs: ['y'] },
        { op: 'Cast', inputs: ['cast.w'], outputs: ['cw'], attrs: { to: 10 } },
        { op: 'Conv', inputs: ['y', 'cw'], outputs: ['z'] },
        { op: 'DequantizeLinear', inputs: ['int8.w', 's', 'zp'], outputs: ['dq'] },
        { op: 'Conv', inputs: ['z', 'dq'], outputs: ['u'] },
        { op: 'Transpose', inputs: ['odd.perm'], outputs: ['op2'], attrs: { perm: [0, 2, 1, 3] } },
        { op: 'Conv', inputs: ['u', 'op2'], outputs: ['v'] },
        { op: 'Transpose', inputs: ['mm.w'], outputs: ['mmT'] },
        { op: 'MatMul', inputs: ['h', 'mmT'], outputs: ['o'] },
      ],
    });
    expect(byName(model.tensors, 'tf.kernel')).toMatchObject({ layout: 'HWIO', layoutSource: 'file', op: 'Conv' });
    expect(byName(model.tensors, 'cast.w')).toMatchObject({ layout: 'OIHW', layoutSource: 'file', op: 'Conv' });
    expect(byName(model.tensors, 'int8.w')).toMatchObject({ dtype: 'I8', op: 'Conv' });
    // A transpose that gives neither OIHW nor HWIO leaves the layout to convention.
    expect(byName(model.tensors, 'odd.perm')).toMatchObject({ layout: 'OIHW', layoutSource: 'convention', op: 'Conv' });
    expect(byName(model.tensors, 'mm.w')).toMatchObject({ kind: 'dense', op: 'MatMul' });
  });
});

describe('openOnnx: external data', () => {
  const weights = seq(12);
  const dataBytes = new Uint8Array(64 + 48 + 8);
  dataBytes.set(new Uint8Array(Float32Array.from(weights).buffer), 64);
  const model = (location = 'm.onnx.data', extra: Record<string, string> = {}) =>
    buildOnnx({
      graph: {
        initializers: [
          { name: 'big.weight', dims: [3, 4], storage: 'external', external: { location, offset: '64', length: '48', ...extra } },
          { name: 'inline.bias', dims: [3], values: [1, 2, 3] },
        ],
        nodes: [{ op: 'MatMul', inputs: ['x', 'big.weight'], outputs: ['y'] }],
      },
    });

  it('reads each external tensor lazily from its data file, only its own bytes', async () => {
    const onnx = countingFile('m.onnx', model());
    const data = countingFile('m.onnx.data', dataBytes);
    const opened = await openOnnx([onnx, data]);
    // Opening reads the .onnx once, whole, and no byte of the data file.
    expect(onnx.ranges).toEqual([[0, onnx.blob.size]]);
    expect(data.bytesRead()).toBe(0);
    expect(opened.files).toEqual([
      { name: 'm.onnx', size: onnx.blob.size },
      { name: 'm.onnx.data', size: dataBytes.length },
    ]);
    const big = opened.tensors[0]!;
    expect(big).toMatchObject({ name: 'big.weight', file: 'm.onnx.data', byteLength: 48, op: 'MatMul' });
    expect(await values(big)).toEqual(Array.from(Float32Array.from(weights)));
    expect(data.ranges).toEqual([[64, 112]]);
    // An inline tensor never touches the files again.
    expect(await values(opened.tensors[1]!)).toEqual([1, 2, 3]);
    expect(onnx.ranges).toHaveLength(1);
    expect(data.ranges).toHaveLength(1);
  });

  it('matches a location with directories by its base name, and infers a missing length from the shape', async () => {
    const opened = await openOnnx([namedFile('m.onnx', model('weights/m.onnx.data')), namedFile('m.onnx.data', dataBytes)]);
    expect(await values(opened.tensors[0]!)).toEqual(Array.from(Float32Array.from(weights)));
    const noLength = buildOnnx({ graph: { initializers: [{ name: 'w', dims: [3, 4], storage: 'external', external: { location: 'd.bin', offset: '64' } }] } });
    const opened2 = await openOnnx([namedFile('m.onnx', noLength), namedFile('d.bin', dataBytes)]);
    expect(opened2.tensors[0]!.byteLength).toBe(48);
    expect(await values(opened2.tensors[0]!)).toEqual(Array.from(Float32Array.from(weights)));
  });

  it('picks the model among dropped files by extension, or by content when no file is named .onnx', async () => {
    const opened = await openOnnx([namedFile('m.onnx.data', dataBytes), namedFile('model.pb', model())]);
    expect(opened.name).toBe('model.pb');
  });
});
