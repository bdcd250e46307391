import { describe, expect, it } from 'vitest';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { ggufValueText } from './ggufValue';
import { parseGgufHeader } from './parseGgufHeader';
import type { GgufToWrite } from './testing/writeGguf';
import { f32Bytes, gv, writeGguf } from './testing/writeGguf';

const parse = (spec: GgufToWrite | Uint8Array, name = 'm.gguf') => parseGgufHeader(namedFile(name, spec instanceof Uint8Array ? spec : writeGguf(spec)));

/** A vocabulary as llama.cpp writes it: tokens, scores and token types. */
function vocabulary(n: number) {
  const tokens = Array.from({ length: n }, (_, i) => `token-${i}`);
  return [
    ['tokenizer.ggml.tokens', gv.array('string', tokens.map(gv.str))],
    ['tokenizer.ggml.scores', gv.array('float32', tokens.map((_, i) => gv.f32(-i / 7)))],
    ['tokenizer.ggml.token_type', gv.array('int32', tokens.map(() => gv.i32(1)))],
  ] as const;
}

describe('parseGgufHeader: metadata', () => {
  it('reads every value type', async () => {
    const header = await parse({
      metadata: [
        ['u8', gv.u8(255)],
        ['i8', gv.i8(-128)],
        ['u16', gv.u16(65535)],
        ['i16', gv.i16(-32768)],
        ['u32', gv.u32(4294967295)],
        ['i32', gv.i32(-2147483648)],
        ['f32', gv.f32(1e-5)],
        ['bool', gv.bool(true)],
        ['false', gv.bool(false)],
        ['string', gv.str('héllo 🌍')],
        ['u64', gv.u64(2n ** 64n - 1n)],
        ['i64', gv.i64(-(2n ** 63n))],
        ['f64', gv.f64(Math.PI)],
        ['empty', gv.str('')],
        ['short', gv.array('int32', [gv.i32(24), gv.i32(20), gv.i32(20), gv.i32(0)])],
        ['langs', gv.array('string', [gv.str('en'), gv.str('fr')])],
        ['nested', gv.array('array', [gv.array('uint8', [gv.u8(1)]), gv.array('uint8', [])])],
        ['no items', gv.array('float64', [])],
      ],
    });
    const text = Object.fromEntries([...header.metadata].map(([k, v]) => [k, ggufValueText(v)]));
    expect(text).toEqual({
      u8: '255',
      i8: '-128',
      u16: '65535',
      i16: '-32768',
      u32: '4294967295',
      i32: '-2147483648',
      f32: '0.00001',
      bool: 'true',
      false: 'false',
      string: 'héllo 🌍',
      u64: '18446744073709551615',
      i64: '-9223372036854775808',
      f64: String(Math.PI),
      empty: '',
      short: '[24, 20, 20, 0]',
      langs: '["en", "fr"]',
      nested: '[[1], []]',
      'no items': '[]',
    });
    expect(header.metadata.get('u64')).toEqual({ kind: 'number', type: 10, value: 2n ** 64n - 1n });
    expect(header).toMatchObject({ version: 3, alignment: 32, tensors: [] });
  });

  it('summarises long arrays by type and length', async () => {
    const header = await parse({ metadata: vocabulary(1000) });
    expect([...header.metadata].map(([k, v]) => [k, ggufValueText(v)])).toEqual([
      ['tokenizer.ggml.tokens', '[array of 1000 string]'],
      ['tokenizer.ggml.scores', '[array of 1000 float32]'],
      ['tokenizer.ggml.token_type', '[array of 1000 int32]'],
    ]);
  });

  it('reads a several-MB tokenizer header of a 7 GB model in a few growing chunks, never the tensor data', async () => {
    const vocab = 151_936;
    // One F16 tensor of 3.5 G elements: the file is ~7 GB, virtual beyond the header (countingFile reads zeros there).
    const bytes = writeGguf({
      metadata: [['general.architecture', gv.str('qwen2')], ...vocabulary(vocab)],
      tensors: [{ name: 'w', ne: [65536, 53248], type: 'F16', data: new Uint8Array(0) }],
    });
    const size = bytes.length + 65536 * 53248 * 2;
    const file = countingFile('qwen.gguf', bytes, { size });
    const header = await parseGgufHeader(file);
    expect(header.tensors).toEqual([{ name: 'w', ne: [65536, 53248], typeId: 1, offset: 0 }]);
    expect(header.dataStart).toBe(bytes.length);
    // The header is ~4 MB: 64 KiB, 128 KiB, … doubling, a handful of reads of at most 8 MiB each.
    expect(header.dataStart).toBeGreaterThan(4_000_000);
    expect(file.ranges.length).toBeLessThanOrEqual(8);
    expect(Math.max(...file.ranges.map(([s, e]) => e - s))).toBeLessThanOrEqual(8 * 1024 * 1024);
    expect(file.bytesRead()).toBeLessThan(header.dataStart + 8 * 1024 * 1024);
  });

  it('steps over fixed-size arrays without reading them once chunks are smaller than the arrays', async () => {
    const bytes = writeGguf({ metadata: vocabulary(100_000) });
    const file = countingFile('skip.gguf', bytes);
    await parseGgufHeader(file, { firstChunkBytes: 4096, maxChunkBytes: 65536 });
    // 100,000 float32 scores and int32 types are 800 KB; at most one chunk of each is read.
    expect(file.bytesRead()).toBeLessThan(bytes.length - 800_000 + 2 * 65536);
  });

  it('keeps at most one chunk plus one field in memory when chunks are small', async () => {
    const bytes = writeGguf({ metadata: [...vocabulary(2000), ['tail', gv.str('x'.repeat(3000))]] });
    const file = countingFile('small-chunks.gguf', bytes);
    const header = await parseGgufHeader(file, { firstChunkBytes: 256, maxChunkBytes: 1024 });
    expect(ggufValueText(header.metadata.get('tail')!)).toMatch(/^x{1024}… \(3000 bytes\)$/);
    expect(Math.max(...file.ranges.map(([s, e]) => e - s))).toBeLessThanOrEqual(1024);
    // Ranges never overlap: nothing is read twice.
    for (let i = 1; i < file.ranges.length; i++) expect(file.ranges[i]![0]).toBeGreaterThanOrEqual(file.ranges[i - 1]![1]);
  });
});

