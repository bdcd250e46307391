import { describe, expect, it } from 'vitest';
import { toModelInfo } from '../../model/types';
import { FormatError } from '../formatError';
import { countingFile, failingFile, namedFile } from '../testing/memoryBlob';
import { openGguf } from './openGguf';
import type { GgufTensorToWrite, GgufToWrite } from './testing/writeGguf';
import { bf16Bytes, f16Bytes, f32Bytes, gv, i32Bytes, patternBytes, q8_0Block, writeGguf } from './testing/writeGguf';

const open = (spec: GgufToWrite | Uint8Array, name = 'm.gguf') => openGguf([namedFile(name, spec instanceof Uint8Array ? spec : writeGguf(spec))]);

async function failure(opening: Promise<unknown>): Promise<FormatError> {
  const error = await opening.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

const seq = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => (i - n / 2) * scale);
/** Q8_0 blocks by hand: scale 0x3400 = 0.25 and 0xb800 = −0.5; quants −16…15 and 0, 4, 8, … */
const Q8_BYTES = new Uint8Array([...q8_0Block(0x3400, seq(32)), ...q8_0Block(0xb800, Array.from({ length: 32 }, (_, i) => (i * 4) % 128))]);

const TENSORS: GgufTensorToWrite[] = [
  { name: 'f32', ne: [3, 2], type: 'F32', data: f32Bytes([1, 2, 3, 4, 5, 6.5]) },
  { name: 'f16', ne: [4], type: 'F16', data: f16Bytes([0.5, -2, 65504, 2 ** -24]) },
  { name: 'bf16', ne: [2, 1, 2], type: 'BF16', data: bf16Bytes([1, -1.5, 3.390625, -(2 ** 100)]) },
  { name: 'f64', ne: [2, 2], type: 'F64', data: new Uint8Array(Float64Array.from([Math.PI, -Math.E, 1e300, 5e-324]).buffer) },
  { name: 'q8', ne: [32, 2], type: 'Q8_0', data: Q8_BYTES },
  { name: 'q4', ne: [64, 2], type: 'Q4_0', data: patternBytes(4 * 18) },
  { name: 'ids', ne: [3], type: 'I32', data: i32Bytes([7, -8, 9]) },
  { name: 'conv', ne: [3, 3, 2, 4], type: 'F32', data: f32Bytes(seq(72)) },
];
const BASE: GgufToWrite = { metadata: [['general.architecture', gv.str('llama')], ['general.name', gv.str('tiny')]], tensors: TENSORS };

