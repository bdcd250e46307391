/**
 * Y = C·X for a dense symmetric n×n matrix C (row-major float64) and a block X of vectors stored one
 * after the other (vector j at [j·n, (j + 1)·n)). Since C is symmetric, (C·x)ᵢ is the dot product of row i
 * with x, so every inner loop is contiguous. Register blocking: 4 rows × 4 vectors per pass, 8 loads feed
 * 16 multiply-adds (as `gram.ts`), and a row of C is read once per 4 vectors.
 */

/**
 * @param c n×n row-major float64, symmetric.
 * @param x `width` vectors of length n (at least width·n values).
 * @param y Output, `width` vectors of length n (at least width·n values); overwritten.
 */
export function symmetricTimesBlock(c: Float64Array, n: number, x: Float64Array, width: number, y: Float64Array): void {
  let j = 0;
  for (; j + 4 <= width; j += 4) {
    const x0 = j * n;
    const x1 = x0 + n;
    const x2 = x1 + n;
    const x3 = x2 + n;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let a00 = 0, a01 = 0, a02 = 0, a03 = 0;
      let a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      let a20 = 0, a21 = 0, a22 = 0, a23 = 0;
      let a30 = 0, a31 = 0, a32 = 0, a33 = 0;
      for (let l = 0; l < n; l++) {
        const c0 = c[r0 + l] as number;
        const c1 = c[r1 + l] as number;
        const c2 = c[r2 + l] as number;
        const c3 = c[r3 + l] as number;
        const v0 = x[x0 + l] as number;
        const v1 = x[x1 + l] as number;
        const v2 = x[x2 + l] as number;
        const v3 = x[x3 + l] as number;
        a00 += c0 * v0; a01 += c0 * v1; a02 += c0 * v2; a03 += c0 * v3;
        a10 += c1 * v0; a11 += c1 * v1; a12 += c1 * v2; a13 += c1 * v3;
        a20 += c2 * v0; a21 += c2 * v1; a22 += c2 * v2; a23 += c2 * v3;
        a30 += c3 * v0; a31 += c3 * v1; a32 += c3 * v2; a33 += c3 * v3;
      }
      y[x0 + i] = a00; y[x1 + i] = a01; y[x2 + i] = a02; y[x3 + i] = a03;
      y[x0 + i + 1] = a10; y[x1 + i + 1] = a11; y[x2 + i + 1] = a12; y[x3 + i + 1] = a13;
      y[x0 + i + 2] = a20; y[x1 + i + 2] = a21; y[x2 + i + 2] = a22; y[x3 + i + 2] = a23;
      y[x0 + i + 3] = a30; y[x1 + i + 3] = a31; y[x2 + i + 3] = a32; y[x3 + i + 3] = a33;
    }
    for (; i < n; i++) {
      for (let t = 0; t < 4; t++) y[x0 + t * n + i] = rowDot(c, i * n, x, x0 + t * n, n);
    }
  }
  for (; j < width; j++) {
    for (let i = 0; i < n; i++) y[j * n + i] = rowDot(c, i * n, x, j * n, n);
  }
}

function rowDot(c: Float64Array, co: number, x: Float64Array, xo: number, n: number): number {
  let s = 0;
  for (let l = 0; l < n; l++) s += (c[co + l] as number) * (x[xo + l] as number);
  return s;
}
