/**
 * Reading a virtual concatenation of shard files: any range equals the same slice of the joined bytes,
 * and only the shards it overlaps are read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countingFile } from '../testing/memoryBlob';
import { shardSpan } from './shardSpan';

describe('shardSpan', () => {
  it('reads any range of the concatenation, across shard boundaries and empty shards (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 6 }), fc.nat(), fc.nat(), async (parts, a, b) => {
        const joined = Uint8Array.from(parts.flatMap((p) => [...p]));
        const span = shardSpan(parts.map((p, i) => countingFile(`s${i}`, p)));
        expect(span.size).toBe(joined.length);
        const start = a % (joined.length + 1);
        const end = start + (b % (joined.length - start + 1));
        expect(await span.read(start, end)).toEqual(joined.slice(start, end));
        if (start < joined.length) {
          const holder = span.fileAt(start);
          const index = Number(holder?.name.slice(1));
          const before = parts.slice(0, index).reduce((n, p) => n + p.length, 0);
          expect(start >= before && start < before + (parts[index]?.length ?? 0)).toBe(true);
        }
      }),
      { seed: 0x5a, numRuns: 500 },
    );
  });

  it('reads only the overlapping parts of the overlapping shards', async () => {
    const files = [10, 10, 10].map((n, i) => countingFile(`s${i}`, new Uint8Array(n).fill(i)));
    const span = shardSpan(files);
    expect(await span.read(8, 13)).toEqual(Uint8Array.of(0, 0, 1, 1, 1));
    expect(files.map((f) => f.ranges)).toEqual([[[8, 10]], [[0, 3]], []]);
    expect(span.fileAt(30)?.name).toBe('s2');
    expect(shardSpan([]).fileAt(0)).toBeNull();
    await expect(span.read(25, 31)).rejects.toThrow(RangeError);
  });
});
