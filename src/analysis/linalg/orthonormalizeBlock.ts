/**
 * Orthonormalising a block of vectors against an orthonormal basis and among themselves, the step every
 * block Krylov method repeats. Classical Gram–Schmidt applied twice ("twice is enough": Giraud, Langou,
 * Rozložník & van den Eshof, Numer. Math. 101, 2005) gives orthogonality to working precision unless a
 * vector is numerically inside the span, which is detected and handled by replacing it.
 *
 * Vectors are stored one after the other ("column-major"): vector j of a block occupies
 * [j·n, (j + 1)·n), so every inner loop is contiguous.
 */
import type { Rng } from '../random/seededRandom';
import { combineVectors, innerProducts } from './blockProducts';

/**
 * A vector that keeps less than this fraction of its norm after orthogonalisation is treated as lying
 * in the span (what is left is mostly rounding) and is replaced by a random vector.
 */
const DEFLATION_RATIO = 1e-8;
/** Random replacements tried per vector before giving up on it (only when the basis fills the space). */
const REPLACEMENT_TRIES = 3;

/** x·y over n entries starting at offsets xo and yo. Two partial sums for instruction-level parallelism. */
export function dotAt(x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += (x[xo + i] as number) * (y[yo + i] as number);
    s1 += (x[xo + i + 1] as number) * (y[yo + i + 1] as number);
  }
  if (i < n) s0 += (x[xo + i] as number) * (y[yo + i] as number);
  return s0 + s1;
}

/** y[yo..yo+n) += a·x[xo..xo+n). */
export function axpyAt(a: number, x: Float64Array, xo: number, y: Float64Array, yo: number, n: number): void {
  for (let i = 0; i < n; i++) y[yo + i] = (y[yo + i] as number) + a * (x[xo + i] as number);
}

/** Fill vector j of `block` with uniform values in [−½, ½) (no transcendental functions: same on every engine). */
export function fillRandom(block: Float64Array, j: number, n: number, rng: Rng): void {
  for (let i = 0; i < n; i++) block[j * n + i] = rng() - 0.5;
}

/** Subtract from vector `at` of `block` its components along basis vectors 0..count−1 (one CGS pass). */
function projectOut(basis: Float64Array, count: number, block: Float64Array, at: number, n: number, coefficients: Float64Array): void {
  const o = at * n;
  for (let b = 0; b < count; b++) coefficients[b] = dotAt(basis, b * n, block, o, n);
  for (let b = 0; b < count; b++) axpyAt(-(coefficients[b] as number), basis, b * n, block, o, n);
}

/**
 * In place: orthogonalise the `width` vectors of `block` against the first `basisCount` (orthonormal)
 * vectors of `basis`, then orthonormalise them among themselves. A vector that is numerically in the span
 * (it keeps < 1e-8 of its norm) is replaced by a seeded random vector, orthonormalised the same way; the
 * kept vectors are packed at the front of `block`.
 *
 * The projection against the basis is done for the whole block at once (two block CGS passes through
 * `innerProducts`/`combineVectors`); only the few vectors within the block go one by one.
 *
 * @param basis Orthonormal vectors, column-major, length ≥ basisCount·n.
 * @param block `width` vectors of length n, column-major. Overwritten.
 * @param rng Source of replacement vectors (seeded by the caller, so results are reproducible).
 * @returns How many orthonormal vectors `block` now holds (= width unless the space is exhausted).
 */
export function orthonormalizeBlock(
  basis: Float64Array,
  basisCount: number,
  block: Float64Array,
  width: number,
  n: number,
  rng: Rng,
): number {
  const before = new Float64Array(width);
  for (let j = 0; j < width; j++) before[j] = Math.sqrt(dotAt(block, j * n, block, j * n, n));
  if (basisCount > 0) {
    const coefficients = new Float64Array(width * basisCount);
    for (let pass = 0; pass < 2; pass++) {
      innerProducts(block, width, basis, basisCount, n, coefficients, basisCount);
      combineVectors(basis, basisCount, coefficients, basisCount, block, width, n, true);
    }
  }
  const coefficients = new Float64Array(Math.max(basisCount, width));
  let kept = 0;
  for (let j = 0; j < width; j++) {
    if (j !== kept) block.copyWithin(kept * n, j * n, j * n + n);
    let ok = false;
    for (let attempt = 0; attempt <= REPLACEMENT_TRIES && !ok; attempt++) {
      let norm = before[j] as number;
      if (attempt > 0) {
        fillRandom(block, kept, n, rng);
        norm = Math.sqrt(dotAt(block, kept * n, block, kept * n, n));
      }
      if (norm === 0 || !Number.isFinite(norm)) continue;
      for (let pass = 0; pass < 2; pass++) {
        if (attempt > 0) projectOut(basis, basisCount, block, kept, n, coefficients);
        projectOut(block, kept, block, kept, n, coefficients);
      }
      const after = Math.sqrt(dotAt(block, kept * n, block, kept * n, n));
      if (after > DEFLATION_RATIO * norm) {
        const inv = 1 / after;
        for (let i = kept * n; i < kept * n + n; i++) block[i] = (block[i] as number) * inv;
        ok = true;
      }
    }
    if (ok) kept++;
  }
  return kept;
}
