/**
 * The Gram matrix of the smaller side of a dense matrix, in float64: the first stage of a values-only
 * SVD (σᵢ(A)² = λᵢ(AᵀA) = λᵢ(AAᵀ), Golub & Van Loan, "Matrix Computations", 4th ed., §8.6.1).
 *
 * Layout of the computation (a plain-TypeScript "syrk"):
 * - The inner (long) dimension is cut into panels of `PANEL_DEPTH`. Each panel is copied into a
 *   float64 buffer with one row per Gram index, so every inner product runs over contiguous memory
 *   (for AᵀA this is the transpose of a block of rows of A; for AAᵀ a block of columns).
 * - Within a panel, 4×4 register blocks: 8 loads feed 16 multiply-adds, 16 accumulators stay in locals.
 * - Only block-upper-triangular 4×4 blocks are computed; the lower triangle is mirrored at the end.
 * The Gram size is padded to a multiple of 4 with zero rows so the kernel has no remainder loops.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';

/** Depth (elements of the long dimension) of one panel. 768 Gram rows × 64 × 8 B = 384 KiB: fits L2. */
const PANEL_DEPTH = 64;

/** The Gram matrix and its order. */
export interface Gram {
  /** n×n symmetric matrix, row-major, float64 (both triangles filled). */
  readonly gram: Float64Array;
  /** Order of the Gram matrix: min(rows, cols). */
  readonly n: number;
}

/**
 * Gram matrix of the smaller side: C = AᵀA (n = cols) when rows ≥ cols, else C = AAᵀ (n = rows).
 * Accumulated in float64 whatever the input type (float32 values are widened exactly).
 *
 * Cost: n²·k multiply-adds with k = max(rows, cols) (half of a full product, by symmetry).
 *
 * @param data A as rows×cols, row-major, float32 or float64. Not modified.
 * @param rows Number of rows of A.
 * @param cols Number of columns of A.
 * @param shouldCancel Polled once per 4-row block of C per panel; throws `AnalysisCancelled` when it returns true.
 * @returns `{ gram, n }`: C as n×n row-major float64, both triangles filled.
 * @throws RangeError if `data.length !== rows * cols` or a dimension is not a non-negative integer.
 */
export function gramOfSmallerSide(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  shouldCancel?: ShouldCancel,
): Gram {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`gramOfSmallerSide: bad shape ${rows}×${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`gramOfSmallerSide: data has ${data.length} values, shape ${rows}×${cols} needs ${rows * cols}`);
  }
  const transposed = rows >= cols; // C = AᵀA: Gram index = column of A
  const n = transposed ? cols : rows;
  const depth = transposed ? rows : cols;
  const nPad = (n + 3) & ~3;
  const acc = new Float64Array(nPad * nPad);
  // Rows n..nPad-1 of the panel are never written, so they stay zero.
  const panel = new Float64Array(nPad * PANEL_DEPTH);

  for (let k0 = 0; k0 < depth; k0 += PANEL_DEPTH) {
    const kb = Math.min(PANEL_DEPTH, depth - k0);
    if (transposed) fillPanelTransposed(data, cols, k0, kb, panel);
    else fillPanelDirect(data, rows, cols, k0, kb, panel);
    for (let i0 = 0; i0 < nPad; i0 += 4) {
      throwIfCancelled(shouldCancel);
      for (let j0 = i0; j0 < nPad; j0 += 4) accumulateBlock(panel, kb, i0, j0, acc, nPad);
    }
  }

  // Copy the upper triangle (j ≥ i) into an unpadded n×n result and mirror it.
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = acc[i * nPad + j] as number;
      gram[i * n + j] = v;
      gram[j * n + i] = v;
    }
  }
  return { gram, n };
}

/** panel[j·kb + t] = A[k0 + t, j] for j < cols, t < kb: a block of rows of A, transposed. */
function fillPanelTransposed(data: Float32Array | Float64Array, cols: number, k0: number, kb: number, panel: Float64Array): void {
  for (let t = 0; t < kb; t++) {
    const src = (k0 + t) * cols;
    for (let j = 0; j < cols; j++) panel[j * kb + t] = data[src + j] as number;
  }
}

/** panel[i·kb + t] = A[i, k0 + t] for i < rows, t < kb: a block of columns of A. */
function fillPanelDirect(data: Float32Array | Float64Array, rows: number, cols: number, k0: number, kb: number, panel: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const src = i * cols + k0;
    const dst = i * kb;
    for (let t = 0; t < kb; t++) panel[dst + t] = data[src + t] as number;
  }
}

/** acc[i0..i0+3, j0..j0+3] += P[i0..i0+3, :] · P[j0..j0+3, :]ᵀ over one panel of depth kb. */
function accumulateBlock(p: Float64Array, kb: number, i0: number, j0: number, acc: Float64Array, nPad: number): void {
  const a0 = i0 * kb;
  const a1 = a0 + kb;
  const a2 = a1 + kb;
  const a3 = a2 + kb;
  const b0 = j0 * kb;
  const b1 = b0 + kb;
  const b2 = b1 + kb;
  const b3 = b2 + kb;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let t = 0; t < kb; t++) {
    const x0 = p[a0 + t] as number;
    const x1 = p[a1 + t] as number;
    const x2 = p[a2 + t] as number;
    const x3 = p[a3 + t] as number;
    const y0 = p[b0 + t] as number;
    const y1 = p[b1 + t] as number;
    const y2 = p[b2 + t] as number;
    const y3 = p[b3 + t] as number;
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  let o = i0 * nPad + j0;
  acc[o] = (acc[o] as number) + c00; acc[o + 1] = (acc[o + 1] as number) + c01;
  acc[o + 2] = (acc[o + 2] as number) + c02; acc[o + 3] = (acc[o + 3] as number) + c03;
  o += nPad;
  acc[o] = (acc[o] as number) + c10; acc[o + 1] = (acc[o + 1] as number) + c11;
  acc[o + 2] = (acc[o + 2] as number) + c12; acc[o + 3] = (acc[o + 3] as number) + c13;
  o += nPad;
  acc[o] = (acc[o] as number) + c20; acc[o + 1] = (acc[o + 1] as number) + c21;
  acc[o + 2] = (acc[o + 2] as number) + c22; acc[o + 3] = (acc[o + 3] as number) + c23;
  o += nPad;
  acc[o] = (acc[o] as number) + c30; acc[o + 1] = (acc[o + 1] as number) + c31;
  acc[o + 2] = (acc[o + 2] as number) + c32; acc[o + 3] = (acc[o + 3] as number) + c33;
}
