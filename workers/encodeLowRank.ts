/**
 * Encoding of the matrices `exportLowRank` writes: a rows × cols matrix (the layer's, or a factor) placed into
 * its stored layout (row-major for dense and OIHW, HWIO for TF.js/Keras kernels) and dtype, element by element
 * straight from float64 (F16/BF16 round once, to nearest even, as `encodeFloats`).
 */
import { throwIfCancelled, type ShouldCancel } from '../src/analysis/cancel';
import type { LowRankFactors } from '../src/analysis/checkpoints/truncate';
import type { FloatDType } from '../src/formats/dtype';
import { numberToBFloat16Bits, numberToFloat16Bits } from '../src/formats/encodeFloats';

/** The kernel size and input channels of an HWIO conv, or null for row-major (dense, OIHW). */
export type HwioKernel = { readonly kh: number; readonly kw: number; readonly cIn: number } | null;

/** Little-endian bytes of `count` elements of `dtype`, filled one element at a time (no float32 detour for F16/BF16). */
function encoder(dtype: FloatDType, count: number): { readonly bytes: Uint8Array; readonly put: (index: number, value: number) => void } {
  const width = dtype === 'F64' ? 8 : dtype === 'F32' ? 4 : 2;
  const bytes = new Uint8Array(count * width);
  const view = new DataView(bytes.buffer);
  const put =
    dtype === 'F64'
      ? (i: number, v: number) => view.setFloat64(8 * i, v, true)
      : dtype === 'F32'
        ? (i: number, v: number) => view.setFloat32(4 * i, v, true)
        : dtype === 'F16'
          ? (i: number, v: number) => view.setUint16(2 * i, numberToFloat16Bits(v), true)
          : (i: number, v: number) => view.setUint16(2 * i, numberToBFloat16Bits(v), true);
  return { bytes, put };
}

/**
 * Where entry (r, c) of an m × n matrix goes in the stored tensor: r·rowStride + column[c]. Row-major for dense
 * and OIHW; for HWIO (a conv with m output channels, c = (ci·kh + p)·kw + q) at ((p·kw + q)·c_in + ci)·m + r.
 */
function placement(m: number, n: number, hwio: HwioKernel): { rowStride: number; column: Float64Array } {
  const column = new Float64Array(n);
  if (!hwio) {
    for (let c = 0; c < n; c++) column[c] = c;
    return { rowStride: n, column };
  }
  const { kh, kw, cIn } = hwio;
  for (let ci = 0; ci < cIn; ci++) {
    for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) column[(ci * kh + p) * kw + q] = ((p * kw + q) * cIn + ci) * m;
  }
  return { rowStride: 1, column };
}

/** Encode an m × n row-major matrix (a factor) into its stored placement. */
export function encodeMatrix(data: Float64Array, m: number, n: number, dtype: FloatDType, hwio: HwioKernel): Uint8Array {
  const { bytes, put } = encoder(dtype, m * n);
  const { rowStride, column } = placement(m, n, hwio);
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) put(r * rowStride + (column[c] as number), data[r * n + c] as number);
  return bytes;
}

/** W_k = left·right row by row (same summation order as `multiplyFactors`), encoded straight into the stored layout. */
export function encodeProduct(f: LowRankFactors, dtype: FloatDType, hwio: HwioKernel, shouldCancel?: ShouldCancel): Uint8Array {
  const { rows, cols, k, left, right } = f;
  const { bytes, put } = encoder(dtype, rows * cols);
  const { rowStride, column } = placement(rows, cols, hwio);
  const row = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    if ((i & 255) === 0) throwIfCancelled(shouldCancel);
    row.fill(0);
    for (let j = 0; j < k; j++) {
      const l = left[i * k + j] as number;
      if (l === 0) continue;
      const ro = j * cols;
      for (let c = 0; c < cols; c++) row[c] = (row[c] as number) + l * (right[ro + c] as number);
    }
    const base = i * rowStride;
    for (let c = 0; c < cols; c++) put(base + (column[c] as number), row[c] as number);
  }
  return bytes;
}
