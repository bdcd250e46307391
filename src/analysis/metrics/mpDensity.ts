/**
 * The densities WeightWatcher's MP fit compares (SCIENCE.md §2, "Marchenko–Pastur fit"; WW 0.7.5.5
 * `marchenko_pastur_fun`, `quarter_circle_fun` and the KDE in `resid_mp`, weightwatcher/RMT_Util.py):
 * - Marchenko–Pastur: ρ(x) = √((b−x)(x−a)) / (2πσ²·x/Q), a, b = σ²(1 ∓ 1/√Q)² (Marchenko & Pastur 1967).
 * - Quarter circle (Q = 1, on singular values): ρ(x) = √(4 − x²) / (πσ²) — WW keeps the support fixed at
 *   [0, 2] and lets σ scale the height only; we follow it.
 * Outside the support the square root is NaN, which WW maps to 0 with `np.nan_to_num` (±∞ to ±max float).
 * - KDE: scikit-learn's `KernelDensity(kernel='linear', bandwidth=h)`, the triangular kernel
 *   K(d) = max(0, 1 − d/h) normalised by 1/(n·h) in one dimension, evaluated exactly (sklearn's tree uses
 *   rtol = atol = 0) on NumPy's `linspace(0, max + 0.5, 1000)`.
 */

const MAX_FLOAT = Number.MAX_VALUE;

/** NumPy `nan_to_num`: NaN → 0, ±∞ → ±max float. */
export function nanToNum(v: number): number {
  if (Number.isNaN(v)) return 0;
  if (v === Infinity) return MAX_FLOAT;
  if (v === -Infinity) return -MAX_FLOAT;
  return v;
}

/** MP bulk edges a, b for σ and Q, as WW computes them: (σ(1 ∓ √(1/Q)))². */
export function mpEdges(sigma: number, Q: number): { a: number; b: number } {
  const r = Math.sqrt(1 / Q);
  const lower = sigma * (1 - r);
  const upper = sigma * (1 + r);
  return { a: lower * lower, b: upper * upper };
}

/** MP density at x (WW `marchenko_pastur_fun`, after `nan_to_num`). */
export function marchenkoPasturDensity(x: number, Q: number, sigma: number, a: number, b: number): number {
  const y = 1 / Q;
  return nanToNum((1 / (2 * Math.PI * sigma * sigma * x * y)) * Math.sqrt((b - x) * (x - a)));
}

/** Quarter-circle density at x (WW `quarter_circle_fun`, after `nan_to_num`). */
export function quarterCircleDensity(x: number, sigma: number): number {
  return nanToNum((1 / (Math.PI * sigma * sigma)) * Math.sqrt(4 - x * x));
}

/** NumPy `linspace(start, stop, num)`: start + i·step, the last point exactly stop. */
export function numpyLinspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** NumPy `arange(start, stop, step)` for floats: ⌈(stop − start)/step⌉ points start + i·((start + step) − start). */
export function numpyArange(start: number, stop: number, step: number): Float64Array {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float64Array(length);
  if (length > 0) out[0] = start;
  if (length > 1) out[1] = start + step;
  const delta = start + step - start;
  for (let i = 2; i < length; i++) out[i] = start + i * delta;
  return out;
}

/**
 * Triangular-kernel density estimate of `values` at each grid point: Σ max(0, 1 − |x − v|/h) / (n·h), with
 * only points at distance < h contributing (sklearn's strict `dist < h`). O(grid + n log n) bookkeeping plus
 * the contributing pairs, instead of WW's refit of the estimator for every σ it tries.
 */
export function linearKde(values: ArrayLike<number>, grid: Float64Array, bandwidth: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const out = new Float64Array(grid.length);
  const norm = n * bandwidth;
  let start = 0;
  for (let g = 0; g < grid.length; g++) {
    const x = grid[g] as number;
    while (start < n && (sorted[start] as number) <= x - bandwidth) start++;
    let sum = 0;
    for (let j = start; j < n; j++) {
      const d = Math.abs(x - (sorted[j] as number));
      if ((sorted[j] as number) >= x + bandwidth) break;
      if (d < bandwidth) sum += 1 - d / bandwidth;
    }
    out[g] = sum / norm;
  }
  return out;
}
