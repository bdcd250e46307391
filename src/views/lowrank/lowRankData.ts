/**
 * The low-rank what-if of one layer (issue 9; Eckart–Young–Mirsky): keeping the k largest singular values of W
 * gives the best rank-k approximation W_k, with relative Frobenius error ‖W − W_k‖_F / ‖W‖_F = √(1 − e_k), where
 * e_k = Σ_{i≤k} σ_i² / Σ σ_i² is the energy kept; storing it as U_k·√Σ_k and √Σ_k·V_kᵀ costs k·(rows + cols)
 * parameters (`factorisationCost`). Defined for one matrix per layer: a dense layer, or a conv kernel under the
 * `unfold` definition (c_out × c_in·kh·kw, factorised as a k-channel kh×kw conv followed by a 1×1 conv).
 */
import type { FactorisationCost } from '../../analysis/checkpoints';
import { factorisationCost, rankForEnergy } from '../../analysis/checkpoints';

/** One matrix's factorisation geometry: rows × cols, and for a conv its kernel (cols = c_in then). */
export interface TruncationGeometry {
  readonly rows: number;
  readonly cols: number;
  readonly spatial?: { readonly kh: number; readonly kw: number };
}

export interface LowRankSummary {
  readonly k: number;
  /** e_k: the share of Σσ² kept. */
  readonly energyKept: number;
  /** √(1 − e_k): the truncation's relative Frobenius error. */
  readonly relativeError: number;
  readonly cost: FactorisationCost;
  /** The ranks that keep 90 % and 99 % of the energy. */
  readonly k90: number;
  readonly k99: number;
}

/**
 * The geometry of a layer's spectrum when the what-if applies, else why not.
 *
 * @param definition the spectrum's definition ('dense', 'unfold', 'ww-pooled', 'operator', 'stack-pooled')
 * @param shape the tensor's shape; layout its conv layout
 */
export function truncationGeometry(
  definition: string,
  matrixCount: number,
  rows: number,
  cols: number,
  shape: readonly number[],
  layout: 'OIHW' | 'HWIO' | undefined,
): TruncationGeometry | { readonly reason: string } {
  if (matrixCount !== 1) {
    return { reason: `this spectrum pools ${matrixCount} matrices (${definition}); a rank-k factorisation is defined for one matrix: choose the "unfold" conv definition` };
  }
  if (definition === 'dense') return { rows, cols };
  if (definition === 'unfold' && shape.length === 4) {
    const [kh, kw, cIn] = layout === 'HWIO' ? [shape[0], shape[1], shape[2]] : [shape[2], shape[3], shape[1]];
    if (kh && kw && cIn && cIn * kh * kw === cols) return { rows, cols: cIn, spatial: { kh, kw } };
  }
  return { reason: `the ${definition} definition has no factorisation of the layer's own weight` };
}

/** The what-if at rank k (clamped to [1, rank]). */
export function lowRankSummary(sigma: ArrayLike<number>, geometry: TruncationGeometry, k: number): LowRankSummary {
  const rank = sigma.length;
  const kk = Math.max(1, Math.min(rank, Math.round(k)));
  let total = 0;
  let kept = 0;
  for (let i = 0; i < rank; i++) {
    const s2 = (sigma[i] as number) ** 2;
    total += s2;
    if (i < kk) kept += s2;
  }
  const energyKept = total > 0 ? kept / total : 1;
  return {
    k: kk,
    energyKept,
    relativeError: Math.sqrt(Math.max(0, 1 - energyKept)),
    cost: factorisationCost({ rows: geometry.rows, cols: geometry.cols, k: kk, ...(geometry.spatial ? { spatial: geometry.spatial } : {}) }),
    k90: rank > 0 ? rankForEnergy(sigma, 0.9) : 0,
    k99: rank > 0 ? rankForEnergy(sigma, 0.99) : 0,
  };
}
