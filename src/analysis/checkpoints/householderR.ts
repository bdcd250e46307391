/**
 * The triangular factor R of a thin QR factorisation, X = Q·R, by Householder reflections (Golub & Van Loan,
 * "Matrix Computations", 4th ed., §5.2.2), without forming Q. Backward stable whatever the rank of X (a Cholesky
 * factor of XᵀX would fail on rank-deficient X and square its condition number). Used to reduce a tall factor of
 * a low-rank product to a small square one: σ(Q_B·R_B·R_Aᵀ·Q_Aᵀ) = σ(R_B·R_Aᵀ).
 */

/**
 * R of X = Q·R: p×n row-major float64 with p = min(m, n), upper trapezoidal (zeros below the diagonal).
 * R's rows may differ in sign from other QR codes; RᵀR = XᵀX either way.
 *
 * @param x X as m×n row-major, float32 or float64. Not modified.
 * @throws RangeError on a bad shape or a length other than m·n.
 */
export function householderR(x: Float32Array | Float64Array, m: number, n: number): Float64Array {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0) throw new RangeError(`householderR: bad shape ${m}×${n}`);
  if (x.length !== m * n) throw new RangeError(`householderR: ${x.length} values for ${m}×${n}`);
  // Column-major working copy: column j at [j·m, (j + 1)·m), so reflections run over contiguous memory.
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = x[i * n + j] as number;
  const p = Math.min(m, n);
  for (let j = 0; j < p; j++) {
    const start = j * m;
    // ‖a[j..m), j‖ with scaling, so the squares neither overflow nor underflow.
    let scale = 0;
    for (let i = j; i < m; i++) scale = Math.max(scale, Math.abs(a[start + i] as number));
    if (scale === 0) continue;
    let sum = 0;
    for (let i = j; i < m; i++) {
      const v = (a[start + i] as number) / scale;
      sum += v * v;
    }
    const head = a[start + j] as number;
    const alpha = (head > 0 ? -1 : 1) * scale * Math.sqrt(sum);
    // v = (x − α·e₁)/scale (no cancellation: α has the opposite sign of x₁; the scale keeps vᵀv in range and
    // does not change H = I − 2vvᵀ/(vᵀv)); H·x = α·e₁.
    a[start + j] = (head - alpha) / scale;
    for (let i = j + 1; i < m; i++) a[start + i] = (a[start + i] as number) / scale;
    let vv = 0;
    for (let i = j; i < m; i++) vv += (a[start + i] as number) ** 2;
    for (let l = j + 1; l < n; l++) {
      const col = l * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += (a[start + i] as number) * (a[col + i] as number);
      const f = (2 * dot) / vv;
      for (let i = j; i < m; i++) a[col + i] = (a[col + i] as number) - f * (a[start + i] as number);
    }
    a[start + j] = alpha;
  }
  const r = new Float64Array(p * n);
  for (let i = 0; i < p; i++) for (let j = i; j < n; j++) r[i * n + j] = a[j * m + i] as number;
  return r;
}
