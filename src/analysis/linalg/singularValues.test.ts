import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import {
  exactSvdMatrix,
  gaussianMatrix,
  gaussianSpectrum,
  gradedSpectrum,
  powerLawSpectrum,
  rankDeficientSpectrum,
} from '../testing/exactSvdMatrix';
import { singularValues } from './singularValues';

/**
 * The dense-layer tolerance of /work/shared/fixtures/README.md: σ ≥ 1e-3·σ_max to relative 1e-9;
 * below that (and exact zeros) to absolute 1e-7·σ_max. Returns the worst errors for reporting.
 */
function expectMatchesKnown(got: Float64Array, sigma: readonly number[], m: number): { relTop: number; absTail: number } {
  const want = [...sigma, ...Array<number>(m - sigma.length).fill(0)].sort((a, b) => b - a);
  expect(got).toHaveLength(m);
  const sigmaMax = want[0] as number;
  if (sigmaMax === 0) {
    expect(Array.from(got)).toEqual(want);
    return { relTop: 0, absTail: 0 };
  }
  let relTop = 0;
  let absTail = 0;
  want.forEach((w, i) => {
    const g = got[i] as number;
    if (w >= 1e-3 * sigmaMax) relTop = Math.max(relTop, Math.abs(g - w) / w);
    else absTail = Math.max(absTail, Math.abs(g - w) / sigmaMax);
  });
  expect(relTop).toBeLessThanOrEqual(1e-9);
  expect(absTail).toBeLessThanOrEqual(1e-7);
  return { relTop, absTail };
}

describe('singularValues on matrices with known σ (U·diag(σ)·Vᵀ)', () => {
  const cases: [string, number, number, number[]][] = [
    ['graded 50×30', 50, 30, gradedSpectrum(30)],
    ['graded 30×50', 30, 50, gradedSpectrum(30)],
    ['graded 200×120', 200, 120, gradedSpectrum(120)],
    ['graded 120×200', 120, 200, gradedSpectrum(120)],
    ['power law 200×120', 200, 120, powerLawSpectrum(120)],
    ['power law 97×161', 97, 161, powerLawSpectrum(97)],
    ['rank-deficient (1/3 zeros) 200×120', 200, 120, rankDeficientSpectrum(120)],
    ['rank-deficient (1/3 zeros) 90×150', 90, 150, rankDeficientSpectrum(90)],
    ['Gaussian spectrum 150×150', 150, 150, gaussianSpectrum(150, 3)],
    ['fewer σ than min side (zeros padded) 40×60', 40, 60, [5, 4, 3]],
    ['repeated σ 64×64', 64, 64, Array<number>(64).fill(2)],
    ['1×n', 1, 57, [3.25]],
    ['n×1', 57, 1, [0.5]],
    ['1×1', 1, 1, [7]],
    ['all zeros 20×30', 20, 30, []],
    ['graded 768×3072', 768, 3072, gradedSpectrum(768)],
  ];
  for (const [label, rows, cols, sigma] of cases) {
    it(label, () => {
      const w = exactSvdMatrix(rows, cols, sigma, rows + 7 * cols);
      expectMatchesKnown(singularValues(w, rows, cols), sigma, Math.min(rows, cols));
    });
  }

  it('a float32 copy of a graded matrix still gets its top σ to float32 accuracy', () => {
    const sigma = gradedSpectrum(60, 2);
    const w = Float32Array.from(exactSvdMatrix(80, 60, sigma, 3));
    const got = singularValues(w, 80, 60);
    sigma.forEach((s, i) => expect(Math.abs((got[i] as number) - s) / s).toBeLessThan(1e-4));
  });

  it('rescales extreme magnitudes instead of overflowing or underflowing', () => {
    for (const scale of [1e200, 1e-200]) {
      const sigma = gradedSpectrum(20, 3).map((s) => s * scale);
      const w = exactSvdMatrix(30, 20, sigma, 9);
      const got = singularValues(w, 30, 20);
      sigma.forEach((s, i) => expect(Math.abs((got[i] as number) - s) / s).toBeLessThan(1e-9));
    }
  });
});