describe('openGguf: tensors', () => {
  it('lists every tensor with a row-major shape (ne reversed), kind, dtype and stored byte length', async () => {
    const model = await open(BASE);
    expect(model).toMatchObject({ format: 'gguf', name: 'm.gguf', metadata: { 'general.architecture': 'llama', 'general.name': 'tiny', 'gguf.version': '3' } });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.size, t.kind, t.byteLength])).toEqual([
      ['f32', 'F32', [2, 3], 6, 'dense', 24],
      ['f16', 'F16', [4], 4, 'vector', 8],
      ['bf16', 'BF16', [2, 1, 2], 4, 'stack', 8],
      ['f64', 'F64', [2, 2], 4, 'dense', 32],
      ['q8', 'F32', [2, 32], 64, 'dense', 68],
      ['q4', 'UNKNOWN', [2, 64], 128, 'dense', 72],
      ['ids', 'I32', [3], 3, 'vector', 12],
      ['conv', 'F32', [4, 2, 3, 3], 72, 'conv2d', 288],
    ]);
    expect(model.tensors[7]).toMatchObject({ layout: 'OIHW', layoutSource: 'convention' });
    expect(model.tensors[4]).toMatchObject({ encoding: 'Q8_0 dequantized: d·q per 32-block (f16 scale d, int8 q)' });
    expect(model.tensors[5]?.unsupported).toBe('GGUF Q4_0 quantization is not yet supported');
    expect(model.tensors[6]?.unsupported).toBe('dtype I32 is not supported for analysis (supported: F32, F16, BF16, F64)');
    expect(structuredClone(toModelInfo(model)).tensors).toHaveLength(8);
  });

  it('reads F32, F16, BF16 and F64 values exactly, in row-major order of the reported shape', async () => {
    const model = await open(BASE);
    const values = await Promise.all(model.tensors.slice(0, 4).map(async (t) => Array.from(await t.read())));
    expect(values).toEqual([
      [1, 2, 3, 4, 5, 6.5],
      [0.5, -2, 65504, 2 ** -24],
      [1, -1.5, 3.390625, -(2 ** 100)],
      [Math.PI, -Math.E, 1e300, 5e-324],
    ]);
    expect(await model.tensors[3]?.read()).toBeInstanceOf(Float64Array);
    // Row 1 of the [2, 3] matrix is ne[0]'s second run: the values 4, 5, 6.5.
    expect(Array.from(await model.tensors[0]!.read()).slice(3)).toEqual([4, 5, 6.5]);
  });

  it('dequantizes Q8_0 as d·q, checked against values computed by hand', async () => {
    const model = await open(BASE);
    const values = Array.from(await model.tensors[4]!.read());
    // Block 0: d = 0.25, q = −16…15. Block 1: d = −0.5, q = 0, 4, 8, …, 124, 0, 4, … (i·4 mod 128).
    expect(values.slice(0, 32)).toEqual(Array.from({ length: 32 }, (_, i) => (i - 16) * 0.25));
    expect(values.slice(32)).toEqual(Array.from({ length: 32 }, (_, i) => ((i * 4) % 128) * -0.5));
    expect(Object.is(values[32], -0)).toBe(true);;
    expect(values[32 + 31]).toBe(-62);
  });

  it('lists integer and not-yet-supported types, whose read() refuses with UNSUPPORTED_DTYPE', async () => {
    const model = await open(BASE);
    for (const i of [5, 6]) {
      const e = await failure(model.tensors[i]!.read());
      expect(e).toMatchObject({ code: 'UNSUPPORTED_DTYPE', message: expect.stringContaining(`"${model.tensors[i]!.name}"`), remedy: expect.stringContaining('Q8_0') });
    }
  });

  it('lists a type id this app does not know, with its bytes up to the next tensor', async () => {
    const model = await open({ tensors: [{ name: 'future', ne: [8], type: 42, data: patternBytes(40) }, TENSORS[0]!] });
    expect(model.tensors[0]).toMatchObject({ dtype: 'UNKNOWN', shape: [8], unsupported: 'GGUF tensor type 42 is not known to this app', byteLength: 64 });
    expect((await failure(model.tensors[0]!.read())).code).toBe('UNSUPPORTED_DTYPE');
    expect(Array.from(await model.tensors[1]!.read())).toEqual([1, 2, 3, 4, 5, 6.5]);
  });

  it('reads only the header at open, then only the tensor asked for', async () => {
    const bytes = writeGguf(BASE);
    const file = countingFile('m.gguf', bytes);
    const model = await openGguf([file]);
    expect(file.ranges).toEqual([[0, bytes.length]]);
    file.ranges.length = 0;
    await model.tensors[4]!.read();
    expect(file.ranges).toHaveLength(1);
    expect(file.ranges[0]![1] - file.ranges[0]![0]).toBe(68);
    expect(file.ranges[0]![0] % 32).toBe(0);
  });

  it('opens a 1.6 GB model without reading its tensor data', async () => {
    const header = writeGguf({ metadata: [['general.architecture', gv.str('llama')]], tensors: [{ name: 'token_embd.weight', ne: [4096, 128256], type: 'F16', data: new Uint8Array(0) }, { name: 'output.weight', ne: [4096, 128256], type: 'Q8_0', data: new Uint8Array(0), offset: 4096 * 128256 * 2 }] });
    const size = header.length + 4096 * 128256 * 2 + (4096 * 128256 * 34) / 32;
    const file = countingFile('big.gguf', header, { size });
    const model = await openGguf([file]);
    expect(model.tensors.map((t) => t.shape)).toEqual([[128256, 4096], [128256, 4096]]);
    expect(file.bytesRead()).toBe(64 * 1024);
  });

  it('opens a version 2 file and a file without tensors', async () => {
    expect((await open({ ...BASE, version: 2 })).metadata['gguf.version']).toBe('2');
    const vocabOnly = await open({ metadata: [['tokenizer.ggml.model', gv.str('gpt2')]] });
    expect(vocabOnly.tensors).toEqual([]);
  });

  it('honours a custom general.alignment for the data section and the tensor offsets', async () => {
    for (const alignment of [1, 16, 256]) {
      const model = await open({ ...BASE, metadata: [['general.alignment', gv.u32(alignment)]] });
      expect(Array.from(await model.tensors[4]!.read()).slice(0, 2)).toEqual([-4, -3.75]);
      expect(Array.from(await model.tensors[7]!.read())).toEqual(seq(72));
    }
  });
});

