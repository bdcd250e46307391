/**
 * Products of a dense row-major matrix A (rows×cols, float32 or float64) with a few float64 vectors,
 * accumulated in float64: Y = A·X and Y = Aᵀ·X. Vectors are stored one after the other (vector j at
 * [j·len, (j + 1)·len)). Both walk A row by row, once, so A is streamed from memory a single time
 * whatever the number of vectors. Cost: rows·cols·k multiply-adds each.
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';

/** Rows of A between two polls of `shouldCancel` (a 50257×768 A with k = 50 takes ~2 s in all). */
const ROWS_PER_POLL = 64;

/**
 * y_j = A·x_j for j < k: y_j[i] = Σ_c A[i, c]·x_j[c]. Four vectors per pass share each load of A.
 *
 * @param x k vectors of length cols.
 * @param y Output: k vectors of length rows (overwritten).
 * @param shouldCancel Polled every 64 rows of A; throws `AnalysisCancelled`.
 */
export function matrixTimesVectors(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  k: number,
  y: Float64Array,
  shouldCancel?: ShouldCancel,
): void {
  for (let i = 0; i < rows; i++) {
    if (i % ROWS_PER_POLL === 0) throwIfCancelled(shouldCancel);
    const r = i * cols;
    let j = 0;
    for (; j + 4 <= k; j += 4) {
      const x0 = j * cols;
      const x1 = x0 + cols;
      const x2 = x1 + cols;
      const x3 = x2 + cols;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let c = 0; c < cols; c++) {
        const a = data[r + c] as number;
        s0 += a * (x[x0 + c] as number);
        s1 += a * (x[x1 + c] as number);
        s2 += a * (x[x2 + c] as number);
        s3 += a * (x[x3 + c] as number);
      }
      y[j * rows + i] = s0;
      y[(j + 1) * rows + i] = s1;
      y[(j + 2) * rows + i] = s2;
      y[(j + 3) * rows + i] = s3;
    }
    for (; j < k; j++) {
      const xo = j * cols;
      let s = 0;
      for (let c = 0; c < cols; c++) s += (data[r + c] as number) * (x[xo + c] as number);
      y[j * rows + i] = s;
    }
  }
}

/**
 * y_j = Aᵀ·x_j for j < k: y_j[c] = Σ_i A[i, c]·x_j[i]. Four rows of A per pass, so each y_j is read and
 * written once per four rows.
 *
 * @param x k vectors of length rows.
 * @param y Output: k vectors of length cols (overwritten).
 * @param shouldCancel Polled every 64 rows of A; throws `AnalysisCancelled`.
 */
export function matrixTransposeTimesVectors(
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  k: number,
  y: Float64Array,
  shouldCancel?: ShouldCancel,
): void {
  y.fill(0, 0, k * cols);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    if (i % ROWS_PER_POLL === 0) throwIfCancelled(shouldCancel);
    const r0 = i * cols;
    const r1 = r0 + cols;
    const r2 = r1 + cols;
    const r3 = r2 + cols;
    for (let j = 0; j < k; j++) {
      const xo = j * rows + i;
      const w0 = x[xo] as number;
      const w1 = x[xo + 1] as number;
      const w2 = x[xo + 2] as number;
      const w3 = x[xo + 3] as number;
      const yo = j * cols;
      for (let c = 0; c < cols; c++) {
        y[yo + c] =
          (y[yo + c] as number) +
          (w0 * (data[r0 + c] as number) + w1 * (data[r1 + c] as number) + (w2 * (data[r2 + c] as number) + w3 * (data[r3 + c] as number)));
      }
    }
  }
  for (; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < k; j++) {
      const w = x[j * rows + i] as number;
      const yo = j * cols;
      for (let c = 0; c < cols; c++) y[yo + c] = (y[yo + c] as number) + w * (data[r + c] as number);
    }
  }
}
