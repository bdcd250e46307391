import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { openModel } from '../registry';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { f32Bytes, f64Bytes, writeNpy, writeNpz } from '../testing/writeNpy';
import { writeZip } from '../testing/writeZip';
import { numpyReader } from './numpyReader';
import { openNumpy } from './openNumpy';

const seq = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const f4 = (shape: number[]) => writeNpy({ descr: '<f4', shape, data: f32Bytes(seq(shape.reduce((a, b) => a * b, 1))) });

async function failure(files: readonly NamedBlob[]): Promise<FormatError> {
  const error = await openNumpy(files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

/** Big-endian bytes of float values (width 4 or 8). */
function bigEndian(values: number[], width: 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => (width === 4 ? view.setFloat32(i * width, v, false) : view.setFloat64(i * width, v, false)));
  return out;
}

describe('openNumpy: .npy', () => {
  it('reads a 2-D float32 array named after the file, with data 64-byte aligned', async () => {
    const bytes = f4([3, 4]);
    const model = await openNumpy([namedFile('w1.npy', bytes)]);
    expect(model).toMatchObject({ format: 'numpy', name: 'w1.npy', files: [{ name: 'w1.npy', size: bytes.length }] });
    expect(model.tensors[0]).toMatchObject({ name: 'w1', dtype: 'F32', shape: [3, 4], size: 12, kind: 'dense', byteLength: 48 });
    expect(bytes.length - 48).toBe(128);
    expect(Array.from(await model.tensors[0]!.read())).toEqual(seq(12));
  });

  it.each([1, 2, 3] as const)('reads format version %i.0', async (version) => {
    const model = await openNumpy([namedFile('v.npy', writeNpy({ descr: '<f8', shape: [2], data: f64Bytes([0.5, -2]), version }))]);
    const values = await model.tensors[0]!.read();
    expect(values).toBeInstanceOf(Float64Array);
    expect(Array.from(values)).toEqual([0.5, -2]);
  });

  it('decodes float16 and big-endian float32 / float64, saying so', async () => {
    const half = await openNumpy([namedFile('h.npy', writeNpy({ descr: '<f2', shape: [2], data: Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]) }))]);
    expect(Array.from(await half.tensors[0]!.read())).toEqual([1, -2]);
    for (const width of [4, 8] as const) {
      const model = await openNumpy([namedFile('b.npy', writeNpy({ descr: `>f${width}`, shape: [2, 2], data: bigEndian([1.5, -2, 3, 4e10], width) }))]);
      expect(model.tensors[0]!.encoding).toContain('big-endian');
      expect(Array.from(await model.tensors[0]!.read())).toEqual([1.5, -2, 3, 4e10]);
    }
  });

  it('reads Fortran-order arrays in C order, keeping the logical shape', async () => {
    // C order of shape (2, 3) is 1..6; column-major storage lists the columns: 1 4 2 5 3 6.
    const two = await openNumpy([namedFile('f.npy', writeNpy({ descr: '<f4', shape: [2, 3], data: f32Bytes([1, 4, 2, 5, 3, 6]), fortranOrder: true }))]);
    expect(two.tensors[0]).toMatchObject({ shape: [2, 3], encoding: expect.stringContaining('Fortran') });
    expect(Array.from(await two.tensors[0]!.read())).toEqual([1, 2, 3, 4, 5, 6]);
    // Shape (2, 2, 2): element (i, j, k) = 100i + 10j + k at Fortran index i + 2j + 4k.
    const fortran = new Array<number>(8);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) fortran[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
    const three = await openNumpy([namedFile('g.npy', writeNpy({ descr: '<f4', shape: [2, 2, 2], data: f32Bytes(fortran), fortranOrder: true }))]);
    expect(Array.from(await three.tensors[0]!.read())).toEqual([0, 1, 10, 11, 100, 101, 110, 111]);
  });

  it('lists integer, complex, structured and object arrays as unsupported; scalars and 4-D kernels as such', async () => {
    const files = [
      namedFile('ints.npy', writeNpy({ descr: '<i8', shape: [2], data: new Uint8Array(16) })),
      namedFile('cplx.npy', writeNpy({ descr: '<c8', shape: [1], data: new Uint8Array(8) })),
      namedFile('rec.npy', writeNpy({ descr: '', shape: [1], data: new Uint8Array(5), headerText: "{'descr': [('a', '<f4'), ('b', '|u1')], 'fortran_order': False, 'shape': (1,), }" })),
      namedFile('obj.npy', writeNpy({ descr: '|O', shape: [1], data: new Uint8Array(7) })),
      namedFile('s.npy', writeNpy({ descr: '<f4', shape: [], data: f32Bytes([7]) })),
      namedFile('k.npy', f4([2, 1, 3, 3])),
    ];
    const model = await openNumpy(files);
    expect(model.name).toBe('ints.npy and 5 more');
    expect(model.tensors.map((t) => [t.name, t.dtype, t.unsupported !== undefined])).toEqual([
      ['ints', 'I64', true],
      ['cplx', 'UNKNOWN', true],
      ['rec', 'UNKNOWN', true],
      ['obj', 'UNKNOWN', true],
      ['s', 'F32', false],
      ['k', 'F32', false],
    ]);
    expect(model.tensors[0]!.unsupported).toContain('<i8');
    await expect(model.tensors[0]!.read()).rejects.toMatchObject({ code: 'UNSUPPORTED_DTYPE' });
    expect(model.tensors[4]).toMatchObject({ kind: 'scalar', shape: [], size: 1 });
    expect(Array.from(await model.tensors[4]!.read())).toEqual([7]);
    expect(model.tensors[5]).toMatchObject({ kind: 'conv2d', layout: 'OIHW', layoutSource: 'convention' });
  });

  it('reads only the header when opening and only the data when reading', async () => {
    const bytes = f4([64, 64]);
    const file = countingFile('big.npy', bytes);
    const model = await openNumpy([file]);
    expect(file.ranges).toEqual([
      [0, 12],
      [0, 128],
    ]);
    file.ranges.length = 0;
    await model.tensors[0]!.read();
    expect(file.ranges).toEqual([[128, 128 + 64 * 64 * 4]]);
  });
});

