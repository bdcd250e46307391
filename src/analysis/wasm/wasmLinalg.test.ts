import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { exactSvdMatrix, gaussianMatrix, gradedSpectrum } from '../testing/exactSvdMatrix';
import { gramKernelBytes } from './testing/gramKernelForTests';
import { tridiagKernelBytes } from './testing/tridiagKernelForTests';
import { loadWasmLinalg, wasmLinalg } from './wasmLinalg';
import { gramKernelForTests } from './testing/gramKernelForTests';

describe('the WASM linear-algebra backend', () => {
  it('gives the same singular values as the TypeScript route, bit for bit (dense, conv, f32 and f64)', async () => {
    const linalg = await loadWasmLinalg(await gramKernelBytes(false), await tridiagKernelBytes(false));
    expect(linalg.symmetricEigenvalues).toBeDefined();
    const dense = Float32Array.from(exactSvdMatrix(70, 130, gradedSpectrum(70, 4), 3));
    const a = computeLayerSpectrum(dense, [70, 130], 'dense', 'OIHW');
    const b = computeLayerSpectrum(dense, [70, 130], 'dense', 'OIHW', { linalg });
    expect(b.linalg).toBe('wasm-simd128 f64');
    expect(a.linalg).toBe('typescript f64');
    expect(b.singularValues).toEqual(a.singularValues);
    const conv = gaussianMatrix(24 * 9, 9, 5, 0.1);
    expect(computeLayerSpectrum(conv, [24, 9, 3, 3], 'conv2d', 'OIHW', { linalg }).singularValues).toEqual(
      computeLayerSpectrum(conv, [24, 9, 3, 3], 'conv2d', 'OIHW').singularValues,
    );
  });
});

describe('WASM memory after a very large layer', () => {
  it('is replaced by fresh memory before the next layer (here: past 1 MiB), with the same results', async () => {
    const fresh = async () => ({ gram: await gramKernelForTests(false) });
    let renewed = 0;
    const first = await fresh();
    const linalg = wasmLinalg(first.gram, undefined, async () => (renewed++, fresh()), 2 ** 20);
    const small = gaussianMatrix(20, 30, 1, 1);
    const before = linalg.gram(small, 20, 30).gram;
    await linalg.prepare?.();
    expect(renewed).toBe(0);
    linalg.gram(new Float32Array(2000 * 200).fill(0.5), 2000, 200);
    expect(first.gram.memory.buffer.byteLength).toBeGreaterThan(2 ** 20);
    await linalg.prepare?.();
    expect(renewed).toBe(1);
    expect(linalg.gram(small, 20, 30).gram).toEqual(before);
    await linalg.prepare?.();
    expect(renewed).toBe(1);
  });
});
