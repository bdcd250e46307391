import { describe, expect, it } from 'vitest';
import type { NamedBlob } from '../../model/types';
import { toModelInfo } from '../../model/types';
import { FormatError } from '../formatError';
import { countingFile, namedFile } from '../testing/memoryBlob';
import { openSafetensors } from './openSafetensors';
import { parseShardName } from './parseShardName';
import { writeSafetensors } from './writeSafetensors';

const f32 = (...values: number[]) => Float32Array.from(values);
const shard1 = writeSafetensors(
  [
    { name: 'layers.0.weight', dtype: 'F32', shape: [2, 2], data: f32(1, 2, 3, 4) },
    { name: 'layers.0.bias', dtype: 'F32', shape: [2], data: f32(5, 6) },
  ],
  { format: 'pt' },
);
const shard2 = writeSafetensors([{ name: 'layers.1.weight', dtype: 'F32', shape: [1, 2], data: f32(7, 8) }], { format: 'pt', extra: 'x' });
const S1 = 'model-00001-of-00002.safetensors';
const S2 = 'model-00002-of-00002.safetensors';
const IDX = 'model.safetensors.index.json';
const index = (map: Record<string, string>, metadata: Record<string, unknown> = { total_size: 32 }) => JSON.stringify({ metadata, weight_map: map });
const goodIndex = index({ 'layers.0.weight': S1, 'layers.0.bias': S1, 'layers.1.weight': S2 });

async function failure(files: readonly NamedBlob[]): Promise<FormatError> {
  const error = await openSafetensors(files).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FormatError);
  return error as FormatError;
}

describe('openSafetensors: one file', () => {
  it('names the model after the file and keeps its metadata', async () => {
    const model = await openSafetensors([namedFile('tiny.safetensors', shard1)]);
    expect(model).toMatchObject({ format: 'safetensors', name: 'tiny.safetensors', metadata: { format: 'pt' } });
    expect(model.files).toEqual([{ name: 'tiny.safetensors', size: shard1.length }]);
    expect(model.tensors.map((t) => t.name)).toEqual(['layers.0.weight', 'layers.0.bias']);
    // The serialisable form is structured-clone safe.
    expect(structuredClone(toModelInfo(model)).tensors).toHaveLength(2);
  });

  it('refuses no files, and two unrelated models together', async () => {
    expect((await failure([])).code).toBe('NO_FILES');
    const e = await failure([namedFile('a.safetensors', shard1), namedFile('b.safetensors', shard2)]);
    expect(e.code).toBe('MULTIPLE_MODELS');
    expect(e.message).toContain('a.safetensors');
    expect(e.message).toContain('b.safetensors');
  });

  it('adds the first and last 16 bytes of the file to its errors', async () => {
    const e = await failure([namedFile('short.safetensors', new Uint8Array([1, 2, 3]))]);
    expect(e.code).toBe('TRUNCATED');
    expect(e.context).toBe('3 bytes; first 3: 01 02 03 |...|; last 3: 01 02 03 |...|');
  });
});