describe('openNumpy: .npz', () => {
  const arrays = {
    'layer1/weight': { descr: '<f4', shape: [4, 3], data: f32Bytes(seq(12)) },
    bias: { descr: '<f8', shape: [4], data: f64Bytes([1, 2, 3, 4]) },
  };

  it.each([
    ['np.savez (stored)', false],
    ['np.savez_compressed (deflated)', true],
  ])('opens %s with one tensor per entry', async (_label, compressed) => {
    const model = await openNumpy([namedFile('a.npz', writeNpz(arrays, { compressed }))]);
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['layer1/weight', 'F32', [4, 3]],
      ['bias', 'F64', [4]],
    ]);
    expect(Array.from(await model.tensors[0]!.read())).toEqual(seq(12));
    expect(Array.from(await model.tensors[1]!.read())).toEqual([1, 2, 3, 4]);
  });

  it('reads a stored entry as one byte range', async () => {
    const bytes = writeNpz({ big: { descr: '<f4', shape: [100, 100], data: f32Bytes(seq(10_000)) }, small: arrays.bias });
    const file = countingFile('s.npz', bytes);
    const model = await openNumpy([file]);
    file.ranges.length = 0;
    await model.tensors[1]!.read();
    expect(file.bytesRead()).toBe(32);
    expect(file.ranges).toHaveLength(1);
  });

  it('goes through the registry by magic bytes, whatever the name', async () => {
    const model = await openModel([namedFile('arrays.bin', writeNpz(arrays))], [numpyReader]);
    expect(model.format).toBe('numpy');
    const npy = await openModel([namedFile('data', f4([2, 2]))], [numpyReader]);
    expect(npy.tensors[0]!.name).toBe('data');
  });
});

