import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom';
import { choosePowerLawFit, fittedEigenvalues, fitPowerLaw, powerLawCurves, wwWarning } from './powerLawFit';
import { naivePowerLawCurves } from './testing/naivePowerLawFit';

/** n Pareto(α, xmin = 1) samples, seeded (inverse CDF: x = u^{−1/(α−1)}). */
function pareto(n: number, alpha: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  return Float64Array.from({ length: n }, () => Math.pow(1 - rng(), -1 / (alpha - 1)));
}

/** An ESD-like sample: a bulk (uniform) plus a Pareto tail, some exact duplicates. */
function esdLike(n: number, alpha: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const tail = pareto(Math.max(2, Math.floor(n / 4)), alpha, seed + 1);
  const bulk = Float64Array.from({ length: n - tail.length }, () => 0.2 + 0.8 * rng());
  const x = Float64Array.from([...bulk, ...tail]);
  for (let i = 0; i + 7 < x.length; i += 7) x[i + 1] = x[i] as number;
  return x;
}

const sameBits = (a: Float64Array, b: Float64Array) => expect(Array.from(a)).toEqual(Array.from(b));

describe('fitPowerLaw (WW WWFit)', () => {
  it('fast curves are bit-identical to the direct O(n²) evaluation (seeded property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.double({ min: 1.2, max: 9, noNaN: true }), fc.integer({ min: 0, max: 1e9 }), fc.boolean(), (n, alpha, seed, mixed) => {
        const x = fittedEigenvalues(mixed ? esdLike(n, alpha, seed) : pareto(n, alpha, seed));
        const fast = powerLawCurves(x);
        const naive = naivePowerLawCurves(x);
        sameBits(fast.alphas, naive.alphas);
        sameBits(fast.Ds, naive.Ds);
        sameBits(fast.sigmas, naive.sigmas);
        expect(choosePowerLawFit(x, x, fast)).toEqual(choosePowerLawFit(x, x, naive));
      }),
      { seed: 20240917, numRuns: 150 },
    );
  });

  it('fast = naive, bit for bit, on 768- and 3072-value ESDs (speed: npm run bench)', () => {
    for (const n of [768, 3072]) {
      const x = fittedEigenvalues(esdLike(n, 3, n));
      const naive = naivePowerLawCurves(x);
      const fast = powerLawCurves(x);
      sameBits(fast.Ds, naive.Ds);
      sameBits(fast.alphas, naive.alphas);
    }
  });

  it('recovers α of seeded Pareto samples (Clauset et al. 2009)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.5, max: 5, noNaN: true }), fc.integer({ min: 0, max: 1e9 }), (alpha, seed) => {
        const fit = fitPowerLaw(pareto(2000, alpha, seed));
        expect(fit.status).toBe('success');
        expect(Math.abs(fit.alpha - alpha)).toBeLessThan(5 * fit.sigma + 0.05);
      }),
      { seed: 7, numRuns: 30 },
    );
  });

  it('reports WW columns: xmax = max fitted λ, σ = (α−1)/√n_tail, num_pl_spikes = #λ ≥ xmin over all λ', () => {
    const evals = Float64Array.from([...esdLike(200, 2.5, 3), 0, 1e-6, 1e-5]);
    const fit = fitPowerLaw(evals);
    const x = fittedEigenvalues(evals);
    expect(x.length).toBe(evals.length - 3);
    expect(fit.xmax).toBe(x[x.length - 1]);
    expect(fit.xmin).toBe(x[fit.xminIndex]);
    expect(fit.sigma).toBe((fit.alpha - 1) / Math.sqrt(x.length - fit.xminIndex));
    expect(fit.num_pl_spikes).toBe(Array.from(evals).filter((v) => v >= fit.xmin).length);
    expect(fit.D).toBe(Math.min(...fit.curves.Ds));
    expect(fit.curves.xmins).toHaveLength(x.length - 1);
  });

  it('takes the first of equal D values (numpy argmin)', () => {
    const curves = { xmins: Float64Array.of(1, 2, 3), alphas: Float64Array.of(2, 3, 4), Ds: Float64Array.of(0.5, 0.2, 0.2), sigmas: Float64Array.of(0, 0, 0) };
    expect(choosePowerLawFit([1, 2, 3, 4], Float64Array.of(1, 2, 3, 4), curves)).toMatchObject({ xminIndex: 1, alpha: 3 });
  });

  it('fails like WW with fewer than two eigenvalues above 1e-5', () => {
    for (const evals of [[], [3], [1e-6, 2, 1e-7]]) {
      const fit = fitPowerLaw(evals);
      expect(fit).toMatchObject({ status: 'failed', alpha: -1, xmin: -1, D: -1, sigma: -1, num_pl_spikes: -1 });
      expect(fit.xmax).toBeNaN();
      expect(wwWarning(fit.alpha)).toBe('over-trained');
    }
  });

  it('handles ties: an all-equal tail gives α = ∞ and finite D (no NaN from 1^−∞)', () => {
    const curves = powerLawCurves(Float64Array.of(1, 2, 2, 2));
    expect(curves.alphas[1]).toBe(Infinity);
    expect(Array.from(curves.Ds).every((d) => Number.isFinite(d))).toBe(true);
    sameBits(curves.Ds, naivePowerLawCurves(Float64Array.of(1, 2, 2, 2)).Ds);
  });

  it('warning strings are WW’s', () => {
    expect([wwWarning(1.99), wwWarning(2), wwWarning(6), wwWarning(6.01)]).toEqual(['over-trained', '', '', 'under-trained']);
  });
});
