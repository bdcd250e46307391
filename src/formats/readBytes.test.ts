import { describe, expect, it } from 'vitest';
import { FormatError } from './formatError';
import { readBytes } from './readBytes';
import { countingFile, failingFile } from './testing/memoryBlob';

const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('readBytes', () => {
  it('reads exactly the requested range', async () => {
    const file = countingFile('f.bin', bytes);
    expect(Array.from(await readBytes(file, 3, 7))).toEqual([3, 4, 5, 6]);
    expect(file.ranges).toEqual([[3, 7]]);
    expect((await readBytes(file, 5, 5)).length).toBe(0);
    expect(file.ranges).toEqual([[3, 7]]);
  });

  it('wraps a failed read in READ_FAILED naming the file', async () => {
    const error = await readBytes(failingFile('gone.safetensors', 100), 0, 8).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).code).toBe('READ_FAILED');
    expect((error as FormatError).message).toContain('gone.safetensors');
    expect((error as FormatError).file).toBe('gone.safetensors');
  });

  it('reports a short read (the file changed on disk) as READ_FAILED', async () => {
    const liar = { name: 'liar.bin', blob: { size: 100, slice: () => liar.blob, arrayBuffer: async () => new ArrayBuffer(3) } };
    await expect(readBytes(liar, 0, 8)).rejects.toMatchObject({ code: 'READ_FAILED' });
  });

  it('treats an invalid range as a bug (RangeError)', async () => {
    const file = countingFile('f.bin', bytes);
    await expect(readBytes(file, 0, 33)).rejects.toBeInstanceOf(RangeError);
    await expect(readBytes(file, 5, 4)).rejects.toBeInstanceOf(RangeError);
    await expect(readBytes(file, -1, 4)).rejects.toBeInstanceOf(RangeError);
  });
});
