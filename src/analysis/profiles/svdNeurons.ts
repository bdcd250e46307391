/**
 * "SVD neurons" of a layer (SCIENCE.md §3; Praggastis et al., "The SVD of Convolutional Weights: A CNN
 * Interpretability Framework", arXiv 2208.06894; DeepDataProfiler v2.0.1 `SVDProfiler.create_svd`):
 * the left singular vectors u_k of the layer's weight matrix W = U·Σ·Vᵀ. A layer's output activation is
 * read in that basis by `projectAggregate` (P = Uᵀ·(A − b·1ᵀ)).
 *
 * W is the dense matrix as stored (out × in) or, for a conv kernel, the `unfold` matrix
 * c_out × (c_in·kh·kw) of SCIENCE.md §1 (DDP: `torch.flatten(weight, start_dim=1)`).
 *
 * Route: the symmetric eigendecomposition of the rows×rows Gram W·Wᵀ in float64
 * (`symmetricEigenDecomposition`): W·Wᵀ = U·Σ²·Uᵀ, so σ_k = √max(λ_k, 0) and u_k = its k-th eigenvector
 * (Golub & Van Loan, "Matrix Computations", 4th ed., §8.6.1). U and σ depend on W only through W·Wᵀ, so
 * the column order of the unfold matrix does not change them (it matters only for V, which is not
 * formed here).
 *
 * Accuracy is the Gram route's: σ_k to relative ~ε·(σ₁/σ_k)², u_k to an angle ~ε·σ₁²/gap_k (gap_k = the
 * distance from σ_k² to the other σ²). Directions with σ below ~1e-8·σ₁, and the members of a repeated σ,
 * are only determined as an orthonormal basis of their subspace. Cost ≈ rows²·cols/2 + 9·rows³ flops:
 * meant for c_out up to about a thousand; for a very tall dense layer (rows ≫ cols) use
 * `topSingularVectors` instead.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import { gramOfSmallerSide } from '../linalg/gram';
import { symmetricEigenDecomposition } from '../linalg/symmetricEigenDecomposition';
import { convDims, toOihw } from '../spectra/convKernel';
import type { ConvKernelLayout } from '../spectra/tensorMatrices';
import { tensorMatrices } from '../spectra/tensorMatrices';

/** Outside [2⁻⁴⁹⁰, 2⁴⁹⁰] squares (and their sums) could leave float64's range: rescale first (as `singularValues`). */
const SAFE_MAX = 2 ** 490;
const SAFE_MIN = 2 ** -490;

/** The left singular vectors and singular values of a weight matrix. */
export interface SvdNeurons {
  /** Rows of W (c_out): the length of every singular direction. */
  readonly rows: number;
  /** Number of singular directions, min(rows, cols). */
  readonly rank: number;
  /**
   * rows × rank, row-major float64: column k (entries U[i·rank + k]) is the unit left singular vector u_k
   * of σ_k. The columns are orthonormal. Sign convention: the entry of largest |value| of each column is
   * positive (the first such entry on an exact tie), so the result is deterministic.
   */
  readonly U: Float64Array;
  /** σ_k, descending, non-negative, length rank. */
  readonly sigma: Float64Array;
}

/**
 * The SVD neurons (left singular vectors and singular values) of W.
 *
 * @param W rows×cols row-major (dense: out × in; conv: the unfold matrix c_out × c_in·kh·kw, see
 *   `unfoldConvKernel`). Any numeric array-like; read, not modified.
 * @param rows Number of rows of W (c_out).
 * @param cols Number of columns of W.
 * @param shouldCancel Polled between the stages and inside the eigensolver; throws `AnalysisCancelled`.
 * @returns `{ rows, rank = min(rows, cols), U (rows × rank), sigma (rank) }`.
 * @throws RangeError for a bad shape, `W.length !== rows·cols`, or a NaN / infinite entry.
 */
