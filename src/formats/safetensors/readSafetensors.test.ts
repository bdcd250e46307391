import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../analysis/random/seededRandom';
import { FormatError } from '../formatError';
import { buildSafetensors, concatBytes, entry, u16le } from '../testing/buildSafetensors';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { toModelInfo } from '../../model/types';
import { readSafetensors } from './readSafetensors';
import { writeSafetensors } from './writeSafetensors';

const rng = seededRandom(42);
const randomF32 = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);
const randomF64 = (n: number) => Float64Array.from({ length: n }, () => rng() * 2 - 1);

describe('readSafetensors: round trips', () => {
  it('reads back F32 and F64 tensors written by writeSafetensors, in data-offset order', async () => {
    const tensors = [
      { name: 'z.weight', dtype: 'F32' as const, shape: [6, 5], data: randomF32(30) },
      { name: 'a.bias', dtype: 'F32' as const, shape: [6], data: randomF32(6) },
      { name: 'm.weight', dtype: 'F64' as const, shape: [3, 4], data: randomF64(12) },
    ];
    const st = await readSafetensors(namedFile('rt.safetensors', writeSafetensors(tensors, { format: 'pt' })));
    expect(st.metadata).toEqual({ format: 'pt' });
    expect(st.tensors.map((t) => t.name)).toEqual(['z.weight', 'a.bias', 'm.weight']);
    for (const [i, t] of st.tensors.entries()) {
      const src = tensors[i]!;
      expect(t).toMatchObject({ dtype: src.dtype, shape: src.shape, size: src.data.length, file: 'rt.safetensors', byteLength: src.data.byteLength });
      expect(t.unsupported).toBeUndefined();
      const values = await t.read();
      expect(values).toBeInstanceOf(src.dtype === 'F64' ? Float64Array : Float32Array);
      expect(values).toEqual(src.data);
    }
  });

  it('reads hand-built F16 and BF16 tensors to their exact values', async () => {
    const f16 = u16le([0x3c00, 0x8000, 0x0001, 0x03ff, 0x7bff, 0x7c00, 0xfc00, 0x7e00]);
    const bf16 = u16le([0x3f80, 0x8000, 0x0001, 0x7f7f, 0x7f80, 0xff80, 0x7fc0, 0x4049]);
    const bytes = buildSafetensors({ header: { h: entry('F16', [2, 4], 0, 16), b: entry('BF16', [8], 16, 32) }, data: concatBytes(f16, bf16) });
    const st = await readSafetensors(namedFile('half.safetensors', bytes));
    const [h, b] = st.tensors;
    expect(h?.kind).toBe('dense');
    const hv = Array.from(await h!.read());
    expect(hv.slice(0, 7)).toEqual([1, -0, 2 ** -24, (1023 / 1024) * 2 ** -14, 65504, Infinity, -Infinity]);
    expect(Object.is(hv[1], -0)).toBe(true);
    expect(hv[7]).toBeNaN();
    const bv = Array.from(await b!.read());
    expect(bv).toEqual([1, -0, 2 ** -133, (2 - 2 ** -7) * 2 ** 127, Infinity, -Infinity, NaN, 3.140625]);
    expect(Object.is(bv[1], -0)).toBe(true);
  });

  it('round-trips F16 and BF16 through writeSafetensors (values representable in both)', async () => {
    const values = Float32Array.from([0, 1, -2, 0.5, 0.375, 1024, -0.0078125, 3]);
    const bytes = writeSafetensors([
      { name: 'h', dtype: 'F16', shape: [8], data: values },
      { name: 'b', dtype: 'BF16', shape: [2, 4], data: values },
    ]);
    const st = await readSafetensors(namedFile('w.safetensors', bytes));
    for (const t of st.tensors) expect(await t.read()).toEqual(values);
  });
});

describe('readSafetensors: kinds, layouts, dtypes', () => {
  const zeros = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });

  it('classifies tensors by rank; conv kernels default to OIHW by convention', async () => {
    const shapes = [[], [3], [3, 2], [2, 3, 2], [4, 3, 3, 3], [1, 1, 1, 1, 2]];
    const bytes = writeSafetensors(shapes.map((s, i) => ({ name: `t${i}`, dtype: 'F32' as const, ...zeros(s) })));
    const st = await readSafetensors(namedFile('k.safetensors', bytes));
    expect(st.tensors.map((t) => t.kind)).toEqual(['scalar', 'vector', 'dense', 'stack', 'conv2d', 'other']);
    expect(st.tensors[0]?.size).toBe(1);
    const conv = st.tensors[4]!;
    expect(conv.layout).toBe('OIHW');
    expect(conv.layoutSource).toBe('convention');
    expect(st.tensors[2]?.layout).toBeUndefined();
  });

  it.each([
    ['HWIO', 'HWIO', 'file'],
    ['hwio', 'HWIO', 'file'],
    ['OIHW', 'OIHW', 'file'],
    ['NCHW', 'OIHW', 'convention'],
  ])('conv_layout %s → %s from %s', async (stated, layout, source) => {
    const bytes = writeSafetensors([{ name: 'c', dtype: 'F32', ...zeros([3, 3, 2, 4]) }], { conv_layout: stated });
    const [c] = (await readSafetensors(namedFile('c.safetensors', bytes))).tensors;
    expect(c).toMatchObject({ layout, layoutSource: source });
  });

  it('lists integer, FP8 and unknown dtypes as unsupported; the float tensors still read', async () => {
    const header = {
      w: entry('F32', [2, 2], 0, 16),
      q: entry('I8', [4, 4], 16, 32),
      f8: entry('F8_E4M3', [4], 32, 36),
      e8: entry('F8_E8M0', [4], 36, 40),
      n: entry('BOOL', [4], 40, 44),
    };
    const bytes = buildSafetensors({ header, data: concatBytes(new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer), new Uint8Array(28)) });
    const st = await readSafetensors(namedFile('mixed.safetensors', bytes));
    expect(st.tensors.map((t) => [t.name, t.dtype])).toEqual([['w', 'F32'], ['q', 'I8'], ['f8', 'F8_E4M3'], ['e8', 'UNKNOWN'], ['n', 'BOOL']]);
    expect(st.tensors[1]?.unsupported).toBe('dtype I8 is not supported for analysis (supported: F32, F16, BF16, F64)');
    expect(st.tensors[3]?.unsupported).toBe('dtype F8_E8M0 is not supported for analysis (supported: F32, F16, BF16, F64)');
    expect(st.tensors[3]?.byteLength).toBe(4);
    expect(Array.from(await st.tensors[0]!.read())).toEqual([1, 2, 3, 4]);
    const error = await st.tensors[1]!.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_DTYPE', file: 'mixed.safetensors', message: expect.stringContaining('"q"') });
  });

  it('opens an empty header as a file with no tensors', async () => {
    const st = await readSafetensors(namedFile('empty.safetensors', buildSafetensors({ header: '{}' })));
    expect(st.tensors).toEqual([]);
  });
});

