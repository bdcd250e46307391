/**
 * One-sided Jacobi (Hestenes, "Inversion of matrices by biorthogonalization", J. SIAM 6, 1958) on a few
 * long vectors, with every rotation repeated on a paired set of short vectors. Given L = A·V (V with
 * orthonormal columns), rotating the columns of L until they are mutually orthogonal and applying the same
 * rotations to V yields L·Y = U·Σ and V·Y: the SVD of A restricted to span(V), with U orthonormal to
 * *relative* accuracy whatever the size of σ (Demmel & Veselić, SIAM J. Matrix Anal. Appl. 13(4), 1992).
 *
 * When V holds eigenvectors of AᵀA, columns of well-separated σ well above √ε·σ₁ are orthogonal already and
 * are only checked (one blocked LᵀL, then nothing). The method earns its keep on ties and on small σ: the
 * Gram's eigenvectors are accurate only to ~ε·σ₁²/σ², so a column with σ = 1e-5·σ₁ leans on every larger
 * one by ~1e-6 relative and plain normalisation would give a U far from orthogonal. Then nearly every pair
 * is rotated once (k = 768, 3072-long columns, σ graded over 5 decades: ~230k rotations, ~5 s).
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import { innerProducts } from './blockProducts';
import { dotAt } from './orthonormalizeBlock';
import { hypot } from './symmetricEigenDecomposition';

const MAX_SWEEPS = 60;

/**
 * In place: rotate pairs (big_p, big_q), and identically (small_p, small_q), until every pair of big vectors
 * satisfies |big_p·big_q| ≤ √len·ε·‖big_p‖·‖big_q‖ (cyclic-by-row order).
 *
 * @param big k vectors of length `bigLength`, one after the other.
 * @param small k vectors of length `smallLength`, rotated alongside.
 * @param shouldCancel Polled once per sweep.
 * @returns The number of sweeps run.
 */
export function orthogonalizeColumns(
  big: Float64Array,
  bigLength: number,
  small: Float64Array,
  smallLength: number,
  k: number,
  shouldCancel?: ShouldCancel,
): number {
  const tol = Math.sqrt(bigLength) * 2 ** -52;
  // All pairwise dot products at once (register-blocked): pairs that are clearly orthogonal already are
  // skipped in the first sweep unless a rotation touches them; later sweeps only revisit pairs with a column
  // rotated since they were last checked. Typically nearly every pair is skipped.
  throwIfCancelled(shouldCancel);
  const initial = new Float64Array(k * k);
  innerProducts(big, k, big, k, bigLength, initial, k);
  const norms = new Float64Array(k);
  let touched = new Uint8Array(k);
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    throwIfCancelled(shouldCancel);
    for (let j = 0; j < k; j++) norms[j] = dotAt(big, j * bigLength, big, j * bigLength, bigLength);
    const rotated = new Uint8Array(k);
    let rotations = 0;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const alpha = norms[p] as number;
        const beta = norms[q] as number;
        if (alpha === 0 || beta === 0) continue;
        const fresh = rotated[p] === 1 || rotated[q] === 1 || touched[p] === 1 || touched[q] === 1;
        if (!fresh && (sweep > 1 || Math.abs(initial[p * k + q] as number) <= 0.5 * tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        const gamma = dotAt(big, p * bigLength, big, q * bigLength, bigLength);
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotations++;
        // The rotation that diagonalises [[α, γ], [γ, β]] (Rutishauser's formulas: the smaller angle).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + hypot(1, zeta));
        const c = 1 / hypot(1, t);
        const s = c * t;
        rotate(big, p * bigLength, q * bigLength, bigLength, c, s);
        rotate(small, p * smallLength, q * smallLength, smallLength, c, s);
        norms[p] = alpha - t * gamma;
        norms[q] = beta + t * gamma;
        rotated[p] = 1;
        rotated[q] = 1;
      }
    }
    if (rotations === 0) return sweep;
    touched = rotated;
  }
  return MAX_SWEEPS;
}

/** (x_p, x_q) ← (c·x_p − s·x_q, s·x_p + c·x_q). */
function rotate(x: Float64Array, p: number, q: number, length: number, c: number, s: number): void {
  for (let i = 0; i < length; i++) {
    const a = x[p + i] as number;
    const b = x[q + i] as number;
    x[p + i] = c * a - s * b;
    x[q + i] = s * a + c * b;
  }
}
