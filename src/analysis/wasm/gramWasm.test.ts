import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisCancelled } from '../cancel';
import { gramOfSmallerSide } from '../linalg/gram';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import type { GramKernel } from './gramKernel';
import { instantiateGramKernel } from './gramKernel';
import { gramWasm } from './gramWasm';
import { planGram } from './planGram';
import { gramKernelBytes, gramKernelForTests } from './testing/gramKernelForTests';
import { WasmKernelError } from './wasmKernelError';
import { createWasmMemory } from './wasmMemory';

let kernel: GramKernel;
beforeAll(async () => {
  kernel = await gramKernelForTests();
});

/**
 * Largest |got − want| / √(C_ii·C_jj). Any float64 summation of a length-k dot product is within
 * γ_k·Σ|a_t·b_t| ≤ γ_k·√(C_ii·C_jj) of the exact value (γ_k ≈ k·2⁻⁵³; Higham, "Accuracy and Stability
 * of Numerical Algorithms", 2nd ed., §3.1), so two correct summation orders differ by at most 2·γ_k.
 */
function maxScaledError(got: Float64Array, want: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const scale = Math.sqrt((want[i * n + i] as number) * (want[j * n + j] as number));
      if (scale > 0) worst = Math.max(worst, Math.abs((got[i * n + j] as number) - (want[i * n + j] as number)) / scale);
      else expect(got[i * n + j]).toBe(0);
    }
  }
  return worst;
}

const UNIT_ROUNDOFF = 2 ** -53;

