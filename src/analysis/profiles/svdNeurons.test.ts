import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { exactSvdMatrix, gaussianMatrix, rankDeficientSpectrum } from '../testing/exactSvdMatrix';
import { svdNeurons, unfoldConvKernel } from './svdNeurons';

/** Largest |entry| of UᵀU − I and of W·Wᵀ·U − U·Σ². */
function svdErrors(w: Float64Array, rows: number, cols: number): { orthonormality: number; eigen: number; sigmaMax: number } {
  const { U, sigma, rank } = svdNeurons(w, rows, cols);
  let orthonormality = 0;
  for (let a = 0; a < rank; a++) {
    for (let b = 0; b < rank; b++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += (U[i * rank + a] as number) * (U[i * rank + b] as number);
      orthonormality = Math.max(orthonormality, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  // Wᵀ·u_k, then W·(Wᵀ·u_k) − σ_k²·u_k.
  let eigen = 0;
  for (let k = 0; k < rank; k++) {
    const t = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j] = (t[j] as number) + (w[i * cols + j] as number) * (U[i * rank + k] as number);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += (w[i * cols + j] as number) * (t[j] as number);
      eigen = Math.max(eigen, Math.abs(s - (sigma[k] as number) ** 2 * (U[i * rank + k] as number)));
    }
  }
  return { orthonormality, eigen, sigmaMax: sigma[0] ?? 0 };
}

/** OIHW (c_out, c_in, kh, kw) → HWIO (kh, kw, c_in, c_out), written independently of the code under test. */
function oihwToHwio(k: Float64Array, cOut: number, cIn: number, kh: number, kw: number): Float64Array {
  const out = new Float64Array(k.length);
  for (let o = 0; o < cOut; o++) for (let c = 0; c < cIn; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    out[((i * kw + j) * cIn + c) * cOut + o] = k[((o * cIn + c) * kh + i) * kw + j] as number;
  }
  return out;
}

describe('svdNeurons', () => {
  it('a 2×3 matrix with a known SVD', () => {
    // W = U·diag(5, 2.5)·Vᵀ with U = [[0.6, −0.8], [0.8, 0.6]] and V = the first two columns of I₃:
    // W·Wᵀ = [[13, 9], [9, 18.25]], trace 31.25, det 156.25 → λ = 25, 6.25, σ = 5, 2.5.
    // Signs: u₁ = (0.6, 0.8) already has its largest entry positive; u₂ = ±(−0.8, 0.6) → (0.8, −0.6).
    const s = svdNeurons([3, -2, 0, 4, 1.5, 0], 2, 3);
    expect(s.rows).toBe(2);
    expect(s.rank).toBe(2);
    expect(s.sigma[0]).toBeCloseTo(5, 13);
    expect(s.sigma[1]).toBeCloseTo(2.5, 13);
    [0.6, 0.8, 0.8, -0.6].forEach((u, i) => expect(s.U[i]).toBeCloseTo(u, 13));
  });

  it('random seeded matrices: UᵀU = I, W·Wᵀ·U = U·Σ², σ² as singularValues', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 1e9 }), (rows, cols, seed) => {
        const w = gaussianMatrix(rows, cols, seed);
        const { orthonormality, eigen, sigmaMax } = svdErrors(w, rows, cols);
        expect(orthonormality).toBeLessThan(1e-10);
        expect(eigen).toBeLessThan(1e-11 * Math.max(1, sigmaMax ** 2));
        const { sigma, rank, U } = svdNeurons(w, rows, cols);
        expect(rank).toBe(Math.min(rows, cols));
        expect(U).toHaveLength(rows * rank);
        const reference = singularValues(w, rows, cols);
        sigma.forEach((s, k) => {
          expect(Math.abs(s ** 2 - (reference[k] as number) ** 2)).toBeLessThan(1e-12 * sigmaMax ** 2 * rows);
          if (k > 0) expect(s).toBeLessThanOrEqual(sigma[k - 1] as number);
        });
      }),
      { seed: 20241124, numRuns: 80 },
    );
  });

  it('rank-deficient and tall matrices: U stays orthonormal, σ as constructed', () => {
    for (const [rows, cols] of [[9, 6], [6, 9], [12, 12], [20, 3]] as const) {
      const sigmaTrue = rankDeficientSpectrum(Math.min(rows, cols));
      const w = exactSvdMatrix(rows, cols, sigmaTrue, rows * 100 + cols);
      const { orthonormality, eigen } = svdErrors(w, rows, cols);
      expect(orthonormality).toBeLessThan(1e-10);
      expect(eigen).toBeLessThan(1e-12);
      const { sigma } = svdNeurons(w, rows, cols);
      sigma.forEach((s, k) => expect(Math.abs(s ** 2 - (sigmaTrue[k] as number) ** 2)).toBeLessThan(1e-13));
    }
  });

  it('sign convention: the largest-|entry| of every column is positive; deterministic; W and −W agree', () => {
    const w = gaussianMatrix(7, 10, 3);
    const a = svdNeurons(w, 7, 10);
    for (let k = 0; k < a.rank; k++) {
      let best = 0;
      for (let i = 0; i < a.rows; i++) if (Math.abs(a.U[i * a.rank + k] as number) > Math.abs(best)) best = a.U[i * a.rank + k] as number;
      expect(best).toBeGreaterThan(0);
    }
    expect(svdNeurons(w, 7, 10)).toEqual(a);
    expect(svdNeurons(w.map((v) => -v), 7, 10)).toEqual(a); // same W·Wᵀ, bit for bit
    expect(svdNeurons(Array.from(w), 7, 10)).toEqual(a); // plain arrays are accepted
  });

  it('extreme magnitudes are rescaled exactly', () => {
    const w = gaussianMatrix(5, 8, 11);
    const a = svdNeurons(w, 5, 8);
    for (const scale of [2 ** 600, 2 ** -600]) {
      const b = svdNeurons(w.map((v) => v * scale), 5, 8);
      expect(b.U).toEqual(a.U);
      b.sigma.forEach((s, k) => expect(s / scale).toBe(a.sigma[k]));
    }
  });

  it('empty shapes, zero matrices and bad input', () => {
    expect(svdNeurons([], 0, 4)).toEqual({ rows: 0, rank: 0, U: new Float64Array(0), sigma: new Float64Array(0) });
    expect(svdNeurons([], 3, 0)).toEqual({ rows: 3, rank: 0, U: new Float64Array(0), sigma: new Float64Array(0) });
    const z = svdNeurons(new Float64Array(6), 3, 2);
    expect(Array.from(z.sigma)).toEqual([0, 0]);
    expect(svdErrors(new Float64Array(6), 3, 2).orthonormality).toBeLessThan(1e-15);
    expect(() => svdNeurons([1, 2, 3], 2, 2)).toThrow(RangeError);
    expect(() => svdNeurons([1, NaN, 3, 4], 2, 2)).toThrow(/NaN or infinite/);
    expect(() => svdNeurons([1, 2], -1, -2)).toThrow(RangeError);
  });
});

