import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { seededRandom } from '../random/seededRandom';
import { applyOrthogonalLeft, exactSvdMatrix, gaussianMatrix, gradedSpectrum, powerLawSpectrum, randomOrthogonal } from '../testing/exactSvdMatrix';
import { singularValues } from './singularValues';
import type { TopSingularVectors } from './topSingularVectors';
import { topSingularVectors } from './topSingularVectors';

/** The U (rows×rows) and V (cols×cols) behind `exactSvdMatrix(rows, cols, σ, seed)`: it draws them in this order. */
function knownFactors(rows: number, cols: number, seed: number): { u: Float64Array; v: Float64Array } {
  const rng = seededRandom(seed);
  const uq = randomOrthogonal(rows, rng);
  const vq = randomOrthogonal(cols, rng);
  const u = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) u[i * rows + i] = 1;
  applyOrthogonalLeft(uq, u, rows);
  const v = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) v[i * cols + i] = 1;
  applyOrthogonalLeft(vq, v, cols);
  return { u, v };
}

/** max |XᵀX − I| for X = len×k row-major. */
function orthonormalityError(x: Float64Array, len: number, k: number): number {
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += (x[i * k + a] as number) * (x[i * k + b] as number);
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/**
 * ‖(I − W·Wᵀ)·G‖_F: how far columns [from, to) of `got` (len×k) are from the span of the same columns of the
 * known factor `want` (len×len). Equals the sine of the angle for one column; no √(1 − cos²) cancellation.
 */
function subspaceSine(got: Float64Array, k: number, want: Float64Array, len: number, from: number, to: number): number {
  let sum = 0;
  for (let g = from; g < to; g++) {
    const r = new Float64Array(len);
    for (let i = 0; i < len; i++) r[i] = got[i * k + g] as number;
    for (let pass = 0; pass < 2; pass++) {
      for (let w = from; w < to; w++) {
        let d = 0;
        for (let i = 0; i < len; i++) d += (want[i * len + w] as number) * (r[i] as number);
        for (let i = 0; i < len; i++) r[i] = (r[i] as number) - d * (want[i * len + w] as number);
      }
    }
    for (let i = 0; i < len; i++) sum += (r[i] as number) ** 2;
  }
  return Math.sqrt(sum);
}

/** Per j, ‖A·vⱼ − σⱼ·uⱼ‖/σ₁ (right) and ‖Aᵀ·uⱼ − σⱼ·vⱼ‖/σ₁ (left), recomputed here from scratch. */
function tripletErrors(a: ArrayLike<number>, rows: number, cols: number, r: TopSingularVectors): { right: number[]; left: number[] } {
  const k = r.sigma.length;
  const scale = (r.sigma[0] as number) || 1;
  const right: number[] = [];
  const left: number[] = [];
  for (let j = 0; j < k; j++) {
    const s = r.sigma[j] as number;
    let sr = 0;
    for (let i = 0; i < rows; i++) {
      let av = 0;
      for (let c = 0; c < cols; c++) av += (a[i * cols + c] as number) * (r.v[c * k + j] as number);
      sr += (av - s * (r.u[i * k + j] as number)) ** 2;
    }
    let sl = 0;
    for (let c = 0; c < cols; c++) {
      let atu = 0;
      for (let i = 0; i < rows; i++) atu += (a[i * cols + c] as number) * (r.u[i * k + j] as number);
      sl += (atu - s * (r.v[c * k + j] as number)) ** 2;
    }
    right.push(Math.sqrt(sr) / scale);
    left.push(Math.sqrt(sl) / scale);
  }
  return { right, left };
}

/** The checks every result must pass: shapes, order, orthonormality, A·V = U·Σ, Aᵀ·U = V·Σ, sign convention. */
function expectValidTriplets(a: ArrayLike<number>, rows: number, cols: number, r: TopSingularVectors, k: number): void {
  expect(r.sigma).toHaveLength(k);
  expect(r.u).toHaveLength(rows * k);
  expect(r.v).toHaveLength(cols * k);
  expect(r.residuals).toHaveLength(k);
  for (let j = 0; j < k; j++) {
    expect(r.sigma[j]).toBeGreaterThanOrEqual(0);
    if (j > 0) expect(r.sigma[j]).toBeLessThanOrEqual(r.sigma[j - 1] as number);
    // Largest-magnitude entry of vⱼ is positive.
    let best = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(r.v[c * k + j] as number) > Math.abs(best)) best = r.v[c * k + j] as number;
    expect(best).toBeGreaterThan(0);
  }
  expect(orthonormalityError(r.u, rows, k)).toBeLessThan(1e-12);
  expect(orthonormalityError(r.v, cols, k)).toBeLessThan(1e-12);
  // The side recovered by multiplication holds by construction; the reported residual is the other side.
  const { right, left } = tripletErrors(a, rows, cols, r);
  const [constructed, reported] = rows >= cols ? [right, left] : [left, right];
  for (let j = 0; j < k; j++) {
    expect(constructed[j]).toBeLessThan(1e-13);
    expect(reported[j]).toBeLessThan(1e-10);
    expect(Math.abs((r.residuals[j] as number) - (reported[j] as number))).toBeLessThan(1e-14);
  }
}

