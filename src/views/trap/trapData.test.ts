import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { esdHistogram } from '../../analysis/spectra/esdHistogram';
import { computeLayerSpectrum } from '../../analysis/spectra/layerSpectrum';
import { layerRandomization } from '../../analysis/metrics/layerRandomization';
import { layerReport } from '../../analysis/metrics/layerReport';
import { gaussianMatrix } from '../../analysis/testing/exactSvdMatrix';
import { commonLogEdges, densityOnEdges, pairedEsdHistograms, trapChartData } from './trapData';

const mass = (edges: Float64Array, density: Float64Array) => density.reduce((s, d, i) => s + d * ((edges[i + 1] as number) - (edges[i] as number)), 0);
const sum = (counts: Uint32Array) => counts.reduce((s, c) => s + c, 0);

describe('trap view data', () => {
  it('bins both ESDs on the same log edges spanning both; each has mass 1 over its own eigenvalues', () => {
    const real = Float64Array.from([0.01, 0.2, 0.3, 5, 40]);
    const random = Float64Array.from([0.05, 0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 2, 0]);
    const { edges, real: r, random: q } = pairedEsdHistograms(real, random, { bins: 6 });
    expect(edges.length).toBe(7);
    expect(edges[0]).toBe(0.01);
    expect(edges[6]).toBe(40);
    expect(sum(r.counts)).toBe(5);
    expect(sum(q.counts)).toBe(9);
    expect(q.zeroCount).toBe(1);
    expect(mass(edges, r.density)).toBeCloseTo(1, 12);
    expect(mass(edges, q.density)).toBeCloseTo(1, 12);
  });

  it('on one set, densityOnEdges agrees with esdHistogram', () => {
    const values = Float64Array.from({ length: 200 }, (_, i) => Math.exp(Math.sin(i) * 4));
    const h = esdHistogram(values, { bins: 17 });
    const d = densityOnEdges(values, commonLogEdges([values], 17));
    expect(Array.from(d.counts)).toEqual(Array.from(h.counts));
    expect(Array.from(d.density)).toEqual(Array.from(h.density));
    expect(d.zeroCount).toBe(h.zeroCount);
  });

  it('property: every positive value lands in a bin; masses are 1', () => {
    const positive = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(positive, { minLength: 1, maxLength: 60 }), fc.array(positive, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (a, b, bins) => {
        const { edges, real, random } = pairedEsdHistograms(Float64Array.from(a), Float64Array.from(b), { bins });
        expect(sum(real.counts)).toBe(a.length);
        expect(sum(random.counts)).toBe(b.length);
        expect(Math.abs(mass(edges, real.density) - 1)).toBeLessThan(1e-9);
        expect(Math.abs(mass(edges, random.density) - 1)).toBeLessThan(1e-9);
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('no positive eigenvalue: no bins, everything counted as zero', () => {
    const p = pairedEsdHistograms(new Float64Array([0, 0]), new Float64Array([0]), { bins: 5 });
    expect(p.edges.length).toBe(0);
    expect(p.real.zeroCount).toBe(2);
    expect(p.random.zeroCount).toBe(1);
  });

  it('builds the chart data of a layer: λ in the analysed units, λ_max of both, traps above the threshold', () => {
    const shape = [16, 8, 3, 3];
    const w = gaussianMatrix(16 * 8, 9, 2, 0.1);
    const spectrum = computeLayerSpectrum(w, shape, 'conv2d', 'OIHW');
    const report = layerReport(spectrum, { mpFit: true });
    const r = layerRandomization(w, shape, 'conv2d', 'OIHW', spectrum.singularValues, report, { seed: 11 })!;
    const data = trapChartData('conv.weight', spectrum.singularValues, report.evalScale, r.esd);
    expect(report.evalScale).toBe(0.5);
    expect(data.lambdaMax).toBeCloseTo(0.5 * (spectrum.singularValues[0] as number) ** 2, 12);
    expect(data.lambdaMax).toBeCloseTo(Number(report.columns.lambda_max), 12);
    expect(data.randomLambdaMax).toBe(r.columns.max_rand_eval);
    expect(data.realCount).toBe(spectrum.singularValues.length);
    expect(data.randomCount).toBe(r.esd.replicas * spectrum.singularValues.length);
    expect(data.trapsAsc.length).toBe(r.columns.rand_num_spikes);
    expect(data.bulkMax).toBe(r.esd.bulkMax);
    expect(data.seed).toBe(11);
    for (const t of data.trapsAsc) expect(t).toBeGreaterThan(data.spikeThreshold!);
    expect(data.edges[0]).toBeLessThanOrEqual(r.esd.eigenvaluesAsc[0]!);
    expect(data.edges[data.edges.length - 1]).toBeGreaterThanOrEqual(Math.max(data.lambdaMax, data.randomLambdaMax));
  });

  it('without an MP fit there are no traps to mark', () => {
    const data = trapChartData('w', Float64Array.from([2, 1]), 1, { eigenvaluesAsc: Float64Array.from([1, 2, 3]), seed: 1, replicas: 1 });
    expect(data.spikeThreshold).toBeNull();
    expect(data.bulkMax).toBeNull();
    expect(data.trapsAsc.length).toBe(0);
    expect(data.lambdaMax).toBe(4);
    expect(data.randomLambdaMax).toBe(3);
  });
});
