/**
 * Rank-k truncation of a layer's matrix (issue 9, low-rank what-if). By Eckart–Young–Mirsky the best rank-k
 * approximation of W in the Frobenius and spectral norms is W_k = Σ_{j≤k} σⱼ·uⱼ·vⱼᵀ = U_k·Σ_k·V_kᵀ, with
 * ‖W − W_k‖_F² = Σ_{j>k} σⱼ² (relative error √(1 − e_k) with e_k the energy kept).
 *
 * W is the matrix the app analyses: dense as stored (rows × cols), conv as its unfold matrix c_out × c_in·kh·kw in
 * OIHW order (SCIENCE.md §1). The factor pair is the balanced split L = U_k·√Σ_k (rows × k) and R = √Σ_k·V_kᵀ
 * (k × cols), so W_k = L·R and both factors carry the same scale. For a conv, R is a k-channel kh×kw conv
 * ([k, c_in, kh, kw] in OIHW) and L a 1×1 conv ([c_out, k, 1, 1]).
 */
import type { LinalgBackend } from '../linalg/linalgBackend';
import { topSingularVectors } from '../linalg/topSingularVectors';
import type { ShouldCancel } from '../cancel';

export interface LowRankFactors {
  readonly rows: number;
  readonly cols: number;
  /** min(k, rows, cols). */
  readonly k: number;
  /** σ₁…σ_k, descending. */
  readonly sigma: Float64Array;
  /** U_k·√Σ_k, rows × k row-major. */
  readonly left: Float64Array;
  /** √Σ_k·V_kᵀ, k × cols row-major. */
  readonly right: Float64Array;
}

export interface TruncateOptions {
  readonly linalg?: LinalgBackend;
  readonly shouldCancel?: ShouldCancel;
}

/**
 * The balanced factor pair of the best rank-k approximation of a rows × cols matrix (row-major).
 * @throws RangeError on a bad shape or k, or NaN/Inf values (from `topSingularVectors`)
 */
export function lowRankFactors(data: Float32Array | Float64Array, rows: number, cols: number, k: number, options: TruncateOptions = {}): LowRankFactors {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`lowRankFactors: k = ${k} is not a non-negative integer`);
  const { sigma, u, v } = topSingularVectors(data, rows, cols, k, {
    ...(options.linalg ? { linalg: options.linalg } : {}),
    ...(options.shouldCancel ? { shouldCancel: options.shouldCancel } : {}),
  });
  const r = sigma.length;
  const left = new Float64Array(rows * r);
  const right = new Float64Array(r * cols);
  for (let j = 0; j < r; j++) {
    const s = Math.sqrt(sigma[j] as number);
    for (let i = 0; i < rows; i++) left[i * r + j] = (u[i * r + j] as number) * s;
    for (let c = 0; c < cols; c++) right[j * cols + c] = (v[c * r + j] as number) * s;
  }
  return { rows, cols, k: r, sigma, left, right };
}

/** L·R: the rank-k matrix of a factor pair, rows × cols row-major, float64. */
export function multiplyFactors(factors: LowRankFactors): Float64Array {
  const { rows, cols, k, left, right } = factors;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < k; j++) {
      const l = left[i * k + j] as number;
      if (l === 0) continue;
      const ro = j * cols;
      for (let c = 0; c < cols; c++) out[o + c] = (out[o + c] as number) + l * (right[ro + c] as number);
    }
  }
  return out;
}

/** The best rank-k approximation W_k of a rows × cols matrix (row-major, float64). */
export function truncateMatrix(data: Float32Array | Float64Array, rows: number, cols: number, k: number, options: TruncateOptions = {}): Float64Array {
  return multiplyFactors(lowRankFactors(data, rows, cols, k, options));
}