export function svdNeurons(W: ArrayLike<number>, rows: number, cols: number, shouldCancel?: ShouldCancel): SvdNeurons {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`svdNeurons: bad shape ${rows}×${cols}`);
  }
  if (W.length !== rows * cols) {
    throw new RangeError(`svdNeurons: W has ${W.length} values, shape ${rows}×${cols} needs ${rows * cols}`);
  }
  const rank = Math.min(rows, cols);
  let maxAbs = 0;
  let bad = 0;
  for (let i = 0; i < W.length; i++) {
    const v = Math.abs(W[i] as number);
    if (!Number.isFinite(v)) bad++;
    else if (v > maxAbs) maxAbs = v;
  }
  if (bad > 0) throw new RangeError(`svdNeurons: the ${rows}×${cols} matrix holds ${bad} NaN or infinite values`);
  if (rank === 0) return { rows, rank, U: new Float64Array(0), sigma: new Float64Array(0) };

  // Extreme magnitudes: divide by a power of two (exact) so the Gram stays in range.
  const unscale = maxAbs > SAFE_MAX || (maxAbs > 0 && maxAbs < SAFE_MIN) ? 2 ** Math.round(Math.log2(maxAbs)) : 1;
  let matrix: Float64Array | Float32Array;
  if (unscale !== 1) {
    matrix = new Float64Array(W.length);
    for (let i = 0; i < W.length; i++) matrix[i] = (W[i] as number) / unscale;
  } else {
    matrix = W instanceof Float64Array || W instanceof Float32Array ? W : Float64Array.from(W);
  }

  const gram = outerGram(matrix, rows, cols, shouldCancel);
  throwIfCancelled(shouldCancel);
  const { valuesDesc, vectorsByRow } = symmetricEigenDecomposition(gram, rows, shouldCancel);

  const U = new Float64Array(rows * rank);
  const sigma = new Float64Array(rank);
  for (let k = 0; k < rank; k++) {
    sigma[k] = unscale * Math.sqrt(Math.max(valuesDesc[k] as number, 0));
    // Eigenvector k is row k of vectorsByRow; fix its sign, write it as column k of U.
    const base = k * rows;
    let largest = 0;
    let sign = 1;
    for (let i = 0; i < rows; i++) {
      const v = vectorsByRow[base + i] as number;
      if (Math.abs(v) > largest) {
        largest = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    for (let i = 0; i < rows; i++) U[i * rank + k] = sign * (vectorsByRow[base + i] as number);
  }
  return { rows, rank, U, sigma };
}

/** W·Wᵀ (rows × rows, float64, both triangles). */
function outerGram(w: Float64Array | Float32Array, rows: number, cols: number, shouldCancel: ShouldCancel | undefined): Float64Array {
  // `gramOfSmallerSide` forms W·Wᵀ exactly when rows < cols (the usual conv case), with its blocked kernel.
  if (rows < cols) return gramOfSmallerSide(w, rows, cols, shouldCancel).gram;
  const g = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    throwIfCancelled(shouldCancel);
    const a = i * cols;
    for (let j = 0; j <= i; j++) {
      const b = j * cols;
      let s = 0;
      for (let t = 0; t < cols; t++) s += (w[a + t] as number) * (w[b + t] as number);
      g[i * rows + j] = s;
      g[j * rows + i] = s;
    }
  }
  return g;
}

/**
 * The `unfold` matrix of a 4-D conv kernel (SCIENCE.md §1, definition 2; DDP `torch.flatten(weight, 1)`):
 * c_out × (c_in·kh·kw), row-major float64, with
 *   unfold[o, (c·kh + p)·kw + q] = K[o, c, p, q]
 * i.e. columns are c_in-major, then kernel row p, then kernel column q: the OIHW kernel read as a matrix,
 * and the order in which PyTorch's `nn.Unfold` / im2col lays out an input patch (channel, then row, then
 * column), so W·patch is the layer's pre-bias output at that position. HWIO kernels (TF, TF.js, Keras)
 * are transposed into that order, so both layouts give the same matrix. Wraps `toOihw` / `convDims`
 * from `spectra/convKernel` (the code behind the `unfold` spectrum), and always returns a fresh array.
 *
 * @param values The kernel's values, row-major in the order of `shape`.
 * @param shape [c_out, c_in, kh, kw] for OIHW, [kh, kw, c_in, c_out] for HWIO.
 * @param layout Memory layout of the kernel.
 * @throws RangeError if the shape is not 4-D non-negative integers or `values.length` does not fill it.
 */
export function unfoldConvKernel(values: ArrayLike<number>, shape: readonly number[], layout: ConvKernelLayout): { data: Float64Array; rows: number; cols: number } {
  const typed = values instanceof Float64Array || values instanceof Float32Array ? values : Float64Array.from(values);
  tensorMatrices(typed, shape, 'conv2d', layout); // validates rank, dimensions and length (lazy: gathers nothing)
  const dims = convDims(shape, layout);
  const oihw = toOihw(typed, dims, layout);
  const data = oihw === values ? Float64Array.from(oihw) : oihw;
  return { data, rows: dims.cOut, cols: dims.cIn * dims.kh * dims.kw };
}
