/**
 * Splitting the block rows of an upper-triangular computation into parts of equal work.
 *
 * Block row b of an upper block triangle with B block rows has B − b tiles, so equal numbers of rows
 * would give the first part far more work than the last. The work before row b is
 *   W(b) = Σ_{x<b} (B − x) = b·B − b(b − 1)/2,   W(B) = B(B + 1)/2,
 * and boundary t (of `parts`) is the integer b nearest to the root of W(b) = t·W(B)/parts:
 *   b = ((2B + 1) − √((2B + 1)² − 8·t·W(B)/parts)) / 2.
 * Each part then differs from W(B)/parts by at most about one row (≤ B tiles).
 */

/** Block rows [blockStart, blockEnd) of one part. */
export interface BlockRange {
  readonly blockStart: number;
  readonly blockEnd: number;
}

/**
 * At most `parts` contiguous, non-empty ranges, in order, covering block rows [0, blockCount) exactly
 * once, with (nearly) equal upper-triangle work. Fewer than `parts` ranges come back when there are
 * fewer block rows than parts; none when `blockCount` is 0.
 *
 * @param blockCount Number of block rows B (≥ 0).
 * @param parts Number of parts wanted, typically the number of workers (≥ 1).
 * @throws RangeError if either argument is not an integer in range.
 */
export function balancedBlockRanges(blockCount: number, parts: number): BlockRange[] {
  if (!Number.isInteger(blockCount) || blockCount < 0) throw new RangeError(`balancedBlockRanges: bad block count ${blockCount}`);
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`balancedBlockRanges: bad part count ${parts}`);
  const total = (blockCount * (blockCount + 1)) / 2;
  const b2 = 2 * blockCount + 1;
  const ranges: BlockRange[] = [];
  let start = 0;
  for (let t = 1; t <= parts && start < blockCount; t++) {
    let end = blockCount;
    if (t < parts) {
      const root = (b2 - Math.sqrt(Math.max(b2 * b2 - (8 * t * total) / parts, 0))) / 2;
      end = Math.min(Math.max(Math.round(root), start), blockCount);
    }
    if (end > start) ranges.push({ blockStart: start, blockEnd: end });
    start = end;
  }
  return ranges;
}

/** Number of 4×4 tiles in block rows [blockStart, blockEnd) of an upper block triangle of `blockCount` rows. */
export function tilesInBlockRows(range: BlockRange, blockCount: number): number {
  const work = (b: number): number => b * blockCount - (b * (b - 1)) / 2;
  return work(range.blockEnd) - work(range.blockStart);
}
