/**
 * The two dense products a block Krylov method spends its non-matrix time on, with vectors stored one
 * after the other (vector a of X at [a·n, (a + 1)·n)):
 * - `innerProducts`: G = XᵀY (all pairwise dot products), for Gram–Schmidt coefficients and H = QᵀCQ;
 * - `combineVectors`: Z = X·S or Z −= X·S (linear combinations), for Ritz vectors and projections.
 * Both use 4×4 register blocks: per step 8 loads feed 16 multiply-adds (as `gram.ts`), instead of the
 * 2 loads per multiply-add of one dot or axpy at a time. Partial blocks reuse the last valid vector with a
 * zero coefficient (or discard the extra dots), so there are no separate remainder kernels.
 */

/**
 * out[a·outStride + b] = x_a·y_b for a < xCount, b < yCount.
 *
 * @param x xCount vectors of length n; @param y yCount vectors of length n.
 */
export function innerProducts(
  x: Float64Array,
  xCount: number,
  y: Float64Array,
  yCount: number,
  n: number,
  out: Float64Array,
  outStride: number,
): void {
  for (let a0 = 0; a0 < xCount; a0 += 4) {
    const a1 = Math.min(a0 + 1, xCount - 1);
    const a2 = Math.min(a0 + 2, xCount - 1);
    const a3 = Math.min(a0 + 3, xCount - 1);
    const p0 = a0 * n, p1 = a1 * n, p2 = a2 * n, p3 = a3 * n;
    for (let b0 = 0; b0 < yCount; b0 += 4) {
      const q0 = b0 * n;
      const q1 = Math.min(b0 + 1, yCount - 1) * n;
      const q2 = Math.min(b0 + 2, yCount - 1) * n;
      const q3 = Math.min(b0 + 3, yCount - 1) * n;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let i = 0; i < n; i++) {
        const x0 = x[p0 + i] as number, x1 = x[p1 + i] as number, x2 = x[p2 + i] as number, x3 = x[p3 + i] as number;
        const y0 = y[q0 + i] as number, y1 = y[q1 + i] as number, y2 = y[q2 + i] as number, y3 = y[q3 + i] as number;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
      for (let s = 0; s < 4 && a0 + s < xCount; s++) {
        for (let t = 0; t < 4 && b0 + t < yCount; t++) out[(a0 + s) * outStride + b0 + t] = block[s * 4 + t] as number;
      }
    }
  }
}

/**
 * z_j = Σ_a coef[j·coefStride + a]·x_a for j < zCount, a < xCount; with `subtract`, z_j −= that sum instead.
 *
 * @param x xCount vectors of length n; @param z zCount vectors of length n (must not overlap x).
 */
export function combineVectors(
  x: Float64Array,
  xCount: number,
  coef: Float64Array,
  coefStride: number,
  z: Float64Array,
  zCount: number,
  n: number,
  subtract = false,
): void {
  if (!subtract) z.fill(0, 0, zCount * n);
  const sign = subtract ? -1 : 1;
  const cf = (j: number, a: number): number => (a < xCount && j < zCount ? sign * (coef[j * coefStride + a] as number) : 0);
  for (let j0 = 0; j0 < zCount; j0 += 4) {
    // Rows past zCount are computed into the last valid one with zero coefficients: adding 0 changes nothing,
    // but they must not be written twice with different values, so they are skipped at the store.
    const rows = Math.min(4, zCount - j0);
    const o0 = j0 * n;
    const o1 = Math.min(j0 + 1, zCount - 1) * n;
    const o2 = Math.min(j0 + 2, zCount - 1) * n;
    const o3 = Math.min(j0 + 3, zCount - 1) * n;
    for (let a0 = 0; a0 < xCount; a0 += 4) {
      const p0 = a0 * n;
      const p1 = Math.min(a0 + 1, xCount - 1) * n;
      const p2 = Math.min(a0 + 2, xCount - 1) * n;
      const p3 = Math.min(a0 + 3, xCount - 1) * n;
      const s00 = cf(j0, a0), s01 = cf(j0, a0 + 1), s02 = cf(j0, a0 + 2), s03 = cf(j0, a0 + 3);
      const s10 = cf(j0 + 1, a0), s11 = cf(j0 + 1, a0 + 1), s12 = cf(j0 + 1, a0 + 2), s13 = cf(j0 + 1, a0 + 3);
      const s20 = cf(j0 + 2, a0), s21 = cf(j0 + 2, a0 + 1), s22 = cf(j0 + 2, a0 + 2), s23 = cf(j0 + 2, a0 + 3);
      const s30 = cf(j0 + 3, a0), s31 = cf(j0 + 3, a0 + 1), s32 = cf(j0 + 3, a0 + 2), s33 = cf(j0 + 3, a0 + 3);
      for (let i = 0; i < n; i++) {
        const x0 = x[p0 + i] as number, x1 = x[p1 + i] as number, x2 = x[p2 + i] as number, x3 = x[p3 + i] as number;
        const v0 = (z[o0 + i] as number) + (s00 * x0 + s01 * x1 + (s02 * x2 + s03 * x3));
        const v1 = (z[o1 + i] as number) + (s10 * x0 + s11 * x1 + (s12 * x2 + s13 * x3));
        const v2 = (z[o2 + i] as number) + (s20 * x0 + s21 * x1 + (s22 * x2 + s23 * x3));
        const v3 = (z[o3 + i] as number) + (s30 * x0 + s31 * x1 + (s32 * x2 + s33 * x3));
        if (rows === 4) {
          z[o3 + i] = v3;
          z[o2 + i] = v2;
          z[o1 + i] = v1;
        } else if (rows === 3) {
          z[o2 + i] = v2;
          z[o1 + i] = v1;
        } else if (rows === 2) z[o1 + i] = v1;
        z[o0 + i] = v0;
      }
    }
  }
}