describe('readSafetensors: laziness', () => {
  it('opening reads only the 8 + N header bytes; a tensor read reads exactly its own range', async () => {
    const bytes = writeSafetensors([
      { name: 'a', dtype: 'F32', shape: [16, 16], data: randomF32(256) },
      { name: 'b', dtype: 'F64', shape: [8, 4], data: randomF64(32) },
      { name: 'c', dtype: 'F32', shape: [0], data: new Float32Array(0) },
    ]);
    const file = countingFile('lazy.safetensors', bytes);
    const st = await readSafetensors(file);
    const n = st.headerLength;
    expect(file.ranges).toEqual([[0, 8], [8, 8 + n]]);
    expect(file.bytesRead()).toBe(8 + n);
    file.ranges.length = 0;
    const b = st.tensors.find((t) => t.name === 'b')!;
    await b.read();
    expect(file.ranges).toEqual([[8 + n + 1024, 8 + n + 1024 + 256]]);
    file.ranges.length = 0;
    expect((await st.tensors.find((t) => t.name === 'c')!.read()).length).toBe(0);
    expect(file.ranges).toEqual([]);
  });

  it('a 7 GB file opens by reading its header only, and a tensor at its end reads just its bytes', async () => {
    const big = 1_750_000_000; // F32 elements: 7,000,000,000 bytes
    const header = JSON.stringify({ huge: entry('F32', [50_000, 35_000], 0, big * 4), tail: entry('F32', [4], big * 4, big * 4 + 16) });
    const prefix = buildSafetensors({ header });
    const size = prefix.length + big * 4 + 16;
    const file = countingFile('seven-gb.safetensors', prefix, { size });
    const st = await readSafetensors(file);
    expect(file.bytesRead()).toBe(prefix.length);
    expect(st.tensors[0]).toMatchObject({ name: 'huge', byteLength: 7e9, size: big, kind: 'dense' });
    file.ranges.length = 0;
    expect(Array.from(await st.tensors[1]!.read())).toEqual([0, 0, 0, 0]);
    expect(file.ranges).toEqual([[size - 16, size]]);
  });
});

describe('readSafetensors: stored bytes', () => {
  it('storedBytes() is the tensor’s own range of the file with its stored dtype name, handed out unread', async () => {
    const bytes = writeSafetensors([
      { name: 'w', dtype: 'BF16', shape: [2, 3], data: randomF32(6) },
      { name: 'scale', dtype: 'F8_E8M0', shape: [4], bytes: new Uint8Array([127, 128, 126, 130]) },
    ]);
    const file = countingFile('raw.safetensors', bytes);
    const st = await readSafetensors(file);
    const dataStart = 8 + st.headerLength;
    file.ranges.length = 0;
    const [w, scale] = st.tensors.map((t) => t.storedBytes?.());
    expect([w?.dtype, w?.bytes.size, scale?.dtype, scale?.bytes.size]).toEqual(['BF16', 12, 'F8_E8M0', 4]);
    expect(file.ranges).toEqual([]);
    expect(new Uint8Array(await (scale?.bytes.arrayBuffer() ?? new ArrayBuffer(0)))).toEqual(new Uint8Array([127, 128, 126, 130]));
    expect(file.ranges).toEqual([[dataStart + 12, dataStart + 16]]);
  });

  it('toModelInfo leaves storedBytes out, so the model info can be posted to another thread', async () => {
    const st = await readSafetensors(namedFile('m.safetensors', writeSafetensors([{ name: 'w', dtype: 'F32', shape: [2, 2], data: randomF32(4) }])));
    const info = toModelInfo({ format: 'safetensors', name: 'm.safetensors', files: [], metadata: {}, tensors: st.tensors });
    expect(info.tensors[0]).not.toHaveProperty('storedBytes');
    expect(() => structuredClone(info)).not.toThrow();
  });
});
