import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { gramOfSmallerSide } from '../linalg/gram';
import { symmetricEigenvalues, tridiagonalEigenvalues, tridiagonalize } from '../linalg/symmetricEigenvalues';
import { exactSvdMatrix, gaussianMatrix, gaussianSpectrum, gradedSpectrum, powerLawSpectrum } from '../testing/exactSvdMatrix';
import { tridiagKernelBytes, tridiagKernelForTests } from './testing/tridiagKernelForTests';
import type { TridiagKernel } from './tridiagKernel';
import { instantiateTridiagKernel } from './tridiagKernel';
import type { TridiagonalizeWasmOptions } from './tridiagWasm';
import { symmetricEigenvaluesWasm, tridiagonalizeWasm } from './tridiagWasm';
import { WasmKernelError } from './wasmKernelError';
import { createWasmMemory } from './wasmMemory';

const UNIT_ROUNDOFF = 2 ** -53;

let kernel: TridiagKernel;
beforeAll(async () => {
  kernel = await tridiagKernelForTests();
});

/** The drivers: the default (unblocked up to order 1055), unblocked only, and tiny panels down to order 2. */
const DRIVERS: [string, TridiagonalizeWasmOptions][] = [
  ['default', {}],
  ['unblocked', { panelSize: 0 }],
  ['blocked (panels of 5 down to order 2)', { panelSize: 5, crossover: 2 }],
];
/** For the large orders: the default (still unblocked at 768) and LAPACK-like panels. */
const LARGE_DRIVERS: [string, TridiagonalizeWasmOptions][] = [
  ['default', {}],
  ['blocked (panels of 32 down to order 128)', { panelSize: 32, crossover: 128 }],
];

/** Seeded random symmetric matrix G + Gᵀ, with the upper triangle set to `upper` when given. */
function randomSymmetric(n: number, seed: number, upper?: number): Float64Array {
  const g = gaussianMatrix(n, n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = j > i && upper !== undefined ? upper : (g[i * n + j] as number) + (g[j * n + i] as number);
  }
  return a;
}

function eigenvaluesWasm(a: Float64Array, n: number, options: TridiagonalizeWasmOptions): Float64Array {
  const { diagonal, subDiagonal } = tridiagonalizeWasm(kernel, a, n, options);
  return tridiagonalEigenvalues(diagonal, subDiagonal);
}

/** max_i |got_i − want_i| / max|want|. */
function maxNormwiseDifference(got: Float64Array, want: Float64Array): number {
  const scale = Math.max(...Array.from(want, Math.abs));
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)));
  return scale > 0 ? worst / scale : worst;
}

