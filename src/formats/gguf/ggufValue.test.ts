import { describe, expect, it } from 'vitest';
import { namedFile } from '../testing/memoryBlob';
import { GgufCursor } from './ggufCursor';
import type { GgufValue } from './ggufValue';
import { GGUF_TYPE, MAX_KEPT_STRING_BYTES, float32Text, ggufValueText, readGgufValue } from './ggufValue';

/** Little-endian bytes of a value payload, built field by field. */
function payload(...parts: (readonly ['u8' | 'u32' | 'u64', number | bigint] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      const utf8 = new TextEncoder().encode(p);
      out.push(...payload(['u64', utf8.length]), ...utf8);
      continue;
    }
    const [kind, v] = p;
    const width = kind === 'u8' ? 1 : kind === 'u32' ? 4 : 8;
    let n = BigInt(v);
    for (let i = 0; i < width; i++, n >>= 8n) out.push(Number(n & 0xffn));
  }
  return Uint8Array.from(out);
}

async function read(type: number, bytes: Uint8Array): Promise<GgufValue> {
  return readGgufValue(new GgufCursor(namedFile('v.gguf', bytes)), type, 'the value');
}

describe('GGUF metadata values', () => {
  it('reads nested arrays and keeps short ones', async () => {
    const bytes = payload(['u32', GGUF_TYPE.ARRAY], ['u64', 2], ['u32', GGUF_TYPE.UINT8], ['u64', 2], ['u8', 1], ['u8', 2], ['u32', GGUF_TYPE.STRING], ['u64', 1], 'x');
    const value = await read(GGUF_TYPE.ARRAY, bytes);
    expect(ggufValueText(value)).toBe('[[1, 2], ["x"]]');
  });

  it('refuses arrays nested too deep, unknown element types, and unknown value types', async () => {
    const deep = payload(...Array.from({ length: 9 }, () => [['u32', GGUF_TYPE.ARRAY], ['u64', 1]] as const).flat(), ['u32', GGUF_TYPE.UINT8], ['u64', 0]);
    await expect(read(GGUF_TYPE.ARRAY, deep)).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('nests arrays') });
    await expect(read(GGUF_TYPE.ARRAY, payload(['u32', 13], ['u64', 0]))).rejects.toMatchObject({ code: 'BAD_STRUCTURE' });
    await expect(read(99, payload(['u64', 0]))).rejects.toMatchObject({ code: 'BAD_STRUCTURE', message: expect.stringContaining('value type 99') });
  });

  it('refuses lengths and counts the rest of the file cannot hold, before allocating anything', async () => {
    await expect(read(GGUF_TYPE.STRING, payload(['u64', 2n ** 62n]))).rejects.toMatchObject({ code: 'TRUNCATED' });
    await expect(read(GGUF_TYPE.ARRAY, payload(['u32', GGUF_TYPE.UINT64], ['u64', 2]))).rejects.toMatchObject({ code: 'TRUNCATED' });
    await expect(read(GGUF_TYPE.ARRAY, payload(['u32', GGUF_TYPE.STRING], ['u64', 2n ** 60n]))).rejects.toMatchObject({ code: 'TRUNCATED' });
    // A big array of strings whose third string runs past the end.
    const strings = payload(['u32', GGUF_TYPE.STRING], ['u64', 20], ...Array.from({ length: 19 }, () => 'ab'));
    await expect(read(GGUF_TYPE.ARRAY, new Uint8Array([...strings, ...payload(['u64', 1000])]))).rejects.toMatchObject({ code: 'TRUNCATED' });
  });

  it('keeps a prefix of a long string and says how long it was', async () => {
    const long = 'é'.repeat(1000);
    const value = await read(GGUF_TYPE.STRING, payload(long));
    expect(value).toMatchObject({ kind: 'string', byteLength: 2000, complete: false });
    expect(ggufValueText(value)).toBe(`${'é'.repeat(MAX_KEPT_STRING_BYTES / 2)}… (2000 bytes)`);
  });

  it('writes float32 values in their shortest form', () => {
    expect(float32Text(Math.fround(1e-5))).toBe('0.00001');
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(float32Text(Math.fround(1 / 3))).toBe('0.33333334');
    expect(float32Text(10000)).toBe('10000');
    expect(float32Text(-Infinity)).toBe('-Infinity');
    expect(float32Text(NaN)).toBe('NaN');
  });
});
