/**
 * From a stored tensor to the matrices whose singular values describe it (SCIENCE.md §1):
 * - 2-D (dense, embedding, HF Conv1D): the matrix as stored.
 * - 3-D (stacked experts, fused heads): one matrix per leading index.
 * - 4-D conv, `ww-pooled` definition (WeightWatcher parity): the kh·kw kernel-position slices
 *   W[:, :, i, j], each c_out × c_in. OIHW stores (c_out, c_in, kh, kw); HWIO stores (kh, kw, c_in, c_out)
 *   and its slices W[i, j, :, :] are transposed to c_out × c_in so both layouts give identical matrices.
 * Slice k is kernel position (i, j) = (⌊k / kw⌋, k mod kw) for both layouts.
 */

/** Memory layout of a 4-D conv kernel. Mirrors `ConvLayout` in src/model/types.ts (analysis imports nothing from the project). */
export type ConvKernelLayout = 'OIHW' | 'HWIO';

/** What a tensor is. Mirrors `TensorKind` in src/model/types.ts; only 'dense', 'conv2d' and 'stack' give matrices. */
export type TensorKindName = 'dense' | 'conv2d' | 'stack' | 'vector' | 'scalar' | 'other';

/** The matrices of one tensor, produced on demand so only one slice is held at a time. */
export interface TensorMatrices {
  /** Rows of every matrix (c_out for conv). */
  readonly rows: number;
  /** Columns of every matrix (c_in for conv). */
  readonly cols: number;
  /** Number of matrices: 1 (2-D), the leading dimension (3-D), kh·kw (4-D). */
  readonly count: number;
  /**
   * Matrix k (0 ≤ k < count) as rows×cols row-major. 2-D and 3-D tensors return views into `values`
   * (no copy, same dtype: treat as read-only); conv slices are gathered into a new float64 array.
   */
  matrix(k: number): Float32Array | Float64Array;
}

/**
 * The matrices to analyse for a tensor.
 *
 * @param values The tensor's values, row-major in the order of `shape`, float32 or float64.
 * @param shape Shape as stored.
 * @param kind What the tensor is; must agree with the rank (dense = 2-D, stack = 3-D, conv2d = 4-D).
 * @param layout Layout of a 4-D conv kernel; ignored otherwise.
 * @throws RangeError for kinds without matrices (vector, scalar, other), a rank that does not match
 *   the kind, non-integer or negative dimensions, or `values.length` ≠ the product of `shape`.
 */
export function tensorMatrices(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  kind: TensorKindName,
  layout: ConvKernelLayout,
): TensorMatrices {
  const expectedRank = kind === 'dense' ? 2 : kind === 'stack' ? 3 : kind === 'conv2d' ? 4 : 0;
  if (expectedRank === 0) throw new RangeError(`tensorMatrices: a '${kind}' tensor has no matrices to analyse`);
  if (shape.length !== expectedRank) {
    throw new RangeError(`tensorMatrices: a '${kind}' tensor must be ${expectedRank}-D, got shape [${shape.join(', ')}]`);
  }
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`tensorMatrices: bad shape [${shape.join(', ')}]`);
    size *= dim;
  }
  if (values.length !== size) {
    throw new RangeError(`tensorMatrices: ${values.length} values do not fill shape [${shape.join(', ')}] (${size})`);
  }
  if (kind === 'dense') {
    const [rows, cols] = shape as readonly [number, number];
    return { rows, cols, count: 1, matrix: (k) => (checkIndex(k, 1), values) };
  }
  if (kind === 'stack') {
    const [count, rows, cols] = shape as readonly [number, number, number];
    const stride = rows * cols;
    return { rows, cols, count, matrix: (k) => (checkIndex(k, count), values.subarray(k * stride, (k + 1) * stride)) };
  }
  if (layout === 'OIHW') {
    const [cOut, cIn, kh, kw] = shape as readonly [number, number, number, number];
    const positions = kh * kw;
    return {
      rows: cOut,
      cols: cIn,
      count: positions,
      matrix(k) {
        checkIndex(k, positions);
        // W[o, c, i, j] sits at (o·c_in + c)·kh·kw + k.
        const out = new Float64Array(cOut * cIn);
        for (let o = 0; o < cOut; o++) {
          for (let c = 0; c < cIn; c++) out[o * cIn + c] = values[(o * cIn + c) * positions + k] as number;
        }
        return out;
      },
    };
  }
  const [kh, kw, cIn, cOut] = shape as readonly [number, number, number, number];
  const positions = kh * kw;
  return {
    rows: cOut,
    cols: cIn,
    count: positions,
    matrix(k) {
      checkIndex(k, positions);
      // W[i, j, c, o] sits at (k·c_in + c)·c_out + o; read each c_in × c_out slice row by row, write transposed.
      const out = new Float64Array(cOut * cIn);
      const base = k * cIn * cOut;
      for (let c = 0; c < cIn; c++) {
        const src = base + c * cOut;
        for (let o = 0; o < cOut; o++) out[o * cIn + c] = values[src + o] as number;
      }
      return out;
    },
  };
}

function checkIndex(k: number, count: number): void {
  if (!Number.isInteger(k) || k < 0 || k >= count) throw new RangeError(`tensorMatrices: matrix index ${k} outside [0, ${count})`);
}