describe('topSingularVectors on U·diag(σ)·Vᵀ with known factors', () => {
  const cases: [string, number, number, number[], number, 'krylov' | 'dense'][] = [
    ['power law 300×200, k = 10 (tall)', 300, 200, powerLawSpectrum(200), 10, 'krylov'],
    ['power law 200×300, k = 10 (wide)', 200, 300, powerLawSpectrum(200), 10, 'krylov'],
    ['graded 400×160, k = 1', 400, 160, gradedSpectrum(160), 1, 'krylov'],
    ['graded 160×400, k = 12', 160, 400, gradedSpectrum(160), 12, 'krylov'],
    ['power law 90×60, k = min = 60', 90, 60, powerLawSpectrum(60), 60, 'dense'],
    ['power law 60×90, k = 40', 60, 90, powerLawSpectrum(60), 40, 'dense'],
    ['square 150×150, k = 5', 150, 150, powerLawSpectrum(150), 5, 'krylov'],
    ['graded 768×3072, k = 10', 768, 3072, gradedSpectrum(768), 10, 'krylov'],
  ];
  for (const [label, rows, cols, sigma, k, method] of cases) {
    it(label, () => {
      const seed = rows + 7 * cols;
      const a = exactSvdMatrix(rows, cols, sigma, seed);
      const known = knownFactors(rows, cols, seed);
      const r = topSingularVectors(a, rows, cols, k);
      expect(r.method).toBe(method);
      expect(r.converged).toBe(true);
      expectValidTriplets(a, rows, cols, r, k);
      for (let j = 0; j < k; j++) {
        expect(Math.abs((r.sigma[j] as number) - (sigma[j] as number)) / (sigma[j] as number)).toBeLessThan(1e-10);
        // Distinct σ: each vector individually, angle ≈ ε·σ₁²/gap.
        expect(subspaceSine(r.u, k, known.u, rows, j, j + 1)).toBeLessThan(1e-9);
        expect(subspaceSine(r.v, k, known.v, cols, j, j + 1)).toBeLessThan(1e-9);
      }
    });
  }

  it('k beyond min(rows, cols) gives min(rows, cols) triplets', () => {
    const a = exactSvdMatrix(50, 30, powerLawSpectrum(30), 3);
    const r = topSingularVectors(a, 50, 30, 100);
    expectValidTriplets(a, 50, 30, r, 30);
  });

  it('float32 input: the same result as its exact float64 widening, σ near the float64 ones', () => {
    const a64 = exactSvdMatrix(300, 200, powerLawSpectrum(200), 11);
    const a32 = Float32Array.from(a64);
    const r32 = topSingularVectors(a32, 300, 200, 8);
    const r64 = topSingularVectors(Float64Array.from(a32), 300, 200, 8);
    expect(r32).toEqual(r64);
    expectValidTriplets(a32, 300, 200, r32, 8);
    r32.sigma.forEach((s, j) => expect(Math.abs(s - 1 / (j + 1)) * (j + 1)).toBeLessThan(1e-5));
  });

  it('scale-invariant for extreme magnitudes (2⁶⁰⁰ and 2⁻⁶⁰⁰)', () => {
    const a = exactSvdMatrix(300, 200, powerLawSpectrum(200), 12);
    const base = topSingularVectors(a, 300, 200, 4);
    for (const factor of [2 ** 600, 2 ** -600]) {
      const r = topSingularVectors(a.map((x) => x * factor), 300, 200, 4);
      r.sigma.forEach((s, j) => expect(Math.abs(s / factor - (base.sigma[j] as number))).toBeLessThan(1e-13));
      r.v.forEach((x, i) => expect(Math.abs(x - (base.v[i] as number))).toBeLessThan(1e-10));
      expect(Math.max(...r.residuals)).toBeLessThan(1e-10);
    }
  });
});

