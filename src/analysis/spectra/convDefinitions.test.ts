import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../linalg/singularValues';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { convDims, toOihw } from './convKernel';
import { computeLayerSpectrum } from './layerSpectrum';

const sumSq = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0);

/** OIHW (c_out, c_in, kh, kw) → HWIO (kh, kw, c_in, c_out), written independently of toOihw. */
function oihwToHwio(k: Float64Array, cOut: number, cIn: number, kh: number, kw: number): Float64Array {
  const out = new Float64Array(k.length);
  for (let o = 0; o < cOut; o++) for (let c = 0; c < cIn; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    out[((i * kw + j) * cIn + c) * cOut + o] = k[((o * cIn + c) * kh + i) * kw + j] as number;
  }
  return out;
}

/**
 * The circular convolution on c_in × n × n inputs as an explicit (c_out·n²) × (c_in·n²) matrix:
 * y[o, a, b] = Σ_{c,p,q} K[o, c, p, q]·x[c, (a + p) mod n, (b + q) mod n].
 */
function explicitConvolutionMatrix(k: Float64Array, cOut: number, cIn: number, kh: number, kw: number, n: number): Float64Array {
  const rows = cOut * n * n;
  const cols = cIn * n * n;
  const m = new Float64Array(rows * cols);
  for (let o = 0; o < cOut; o++) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    const row = (o * n + a) * n + b;
    for (let c = 0; c < cIn; c++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const col = (c * n + ((a + p) % n)) * n + ((b + q) % n);
      m[row * cols + col] = (m[row * cols + col] as number) + (k[((o * cIn + c) * kh + p) * kw + q] as number);
    }
  }
  return m;
}

const kernels = fc.record({
  cOut: fc.integer({ min: 1, max: 6 }),
  cIn: fc.integer({ min: 1, max: 6 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1e9 }),
});

describe('conv definitions', () => {
  it('toOihw undoes an HWIO transpose', () => {
    const k = gaussianMatrix(4 * 3, 2 * 5, 7, 1);
    const hwio = oihwToHwio(k, 4, 3, 2, 5);
    const dims = convDims([2, 5, 3, 4], 'HWIO');
    expect(dims).toEqual({ cOut: 4, cIn: 3, kh: 2, kw: 5 });
    expect(toOihw(hwio, dims, 'HWIO')).toEqual(k);
  });

  it('unfold: σ of the c_out × c_in·kh·kw matrix, Σσ² = ‖K‖²_F, the same for HWIO', () => {
    fc.assert(
      fc.property(kernels, ({ cOut, cIn, kh, kw, seed }) => {
        const k = gaussianMatrix(cOut * cIn, kh * kw, seed, 0.2);
        const s = computeLayerSpectrum(k, [cOut, cIn, kh, kw], 'conv2d', 'OIHW', { conv: 'unfold' });
        expect(s).toMatchObject({ definition: 'unfold', rows: cOut, cols: cIn * kh * kw, matrixCount: 1 });
        expect(Array.from(s.singularValues)).toEqual(Array.from(singularValues(k, cOut, cIn * kh * kw)));
        expect(sumSq(s.singularValues)).toBeCloseTo(sumSq(k), 10);
        const h = computeLayerSpectrum(oihwToHwio(k, cOut, cIn, kh, kw), [kh, kw, cIn, cOut], 'conv2d', 'HWIO', { conv: 'unfold' });
        expect(h.singularValues).toEqual(s.singularValues);
      }),
      { seed: 20241123, numRuns: 60 },
    );
  });

  it('operator: n²·min(c_out, c_in) values with Σσ² = n²‖K‖²_F (Parseval), the same for HWIO', () => {
    fc.assert(
      fc.property(kernels, fc.integer({ min: 3, max: 7 }), ({ cOut, cIn, kh, kw, seed }, n) => {
        const k = gaussianMatrix(cOut * cIn, kh * kw, seed, 0.2);
        const s = computeLayerSpectrum(k, [cOut, cIn, kh, kw], 'conv2d', 'OIHW', { conv: 'operator', operatorInputSize: n });
        expect(s).toMatchObject({ definition: 'operator', rows: cOut, cols: cIn, matrixCount: n * n, operatorInputSize: n });
        expect(s.singularValues).toHaveLength(n * n * Math.min(cOut, cIn));
        expect(sumSq(s.singularValues) / (n * n * sumSq(k))).toBeCloseTo(1, 10);
        for (let i = 1; i < s.singularValues.length; i++) expect(s.singularValues[i]).toBeLessThanOrEqual(s.singularValues[i - 1] as number);
        const h = computeLayerSpectrum(oihwToHwio(k, cOut, cIn, kh, kw), [kh, kw, cIn, cOut], 'conv2d', 'HWIO', { conv: 'operator', operatorInputSize: n });
        expect(h.singularValues).toEqual(s.singularValues);
      }),
      { seed: 20241124, numRuns: 40 },
    );
  });

  it('operator: equals the singular values of the explicitly built convolution matrix', () => {
    for (const [cOut, cIn, kh, kw, n, seed] of [
      [2, 3, 3, 3, 4, 1],
      [3, 2, 2, 3, 5, 2],
      [4, 4, 3, 3, 3, 3],
      [1, 5, 1, 1, 4, 4],
      [3, 3, 3, 1, 6, 5],
    ] as const) {
      const k = gaussianMatrix(cOut * cIn, kh * kw, seed, 0.3);
      const viaFft = computeLayerSpectrum(k, [cOut, cIn, kh, kw], 'conv2d', 'OIHW', { conv: 'operator', operatorInputSize: n }).singularValues;
      const explicit = singularValues(explicitConvolutionMatrix(k, cOut, cIn, kh, kw, n), cOut * n * n, cIn * n * n);
      expect(viaFft.length).toBe(explicit.length);
      const top = explicit[0] as number;
      for (let i = 0; i < explicit.length; i++) expect(Math.abs((viaFft[i] as number) - (explicit[i] as number))).toBeLessThan(1e-10 * top);
    }
  });

  it('operator: refuses an input smaller than the kernel', () => {
    const k = gaussianMatrix(2 * 2, 9, 1, 1);
    expect(() => computeLayerSpectrum(k, [2, 2, 3, 3], 'conv2d', 'OIHW', { conv: 'operator', operatorInputSize: 2 })).toThrow(RangeError);
  });

  it('dense and stack tensors ignore the conv definition', () => {
    const w = gaussianMatrix(5, 4, 3, 1);
    expect(computeLayerSpectrum(w, [5, 4], 'dense', 'OIHW', { conv: 'operator' }).definition).toBe('dense');
  });
});