describe('openNumpy errors', () => {
  const npy = f4([3, 4]);

  it.each([
    ['the data is cut short', 'TRUNCATED', namedFile('t.npy', npy.subarray(0, 150)), /48 bytes of data, but only 22 follow/],
    ['the header is cut short', 'TRUNCATED', namedFile('t.npy', npy.subarray(0, 40)), /ends inside its 128-byte/],
    ['the file is tiny', 'TRUNCATED', namedFile('t.npy', npy.subarray(0, 7)), /too short/],
    ['there is no magic', 'BAD_STRUCTURE', namedFile('m.npy', new Uint8Array(200).fill(32)), /does not start with/],
    ['the version is 4.0', 'UNSUPPORTED_VERSION', namedFile('v.npy', Uint8Array.from([...npy.subarray(0, 6), 4, 0, ...npy.subarray(8)])), /version 4\.0/],
    ['the header length is absurd', 'HEADER_TOO_LARGE', namedFile('h.npy', Uint8Array.from([...npy.subarray(0, 6), 2, 0, 0, 0, 0, 0x40, ...npy.subarray(12)])), /1073741824-byte/],
    ['the header is no dict', 'BAD_STRUCTURE', namedFile('d.npy', writeNpy({ descr: '', shape: [], data: new Uint8Array(0), headerText: "__import__('os')" })), /not a Python literal/],
    ['a key is missing', 'BAD_STRUCTURE', namedFile('k.npy', writeNpy({ descr: '', shape: [], data: new Uint8Array(0), headerText: "{'descr': '<f4', 'shape': ()}" })), /keys descr, shape/],
    ['a dimension is negative', 'BAD_STRUCTURE', namedFile('n.npy', writeNpy({ descr: '<f4', shape: [-1, 2], data: new Uint8Array(0) })), /non-negative/],
    ['fortran_order is no bool', 'BAD_STRUCTURE', namedFile('o.npy', writeNpy({ descr: '', shape: [], data: new Uint8Array(0), headerText: "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}" })), /fortran_order/],
    ['the element count overflows', 'TOO_LARGE', namedFile('x.npy', writeNpy({ descr: '<f4', shape: [2 ** 40, 2 ** 40], data: new Uint8Array(0) })), /more elements than can be counted/],
    ['the shape is huge', 'TRUNCATED', namedFile('y.npy', writeNpy({ descr: '<f4', shape: [1e6, 1e6], data: new Uint8Array(0) })), /4000000000000 bytes/],
  ])('%s: %s', async (_label, code, file, message) => {
    const e = await failure([file]);
    expect(e).toMatchObject({ code, file: file.name });
    expect(e.message).toMatch(message);
    expect(e.context).toMatch(/^\d+ bytes; first/);
  });

  it('BAD_STRUCTURE for a zip without .npy entries; DUPLICATE_TENSOR for the same name twice', async () => {
    const e = await failure([namedFile('z.npz', writeZip([{ name: 'readme.txt', data: new Uint8Array(3) }]))]);
    expect(e.code).toBe('BAD_STRUCTURE');
    expect(e.message).toContain('"readme.txt"');
    const dup = await failure([namedFile('w.npy', npy), namedFile('b.npz', writeNpz({ w: { descr: '<f4', shape: [1], data: f32Bytes([1]) } }))]);
    expect(dup.code).toBe('DUPLICATE_TENSOR');
    expect(dup.message).toContain('"w.npy"');
  });

  it('ZIP_BOMB for a compressed entry declaring far more than it holds; TRUNCATED inside an entry', async () => {
    const bomb = writeZip([{ name: 'a.npy', data: f4([4, 4]), method: 8, declaredSize: 3_000_000_000 }], { zip64: true });
    expect((await failure([namedFile('bomb.npz', bomb)])).code).toBe('ZIP_BOMB');
    const cut = writeZip([{ name: 'a.npy', data: f4([4, 4]).subarray(0, 150) }]);
    const e = await failure([namedFile('cut.npz', cut)]);
    expect(e.code).toBe('TRUNCATED');
    expect(e.message).toContain('Entry "a.npy" of "cut.npz"');
  });
});