describe('singularValues edge cases and validation', () => {
  it('returns an empty array for 0-size matrices', () => {
    expect(singularValues(new Float64Array(0), 0, 0)).toEqual(new Float64Array(0));
    expect(singularValues(new Float64Array(0), 0, 7)).toEqual(new Float64Array(0));
    expect(singularValues(new Float32Array(0), 7, 0)).toEqual(new Float64Array(0));
  });

  it('returns exact zeros for an all-zero matrix', () => {
    expect(singularValues(new Float32Array(12), 3, 4)).toEqual(new Float64Array(3));
  });

  it('uses the exact norm for vectors', () => {
    expect(singularValues(new Float64Array([3, 4]), 1, 2)).toEqual(new Float64Array([5]));
    expect(singularValues(new Float32Array([3, 0, -4]), 3, 1)).toEqual(new Float64Array([5]));
  });

  it('rejects a length that does not match the shape', () => {
    expect(() => singularValues(new Float64Array(6), 2, 4)).toThrow(RangeError);
    expect(() => singularValues(new Float64Array(6), 2.5, 2)).toThrow(RangeError);
  });

  it('rejects NaN and infinite values, naming the counts', () => {
    const w = new Float32Array([1, Number.NaN, 2, Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY]);
    expect(() => singularValues(w, 2, 3)).toThrow(RangeError);
    expect(() => singularValues(w, 2, 3)).toThrow(/2 NaN and 2 infinite/);
  });

  it('throws AnalysisCancelled promptly when cancelled mid-computation', () => {
    // A 2000×2000 Gram alone takes several seconds in plain TS; cancellation after ~20 ms must stop it fast.
    const w = gaussianMatrix(2000, 2000, 5);
    const start = performance.now();
    expect(() => singularValues(w, 2000, 2000, () => performance.now() - start > 20)).toThrow(AnalysisCancelled);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('can be cancelled during the eigenvalue stage', () => {
    // Let the Gram (well under 200 polls for 400×300) finish, then cancel in the tridiagonalisation.
    let polls = 0;
    const gramPolls = Math.ceil(300 / 4) * Math.ceil(400 / 64);
    expect(() => singularValues(gaussianMatrix(400, 300, 6), 400, 300, () => ++polls > gramPolls + 5)).toThrow(AnalysisCancelled);
    expect(polls).toBe(gramPolls + 6);
  });
});

/** A random matrix spec for the properties: shape up to 40×40, dtype, seed, and an entry scale. */
const matrixSpec = fc.record({
  rows: fc.integer({ min: 1, max: 40 }),
  cols: fc.integer({ min: 1, max: 40 }),
  float32: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  scale: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
});

function build(spec: { rows: number; cols: number; float32: boolean; seed: number; scale: number }): Float32Array | Float64Array {
  const w = gaussianMatrix(spec.rows, spec.cols, spec.seed, spec.scale);
  return spec.float32 ? Float32Array.from(w) : w;
}

function transposeOf(w: Float32Array | Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j] as number;
  return t;
}

describe('singularValues properties (fast-check, fixed seed)', () => {
  it('are min(r, c) values, non-negative, descending, with Σσ² = ‖W‖²_F', () => {
    fc.assert(
      fc.property(matrixSpec, (spec) => {
        const w = build(spec);
        const s = singularValues(w, spec.rows, spec.cols);
        expect(s).toHaveLength(Math.min(spec.rows, spec.cols));
        let sumSq = 0;
        for (let i = 0; i < s.length; i++) {
          expect(s[i]).toBeGreaterThanOrEqual(0);
          if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1] as number);
          sumSq += (s[i] as number) ** 2;
        }
        let frobeniusSq = 0;
        for (const v of w) frobeniusSq += v * v;
        expect(Math.abs(sumSq - frobeniusSq) / frobeniusSq).toBeLessThanOrEqual(1e-10);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('are invariant under transpose', () => {
    fc.assert(
      fc.property(matrixSpec, (spec) => {
        const w = build(spec);
        const s = singularValues(w, spec.rows, spec.cols);
        const t = singularValues(transposeOf(w, spec.rows, spec.cols), spec.cols, spec.rows);
        const tol = 1e-13 * (s[0] as number);
        s.forEach((v, i) => expect(Math.abs(v - (t[i] as number))).toBeLessThanOrEqual(tol));
      }),
      { seed: 43, numRuns: 100 },
    );
  });

  it('scale by |c| when W is multiplied by c', () => {
    fc.assert(
      fc.property(
        matrixSpec,
        fc.double({ min: 1e-4, max: 1e4, noNaN: true }),
        fc.boolean(),
        (spec, magnitude, negative) => {
          const c = negative ? -magnitude : magnitude;
          const w = build(spec);
          const s = singularValues(w, spec.rows, spec.cols);
          // Scale in float64 so the only difference is rounding, not a float32 re-rounding of c·w.
          const scaled = singularValues(Float64Array.from(w, (v) => c * v), spec.rows, spec.cols);
          const tol = 1e-12 * magnitude * (s[0] as number);
          s.forEach((v, i) => expect(Math.abs(magnitude * v - (scaled[i] as number))).toBeLessThanOrEqual(tol));
        },
      ),
      { seed: 44, numRuns: 100 },
    );
  });
});
