/**
 * The rounding error of a product, exactly (Dekker 1971, "A floating-point technique for extending the available
 * precision"): each factor is split into two halves of ≤ 26 significant bits by Veltkamp's splitter 2^27 + 1, so
 * every partial product is exact and a·b − fl(a·b) = ah·bh − p + ah·bl + al·bh + al·bl with no rounding. Only +, −
 * and × are used, so the result is the same in every IEEE-754 engine. Valid while |a|, |b| ≤ 2^996 (the splitter's
 * product must not overflow) and no partial product underflows.
 */

/** Veltkamp's splitter 2^27 + 1. */
const SPLIT = 134217729;

/** a·b − p exactly, for p = fl(a·b). */
export function productError(a: number, b: number, p: number): number {
  const t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  const u = SPLIT * b;
  const bh = u - (u - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** a² − p exactly, for p = fl(a·a) (the square's cross terms as one product, 2·ah·al). */
export function squareError(a: number, p: number): number {
  const t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  return ah * ah - p + 2 * ah * al + al * al;
}
