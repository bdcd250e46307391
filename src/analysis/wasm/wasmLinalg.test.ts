import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { exactSvdMatrix, gaussianMatrix, gradedSpectrum } from '../testing/exactSvdMatrix';
import { gramKernelBytes } from './testing/gramKernelForTests';
import { tridiagKernelBytes } from './testing/tridiagKernelForTests';
import { loadWasmLinalg } from './wasmLinalg';

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
