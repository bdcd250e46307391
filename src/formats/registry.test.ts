import { describe, expect, it } from 'vitest';
import type { Model, NamedBlob } from '../model/types';
import { FormatError } from './formatError';
import type { FormatReader } from './registry';
import { FORMAT_READERS, SNIFF_BYTES, openModel, supportedFormatsText } from './registry';
import { sniffSafetensors } from './safetensors/safetensorsReader';
import { writeSafetensors } from './safetensors/writeSafetensors';
import { buildSafetensors } from './testing/buildSafetensors';
import { countingFile, namedFile } from './testing/memoryBlob';

const tiny = writeSafetensors([{ name: 'w', dtype: 'F32', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) }]);

async function failure(files: readonly NamedBlob[], readers?: readonly FormatReader[]): Promise<FormatError> {
  const error = await openModel(files, readers).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

describe('sniffSafetensors', () => {
  it('accepts a plausible header length followed by {', () => {
    expect(sniffSafetensors(tiny.subarray(0, 64))).toBe(true);
    expect(sniffSafetensors(buildSafetensors({ header: '{', headerLength: 1_000_000 }))).toBe(true);
  });
  it('rejects text, JSON, short input and implausible lengths', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sniffSafetensors(text('Hello, world! {"a": 1}'))).toBe(false);
    expect(sniffSafetensors(text('{"weight_map": {}}'))).toBe(false);
    expect(sniffSafetensors(tiny.subarray(0, 8))).toBe(false);
    expect(sniffSafetensors(buildSafetensors({ header: '{}', headerLength: 2n ** 50n }))).toBe(false);
    expect(sniffSafetensors(buildSafetensors({ header: '{}', headerLength: 1 }))).toBe(false);
    expect(sniffSafetensors(buildSafetensors({ header: '[]' }))).toBe(false);
  });
});

describe('openModel', () => {
  it('opens a safetensors file by its bytes, whatever its name', async () => {
    const model = await openModel([namedFile('weights.bin', tiny)]);
    expect(model.format).toBe('safetensors');
    expect(model.tensors).toHaveLength(1);
  });

  it('reads the first 64 bytes for sniffing, then only the header', async () => {
    const big = writeSafetensors([{ name: 'w', dtype: 'F32', shape: [64, 64], data: new Float32Array(4096) }]);
    const file = countingFile('big.safetensors', big);
    await openModel([file]);
    const n = Number(new DataView(big.buffer).getBigUint64(0, true));
    expect(file.ranges).toEqual([[0, SNIFF_BYTES], [0, 8], [8, 8 + n]]);
  });

  it('falls back on the extension, so a damaged .safetensors file gets a precise error', async () => {
    expect((await failure([namedFile('cut.safetensors', new Uint8Array([1, 2]))])).code).toBe('TRUNCATED');
    const notJson = buildSafetensors({ header: 'not json at all' });
    expect((await failure([namedFile('bad.safetensors', notJson)])).code).toBe('BAD_HEADER_JSON');
    expect((await failure([namedFile('bad.bin', notJson)])).code).toBe('UNKNOWN_FORMAT');
  });

  it('UNKNOWN_FORMAT lists the formats tried and shows the first bytes', async () => {
    const e = await failure([namedFile('notes.txt', 'Hello, this is not a model.\n')]);
    expect(e.code).toBe('UNKNOWN_FORMAT');
    expect(e.file).toBe('notes.txt');
    expect(e.message).toContain('"notes.txt" is not a model file this app can read. Tried: ');
    expect(e.message).toContain('safetensors (.safetensors');
    expect(e.message).toContain('48 65 6c 6c 6f 2c');
    expect(e.message).toContain('|Hello, this is n|');
    expect(e.remedy).toContain('safetensors');
    expect(e.context).toMatch(/^28 bytes; first 16: 48 65 .*; last 16: .*0a \|.*\.\|$/);
    const two = await failure([namedFile('a.txt', 'aaaa'), namedFile('b.txt', 'bbbb')]);
    expect(two.message).toContain('None of "a.txt", "b.txt" is a model file');
    const empty = await failure([namedFile('empty.bin', new Uint8Array(0))]);
    expect(empty.message).toContain('empty');
  });

  it('ignores files no reader claims when a model is among them', async () => {
    const model = await openModel([namedFile('README.md', '# model card'), namedFile('m.safetensors', tiny), namedFile('config.json', '{}')]);
    expect(model.files.map((f) => f.name)).toEqual(['m.safetensors']);
  });

  it('gives a lone index to its reader, which names the missing shards', async () => {
    const index = JSON.stringify({ weight_map: { w: 'model-00001-of-00001.safetensors' } });
    const e = await failure([namedFile('model.safetensors.index.json', index)]);
    expect(e.code).toBe('MISSING_SHARD');
    expect(e.message).toContain('model-00001-of-00001.safetensors');
  });

  it('refuses an empty drop and files of two formats', async () => {
    expect((await failure([])).code).toBe('NO_FILES');
    const other: FormatReader = {
      id: 'fake',
      label: 'Fake',
      extensions: ['.fake'],
      sniff: (head) => head[0] === 0x46,
      open: async () => ({ format: 'fake', name: 'f', files: [], tensors: [], metadata: {} }),
    };
    const e = await failure([namedFile('a.safetensors', tiny), namedFile('b.fake', 'FAKE')], [...FORMAT_READERS, other]);
    expect(e.code).toBe('MULTIPLE_MODELS');
    expect(e.message).toContain('"b.fake" (Fake)');
  });

  it('dispatches to whichever registered reader sniffs the file', async () => {
    const opened: string[][] = [];
    const fake: FormatReader = {
      id: 'fake',
      label: 'Fake',
      extensions: ['.fake'],
      sniff: (head) => head[0] === 0x46,
      open: async (files): Promise<Model> => {
        opened.push(files.map((f) => f.name));
        return { format: 'fake', name: 'f', files: [], tensors: [], metadata: {} };
      },
    };
    expect((await openModel([namedFile('x.bin', 'FAKE')], [...FORMAT_READERS, fake])).format).toBe('fake');
    expect(opened).toEqual([['x.bin']]);
    expect(supportedFormatsText([...FORMAT_READERS, fake])).toBe(`${supportedFormatsText()}; Fake (.fake)`);
  });

  it('describes the supported formats for the UI', () => {
    const text = supportedFormatsText();
    expect(text.startsWith('safetensors (.safetensors, sharded with index.json); ONNX (.onnx, with external data files); ')).toBe(true);
    for (const reader of FORMAT_READERS) expect(text).toContain(`${reader.label} (${reader.extensions.join(', ')}`);
    expect(text.split('; ').length).toBeGreaterThanOrEqual(FORMAT_READERS.length);
  });
});

describe('unclaimed files', () => {
  it('go to a reader that accepts them (ONNX external data under any name), after its own files', async () => {
    const opened: string[][] = [];
    const fake: FormatReader = {
      id: 'fake',
      label: 'Fake',
      extensions: ['.fake'],
      acceptsUnclaimedFiles: true,
      sniff: (head) => head[0] === 0x46,
      open: async (files): Promise<Model> => {
        opened.push(files.map((f) => f.name));
        return { format: 'fake', name: 'f', files: [], tensors: [], metadata: {} };
      },
    };
    await openModel([namedFile('weights-3f2a', 'xyz'), namedFile('m.fake', 'FAKE')], [fake]);
    expect(opened).toEqual([['m.fake', 'weights-3f2a']]);
  });
});
