import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { singularValues } from '../linalg/singularValues';
import { exactSvdMatrix, gaussianMatrix, gradedSpectrum } from '../testing/exactSvdMatrix';
import { computeLayerSpectrum } from './layerSpectrum';

/** OIHW (c_out, c_in, kh, kw) → HWIO (kh, kw, c_in, c_out). */
function oihwToHwio(k: Float64Array, cOut: number, cIn: number, kh: number, kw: number): Float64Array {
  const out = new Float64Array(k.length);
  for (let o = 0; o < cOut; o++) for (let c = 0; c < cIn; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    out[((i * kw + j) * cIn + c) * cOut + o] = k[((o * cIn + c) * kh + i) * kw + j] as number;
  }
  return out;
}

/** σ of each OIHW slice W[:, :, i, j], computed independently and pooled, descending. */
function sliceByHandPooled(k: Float64Array, cOut: number, cIn: number, kh: number, kw: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    const slice = new Float64Array(cOut * cIn);
    for (let o = 0; o < cOut; o++) for (let c = 0; c < cIn; c++) slice[o * cIn + c] = k[((o * cIn + c) * kh + i) * kw + j] as number;
    all.push(...singularValues(slice, cOut, cIn));
  }
  return all.sort((a, b) => b - a);
}

const sumSq = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0);

describe('computeLayerSpectrum', () => {
  it('dense: σ of the matrix as stored, with its Frobenius norm', () => {
    const sigma = gradedSpectrum(20, 3);
    const w = Float32Array.from(exactSvdMatrix(20, 35, sigma, 1));
    const spectrum = computeLayerSpectrum(w, [20, 35], 'dense', 'OIHW');
    expect(spectrum).toMatchObject({ definition: 'dense', rows: 20, cols: 35, matrixCount: 1 });
    expect(Array.from(spectrum.singularValues)).toEqual(Array.from(singularValues(w, 20, 35)));
    expect(spectrum.frobeniusNormSq).toBe(sumSq(w));
  });

  it('conv (ww-pooled): pooled σ of an OIHW kernel = union of its slices’ σ; HWIO gives the identical spectrum', () => {
    fc.assert(
      fc.property(
        fc.record({
          cOut: fc.integer({ min: 1, max: 12 }),
          cIn: fc.integer({ min: 1, max: 12 }),
          kh: fc.integer({ min: 1, max: 4 }),
          kw: fc.integer({ min: 1, max: 4 }),
          seed: fc.integer({ min: 0, max: 1e9 }),
        }),
        ({ cOut, cIn, kh, kw, seed }) => {
          const kernel = gaussianMatrix(cOut * cIn, kh * kw, seed, 0.1);
          const oihw = computeLayerSpectrum(kernel, [cOut, cIn, kh, kw], 'conv2d', 'OIHW');
          expect(oihw).toMatchObject({ definition: 'ww-pooled', rows: cOut, cols: cIn, matrixCount: kh * kw });
          expect(oihw.singularValues).toHaveLength(kh * kw * Math.min(cOut, cIn));
          expect(Array.from(oihw.singularValues)).toEqual(sliceByHandPooled(kernel, cOut, cIn, kh, kw));

          const hwio = computeLayerSpectrum(oihwToHwio(kernel, cOut, cIn, kh, kw), [kh, kw, cIn, cOut], 'conv2d', 'HWIO');
          expect(hwio).toMatchObject({ definition: 'ww-pooled', rows: cOut, cols: cIn, matrixCount: kh * kw });
          expect(hwio.singularValues).toEqual(oihw.singularValues);

          const frobeniusSq = sumSq(kernel);
          expect(oihw.frobeniusNormSq).toBeCloseTo(frobeniusSq, 12);
          expect(Math.abs(sumSq(oihw.singularValues) - frobeniusSq) / frobeniusSq).toBeLessThanOrEqual(1e-10);
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });

  it('conv: a 3×3 kernel of slices with known σ gives exactly those σ pooled', () => {
    const [cOut, cIn, kh, kw] = [16, 24, 3, 3];
    const kernel = new Float64Array(cOut * cIn * kh * kw);
    const want: number[] = [];
    for (let p = 0; p < kh * kw; p++) {
      const sigma = gradedSpectrum(cOut, 2).map((s) => s * (p + 1));
      want.push(...sigma);
      const slice = exactSvdMatrix(cOut, cIn, sigma, p);
      for (let o = 0; o < cOut; o++) for (let c = 0; c < cIn; c++) kernel[(o * cIn + c) * kh * kw + p] = slice[o * cIn + c] as number;
    }
    want.sort((a, b) => b - a);
    const got = computeLayerSpectrum(kernel, [cOut, cIn, kh, kw], 'conv2d', 'OIHW').singularValues;
    want.forEach((w, i) => expect(Math.abs((got[i] as number) - w) / w).toBeLessThan(1e-10));
  });

  it('stack: one matrix per leading index, pooled', () => {
    const stack = gaussianMatrix(3 * 10, 7, 4);
    const spectrum = computeLayerSpectrum(stack, [3, 10, 7], 'stack', 'OIHW');
    expect(spectrum).toMatchObject({ definition: 'stack-pooled', rows: 10, cols: 7, matrixCount: 3 });
    const byHand = [0, 1, 2].flatMap((k) => Array.from(singularValues(stack.subarray(70 * k, 70 * (k + 1)), 10, 7)));
    expect(Array.from(spectrum.singularValues)).toEqual(byHand.sort((a, b) => b - a));
  });

  it('reports progress per matrix', () => {
    const calls: [number, number][] = [];
    computeLayerSpectrum(gaussianMatrix(4 * 5, 2 * 3, 1), [4, 5, 2, 3], 'conv2d', 'OIHW', { onMatrixDone: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
  });

  it('rejects non-finite values and kinds without matrices', () => {
    expect(() => computeLayerSpectrum(new Float32Array([1, Number.NaN, 0, 1]), [2, 2], 'dense', 'OIHW')).toThrow(/1 NaN/);
    expect(() => computeLayerSpectrum(new Float32Array(4), [4], 'vector', 'OIHW')).toThrow(RangeError);
  });

  it('stops promptly with AnalysisCancelled', () => {
    // 64 slices of 256×256: about a second of work uncancelled.
    const kernel = gaussianMatrix(256 * 256, 64, 2);
    const start = performance.now();
    let polls = 0;
    expect(() =>
      computeLayerSpectrum(kernel, [256, 256, 8, 8], 'conv2d', 'OIHW', { shouldCancel: () => ++polls > 1 && performance.now() - start > 10 }),
    ).toThrow(AnalysisCancelled);
    expect(performance.now() - start).toBeLessThan(300);
  });
});