describe('symmetricEigenvaluesWasm', () => {
  // A backward-stable reduction perturbs each eigenvalue by O(n·ε·‖A‖₂) (Golub & Van Loan §8.3.1, §8.1.2):
  // two of them (different summation orders) agree to a few n·ε·max|λ|. Measured for the blocked driver:
  // ≤ 1.2e-14 at n = 768 (the unblocked one is bit-identical).
  for (const n of [1, 2, 3, 5, 17, 64, 200, 768]) {
    it(`agrees with the TypeScript path on a random symmetric ${n}×${n} matrix`, () => {
      const a = randomSymmetric(n, 100 + n);
      const want = symmetricEigenvalues(a.slice(), n);
      const drivers = n >= 768 ? LARGE_DRIVERS : DRIVERS;
      for (const [, options] of drivers) {
        const got = eigenvaluesWasm(a, n, options);
        expect(got).toHaveLength(n);
        expect(got.every(Number.isFinite)).toBe(true);
        for (let i = 1; i < n; i++) expect(got[i]).toBeGreaterThanOrEqual(got[i - 1] as number);
        expect(maxNormwiseDifference(got, want)).toBeLessThanOrEqual(Math.max(4 * n, 16) * UNIT_ROUNDOFF);
      }
      expect(symmetricEigenvaluesWasm(kernel, a, n)).toEqual(eigenvaluesWasm(a, n, {}));
    });
  }

  // σ of A from C = AᵀA: both routes lose the same ~ε·λ_max absolutely, i.e. relative ε·(σ_max/σ)² on σ
  // (/work/shared/COMPUTE.md, "Why float64 matters": 2e-10 for the graded case against LAPACK).
  for (const [label, rows, cols, sigma] of [
    ['graded over 5 decades', 900, 768, gradedSpectrum(768)],
    ['graded over 5 decades', 300, 200, gradedSpectrum(200)],
    ['power law 1/i', 300, 200, powerLawSpectrum(200)],
    ['irregular (Gaussian)', 300, 200, gaussianSpectrum(200, 3)],
  ] as const) {
    it(`recovers known σ² from C = AᵀA, ${rows}×${cols} ${label}, as accurately as the TypeScript path`, () => {
      const a = exactSvdMatrix(rows, cols, sigma, 7);
      const { gram, n } = gramOfSmallerSide(a, rows, cols);
      const want = symmetricEigenvalues(gram.slice(), n);
      const sigmaDesc = [...sigma].sort((x, y) => y - x);
      const sigmaMax = sigmaDesc[0] as number;
      const drivers = n >= 768 ? LARGE_DRIVERS : DRIVERS;
      for (const [, options] of drivers) {
        const got = eigenvaluesWasm(gram, n, options);
        for (let i = 0; i < n; i++) {
          const lambdaWasm = got[n - 1 - i] as number;
          const lambdaTs = want[n - 1 - i] as number;
          const s = sigmaDesc[i] as number;
          // Measured |Δλ| ≤ 3.6e-15·λ_max (n = 768): well inside n·ε·λ_max / 4.
          expect(Math.abs(lambdaWasm - lambdaTs)).toBeLessThanOrEqual((n / 4) * UNIT_ROUNDOFF * sigmaMax * sigmaMax);
          if (s >= 1e-3 * sigmaMax) expect(Math.abs(Math.sqrt(lambdaWasm) - s) / s).toBeLessThanOrEqual(1e-10);
        }
        expect(Math.abs(Math.sqrt(got[n - 1] as number) - sigmaMax) / sigmaMax).toBeLessThanOrEqual(1e-14);
      }
    });
  }

  it('is bit-identical to the TypeScript path in the unblocked driver (the default up to order 1055)', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 64, 67, 200, 301]) {
      const a = randomSymmetric(n, 200 + n);
      const want = tridiagonalize(a.slice(), n);
      for (const options of [{}, { panelSize: 0 }]) expect(tridiagonalizeWasm(kernel, a, n, options)).toEqual(want);
      expect(symmetricEigenvaluesWasm(kernel, a, n)).toEqual(symmetricEigenvalues(a.slice(), n));
    }
    const zeroRow = randomSymmetric(25, 9);
    for (let j = 0; j < 25; j++) zeroRow[12 * 25 + j] = zeroRow[j * 25 + 12] = 0;
    expect(symmetricEigenvaluesWasm(kernel, zeroRow, 25)).toEqual(symmetricEigenvalues(zeroRow.slice(), 25));
  });

  it('returns the tridiagonal form the TypeScript reduction returns, to rounding, in the blocked driver', () => {
    const n = 40;
    const a = randomSymmetric(n, 5);
    const want = tridiagonalize(a.slice(), n);
    for (const [, options] of DRIVERS) {
      const got = tridiagonalizeWasm(kernel, a, n, options);
      expect(maxNormwiseDifference(got.diagonal, want.diagonal)).toBeLessThanOrEqual(1e-13);
      expect(maxNormwiseDifference(got.subDiagonal, want.subDiagonal)).toBeLessThanOrEqual(1e-13);
    }
  });

  it('reads only the lower triangle and leaves the input unchanged', () => {
    const n = 30;
    const a = randomSymmetric(n, 6, Number.NaN);
    const copy = a.slice();
    const want = symmetricEigenvalues(a.slice(), n);
    for (const [, options] of DRIVERS) {
      expect(maxNormwiseDifference(eigenvaluesWasm(a, n, options), want)).toBeLessThanOrEqual(1e-14);
      expect(a).toEqual(copy);
    }
  });

  it('returns a diagonal matrix’s diagonal exactly, and solves inputs that are already tridiagonal or split', () => {
    const diag = [4, -2, 0, 7.25, 1e-9, 3, 0, -1e300];
    const n = diag.length;
    const a = new Float64Array(n * n);
    diag.forEach((v, i) => (a[i * n + i] = v));
    const sorted = [...diag].sort((x, y) => x - y);
    for (const [, options] of DRIVERS) expect(Array.from(eigenvaluesWasm(a, n, options))).toEqual(sorted);

    // tridiag(−1, 2, −1): λₖ = 2 − 2cos(kπ/(m+1)); every row is already reduced (h = 0 at each step).
    const m = 60;
    const t = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      t[i * m + i] = 2;
      if (i > 0) t[i * m + i - 1] = -1;
    }
    const want = Float64Array.from({ length: m }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (m + 1)));
    for (const [, options] of DRIVERS) expect(maxNormwiseDifference(eigenvaluesWasm(t, m, options), want)).toBeLessThanOrEqual(1e-14);

    // A zero row in the middle of a dense block: that step has h = 0 inside a panel.
    const z = randomSymmetric(25, 9);
    for (let j = 0; j < 25; j++) z[12 * 25 + j] = z[j * 25 + 12] = 0;
    const wantZ = symmetricEigenvalues(z.slice(), 25);
    for (const [, options] of DRIVERS) expect(maxNormwiseDifference(eigenvaluesWasm(z, 25, options), wantZ)).toBeLessThanOrEqual(1e-14);
  });

  it('keeps the trace and the Frobenius norm', () => {
    const n = 90;
    const a = randomSymmetric(n, 10);
    let trace = 0;
    let frobenius2 = 0;
    for (let i = 0; i < n; i++) {
      trace += a[i * n + i] as number;
      for (let j = 0; j < n; j++) frobenius2 += (a[i * n + j] as number) ** 2;
    }
    for (const [, options] of DRIVERS) {
      const lambda = eigenvaluesWasm(a, n, options);
      expect(lambda.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
      expect(lambda.reduce((s, v) => s + v * v, 0) / frobenius2).toBeCloseTo(1, 13);
    }
  });

  it('handles n = 0 and rejects bad orders, lengths and options', () => {
    expect(symmetricEigenvaluesWasm(kernel, new Float64Array(0), 0)).toEqual(new Float64Array(0));
    expect(symmetricEigenvaluesWasm(kernel, new Float64Array([-3.5]), 1)).toEqual(new Float64Array([-3.5]));
    expect(() => symmetricEigenvaluesWasm(kernel, new Float64Array(5), 2)).toThrow(RangeError);
    expect(() => symmetricEigenvaluesWasm(kernel, new Float64Array(4), -2)).toThrow(RangeError);
    expect(() => tridiagonalizeWasm(kernel, new Float64Array(4), 2, { panelSize: 1.5 })).toThrow(RangeError);
  });

  it('writes nothing below its base offset, and reuses a memory across orders', () => {
    const bytes = new Uint8Array(kernel.memory.buffer);
    bytes.fill(0xa5, 0, 4096);
    const big = randomSymmetric(300, 11);
    const small = randomSymmetric(7, 12);
    for (const [a, n] of [[big, 300], [small, 7], [big, 300]] as const) {
      const got = tridiagonalizeWasm(kernel, a, n, { baseOffset: 4096, panelSize: 8, crossover: 16 });
      const want = tridiagonalize(a.slice(), n);
      expect(maxNormwiseDifference(tridiagonalEigenvalues(got.diagonal, got.subDiagonal), tridiagonalEigenvalues(want.diagonal, want.subDiagonal))).toBeLessThanOrEqual(1e-13);
    }
    expect(new Uint8Array(kernel.memory.buffer, 0, 4096).every((b) => b === 0xa5)).toBe(true);
  });

  it('stops with AnalysisCancelled when asked, in either driver, and works again afterwards', () => {
    const n = 100;
    const a = randomSymmetric(n, 13);
    for (const [, options] of DRIVERS) {
      for (const after of [0, 3, 60, 95]) {
        let calls = 0;
        expect(() => tridiagonalizeWasm(kernel, a, n, { ...options, shouldCancel: () => ++calls > after })).toThrow(AnalysisCancelled);
        expect(calls).toBe(after + 1);
      }
    }
    expect(() => symmetricEigenvaluesWasm(kernel, a, n, () => true)).toThrow(AnalysisCancelled);
    expect(maxNormwiseDifference(symmetricEigenvaluesWasm(kernel, a, n, () => false), symmetricEigenvalues(a.slice(), n))).toBeLessThanOrEqual(1e-14);
  });

  it('polls for cancellation at least once per Householder step', () => {
    const n = 500;
    const a = randomSymmetric(n, 14);
    for (const [, options] of DRIVERS) {
      let calls = 0;
      tridiagonalizeWasm(kernel, a, n, { ...options, shouldCancel: () => (calls++, false) });
      expect(calls).toBeGreaterThanOrEqual(n - 1);
    }
  });
});