describe('openGguf: damaged files', () => {
  const one = (over: Partial<GgufTensorToWrite>, spec: Partial<GgufToWrite> = {}) => ({ ...spec, tensors: [{ ...TENSORS[0]!, ...over }] });

  it('refuses misaligned offsets and ne[0] that is not a whole number of blocks with BAD_HEADER_ENTRY', async () => {
    expect(await failure(open(one({ offset: 4 })))).toMatchObject({ code: 'BAD_HEADER_ENTRY', message: expect.stringContaining('not a multiple of the alignment 32') });
    expect(await failure(open(one({ type: 'Q8_0', ne: [16, 2], data: new Uint8Array(68) })))).toMatchObject({
      code: 'BAD_HEADER_ENTRY',
      message: expect.stringContaining('ne[0] = 16, which is not a multiple of its block size 32'),
    });
  });

  it('refuses tensors beyond the end of the file with OFFSETS_OUT_OF_BOUNDS', async () => {
    expect(await failure(open(one({ offset: 1 << 20 })))).toMatchObject({ code: 'OFFSETS_OUT_OF_BOUNDS', message: expect.stringContaining('starts at byte') });
    const whole = writeGguf(BASE);
    expect(await failure(open(whole.slice(0, whole.length - 40)))).toMatchObject({ code: 'OFFSETS_OUT_OF_BOUNDS', message: expect.stringContaining('"conv"') });
    expect(await failure(open(one({ ne: [1 << 26, 1 << 26] })))).toMatchObject({ code: 'OFFSETS_OUT_OF_BOUNDS' });
    expect(await failure(open(one({ ne: [2 ** 30, 2 ** 30, 2 ** 30] })))).toMatchObject({ code: 'TOO_LARGE' });
  });

  it('refuses two tensors sharing bytes with OFFSETS_OVERLAP', async () => {
    const e = await failure(open({ tensors: [TENSORS[0]!, { ...TENSORS[1]!, offset: 0 }] }));
    expect(e).toMatchObject({ code: 'OFFSETS_OVERLAP', message: expect.stringContaining('"f32"') });
    // Empty tensors share offsets harmlessly.
    const empty = await open({ tensors: [{ name: 'a', ne: [0], type: 'F32', data: new Uint8Array(0) }, { name: 'b', ne: [0, 3], type: 'F16', data: new Uint8Array(0) }, TENSORS[0]!] });
    expect(empty.tensors.map((t) => t.byteLength)).toEqual([0, 0, 24]);
  });

  it('names the file and shows its first and last bytes', async () => {
    const e = await failure(open(new Uint8Array([0x47, 0x47, 0x55]), 'short.gguf'));
    expect(e).toMatchObject({ code: 'TRUNCATED', file: 'short.gguf', context: '3 bytes; first 3: 47 47 55 |GGU|; last 3: 47 47 55 |GGU|' });
  });

  it('reports a file that cannot be read as READ_FAILED', async () => {
    expect((await failure(openGguf([failingFile('gone.gguf', 1000)]))).code).toBe('READ_FAILED');
  });
});

describe('openGguf: several files', () => {
  const split = (no: number, count: number, tensors: GgufTensorToWrite[], extra: GgufToWrite['metadata'] = []) =>
    writeGguf({ metadata: [['split.no', gv.u16(no)], ['split.count', gv.u16(count)], ['split.tensors.count', gv.i32(3)], ...extra], tensors });
  const parts = [
    namedFile('qwen-00002-of-00002.gguf', split(1, 2, [TENSORS[1]!, TENSORS[2]!])),
    namedFile('qwen-00001-of-00002.gguf', split(0, 2, [TENSORS[0]!], [['general.name', gv.str('Qwen')]])),
  ];

  it('opens the splits of a gguf-split model as one model, in split order, with the first split\'s metadata', async () => {
    const model = await openGguf(parts);
    expect(model.name).toBe('qwen');
    expect(model.files.map((f) => f.name)).toEqual(['qwen-00001-of-00002.gguf', 'qwen-00002-of-00002.gguf']);
    expect(model.tensors.map((t) => [t.name, t.file])).toEqual([
      ['f32', 'qwen-00001-of-00002.gguf'],
      ['f16', 'qwen-00002-of-00002.gguf'],
      ['bf16', 'qwen-00002-of-00002.gguf'],
    ]);
    expect(model.metadata['general.name']).toBe('Qwen');
    expect(Array.from(await model.tensors[2]!.read())[0]).toBe(1);
  });

  it('names missing splits, including when a single split is dropped', async () => {
    const e = await failure(openGguf([parts[0]!]));
    expect(e).toMatchObject({ code: 'MISSING_SHARD', file: 'qwen-00001-of-00002.gguf', message: expect.stringContaining('"qwen-00001-of-00002.gguf"') });
  });

  it('refuses unrelated models, a split given twice, and a tensor in two splits', async () => {
    expect((await failure(openGguf([namedFile('a.gguf', writeGguf(BASE)), namedFile('b.gguf', writeGguf(BASE))]))).code).toBe('MULTIPLE_MODELS');
    expect((await failure(openGguf([parts[1]!, namedFile('copy.gguf', split(0, 2, []))]))).code).toBe('MULTIPLE_MODELS');
    const twice = [namedFile('x-00001-of-00002.gguf', split(0, 2, [TENSORS[0]!])), namedFile('x-00002-of-00002.gguf', split(1, 2, [TENSORS[0]!]))];
    expect(await failure(openGguf(twice))).toMatchObject({ code: 'DUPLICATE_TENSOR', message: expect.stringContaining('"f32" is stored twice') });
    expect((await failure(openGguf([]))).code).toBe('NO_FILES');
  });
});
