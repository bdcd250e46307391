import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { balancedBlockRanges, tilesInBlockRows } from './balancedBlockRanges';

const SEED = 20_250_601;

describe('balancedBlockRanges', () => {
  it('covers every block row exactly once, in order, with at most `parts` non-empty ranges of nearly equal work', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 64 }), (blockCount, parts) => {
        const ranges = balancedBlockRanges(blockCount, parts);
        expect(ranges.length).toBeLessThanOrEqual(parts);
        const covered = new Uint8Array(blockCount);
        let next = 0;
        for (const r of ranges) {
          expect(r.blockStart).toBe(next);
          expect(r.blockEnd).toBeGreaterThan(r.blockStart);
          for (let b = r.blockStart; b < r.blockEnd; b++) covered[b] = (covered[b] as number) + 1;
          next = r.blockEnd;
        }
        expect(next).toBe(blockCount);
        expect(covered.every((c) => c === 1)).toBe(true);
        // Balance: no part exceeds its share by more than one block row (at most blockCount tiles).
        const total = (blockCount * (blockCount + 1)) / 2;
        for (const r of ranges) expect(tilesInBlockRows(r, blockCount)).toBeLessThanOrEqual(total / parts + blockCount);
        // And as many parts as possible while there are rows to share.
        if (blockCount >= 4 * parts) expect(ranges.length).toBe(parts);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('gives the top rows (widest in the triangle) to the first part: 768 columns on 2 workers', () => {
    // 192 block rows; W(b) = W(B)/2 at b = B(1 − 1/√2) + O(1) ≈ 56.
    const ranges = balancedBlockRanges(192, 2);
    expect(ranges).toEqual([{ blockStart: 0, blockEnd: 56 }, { blockStart: 56, blockEnd: 192 }]);
    const [first, second] = ranges.map((r) => tilesInBlockRows(r, 192)) as [number, number];
    expect(Math.abs(first - second) / (first + second)).toBeLessThan(0.01);
  });

  it('handles the degenerate cases', () => {
    expect(balancedBlockRanges(0, 4)).toEqual([]);
    expect(balancedBlockRanges(1, 4)).toEqual([{ blockStart: 0, blockEnd: 1 }]);
    expect(balancedBlockRanges(5, 1)).toEqual([{ blockStart: 0, blockEnd: 5 }]);
    expect(() => balancedBlockRanges(-1, 2)).toThrow(RangeError);
    expect(() => balancedBlockRanges(4, 0)).toThrow(RangeError);
    expect(() => balancedBlockRanges(4, 1.5)).toThrow(RangeError);
  });
});
