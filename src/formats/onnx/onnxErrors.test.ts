/** Every error the ONNX reader can give: its code, the file it names, and words that say what is wrong. */
import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { countingFile, failingFile, namedFile } from '../testing/memoryBlob';
import { openOnnx } from './openOnnx';
import type { GraphSpec, ModelSpec, TensorSpec } from './testing/buildOnnx';
import { DT, buildOnnx } from './testing/buildOnnx';

async function failure(files: readonly NamedBlob[]): Promise<FormatError> {
  const error = await openOnnx(files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

const model = (graph: GraphSpec, extra: ModelSpec = {}) => buildOnnx({ ...extra, graph });
const one = (t: TensorSpec) => model({ initializers: [t] });
const W: TensorSpec = { name: 'w', dims: [2, 2], values: [1, 2, 3, 4] };
const external = (entries: Record<string, string>): TensorSpec => ({ name: 'w', dims: [2, 2], storage: 'external', external: entries });
const DATA = new Uint8Array(32);

/** A length-delimited protobuf field: tag byte, varint length, payload. */
function field(tag: number, payload: Uint8Array): Uint8Array {
  const length: number[] = [];
  for (let n = payload.length; ; n = Math.floor(n / 128)) {
    length.push(n >= 128 ? (n % 128) | 0x80 : n);
    if (n < 128) break;
  }
  return Uint8Array.from([tag, ...length, ...payload]);
}

describe('onnx errors: files', () => {
  it('NO_FILES for an empty drop', async () => {
    expect((await failure([])).code).toBe('NO_FILES');
  });

  it('MULTIPLE_MODELS for two .onnx files', async () => {
    const e = await failure([namedFile('a.onnx', one(W)), namedFile('b.onnx', one(W))]);
    expect(e.code).toBe('MULTIPLE_MODELS');
    expect(e.message).toMatch(/"a\.onnx", "b\.onnx"/);
  });

  it('MISSING_COMPANION naming the external data file that was not dropped', async () => {
    const e = await failure([namedFile('m.onnx', one(external({ location: 'weights/m.onnx.data', length: '16' })))]);
    expect(e).toMatchObject({ code: 'MISSING_COMPANION', file: 'm.onnx' });
    expect(e.message).toContain('"weights/m.onnx.data"');
    expect(e.message).toContain('"w"');
    expect(e.remedy).toContain('m.onnx.data');
  });

  it('MISSING_COMPANION when only data files were dropped', async () => {
    const e = await failure([namedFile('m.onnx.data', DATA)]);
    expect(e.code).toBe('MISSING_COMPANION');
    expect(e.message).toMatch(/No \.onnx model file.*"m\.onnx\.data"/);
  });

  it('TOO_LARGE for a model over 2 GiB, before reading it', async () => {
    const huge = countingFile('huge.onnx', one(W), { size: 2 ** 31 });
    const e = await failure([huge]);
    expect(e).toMatchObject({ code: 'TOO_LARGE', file: 'huge.onnx' });
    expect(e.message).toContain('2 GiB');
    // Only the error's byte context (first and last 16 bytes) was read.
    expect(huge.bytesRead()).toBe(32);
  });

  it('READ_FAILED when the model or an external data file cannot be read', async () => {
    expect((await failure([failingFile('gone.onnx', 100)])).code).toBe('READ_FAILED');
    const opened = await openOnnx([namedFile('m.onnx', one(external({ location: 'd.data' }))), failingFile('d.data', 16)]);
    await expect(opened.tensors[0]!.read()).rejects.toMatchObject({ code: 'READ_FAILED', file: 'd.data' });
  });
});

describe('onnx errors: protobuf', () => {
  it('TRUNCATED for an empty file and for a file cut inside its graph, with byte context', async () => {
    expect((await failure([namedFile('empty.onnx', new Uint8Array(0))])).code).toBe('TRUNCATED');
    const bytes = model({ initializers: [{ name: 'w', dims: [8, 8], values: new Array(64).fill(1) }] });
    const e = await failure([namedFile('cut.onnx', bytes.slice(0, 200))]);
    expect(e).toMatchObject({ code: 'TRUNCATED', file: 'cut.onnx' });
    expect(e.message).toMatch(/"cut\.onnx" is truncated/);
    expect(e.context).toMatch(/^200 bytes; first 16: 08 08/);
  });

  it('BAD_PROTOBUF for an invalid wire type, a length past its message, or nesting too deep', async () => {
    const wire = await failure([namedFile('wire.onnx', Uint8Array.of(0x08, 0x08, 0x3f, 0x00))]);
    expect(wire.code).toBe('BAD_PROTOBUF');
    expect(wire.message).toMatch(/"wire\.onnx" is not a valid ONNX protobuf: a field has an invalid wire type/);
    // graph (field 7) of 3 bytes holding a node (field 1) that claims 5; then an opset_import.
    const inner = await failure([namedFile('len.onnx', Uint8Array.of(0x08, 0x08, 0x3a, 0x03, 0x0a, 0x05, 0x00, 0x42, 0x00))]);
    expect(inner.code).toBe('BAD_PROTOBUF');
    expect(inner.message).toMatch(/runs past the end of its enclosing message/);
    // GraphProto.node → NodeProto.attribute → AttributeProto.g → GraphProto …, 40 times (protobufjs's writer refuses it).
    let graph: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 40; i++) graph = field(0x0a, field(0x2a, field(0x32, graph)));
    const deep = await failure([namedFile('deep.onnx', Uint8Array.from([0x08, 0x08, ...field(0x3a, graph)]))]);
    expect(deep.code).toBe('BAD_PROTOBUF');
    expect(deep.message).toMatch(/nested more than 100 deep/);
  });

  it('BAD_PROTOBUF for packed values that are not whole', async () => {
    const partialFloat = await failure([namedFile('m.onnx', one({ name: 'w', dims: [1], storage: 'none', fields: { float_data: [new Uint8Array(6)] } }))]);
    expect(partialFloat.code).toBe('BAD_PROTOBUF');
    expect(partialFloat.message).toMatch(/"w".*packed float_data has 6 bytes/);
    const openVarint = await failure([namedFile('m.onnx', one({ name: 'h', dims: [1], dataType: DT.FLOAT16, storage: 'none', fields: { int32_data: [Uint8Array.of(0x80)] } }))]);
    expect(openVarint.code).toBe('BAD_PROTOBUF');
    expect(openVarint.message).toMatch(/ends inside a varint/);
  });
});

describe('onnx errors: structure', () => {
  it('BAD_STRUCTURE for a protobuf that is not a model: no ir_version, or no graph', async () => {
    const noIr = await failure([namedFile('m.onnx', model({ initializers: [W] }, { irVersion: 0 }))]);
    expect(noIr.code).toBe('BAD_STRUCTURE');
    expect(noIr.message).toMatch(/no valid ir_version/);
    const noGraph = await failure([namedFile('m.onnx', buildOnnx({}))]);
    expect(noGraph.code).toBe('BAD_STRUCTURE');
    expect(noGraph.message).toMatch(/without a graph/);
  });

  it('UNSUPPORTED_VERSION for an IR version from the future', async () => {
    const e = await failure([namedFile('m.onnx', model({ initializers: [W] }, { irVersion: 99 }))]);
    expect(e.code).toBe('UNSUPPORTED_VERSION');
    expect(e.message).toContain('IR version 99');
  });

  it('BAD_STRUCTURE for a negative or overflowing dimension', async () => {
    const neg = await failure([namedFile('m.onnx', one({ name: 'w', dims: [-1, 2], storage: 'none' }))]);
    expect(neg.code).toBe('BAD_STRUCTURE');
    expect(neg.message).toMatch(/"w" in "m\.onnx" has an invalid dimension \(-1\)/);
    const huge = await failure([namedFile('m.onnx', one({ name: 'w', dims: [2 ** 30, 2 ** 30, 2 ** 30], storage: 'none' }))]);
    expect(huge.code).toBe('BAD_STRUCTURE');
    expect(huge.message).toMatch(/over 2\^53 elements/);
  });

  it('BAD_STRUCTURE for external data without a location, or with a non-integer offset', async () => {
    const noLocation = await failure([namedFile('m.onnx', one(external({ offset: '0' }))), namedFile('d.data', DATA)]);
    expect(noLocation.code).toBe('BAD_STRUCTURE');
    expect(noLocation.message).toMatch(/names no location/);
    const badOffset = await failure([namedFile('m.onnx', one(external({ location: 'd.data', offset: '-4' }))), namedFile('d.data', DATA)]);
    expect(badOffset.code).toBe('BAD_STRUCTURE');
    expect(badOffset.message).toMatch(/offset "-4"/);
  });

  it('DUPLICATE_TENSOR for two main-graph tensors of one name', async () => {
    const e = await failure([namedFile('m.onnx', model({ initializers: [W], nodes: [{ op: 'Constant', outputs: ['w'], attrs: { value: W } }] }))]);
    expect(e).toMatchObject({ code: 'DUPLICATE_TENSOR', file: 'm.onnx' });
    expect(e.message).toContain('"w" twice');
  });
});

describe('onnx errors: sizes', () => {
  it.each([
    ['raw_data too short', { name: 'w', dims: [2, 2], rawBytes: new Uint8Array(12) }, /raw_data has 12 bytes, not 16/],
    ['float_data too long', { name: 'w', dims: [2, 2], values: [1, 2, 3, 4, 5], storage: 'typed' }, /float_data holds 5 values/],
    ['int32_data FLOAT16 too short', { name: 'w', dims: [3], values: [1, 2], dataType: DT.FLOAT16, storage: 'typed' }, /FLOAT16 with 3 elements, but its int32_data holds 2 values/],
    ['no data at all', { name: 'w', dims: [2, 2], storage: 'none' }, /holds no data/],
  ] as const)('SIZE_MISMATCH for %s', async (_label, spec, message) => {
    const e = await failure([namedFile('m.onnx', one(spec))]);
    expect(e).toMatchObject({ code: 'SIZE_MISMATCH', file: 'm.onnx' });
    expect(e.message).toMatch(message);
  });

  it('SIZE_MISMATCH when external data has the wrong length; OFFSETS_OUT_OF_BOUNDS when it passes the end of its file', async () => {
    const wrong = await failure([namedFile('m.onnx', one(external({ location: 'd.data', length: '12' }))), namedFile('d.data', DATA)]);
    expect(wrong.code).toBe('SIZE_MISMATCH');
    expect(wrong.message).toMatch(/external data in "d\.data" has 12 bytes, not 16/);
    const past = await failure([namedFile('m.onnx', one(external({ location: 'd.data', offset: '24', length: '16' }))), namedFile('d.data', DATA)]);
    expect(past).toMatchObject({ code: 'OFFSETS_OUT_OF_BOUNDS', file: 'd.data' });
    expect(past.message).toMatch(/bytes 24–40 of "d\.data", but that file has only 32 bytes/);
  });

  it('UNSUPPORTED_DTYPE and UNSUPPORTED_FEATURE when reading tensors that are only listed', async () => {
    const opened = await openOnnx([
      namedFile('m.onnx', model({ initializers: [{ name: 'i', dims: [2], values: [1, 2], dataType: DT.INT32 }, { name: 's', dims: [2], values: [1, 2], segment: [0, 2] }] })),
    ]);
    await expect(opened.tensors[0]!.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE', message: expect.stringMatching(/"i" in "m\.onnx" cannot be read: dtype INT32/) });
    await expect(opened.tensors[1]!.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_FEATURE' });
  });
});
