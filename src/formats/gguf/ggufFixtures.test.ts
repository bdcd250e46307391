/**
 * The committed GGUF fixtures of `e2e/fixtures/gguf/`: the generated ones still equal their builders
 * (ggufFixtures.ts) and the README its generator; all, including the file written by ggml itself, open (or
 * fail) as the README says, through the registry path with the GGUF reader; the ggml-written file's values
 * equal ggml's own dequantization (`values.json`) exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysableTensorNames } from '../../model/analysable';
import { openModel } from '../registry';
import { committedBytes, fixtureFolder, folderBytes } from '../testing/fixtureFolder';
import { namedFile } from '../testing/memoryBlob';
import { ggufReader } from './ggufReader';
import { GGUF_FIXTURES, REAL_GGUF_FIXTURES } from './testing/ggufFixtures';
import { ggufFixturesReadme } from './testing/ggufFixturesReadme';

const ROOT = fixtureFolder('gguf');
const READERS = [ggufReader];
const committed = (path: string) => committedBytes(ROOT, path);
const open = (path: string) => openModel([namedFile(path.slice(path.lastIndexOf('/') + 1), committed(path))], READERS);

describe('GGUF e2e fixtures', () => {
  it('are what their builders make, with the README its generator writes, under 100 KB in all', () => {
    const sizes = new Map<string, number>();
    for (const f of GGUF_FIXTURES) {
      expect(committed(f.path), `${f.path} differs from its builder: run npx tsx scripts/fixtures/makeGgufFixtures.ts`).toEqual(f.bytes());
      sizes.set(f.path, committed(f.path).length);
    }
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toBe(ggufFixturesReadme(sizes));
    expect(folderBytes(ROOT)).toBeLessThan(100 * 1024);
  });

  it.each([...GGUF_FIXTURES, ...REAL_GGUF_FIXTURES].map((f) => [f.path, f] as const))('%s opens as expected', async (path, f) => {
    const opening = open(path);
    if ('error' in f && f.error) {
      await expect(opening).rejects.toMatchObject({ code: f.error, file: path.slice(path.lastIndexOf('/') + 1), context: expect.stringContaining('first 16: 47 47 55 46') });
      return;
    }
    const model = await opening;
    expect(model.format).toBe('gguf');
    expect(model.tensors).toHaveLength(f.tensors as number);
    expect(analysableTensorNames(model.tensors)).toHaveLength(f.analysable as number);
    for (const t of model.tensors) if (!t.unsupported) expect((await t.read()).every(Number.isFinite)).toBe(true);
  });

  it('tiny-llm.gguf reads as llama.cpp writes a llama: metadata, row-major shapes, Q8_0 dequantized, Q4_K listed', async () => {
    const model = await open('tiny-llm.gguf');
    expect(model.metadata).toMatchObject({
      'general.architecture': 'llama',
      'general.name': 'tiny-llm',
      'general.file_type': '7 (Q8_0)',
      'llama.attention.layer_norm_rms_epsilon': '0.00001',
      'tokenizer.ggml.tokens': '[array of 64 string]',
      'gguf.version': '3',
    });
    expect(model.tensors.map((t) => [t.name, t.dtype, t.shape, t.kind, t.unsupported ?? null])).toEqual([
      ['token_embd.weight', 'F16', [64, 32], 'dense', null],
      ['blk.0.attn_norm.weight', 'F32', [32], 'vector', null],
      ['blk.0.attn_q.weight', 'F32', [32, 32], 'dense', null],
      ['blk.0.attn_k.weight', 'BF16', [32, 32], 'dense', null],
      ['blk.0.ffn_norm.weight', 'F32', [32], 'vector', null],
      ['blk.0.ffn_up.weight', 'F32', [256, 32], 'dense', null],
      ['blk.0.ffn_down.weight', 'UNKNOWN', [32, 256], 'dense', 'GGUF Q4_K quantization is not yet supported'],
      ['output_norm.weight', 'F32', [32], 'vector', null],
    ]);
    expect(model.tensors[5]).toMatchObject({ encoding: 'Q8_0 dequantized: d·q per 32-block (f16 scale d, int8 q)', byteLength: 256 * 34 });
  });

  it('ggml-written.gguf: every decoded value equals ggml\'s own to_float, F16, BF16 and Q8_0 included', async () => {
    const expected = JSON.parse(readFileSync(join(ROOT, 'ggml-0.5.0', 'values.json'), 'utf8')) as Record<string, { type: string; ne: number[]; values: number[] }>;
    const model = await open('ggml-0.5.0/ggml-written.gguf');
    expect(model.metadata).toMatchObject({ 'general.name': 'ggml-written', 'tokenizer.ggml.tokens': '[array of 40 string]' });
    let checked = 0;
    for (const t of model.tensors) {
      const reference = expected[t.name];
      if (t.unsupported) {
        expect(t.name === 'positions' || reference?.type === 'q4_0' || reference?.type === 'q4_K').toBe(true);
        continue;
      }
      expect(reference, t.name).toBeDefined();
      expect(t.shape).toEqual([...(reference?.ne ?? [])].reverse());
      expect(Array.from(await t.read())).toEqual(reference?.values);
      checked++;
    }
    expect(checked).toBe(5);
  });
});