describe('gramWasm', () => {
  // n not a multiple of 4, depth not a multiple of the panel (64), both orientations, square, n = 1.
  const shapes: [number, number][] = [[1, 1], [3, 5], [5, 3], [3, 1], [1, 5], [17, 9], [9, 17], [130, 67], [67, 130], [64, 64], [200, 70], [257, 4]];
  for (const [rows, cols] of shapes) {
    for (const type of ['float32', 'float64'] as const) {
      it(`equals the float64 Gram of ${rows}×${cols} ${type} input to rounding`, () => {
        const a64 = gaussianMatrix(rows, cols, rows * 1000 + cols);
        const a = type === 'float32' ? Float32Array.from(a64) : a64;
        const got = gramWasm(kernel, a, rows, cols);
        const want = gramOfSmallerSide(a, rows, cols);
        expect(got.n).toBe(want.n);
        const depth = Math.max(rows, cols);
        expect(maxScaledError(got.gram, want.gram, want.n)).toBeLessThanOrEqual(2 * depth * UNIT_ROUNDOFF);
      });
    }
  }

  it('is bit-identical to gram.ts at the default panel depth (same panels of 64, same 4×4 summation order)', () => {
    for (const [rows, cols] of shapes) {
      const a64 = gaussianMatrix(rows, cols, rows + 31 * cols);
      for (const a of [a64, Float32Array.from(a64)]) expect(gramWasm(kernel, a, rows, cols).gram).toEqual(gramOfSmallerSide(a, rows, cols).gram);
    }
  });

  it('is exactly symmetric', () => {
    const { gram, n } = gramWasm(kernel, gaussianMatrix(50, 23, 5), 50, 23);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(gram[i * n + j]).toBe(gram[j * n + i]);
  });

  it('accumulates float32 input in float64', () => {
    // 1 + 2⁻¹² is exact in float32; its square 1 + 2⁻¹¹ + 2⁻²⁴ is not, but is exact in float64.
    const x = Math.fround(1 + 2 ** -12);
    const { gram } = gramWasm(kernel, new Float32Array([x, x]), 2, 1);
    expect(gram[0]).toBe(2 * (1 + 2 ** -11 + 2 ** -24));
  });

  it('keeps float64 input in float64 (never rounds it to float32)', () => {
    const x = 1 + 2 ** -40; // rounds to 1 in float32
    const { gram } = gramWasm(kernel, new Float64Array([x, x, x]), 3, 1);
    expect(gram[0]).toBe(x * x + x * x + x * x);
    expect(gram[0]).not.toBe(3);
  });

  it('gives bit-identical results however the rows are split into parts', () => {
    for (const [rows, cols] of [[130, 67], [67, 130], [300, 45]] as const) {
      for (const a of [gaussianMatrix(rows, cols, 7), Float32Array.from(gaussianMatrix(rows, cols, 8))]) {
        const single = gramWasm(kernel, a, rows, cols, { parts: 1 }).gram;
        for (const parts of [2, 3, 5, 8, 100]) expect(gramWasm(kernel, a, rows, cols, { parts }).gram).toEqual(single);
      }
    }
  });

  it('agrees to rounding for any panel depth', () => {
    const a = gaussianMatrix(150, 21, 9);
    const want = gramOfSmallerSide(a, 150, 21);
    for (const panelDepth of [1, 3, 64, 149, 150, 1000]) {
      expect(maxScaledError(gramWasm(kernel, a, 150, 21, { panelDepth }).gram, want.gram, 21)).toBeLessThanOrEqual(300 * UNIT_ROUNDOFF);
    }
  });

  it('writes nothing outside its layout', () => {
    const plannedEnd = planGram(70, 33, 'float32', { baseOffset: 4096, parts: 2 }).byteLength;
    const bytes = new Uint8Array(kernel.memory.buffer);
    bytes.fill(0xa5);
    const a = Float32Array.from(gaussianMatrix(70, 33, 10));
    gramWasm(kernel, a, 70, 33, { baseOffset: 4096, parts: 2 });
    const after = new Uint8Array(kernel.memory.buffer);
    expect(after.subarray(0, 4096).every((b) => b === 0xa5)).toBe(true);
    expect(after.subarray(plannedEnd).every((b) => b === 0xa5)).toBe(true);
  });

  it('grows the memory for a larger matrix after a smaller one', () => {
    const small = gaussianMatrix(10, 4, 11);
    gramWasm(kernel, small, 10, 4);
    const big = Float32Array.from(gaussianMatrix(2000, 300, 12)); // 2.4 MB input, 0.7 MB Gram
    const { gram } = gramWasm(kernel, big, 2000, 300);
    expect(kernel.memory.buffer.byteLength).toBeGreaterThan(3_000_000);
    expect(maxScaledError(gram, gramOfSmallerSide(big, 2000, 300).gram, 300)).toBeLessThanOrEqual(4000 * UNIT_ROUNDOFF);
    expect(maxScaledError(gramWasm(kernel, small, 10, 4).gram, gramOfSmallerSide(small, 10, 4).gram, 4)).toBeLessThanOrEqual(20 * UNIT_ROUNDOFF);
  });

  it('handles empty matrices', () => {
    expect(gramWasm(kernel, new Float64Array(0), 0, 5)).toEqual({ gram: new Float64Array(0), n: 0 });
    expect(gramWasm(kernel, new Float32Array(0), 4, 0).n).toBe(0);
  });

  it('rejects a length that does not match the shape', () => {
    expect(() => gramWasm(kernel, new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => gramWasm(kernel, new Float64Array(6), -2, -3)).toThrow(RangeError);
  });

  it('stops with AnalysisCancelled when asked', () => {
    let calls = 0;
    const a = gaussianMatrix(300, 20, 1);
    expect(() => gramWasm(kernel, a, 300, 20, { panelDepth: 32, shouldCancel: () => ++calls > 3 })).toThrow(AnalysisCancelled);
    expect(calls).toBe(4);
  });
});

describe('instantiateGramKernel', () => {
  it('runs the unshared build on an ordinary memory', async () => {
    const unshared = await gramKernelForTests(false);
    expect(unshared.shared).toBe(false);
    const a = gaussianMatrix(40, 13, 3);
    expect(gramWasm(unshared, a, 40, 13).gram).toEqual(gramWasm(kernel, a, 40, 13).gram);
  });

  it('says which build a memory needs', async () => {
    const mismatch = (cause: unknown): string | undefined => (cause instanceof WasmKernelError ? cause.code : undefined);
    const sharedBytes = await gramKernelBytes(true);
    const unsharedBytes = await gramKernelBytes(false);
    await expect(instantiateGramKernel(sharedBytes, createWasmMemory({ shared: false })).catch(mismatch)).resolves.toBe('WASM_MEMORY_MISMATCH');
    await expect(instantiateGramKernel(unsharedBytes, createWasmMemory({ shared: true })).catch(mismatch)).resolves.toBe('WASM_MEMORY_MISMATCH');
  });

  it('accepts a compiled WebAssembly.Module', async () => {
    const module = await WebAssembly.compile(await gramKernelBytes(true));
    const k = await instantiateGramKernel(module, createWasmMemory({ shared: true }));
    expect(gramWasm(k, new Float64Array([3, 4]), 2, 1).gram).toEqual(new Float64Array([25]));
  });

  it('rejects bytes that are not a SIMD kernel', async () => {
    const code = await instantiateGramKernel(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), createWasmMemory({ shared: true })).catch(
      (e: unknown) => (e instanceof WasmKernelError ? e.code : 'other'),
    );
    expect(code).toBe('WASM_KERNEL_INVALID');
    const garbage = await instantiateGramKernel(new Uint8Array([1, 2, 3]), createWasmMemory({ shared: true })).catch(
      (e: unknown) => (e instanceof WasmKernelError ? e.code : 'other'),
    );
    expect(garbage).toBe('WASM_UNSUPPORTED');
  });
});