describe('unfoldConvKernel', () => {
  it('columns are c_in-major, then kernel row, then kernel column; HWIO gives the same matrix', () => {
    const [cOut, cIn, kh, kw] = [3, 2, 2, 3];
    const k = gaussianMatrix(cOut * cIn, kh * kw, 5);
    const a = unfoldConvKernel(k, [cOut, cIn, kh, kw], 'OIHW');
    expect(a.rows).toBe(cOut);
    expect(a.cols).toBe(cIn * kh * kw);
    for (let o = 0; o < cOut; o++) for (let c = 0; c < cIn; c++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      expect(a.data[o * a.cols + (c * kh + p) * kw + q]).toBe(k[((o * cIn + c) * kh + p) * kw + q]);
    }
    expect(unfoldConvKernel(oihwToHwio(k, cOut, cIn, kh, kw), [kh, kw, cIn, cOut], 'HWIO')).toEqual(a);
    expect(unfoldConvKernel(Array.from(k), [cOut, cIn, kh, kw], 'OIHW')).toEqual(a);
    expect(a.data).not.toBe(k); // a fresh array, never the input
  });

  it('unfold · (a c_in×kh×kw patch, channel-major) = the conv output at that position', () => {
    // y[o] = Σ_{c,p,q} K[o, c, p, q]·x[c, p, q]: a valid 2-D convolution (cross-correlation, as in
    // PyTorch and TF) of a kh×kw input has one output position; its patch flattened in CHW order is
    // the im2col column, so W_unfold·patch must equal y.
    const [cOut, cIn, kh, kw] = [2, 3, 3, 2];
    const k = gaussianMatrix(cOut, cIn * kh * kw, 8);
    const x = gaussianMatrix(cIn, kh * kw, 9);
    const { data, cols } = unfoldConvKernel(oihwToHwio(k, cOut, cIn, kh, kw), [kh, kw, cIn, cOut], 'HWIO');
    for (let o = 0; o < cOut; o++) {
      let direct = 0;
      for (let c = 0; c < cIn; c++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
        direct += (k[((o * cIn + c) * kh + p) * kw + q] as number) * (x[(c * kh + p) * kw + q] as number);
      }
      let viaUnfold = 0;
      for (let j = 0; j < cols; j++) viaUnfold += (data[o * cols + j] as number) * (x[j] as number);
      expect(viaUnfold).toBeCloseTo(direct, 12);
    }
  });

  it('σ of svdNeurons on the unfold matrix = the `unfold` spectrum', () => {
    const shape = [6, 4, 3, 3];
    const k = gaussianMatrix(6, 36, 21);
    const { data, rows, cols } = unfoldConvKernel(k, shape, 'OIHW');
    const reference = computeLayerSpectrum(k, shape, 'conv2d', 'OIHW', { conv: 'unfold' }).singularValues;
    svdNeurons(data, rows, cols).sigma.forEach((s, i) => expect(s).toBeCloseTo(reference[i] as number, 10));
  });

  it('rejects shapes that are not 4-D or do not match the values', () => {
    expect(() => unfoldConvKernel(new Float64Array(6), [2, 3], 'OIHW')).toThrow(RangeError);
    expect(() => unfoldConvKernel(new Float64Array(7), [1, 2, 3, 1], 'HWIO')).toThrow(RangeError);
  });
});
