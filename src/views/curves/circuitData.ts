/** Data shaping of the circuit matrix: each cell's summed weight and how the kernels are drawn. */

/**
 * Σ of each cell's kernel weights: `cells` is rows × cols × kh × kw (row-major, the kernel from column unit to
 * row unit); the result is rows × cols.
 */
export function cellSums(cells: Float32Array, rows: number, cols: number, kh: number, kw: number): Float64Array {
  const k = kh * kw;
  const out = new Float64Array(rows * cols);
  for (let c = 0; c < rows * cols; c++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += cells[c * k + i] ?? 0;
    out[c] = s;
  }
  return out;
}

/** Above this many kernel pixels the matrix draws one rectangle per cell (its mean weight) instead of each kernel. */
export const MAX_KERNEL_PIXELS = 40_000;

/** Whether to draw each cell's kh × kw kernel ('kernels') or one rectangle of its mean weight ('means'). */
export function kernelDrawMode(rows: number, cols: number, kh: number, kw: number, cellPx: number): 'kernels' | 'means' {
  if (rows * cols * kh * kw > MAX_KERNEL_PIXELS) return 'means';
  // A kernel pixel under 1.5 px is noise on screen.
  return cellPx / Math.max(kh, kw) >= 1.5 ? 'kernels' : 'means';
}

/**
 * Position on the diverging palette in [0, 1] of weight `v` with the symmetric domain ±`maxAbs`, for
 * d3.interpolateRdBu *reversed*: 0 → t = 0.5 (near white), +maxAbs → t = 0 (red: excitatory), −maxAbs → t = 1 (blue:
 * inhibitory). Values beyond the domain are clamped; NaN is 0.5.
 */
export function divergingPosition(v: number, maxAbs: number): number {
  if (!Number.isFinite(v) || !(maxAbs > 0)) return 0.5;
  return Math.min(1, Math.max(0, 0.5 - v / (2 * maxAbs)));
}
