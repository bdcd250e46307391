import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { exactSvdMatrix, gaussianMatrix } from '../testing/exactSvdMatrix';
import { canRandomize, layerRandomization } from './layerRandomization';
import type { EigenvalueNormalization } from './layerMetrics';
import { layerReport } from './layerReport';

function randomization(w: Float64Array, shape: number[], kind: 'dense' | 'conv2d', seed = 1, normalization: EigenvalueNormalization = 'none') {
  const spectrum = computeLayerSpectrum(w, shape, kind, 'OIHW');
  const report = layerReport(spectrum, { mpFit: true, normalization });
  return { spectrum, report, result: layerRandomization(w, shape, kind, 'OIHW', spectrum.singularValues, report, { seed }) };
}
const randomize = (w: Float64Array, shape: number[], kind: 'dense' | 'conv2d', seed = 1) => randomization(w, shape, kind, seed).result?.columns;

const sumOf = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);
const sumOfSquares = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v * v, 0);

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

  it('is seeded: the same seed gives the same columns and ESD, and reports it', () => {
    const w = gaussianMatrix(40, 60, 5, 1);
    expect(randomization(w, [40, 60], 'dense', 7).result).toEqual(randomization(w, [40, 60], 'dense', 7).result);
    expect(randomize(w, [40, 60], 'dense', 7)?.randomize_seed).toBe(7);
    expect(randomization(w, [40, 60], 'dense', 7).result?.esd.seed).toBe(7);
  });

  it('pooled conv: shuffles every kernel slice; other definitions get no columns', () => {
    const k = gaussianMatrix(16 * 8, 9, 2, 0.1);
    expect(randomize(k, [16, 8, 3, 3], 'conv2d')).toHaveProperty('rand_distance');
    const unfold = computeLayerSpectrum(k, [16, 8, 3, 3], 'conv2d', 'OIHW', { conv: 'unfold' });
    const unfoldReport = layerReport(unfold);
    expect(layerRandomization(k, [16, 8, 3, 3], 'conv2d', 'OIHW', unfold.singularValues, unfoldReport)).toBeNull();
    expect(canRandomize('conv2d', unfoldReport.definition)).toBe(false);
    expect(canRandomize('conv2d', randomization(k, [16, 8, 3, 3], 'conv2d').report.definition)).toBe(true);
    expect(canRandomize('dense', 'dense')).toBe(true);
    expect(canRandomize('stack', 'dense')).toBe(false);
  });

  // Pinned from the implementation before the randomised ESD was returned too: the columns (values and order)
  // must not move, since they are checked against WeightWatcher.
  it('keeps its columns exactly: names, order and values', () => {
    const sigma = Array.from({ length: 40 }, (_, i) => (i < 3 ? 30 : 0.3));
    const cases = [
      { c: randomize(gaussianMatrix(40, 60, 5, 1), [40, 60], 'dense', 7)!, expected: { rand_distance: 0.01489966505594494, ww_softrank: 1.0168401816261299, max_rand_eval: 198.7794148564637, ww_maxdist: -2.9827703430731276, rand_num_spikes: 0, randomize_seed: 7 } },
      { c: randomize(exactSvdMatrix(40, 120, sigma, 4), [40, 120], 'dense', 3)!, expected: { rand_distance: 0.6776825763211789, ww_softrank: 0.166265830801689, max_rand_eval: 175.80662066892825, ww_maxdist: 750.3607522784799, rand_num_spikes: 0, randomize_seed: 3 } },
      { c: randomize(gaussianMatrix(16 * 8, 9, 2, 0.1), [16, 8, 3, 3], 'conv2d', 11)!, expected: { rand_distance: 0.03706152553619567, ww_softrank: 0.9966018385469815, max_rand_eval: 0.30467078234063694, ww_maxdist: 0.0008492962757759293, rand_num_spikes: 1, randomize_seed: 11 } },
    ];
    for (const { c, expected } of cases) {
      expect(Object.keys(c)).toEqual(Object.keys(expected));
      for (const [k, v] of Object.entries(expected)) {
        if (Number.isInteger(v)) expect(c[k]).toBe(v);
        else expect(Math.abs((c[k] as number) - v)).toBeLessThanOrEqual(1e-13 * Math.abs(v));
      }
    }
  });

  it('returns the pooled randomised λ ascending, replicas × the layer’s count, with max = max_rand_eval', () => {
    const dense = randomization(gaussianMatrix(30, 50, 9, 1), [30, 50], 'dense', 5);
    const { esd, columns } = dense.result!;
    expect(esd.replicas).toBe(5); // < 100 eigenvalues: WW pools 5 shuffles
    expect(esd.eigenvaluesAsc.length).toBe(esd.replicas * dense.spectrum.singularValues.length);
    for (let i = 1; i < esd.eigenvaluesAsc.length; i++) expect(esd.eigenvaluesAsc[i]!).toBeGreaterThanOrEqual(esd.eigenvaluesAsc[i - 1]!);
    expect(esd.eigenvaluesAsc[esd.eigenvaluesAsc.length - 1]).toBe(columns.max_rand_eval);
    const big = randomization(gaussianMatrix(120, 150, 9, 1), [120, 150], 'dense', 5).result!;
    expect(big.esd.replicas).toBe(1);
    expect(big.esd.eigenvaluesAsc.length).toBe(120);
  });

  it('gives the randomised ESD’s MP bulk edge and trap threshold in λ units; traps above it are rand_num_spikes', () => {
    const { esd, columns } = randomization(gaussianMatrix(16 * 8, 9, 2, 0.1), [16, 8, 3, 3], 'conv2d', 11).result!;
    expect(esd.bulkMax).toBeGreaterThan(0);
    expect(esd.bulkMin).toBeGreaterThanOrEqual(0);
    expect(esd.spikeThreshold).toBeGreaterThan(esd.bulkMax!);
    const traps = Array.from(esd.eigenvaluesAsc).filter((v) => v > esd.spikeThreshold!).length;
    expect(traps).toBe(columns.rand_num_spikes);
    expect(traps).toBe(1);
  });

  it('property: shuffling keeps the Frobenius norm, so Σλ_rand = replicas · evalScale · ‖W‖²_F (any definition scale)', () => {
    const normalizations: EigenvalueNormalization[] = ['none', 'per-row', 'mp'];
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        fc.constantFrom(...normalizations),
        (a, b, seed, conv, normalization) => {
          const shape = conv ? [a, b, 2, 3] : [a, b];
          const w = gaussianMatrix(shape.reduce((x, y) => x * y, 1), 1, seed, 0.5);
          const { report, result } = randomization(w, shape, conv ? 'conv2d' : 'dense', seed, normalization);
          const { esd } = result!;
          const expected = esd.replicas * report.evalScale * sumOfSquares(w);
          expect(Math.abs(sumOf(esd.eigenvaluesAsc) - expected)).toBeLessThanOrEqual(1e-9 * expected);
        },
      ),
      { seed: 20241123, numRuns: 40 },
    );
  });
});
