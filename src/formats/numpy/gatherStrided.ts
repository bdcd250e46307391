/**
 * Strided views to C order (NumPy and PyTorch both describe an array as a base, a shape and strides, in the
 * NumPy "Internal memory layout of an ndarray" sense: element (i0, …, ik) sits at Σ ij·stride[j]).
 */

/** C-order (row-major) strides of a shape, in elements: stride[last] = 1. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let j = shape.length - 1; j >= 0; j--) {
    strides[j] = s;
    s *= shape[j] as number;
  }
  return strides;
}

/** Whether `strides` address `shape` in plain C order (dimensions of size 1 may have any stride). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  const expected = contiguousStrides(shape);
  return shape.every((d, j) => d <= 1 || strides[j] === expected[j]);
}

/**
 * Copy the elements of a strided view into a new C-order buffer.
 *
 * @param bytes the view's bytes, starting at its first element (index 0 in every dimension)
 * @param shape the view's shape
 * @param strides element strides per dimension, all ≥ 0; the caller has checked that the last element,
 *   Σ (shape[j] − 1)·strides[j], lies inside `bytes`
 * @param width bytes per element
 * @returns prod(shape)·width bytes in C order
 */
export function gatherStrided(bytes: Uint8Array, shape: readonly number[], strides: readonly number[], width: number): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n * width);
  if (n === 0) return out;
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let from = 0;
  for (let i = 0; i < n; i++) {
    out.set(bytes.subarray(from * width, from * width + width), i * width);
    // Advance the C-order multi-index (last axis fastest), keeping the source offset in step.
    for (let j = rank - 1; j >= 0; j--) {
      index[j] = (index[j] as number) + 1;
      from += strides[j] as number;
      if ((index[j] as number) < (shape[j] as number)) break;
      from -= (index[j] as number) * (strides[j] as number);
      index[j] = 0;
    }
  }
  return out;
}

/** Column-major (Fortran) bytes of `shape` reordered into C order. */
export function fortranToC(bytes: Uint8Array, shape: readonly number[], width: number): Uint8Array {
  if (shape.length < 2) return bytes;
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let j = 0; j < shape.length; j++) {
    strides[j] = s;
    s *= shape[j] as number;
  }
  return gatherStrided(bytes, shape, strides, width);
}