describe('topSingularVectors on clusters, zeros and rank deficiency', () => {
  it('a σ of multiplicity 6 (more than one Lanczos block): the subspace, not the vectors', () => {
    const sigma = [4, 4, 4, 4, 4, 4, 2, 1.5, ...powerLawSpectrum(192).map((s) => s)];
    const a = exactSvdMatrix(300, 200, sigma, 21);
    const known = knownFactors(300, 200, 21);
    const r = topSingularVectors(a, 300, 200, 8);
    expect(r.method).toBe('krylov');
    expectValidTriplets(a, 300, 200, r, 8);
    for (let j = 0; j < 8; j++) expect(Math.abs((r.sigma[j] as number) - (sigma[j] as number)) / (sigma[j] as number)).toBeLessThan(1e-10);
    expect(subspaceSine(r.u, 8, known.u, 300, 0, 6)).toBeLessThan(1e-9);
    expect(subspaceSine(r.v, 8, known.v, 200, 0, 6)).toBeLessThan(1e-9);
    for (const j of [6, 7]) {
      expect(subspaceSine(r.u, 8, known.u, 300, j, j + 1)).toBeLessThan(1e-9);
      expect(subspaceSine(r.v, 8, known.v, 200, j, j + 1)).toBeLessThan(1e-9);
    }
  });

  it('k cuts through a cluster: the 3 vectors lie in the 6-dimensional singular subspace', () => {
    const sigma = [4, 4, 4, 4, 4, 4, ...powerLawSpectrum(194)];
    const a = exactSvdMatrix(200, 300, sigma, 22);
    const known = knownFactors(200, 300, 22);
    const r = topSingularVectors(a, 200, 300, 3);
    expectValidTriplets(a, 200, 300, r, 3);
    r.sigma.forEach((s) => expect(Math.abs(s - 4) / 4).toBeLessThan(1e-10));
    // Columns 0..2 of the result against columns 0..5 of the known factors.
    const widen = (x: Float64Array, len: number): Float64Array => {
      const out = new Float64Array(len * 6);
      for (let i = 0; i < len; i++) for (let j = 0; j < 3; j++) out[i * 6 + j] = x[i * 3 + j] as number;
      return out;
    };
    expect(subspaceSine(widen(r.u, 200), 6, known.u, 200, 0, 6)).toBeLessThan(1e-9);
    expect(subspaceSine(widen(r.v, 300), 6, known.v, 300, 0, 6)).toBeLessThan(1e-9);
  });

  it('a small matrix with repeated σ on the dense route', () => {
    const sigma = [2, 2, 2, 1, 1, 0.5, 0.25, 0.125];
    const a = exactSvdMatrix(12, 8, sigma, 23);
    const known = knownFactors(12, 8, 23);
    const r = topSingularVectors(a, 12, 8, 8);
    expect(r.method).toBe('dense');
    expectValidTriplets(a, 12, 8, r, 8);
    sigma.forEach((s, j) => expect(Math.abs((r.sigma[j] as number) - s) / s).toBeLessThan(1e-12));
    expect(subspaceSine(r.v, 8, known.v, 8, 0, 3)).toBeLessThan(1e-12);
    expect(subspaceSine(r.v, 8, known.v, 8, 3, 5)).toBeLessThan(1e-12);
  });

  it('zero matrix: σ = 0 with orthonormal (standard basis) vectors', () => {
    for (const a of [new Float64Array(30 * 20), new Float32Array(30 * 20)]) {
      const r = topSingularVectors(a, 30, 20, 5);
      expect(Array.from(r.sigma)).toEqual([0, 0, 0, 0, 0]);
      expect(orthonormalityError(r.u, 30, 5)).toBe(0);
      expect(orthonormalityError(r.v, 20, 5)).toBe(0);
      expect(Array.from(r.residuals)).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('rank 3 with k = 6: three σ ≈ 0 and an orthonormal completion', () => {
    for (const [rows, cols] of [
      [300, 200],
      [200, 300],
      [20, 12],
    ] as const) {
      const a = exactSvdMatrix(rows, cols, [3, 2, 1], 24);
      const known = knownFactors(rows, cols, 24);
      const r = topSingularVectors(a, rows, cols, 6);
      expectValidTriplets(a, rows, cols, r, 6);
      [3, 2, 1].forEach((s, j) => expect(Math.abs((r.sigma[j] as number) - s) / s).toBeLessThan(1e-10));
      for (let j = 3; j < 6; j++) expect(r.sigma[j]).toBeLessThan(1e-12);
      expect(subspaceSine(r.u, 6, known.u, rows, 0, 3)).toBeLessThan(1e-10);
    }
  });

  it('a rank-one matrix with exact zeros elsewhere (x·yᵀ), wide and tall', () => {
    const x = [1, -2, 3, 0, 0.5];
    const y = [2, 0, -1, 4, 1, 1, 0];
    const a = new Float64Array(5 * 7);
    x.forEach((xi, i) => y.forEach((yj, j) => (a[i * 7 + j] = xi * yj)));
    const norm = Math.hypot(...x) * Math.hypot(...y);
    const r = topSingularVectors(a, 5, 7, 3);
    expectValidTriplets(a, 5, 7, r, 3);
    expect(Math.abs((r.sigma[0] as number) - norm) / norm).toBeLessThan(1e-14);
  });

  it('empty results for k = 0 and 0-size matrices', () => {
    expect(topSingularVectors(new Float64Array(6), 2, 3, 0).sigma).toHaveLength(0);
    const r = topSingularVectors(new Float64Array(0), 0, 5, 3);
    expect(r.sigma).toHaveLength(0);
    expect(r.v).toHaveLength(0);
  });

  it('rejects bad shapes, bad k and non-finite values', () => {
    expect(() => topSingularVectors(new Float64Array(5), 2, 3, 1)).toThrow(RangeError);
    expect(() => topSingularVectors(new Float64Array(6), 2, 3, -1)).toThrow(RangeError);
    expect(() => topSingularVectors(new Float64Array(6), 2, 3, 1.5)).toThrow(RangeError);
    expect(() => topSingularVectors(Float64Array.from([1, NaN, 0, 0, 0, 0]), 2, 3, 1)).toThrow(/1 NaN/);
  });
});

describe('topSingularVectors: reproducibility and cancellation', () => {
  const a = exactSvdMatrix(300, 200, powerLawSpectrum(200), 31);

  it('is deterministic: the same output twice, bit for bit', () => {
    expect(topSingularVectors(a, 300, 200, 6)).toEqual(topSingularVectors(a, 300, 200, 6));
  });

  it('another seed gives the same triplets to rounding (signs are fixed, not random)', () => {
    const r1 = topSingularVectors(a, 300, 200, 6, { seed: 1 });
    const r2 = topSingularVectors(a, 300, 200, 6, { seed: 987 });
    r1.sigma.forEach((s, j) => expect(Math.abs(s - (r2.sigma[j] as number))).toBeLessThan(1e-13));
    r1.u.forEach((x, i) => expect(Math.abs(x - (r2.u[i] as number))).toBeLessThan(1e-10));
    r1.v.forEach((x, i) => expect(Math.abs(x - (r2.v[i] as number))).toBeLessThan(1e-10));
  });

  it('throws AnalysisCancelled wherever the flag is raised (Gram, Lanczos, recovery)', () => {
    let calls = 0;
    topSingularVectors(a, 300, 200, 6, { shouldCancel: () => (calls++, false) });
    expect(calls).toBeGreaterThan(20);
    for (const stop of [0, Math.floor(calls / 2), calls - 3, calls - 1]) {
      let seen = 0;
      expect(() => topSingularVectors(a, 300, 200, 6, { shouldCancel: () => seen++ >= stop })).toThrow(AnalysisCancelled);
    }
  });

  it('uses the Gram backend it is given, and polls in every Lanczos restart after it', () => {
    // This backend never polls, so every poll below comes from the eigen-solve and the recovery.
    let gramCalls = 0;
    const linalg = { name: 'reference', gram: (data: Float32Array | Float64Array, rows: number, cols: number) => (gramCalls++, referenceGram(data, rows, cols)) };
    let polls = 0;
    const r = topSingularVectors(a, 300, 200, 6, { linalg, shouldCancel: () => (polls++, false) });
    expect(gramCalls).toBe(1);
    expect(r.method).toBe('krylov');
    expect(polls).toBeGreaterThanOrEqual(r.iterations);
    expectValidTriplets(a, 300, 200, r, 6);
    for (const stop of [0, Math.floor(polls / 2), polls - 1]) {
      let seen = 0;
      expect(() => topSingularVectors(a, 300, 200, 6, { linalg, shouldCancel: () => seen++ >= stop })).toThrow(AnalysisCancelled);
    }
  });
});

/** A Gram the slow, obvious way (the backend hook must be honoured). */
function referenceGram(data: Float32Array | Float64Array, rows: number, cols: number): { gram: Float64Array; n: number } {
  const tall = rows >= cols;
  const n = tall ? cols : rows;
  const depth = tall ? rows : cols;
  const at = (g: number, t: number): number => (tall ? (data[t * cols + g] as number) : (data[g * cols + t] as number));
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < depth; t++) s += at(i, t) * at(j, t);
      gram[i * n + j] = s;
    }
  }
  return { gram, n };
}