describe('openSafetensors: sharded', () => {
  it.each([
    ['with the index', [S2, IDX, S1]],
    ['without the index', [S2, S1]],
  ])('opens shards %s as one model, in shard order', async (_label, names) => {
    const bytes: Record<string, Uint8Array | string> = { [S1]: shard1, [S2]: shard2, [IDX]: goodIndex };
    const model = await openSafetensors(names.map((n) => namedFile(n, bytes[n]!)));
    expect(model.name).toBe('model');
    expect(model.tensors.map((t) => [t.name, t.file])).toEqual([
      ['layers.0.weight', S1],
      ['layers.0.bias', S1],
      ['layers.1.weight', S2],
    ]);
    expect(Array.from(await model.tensors[2]!.read())).toEqual([7, 8]);
    expect(model.files.map((f) => f.name)).toEqual(names.includes(IDX) ? [S1, S2, IDX] : [S1, S2]);
    expect(model.metadata).toMatchObject({ format: 'pt', extra: 'x', ...(names.includes(IDX) ? { total_size: '32' } : {}) });
  });

  it('reads only the shard headers (and the index) when opening', async () => {
    const c1 = countingFile(S1, shard1);
    const c2 = countingFile(S2, shard2);
    const model = await openSafetensors([c1, c2, namedFile(IDX, goodIndex)]);
    const headerOf = (bytes: Uint8Array) => 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(c1.bytesRead()).toBe(headerOf(shard1));
    expect(c2.bytesRead()).toBe(headerOf(shard2));
    c2.ranges.length = 0;
    await model.tensors[2]!.read();
    expect(c2.ranges).toEqual([[headerOf(shard2), headerOf(shard2) + 8]]);
    expect(c1.bytesRead()).toBe(headerOf(shard1));
  });

  it.each([
    ['one shard of two, no index', [S1], [S2]],
    ['the second shard only', [S2], [S1]],
    ['one shard and the index', [S1, IDX], [S2]],
    ['only the index', [IDX], [S1, S2]],
  ])('MISSING_SHARD for %s, naming the missing files', async (_label, names, missing) => {
    const bytes: Record<string, Uint8Array | string> = { [S1]: shard1, [S2]: shard2, [IDX]: goodIndex };
    const e = await failure(names.map((n) => namedFile(n, bytes[n]!)));
    expect(e.code).toBe('MISSING_SHARD');
    for (const m of missing) expect(e.message).toContain(m);
    expect(e.message).toMatch(/Drop all shards together/);
    expect(e.remedy).toMatch(/all shards/);
  });

  it('MISSING_SHARD lists the first few of many missing shards and counts the rest', async () => {
    const e = await failure([namedFile('big-00003-of-00010.safetensors', shard1)]);
    expect(e).toMatchObject({ code: 'MISSING_SHARD', file: 'big-00001-of-00010.safetensors' });
    expect(e.message).toContain('"big-00001-of-00010.safetensors", "big-00002-of-00010.safetensors", "big-00004-of-00010.safetensors"');
    expect(e.message).toContain('and 4 more');
    expect(e.message).toContain('(found "big-00003-of-00010.safetensors")');
  });

  it('parses shard names as Hugging Face writes them', () => {
    expect(parseShardName('model-00002-of-00003.safetensors')).toEqual({ stem: 'model', index: 2, total: 3, indexDigits: 5, totalText: '00003' });
    expect(parseShardName('a-b-1-of-2.safetensors')).toMatchObject({ stem: 'a-b', index: 1, total: 2 });
    for (const name of ['model.safetensors', 'model-00000-of-00002.safetensors', 'model-00003-of-00002.safetensors', 'model-00001-of-00002.bin']) {
      expect(parseShardName(name)).toBeNull();
    }
  });

  it('MISSING_SHARD for a shard the index names outside the -of-N pattern', async () => {
    const idx = index({ 'layers.0.weight': S1, 'layers.0.bias': S1, 'layers.1.weight': 'extra.safetensors' });
    const e = await failure([namedFile(S1, shard1), namedFile(S2, shard2), namedFile(IDX, idx)]);
    expect(e.code).toBe('MISSING_SHARD');
    expect(e.message).toContain('extra.safetensors');
  });

  it('DUPLICATE_TENSOR when two shards hold the same tensor', async () => {
    const e = await failure([namedFile(S1, shard1), namedFile(S2, shard1)]);
    expect(e.code).toBe('DUPLICATE_TENSOR');
    expect(e.message).toContain('layers.0.weight');
    expect(e.message).toContain(S1);
    expect(e.message).toContain(S2);
  });

  it('INDEX_MISMATCH when the index puts a tensor in a shard that does not hold it', async () => {
    const wrongShard = index({ 'layers.0.weight': S2, 'layers.0.bias': S1, 'layers.1.weight': S2 });
    const e1 = await failure([namedFile(S1, shard1), namedFile(S2, shard2), namedFile(IDX, wrongShard)]);
    expect(e1).toMatchObject({ code: 'INDEX_MISMATCH', file: IDX });
    expect(e1.message).toContain('layers.0.weight');
    expect(e1.message).toContain(`it is in "${S1}"`);
    const absent = index({ 'layers.0.weight': S1, ghost: S2 });
    const e2 = await failure([namedFile(S1, shard1), namedFile(S2, shard2), namedFile(IDX, absent)]);
    expect(e2.code).toBe('INDEX_MISMATCH');
    expect(e2.message).toContain('"ghost"');
    expect(e2.message).toContain('no shard contains it');
  });

  it.each([
    ['not JSON', '{"weight_map": '],
    ['no weight_map', '{"metadata": {}}'],
    ['weight_map an array', '{"weight_map": []}'],
    ['a shard name not a string', '{"weight_map": {"a": 3}}'],
    ['metadata not an object', `{"metadata": 3, "weight_map": {"layers.0.weight": "${S1}"}}`],
  ])('BAD_INDEX when the index is %s', async (_label, text) => {
    const e = await failure([namedFile(S1, shard1), namedFile(S2, shard2), namedFile(IDX, text)]);
    expect(e).toMatchObject({ code: 'BAD_INDEX', file: IDX });
    expect(e.message).toContain(IDX);
  });

  it('MULTIPLE_MODELS for shards of different sets, a stray file beside an index, or two indexes', async () => {
    const other = 'other-00001-of-00001.safetensors';
    expect((await failure([namedFile(S1, shard1), namedFile(other, shard2)])).code).toBe('MULTIPLE_MODELS');
    const stray = await failure([namedFile(S1, shard1), namedFile(S2, shard2), namedFile(IDX, goodIndex), namedFile('x.safetensors', shard2)]);
    expect(stray.code).toBe('MULTIPLE_MODELS');
    expect(stray.message).toContain('x.safetensors');
    expect((await failure([namedFile(IDX, goodIndex), namedFile('b.safetensors.index.json', goodIndex)])).code).toBe('MULTIPLE_MODELS');
  });

  it('takes the conv layout from the index metadata when shards state none', async () => {
    const conv = writeSafetensors([{ name: 'c', dtype: 'F32', shape: [1, 1, 1, 2], data: f32(1, 2) }]);
    const only = 'net-00001-of-00001.safetensors';
    const model = await openSafetensors([
      namedFile(only, conv),
      namedFile('net.safetensors.index.json', index({ c: only }, { conv_layout: 'HWIO' })),
    ]);
    expect(model.name).toBe('net');
    expect(model.tensors[0]).toMatchObject({ layout: 'HWIO', layoutSource: 'file' });
  });
});
