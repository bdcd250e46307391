import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { exactSvdMatrix, gaussianMatrix } from '../testing/exactSvdMatrix';
import { layerRandomization } from './layerRandomization';
import { layerReport } from './layerReport';

function randomize(w: Float64Array, shape: number[], kind: 'dense' | 'conv2d', seed = 1) {
  const spectrum = computeLayerSpectrum(w, shape, kind, 'OIHW');
  return layerRandomization(w, shape, kind, 'OIHW', spectrum.singularValues, layerReport(spectrum), { seed });
}

describe('layerRandomization', () => {
  it('a random matrix looks like its shuffle; a structured one does not', () => {
    const noise = randomize(gaussianMatrix(100, 300, 3, 1), [100, 300], 'dense')!;
    expect(noise.ww_softrank).toBeGreaterThan(0.85);
    expect(noise.rand_distance).toBeLessThan(0.05);
    const sigma = Array.from({ length: 100 }, (_, i) => (i < 3 ? 30 : 0.3));
    const spiked = randomize(exactSvdMatrix(100, 300, sigma, 4), [100, 300], 'dense')!;
    expect(spiked.ww_softrank).toBeLessThan(0.3);
    expect(spiked.rand_distance).toBeGreaterThan(noise.rand_distance!);
  });

  it('is seeded: the same seed gives the same columns, and reports it', () => {
    const w = gaussianMatrix(40, 60, 5, 1);
    expect(randomize(w, [40, 60], 'dense', 7)).toEqual(randomize(w, [40, 60], 'dense', 7));
    expect(randomize(w, [40, 60], 'dense', 7)?.randomize_seed).toBe(7);
  });

  it('pooled conv: shuffles every kernel slice; other definitions get no columns', () => {
    const k = gaussianMatrix(16 * 8, 9, 2, 0.1);
    expect(randomize(k, [16, 8, 3, 3], 'conv2d')).toHaveProperty('rand_distance');
    const unfold = computeLayerSpectrum(k, [16, 8, 3, 3], 'conv2d', 'OIHW', { conv: 'unfold' });
    expect(layerRandomization(k, [16, 8, 3, 3], 'conv2d', 'OIHW', unfold.singularValues, layerReport(unfold))).toBeNull();
  });
});