describe('topSingularVectors properties (fast-check, fixed seed)', () => {
  it('Gaussian matrices of any small shape: valid triplets whose σ are the top singular values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), (rows, cols, seed, kFraction) => {
        const m = Math.min(rows, cols);
        const k = Math.max(1, Math.ceil(kFraction * m));
        const a = gaussianMatrix(rows, cols, seed);
        const r = topSingularVectors(a, rows, cols, k, { seed });
        expectValidTriplets(a, rows, cols, r, k);
        const all = singularValues(a, rows, cols);
        r.sigma.forEach((s, j) => expect(Math.abs(s - (all[j] as number))).toBeLessThan(1e-12 * (all[0] as number)));
      }),
      { seed: 20240611, numRuns: 60 },
    );
  });

  it('the Lanczos route on Gaussian matrices (n ≥ 120): valid triplets, σ as singularValues', () => {
    fc.assert(
      fc.property(fc.integer({ min: 120, max: 180 }), fc.integer({ min: 120, max: 220 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (rows, cols, k, seed) => {
        const a = gaussianMatrix(rows, cols, seed);
        const r = topSingularVectors(a, rows, cols, k, { seed });
        expect(r.method).toBe('krylov');
        expectValidTriplets(a, rows, cols, r, k);
        const all = singularValues(a, rows, cols);
        r.sigma.forEach((s, j) => expect(Math.abs(s - (all[j] as number)) / (all[j] as number)).toBeLessThan(1e-12));
      }),
      { seed: 20240612, numRuns: 8 },
    );
  });
});