describe('instantiateTridiagKernel', () => {
  it('runs the shared build on a shared memory, with the same results', async () => {
    const shared = await tridiagKernelForTests(true);
    expect(shared.shared).toBe(true);
    const a = randomSymmetric(70, 15);
    expect(symmetricEigenvaluesWasm(shared, a, 70)).toEqual(symmetricEigenvaluesWasm(kernel, a, 70));
  });

  it('says which build a memory needs, and accepts a compiled module', async () => {
    const code = (cause: unknown): string | undefined => (cause instanceof WasmKernelError ? cause.code : undefined);
    await expect(instantiateTridiagKernel(await tridiagKernelBytes(true), createWasmMemory({ shared: false })).catch(code)).resolves.toBe('WASM_MEMORY_MISMATCH');
    await expect(instantiateTridiagKernel(await tridiagKernelBytes(false), createWasmMemory({ shared: true })).catch(code)).resolves.toBe('WASM_MEMORY_MISMATCH');
    await expect(instantiateTridiagKernel(new Uint8Array([1, 2, 3]), createWasmMemory({ shared: false })).catch(code)).resolves.toBe('WASM_UNSUPPORTED');
    await expect(instantiateTridiagKernel(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), createWasmMemory({ shared: false })).catch(code)).resolves.toBe(
      'WASM_KERNEL_INVALID',
    );
    const module = await WebAssembly.compile(await tridiagKernelBytes(false));
    const k = await instantiateTridiagKernel(module, createWasmMemory({ shared: false }));
    expect(symmetricEigenvaluesWasm(k, new Float64Array([2, 1, 1, 2]), 2)).toEqual(symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2));
  });
});
