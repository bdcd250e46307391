/**
 * Singular values (no vectors) of a dense real matrix, in float64, by the Gram route:
 * σᵢ(A) = √λᵢ(C) with C = AᵀA or AAᵀ, whichever is smaller (Golub & Van Loan, "Matrix Computations",
 * 4th ed., §8.6.1), λ from Householder tridiagonalisation + implicit QL (`symmetricEigenvalues`).
 *
 * Accuracy: σ ≥ 1e-3·σ_max to relative ~1e-10 and absolute error ~1e-8·σ_max below that
 * (squaring loses everything under ≈ √ε·σ_max; see /work/shared/COMPUTE.md, "Why float64 matters").
 */
import type { ShouldCancel } from '../cancel';
import type { LinalgBackend } from './linalgBackend';
import { TYPESCRIPT_LINALG } from './linalgBackend';
import { symmetricEigenvalues } from './symmetricEigenvalues';
import { valueStats } from './valueStats';

/** Outside [2⁻⁴⁹⁰, 2⁴⁹⁰] squares (and their sums) could leave float64's range: rescale first. */
const SAFE_MAX = 2 ** 490;
const SAFE_MIN = 2 ** -490;

/**
 * All min(rows, cols) singular values of A.
 *
 * @param data A as rows×cols, row-major, float32 or float64. Not modified.
 * @param rows Number of rows of A.
 * @param cols Number of columns of A.
 * @param shouldCancel Polled every few milliseconds of work; throws `AnalysisCancelled` when it returns true.
 * @param linalg Where the Gram and eigen-solve run (default: plain TypeScript, float64).
 * @returns σ, descending, non-negative, float64, length min(rows, cols) (empty for a 0-size matrix).
 *   Computed as √max(λ, 0): eigenvalues rounded below zero give σ = 0.
 * @throws RangeError if `data.length !== rows * cols`, or if A holds NaN or ±Inf (the message gives the counts).
 */
export function singularValues(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  shouldCancel?: ShouldCancel,
  linalg: LinalgBackend = TYPESCRIPT_LINALG,
): Float64Array {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`singularValues: bad shape ${rows}×${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`singularValues: data has ${data.length} values, shape ${rows}×${cols} needs ${rows * cols}`);
  }
  const { maxAbs, nanCount, infCount } = valueStats(data);
  if (nanCount + infCount > 0) {
    throw new RangeError(`singularValues: the ${rows}×${cols} matrix holds ${nanCount} NaN and ${infCount} infinite values`);
  }

  const m = Math.min(rows, cols);
  if (m === 0 || maxAbs === 0) return new Float64Array(m);

  // Extreme magnitudes: scale by a power of two (exact) so the squares stay in range.
  let matrix = data;
  let unscale = 1;
  if (maxAbs > SAFE_MAX || maxAbs < SAFE_MIN) {
    unscale = 2 ** Math.round(Math.log2(maxAbs));
    const scaled = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) scaled[i] = (data[i] as number) / unscale;
    matrix = scaled;
  }

  if (m === 1) return new Float64Array([unscale * euclideanNorm(matrix)]);

  const { gram, n } = linalg.gram(matrix, rows, cols, shouldCancel);
  const eigenvaluesAsc = linalg.symmetricEigenvalues ? linalg.symmetricEigenvalues(gram, n, shouldCancel) : symmetricEigenvalues(gram, n, { shouldCancel });
  const sigmaDesc = new Float64Array(n);
  for (let i = 0; i < n; i++) sigmaDesc[i] = unscale * Math.sqrt(Math.max(eigenvaluesAsc[n - 1 - i] as number, 0));
  return sigmaDesc;
}

/** ‖x‖₂ of a vector whose entries are within the safe range, summed in float64. */
function euclideanNorm(x: Float32Array | Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    sum += v * v;
  }
  return Math.sqrt(sum);
}