describe('topSingularVectors timings, 768×3072 (logged, not asserted)', () => {
  it('k = 10 and k = 50 against the full singularValues', () => {
    const lines: string[] = [];
    const matrices: [string, Float64Array][] = [
      ['graded σ', exactSvdMatrix(768, 3072, gradedSpectrum(768), 41)],
      ['Gaussian entries', gaussianMatrix(768, 3072, 42)],
    ];
    for (const [label, a] of matrices) {
      let start = performance.now();
      const all = singularValues(a, 768, 3072);
      const fullMs = performance.now() - start;
      lines.push(`${label}: singularValues (all 768 σ, no vectors) ${fullMs.toFixed(0)} ms`);
      for (const k of [10, 50]) {
        start = performance.now();
        const r = topSingularVectors(a, 768, 3072, k);
        const ms = performance.now() - start;
        let sigmaError = 0;
        r.sigma.forEach((s, j) => (sigmaError = Math.max(sigmaError, Math.abs(s - (all[j] as number)) / (all[j] as number))));
        lines.push(
          `${label}: topSingularVectors k = ${k}: ${ms.toFixed(0)} ms (${r.method}, ${r.iterations} restarts, ${r.gramProducts} Gram products), ` +
            `max residual ${Math.max(...r.residuals).toExponential(1)}, σ vs singularValues ${sigmaError.toExponential(1)}`,
        );
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
});
