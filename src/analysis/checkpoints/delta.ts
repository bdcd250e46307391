/**
 * How one layer changed between two models (issue 9, "Differences between two models": fine-tune vs base,
 * checkpoint vs init). W_a and W_b are rows×cols, row-major.
 *
 * - ΔW = W_b − W_a, in float64 (`deltaMatrix`); its spectrum, rank and energy rank come from the existing
 *   metrics applied to ΔW.
 * - Relative change ‖ΔW‖_F / ‖W_a‖_F (`relativeChange`), both norms accumulated in float64 after scaling by
 *   the largest magnitude, so neither overflows nor underflows.
 * - Principal angles between two k-dimensional subspaces with orthonormal bases U_a, U_b (Björck & Golub,
 *   "Numerical methods for computing angles between linear subspaces", Math. Comp. 27(123), 1973):
 *   cos θ_i = σ_i(U_aᵀU_b), θ_1 ≤ … ≤ θ_k in [0, π/2]. Cosines lose small angles (cos θ = 1 − θ²/2 leaves θ ≲ 1e-8
 *   invisible), so angles below π/4 are taken from the sines instead, sin θ_i = σ_i((I − U_aU_aᵀ)U_b) (Knyazev &
 *   Argentati, "Principal angles between subspaces in an A-based scalar product", SIAM J. Sci. Comput. 23(6),
 *   2002, Algorithm 3.1). Both sets of σ come from one-sided Jacobi (`jacobiSingularValues`), which keeps small
 *   σ to high relative accuracy.
 * - Subspace alignment (`subspaceAlignment`): the principal angles between the top-k left (or right) singular
 *   subspaces of W_a and W_b, summarised as mean cos²θ = ‖U_aᵀU_b‖²_F / k, 1 for the same subspace and 0 for
 *   orthogonal ones; the normalised subspace similarity of Hu et al., "LoRA", ICLR 2022, §7.2, with i = j = k.
 */
import type { ShouldCancel } from '../cancel';
import { jacobiSingularValues } from '../linalg/jacobiSingularValues';
import type { LinalgBackend } from '../linalg/linalgBackend';
import { topSingularVectors } from '../linalg/topSingularVectors';

type Values = Float32Array | Float64Array;

/**
 * Singular directions with σ ≤ this fraction of σ_1 are not resolved by `topSingularVectors` (the Gram route loses
 * everything below ≈ √ε·σ_1, COMPUTE.md "Why float64 matters").
 */
export const UNRESOLVED_SIGMA = 1e-8;

/**
 * ΔW = W_b − W_a, element by element, in float64.
 *
 * @param wa W_a, any shape flattened (row-major for a matrix), float32 or float64.
 * @param wb W_b, the same length.
 * @throws RangeError if the lengths differ.
 */
export function deltaMatrix(wa: Values, wb: Values): Float64Array {
  checkSameLength('deltaMatrix', wa, wb);
  const delta = new Float64Array(wa.length);
  for (let i = 0; i < wa.length; i++) delta[i] = (wb[i] as number) - (wa[i] as number);
  return delta;
}

/**
 * ‖W_b − W_a‖_F / ‖W_a‖_F, a dimensionless size of the change (0.01 = the weights moved by 1 % of their norm).
 *
 * @returns The ratio, ≥ 0; 0 when W_b = W_a (also when both are zero); Infinity when W_a = 0 ≠ W_b; NaN when an
 *   entry is NaN (or both hold the same infinity).
 * @throws RangeError if the lengths differ.
 */
export function relativeChange(wa: Values, wb: Values): number {
  checkSameLength('relativeChange', wa, wb);
  let maxA = 0;
  let maxD = 0;
  for (let i = 0; i < wa.length; i++) {
    const a = wa[i] as number;
    const d = (wb[i] as number) - a;
    if (Number.isNaN(d)) return NaN;
    maxA = Math.max(maxA, Math.abs(a));
    maxD = Math.max(maxD, Math.abs(d));
  }
  if (maxD === 0) return 0;
  if (maxA === 0) return Infinity;
  if (!Number.isFinite(maxA) || !Number.isFinite(maxD)) return NaN;
  let sumA = 0;
  let sumD = 0;
  for (let i = 0; i < wa.length; i++) {
    const a = wa[i] as number;
    const scaledA = a / maxA;
    const scaledD = ((wb[i] as number) - a) / maxD;
    sumA += scaledA * scaledA;
    sumD += scaledD * scaledD;
  }
  return (maxD / maxA) * Math.sqrt(sumD / sumA);
}

/**
 * Principal angles between the column spans of two rows×k matrices with orthonormal columns.
 *
 * @param ua U_a, rows×k row-major (column j = basis vector j, as `topSingularVectors` returns `u`), orthonormal
 *   columns: the result is meaningless otherwise (it is not checked).
 * @param ub U_b, rows×k row-major, orthonormal columns.
 * @param rows Length of each basis vector.
 * @param k Dimension of both subspaces (0 ≤ k ≤ rows).
 * @returns k angles in radians, ascending, each in [0, π/2].
 * @throws RangeError on non-integer or negative sizes, k > rows, or lengths other than rows·k.
 */