describe('parseGgufHeader: structure', () => {
  it('reads versions 2 and 3 alike, and tensor infos in ne order', async () => {
    const spec: GgufToWrite = { tensors: [{ name: 'w', ne: [3, 2], type: 'F32', data: f32Bytes([1, 2, 3, 4, 5, 6]) }] };
    for (const version of [2, 3]) {
      const header = await parse({ ...spec, version });
      expect(header.version).toBe(version);
      expect(header.tensors).toEqual([{ name: 'w', ne: [3, 2], typeId: 0, offset: 0 }]);
    }
  });

  it('refuses version 1, later versions and big-endian files with UNSUPPORTED_VERSION', async () => {
    await expect(parse({ version: 1 })).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION', message: expect.stringContaining('version 1'), remedy: expect.stringContaining('llama.cpp') });
    await expect(parse({ version: 4 })).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION', message: expect.stringContaining('version 4') });
    await expect(parse({ version: 0 })).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION' });
    await expect(parse({ version: 0x03000000 })).rejects.toMatchObject({ code: 'UNSUPPORTED_VERSION', message: expect.stringContaining('big-endian') });
  });

  it('refuses a file without the magic, and files too short for it', async () => {
    await expect(parse(new TextEncoder().encode('GGML\x03\x00\x00\x00'))).rejects.toMatchObject({ code: 'BAD_STRUCTURE' });
    await expect(parse(new Uint8Array([0x47, 0x47]))).rejects.toMatchObject({ code: 'TRUNCATED' });
    await expect(parse(new TextEncoder().encode('GGUF\x03\x00\x00\x00\x00'))).rejects.toMatchObject({ code: 'TRUNCATED', message: expect.stringContaining('counts') });
  });

  it('refuses counts the file cannot hold at once, without reading on', async () => {
    const file = countingFile('huge.gguf', writeGguf({ tensorCount: 2n ** 40n }));
    await expect(parseGgufHeader(file)).rejects.toMatchObject({ code: 'TRUNCATED', message: expect.stringContaining('1099511627776 tensor infos') });
    await expect(parse({ kvCount: 2n ** 64n - 1n })).rejects.toMatchObject({ code: 'TRUNCATED', message: expect.stringContaining('metadata entries') });
    expect(file.ranges).toHaveLength(1);
  });

  it('refuses duplicate keys, names over 64 KiB and bad alignments', async () => {
    await expect(parse({ metadata: [['a', gv.u8(1)], ['a', gv.u8(2)]] })).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('"a" twice') });
    await expect(parse({ metadata: [['k'.repeat(70_000), gv.u8(1)]] })).rejects.toMatchObject({ code: 'HEADER_TOO_LARGE' });
    for (const bad of [gv.u32(0), gv.u32(48), gv.str('32'), gv.f32(32.5), gv.i32(-32)]) {
      await expect(parse({ metadata: [['general.alignment', bad]], alignment: 32 })).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('general.alignment') });
    }
  });

  it('refuses tensor infos with over 4 dimensions, negative or huge ones, and names given twice', async () => {
    const t = (over: object) => ({ tensors: [{ name: 'w', ne: [2, 2], type: 'F32', data: f32Bytes([1, 2, 3, 4]), ...over }] });
    await expect(parse(t({ ne: [1, 1, 1, 1, 4] }))).rejects.toMatchObject({ code: 'BAD_HEADER_ENTRY', message: expect.stringContaining('5 dimensions') });
    await expect(parse(t({ ne: [2, 2n ** 64n - 2n] }))).rejects.toMatchObject({ code: 'BAD_HEADER_ENTRY', message: expect.stringContaining('ne[1] = -2') });
    await expect(parse(t({ ne: [2, 2 ** 60] }))).rejects.toMatchObject({ code: 'TOO_LARGE' });
    await expect(parse(t({ offset: 2n ** 60n }))).rejects.toMatchObject({ code: 'OFFSETS_OUT_OF_BOUNDS' });
    const twice = { name: 'w', ne: [1], type: 'F32', data: f32Bytes([1]) };
    await expect(parse({ tensors: [twice, twice] })).rejects.toMatchObject({ code: 'DUPLICATE_TENSOR', message: expect.stringContaining('"w" twice') });
  });

  it('puts the data section at the next multiple of the alignment', async () => {
    const tensors = [{ name: 'w', ne: [1], type: 'F32', data: f32Bytes([1]) }];
    for (const alignment of [1, 8, 32, 64, 4096]) {
      const spec: GgufToWrite = { metadata: [['general.alignment', gv.u32(alignment)]], tensors };
      const header = await parse(spec);
      expect(header.alignment).toBe(alignment);
      expect(header.dataStart % alignment).toBe(0);
      expect(header.dataStart).toBe(writeGguf(spec).length - Math.max(4, alignment));
    }
  });
});