export function principalAngles(ua: Values, ub: Values, rows: number, k: number): Float64Array {
  if (!Number.isInteger(rows) || !Number.isInteger(k) || rows < 0 || k < 0 || k > rows) {
    throw new RangeError(`principalAngles: bad sizes rows = ${rows}, k = ${k} (need 0 ≤ k ≤ rows)`);
  }
  if (ua.length !== rows * k || ub.length !== rows * k) {
    throw new RangeError(`principalAngles: bases have ${ua.length} and ${ub.length} values, ${rows}×${k} needs ${rows * k}`);
  }
  if (k === 0) return new Float64Array(0);
  // M = U_aᵀ·U_b (k×k) and the residual R = U_b − U_a·M (rows×k), both row-major.
  const m = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      const a = ua[r * k + i] as number;
      for (let j = 0; j < k; j++) m[i * k + j] = (m[i * k + j] as number) + a * (ub[r * k + j] as number);
    }
  }
  const residual = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      let s = ub[r * k + j] as number;
      for (let i = 0; i < k; i++) s -= (ua[r * k + i] as number) * (m[i * k + j] as number);
      residual[r * k + j] = s;
    }
  }
  const cosDesc = jacobiSingularValues(m, k, k);
  const sinDesc = jacobiSingularValues(residual, rows, k);
  const angles = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const c = Math.min(Math.max(cosDesc[i] as number, 0), 1);
    const s = Math.min(Math.max(sinDesc[k - 1 - i] as number, 0), 1);
    angles[i] = s < Math.SQRT1_2 ? Math.asin(s) : Math.acos(c);
  }
  // The two routes meet at π/4; rounding there could swap neighbours by ~1e-16.
  return angles.sort();
}

/** Options for `subspaceAlignment`. */
export interface SubspaceAlignmentOptions {
  /** Compare left (column space, `u`, the default) or right (row space, `v`) singular subspaces. */
  readonly side?: 'left' | 'right';
  /** Polled during both decompositions; throws `AnalysisCancelled` when it returns true. */
  readonly shouldCancel?: ShouldCancel;
  /** Where the Grams run (default: plain TypeScript). */
  readonly linalg?: LinalgBackend;
  /** Seed of `topSingularVectors` (default 1). */
  readonly seed?: number;
}

/** How the top-k singular subspaces of two matrices line up. */
export interface SubspaceAlignment {
  /** min(k, rows, cols): the dimension compared. */
  readonly k: number;
  /** Principal angles in radians, ascending, in [0, π/2]. */
  readonly angles: Float64Array;
  /** cos θ_i, descending. */
  readonly cosines: Float64Array;
  /** mean cos²θ = ‖U_aᵀU_b‖²_F / k: 1 = same subspace, 0 = orthogonal (NaN for k = 0). */
  readonly meanCos2: number;
  /** The top-k σ of W_a and of W_b, descending. */
  readonly sigmaA: Float64Array;
  readonly sigmaB: Float64Array;
  /** Whether both decompositions met their stopping test. */
  readonly converged: boolean;
  /**
   * True when σ_k ≤ 1e-8·σ_1 for either matrix (`UNRESOLVED_SIGMA`): its k-th direction is then numerically
   * undetermined (the Gram route does not resolve it; for exact zeros it is an arbitrary completion), so the
   * largest angles mean nothing. Choose k ≤ the numerical rank.
   */
  readonly rankDeficient: boolean;
}

/**
 * Principal angles between the top-k singular subspaces of W_a and W_b (both rows×cols). When σ_k = σ_{k+1}
 * the top-k subspace is not unique and neither are the angles.
 *
 * @param wa W_a, rows×cols row-major, float32 or float64.
 * @param wb W_b, the same shape.
 * @param k Directions to compare; more than min(rows, cols) compares min(rows, cols).
 * @throws RangeError on a bad shape or k, or NaN/±Inf entries (from `topSingularVectors`); `AnalysisCancelled`.
 */
export function subspaceAlignment(
  wa: Values,
  wb: Values,
  rows: number,
  cols: number,
  k: number,
  options: SubspaceAlignmentOptions = {},
): SubspaceAlignment {
  const svdOptions = { shouldCancel: options.shouldCancel, linalg: options.linalg, seed: options.seed };
  const a = topSingularVectors(wa, rows, cols, k, svdOptions);
  const b = topSingularVectors(wb, rows, cols, k, svdOptions);
  const count = a.sigma.length;
  const left = (options.side ?? 'left') === 'left';
  const angles = principalAngles(left ? a.u : a.v, left ? b.u : b.v, left ? rows : cols, count);
  const cosines = angles.map(Math.cos);
  let sum = 0;
  for (const c of cosines) sum += c * c;
  const unresolved = (sigma: Float64Array): boolean =>
    count > 0 && (sigma[count - 1] as number) <= UNRESOLVED_SIGMA * (sigma[0] as number);
  return {
    k: count,
    angles,
    cosines,
    meanCos2: count > 0 ? sum / count : NaN,
    sigmaA: a.sigma,
    sigmaB: b.sigma,
    converged: a.converged && b.converged,
    rankDeficient: unresolved(a.sigma) || unresolved(b.sigma),
  };
}

function checkSameLength(what: string, wa: Values, wb: Values): void {
  if (wa.length !== wb.length) throw new RangeError(`${what}: W_a has ${wa.length} values, W_b ${wb.length}`);
}
