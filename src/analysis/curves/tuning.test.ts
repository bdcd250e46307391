import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sweepGrid } from './stimuli';
import { ECHO_MIN_RATIO, baselineStats, rankUnits, tuneAll, unitTuning, zScore } from './tuning';
import type { SweepResponses, UnitTuning } from './types';

/** Responses on a grid of T orientations (360/T steps) and the given radii, from rows[u][r] = T values. */
function responses(T: number, radii: number[], rows: number[][][]): SweepResponses {
  const grid = sweepGrid({ thetaStepDeg: 360 / T, radiiPx: radii });
  return { grid, units: rows.length, values: Float64Array.from(rows.flat(2)) };
}

describe('unitTuning', () => {
  it('matches hand-computed values on a 4-orientation grid', () => {
    // θ = 0, 90, 180, 270; radii 10 and ∞.
    const r = responses(4, [10, Infinity], [
      [
        [3, 1, 2, 1], // r = 10: max 3 at θ 0
        [2, 0, 2, 0], // line
      ],
      [
        [0, 1, 0, 0],
        [1, 5, 1, 5], // line preferred: θ 90, ties → first
      ],
    ]);
    const a = unitTuning(r, 0);
    // w = v − 1 = [2, 0, 1, 0]: Σw = 3, Σ w e^{iθ} = 2 − 1 = 1, Σ w e^{2iθ} = 2 + 1 = 3.
    expect(a).toMatchObject({ unit: 0, preferredThetaDeg: 0, preferredRadiusPx: 10, peak: 3, mean: 7 / 4, preferredRadiusIndex: 0, preferredThetaIndex: 0 });
    expect(a.selectivity).toBeCloseTo(1 / 3, 12);
    expect(a.orientationSelectivity).toBeCloseTo(1, 12);
    // Echo: local maximum at 180° (w 1 between 0 and 0), ratio (2 − 1) / (3 − 1).
    expect(a.echo?.thetaDeg).toBe(180);
    expect(a.echo?.ratio).toBeCloseTo(0.5, 12);
    const b = unitTuning(r, 1);
    expect(b).toMatchObject({ preferredThetaDeg: 90, preferredRadiusPx: Infinity, peak: 5, mean: 3, echo: null });
    // A line is 180°-periodic: doubled angles, w = [0, 4, 0, 4] all at 2θ = 180° → selectivity 1.
    expect(b.selectivity).toBeCloseTo(1, 12);
    expect(unitTuning(r, 1, { periodicLines: false }).selectivity).toBeCloseTo(0, 12);
    expect(unitTuning(r, 1, { periodicLines: false }).echo?.thetaDeg).toBe(270);
  });

  it('gives selectivity 0 and no echo to a flat curve, and 1 to a single spike', () => {
    const r = responses(8, [5], [[[2, 2, 2, 2, 2, 2, 2, 2]], [[0, 0, 0, 7, 0, 0, 0, 0]]]);
    expect(unitTuning(r, 0)).toMatchObject({ selectivity: 0, orientationSelectivity: 0, echo: null, preferredThetaDeg: 0 });
    expect(unitTuning(r, 1)).toMatchObject({ preferredThetaDeg: 135, echo: null });
    expect(unitTuning(r, 1).selectivity).toBeCloseTo(1, 12);
  });

  it('finds an echo only near 180° and above the ratio threshold', () => {
    const T = 720;
    const bump = (centre: number, height: number, t: number): number => {
      const d = Math.min(Math.abs(t * 0.5 - centre), 360 - Math.abs(t * 0.5 - centre));
      return height * Math.exp(-(d * d) / (2 * 15 * 15));
    };
    const curve = (echoAt: number, echoHeight: number): number[] => Array.from({ length: T }, (_, t) => 0.1 + bump(40, 1, t) + bump(echoAt, echoHeight, t));
    const r = responses(T, [12], [[curve(220, 0.5)], [curve(280, 0.5)], [curve(220, ECHO_MIN_RATIO * 0.9)], [curve(190, 0.35)]]);
    const [a, b, c, d] = tuneAll(r);
    expect(a?.preferredThetaDeg).toBe(40);
    expect(a?.echo?.thetaDeg).toBe(220);
    expect(a?.echo?.ratio).toBeCloseTo(0.5 / 1, 2); // bumps barely overlap; min ≈ 0.1 cancels
    expect(b?.echo).toBeNull(); // 120° from the peak, outside 180° ± 45°
    expect(c?.echo).toBeNull(); // too weak
    expect(d?.echo?.thetaDeg).toBe(190);
    expect(c?.selectivity).toBeGreaterThan(a?.selectivity ?? Infinity); // a weaker opposite lobe cancels less
  });

  it('ignores pixel-level jitter when looking for an echo (smoothing)', () => {
    // A secondary peak that is only a one-sample spike on a monotone slope is not a bump once smoothed.
    const T = 720;
    const values = Array.from({ length: T }, (_, t) => Math.cos(((t * 0.5 - 10) * Math.PI) / 180) + (t === 380 ? 0.01 : 0));
    const r = responses(T, [12], [[values]]);
    expect(unitTuning(r, 0).echo).toBeNull();
  });

  it('is invariant to a positive affine map of the responses (so raw and z-scored agree)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -40, max: 40 }).map((k) => k / 8), { minLength: 24, maxLength: 24 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (v, a, b) => {
          const r = responses(12, [4, Infinity], [[v.slice(0, 12), v.slice(12)]]);
          const mapped: SweepResponses = { ...r, values: r.values.map((x) => a * x + b) };
          const t0 = unitTuning(r, 0);
          const t1 = unitTuning(mapped, 0);
          expect(t1.preferredThetaDeg).toBe(t0.preferredThetaDeg);
          expect(t1.preferredRadiusPx).toBe(t0.preferredRadiusPx);
          expect(t1.selectivity).toBeCloseTo(t0.selectivity, 6);
          expect(t1.orientationSelectivity ?? NaN).toBeCloseTo(t0.orientationSelectivity ?? NaN, 6);
          expect(t1.echo === null).toBe(t0.echo === null);
          if (t0.echo && t1.echo) expect(t1.echo.ratio).toBeCloseTo(t0.echo.ratio, 6);
          expect(t0.selectivity).toBeGreaterThanOrEqual(0);
          expect(t0.selectivity).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });

  it('rejects bad units and layouts', () => {
    const r = responses(4, [1], [[[1, 2, 3, 4]]]);
    expect(() => unitTuning(r, 1)).toThrow(RangeError);
    expect(() => unitTuning({ ...r, values: new Float64Array(3) }, 0)).toThrow(RangeError);
    expect(() => unitTuning({ ...r, values: Float64Array.of(1, NaN, 0, 0) }, 0)).toThrow(RangeError);
  });
});

describe('baselineStats and zScore', () => {
  it('computes per-unit mean and population std, and z-scores with std 0 → 1', () => {
    // 3 inputs × 2 units: unit 0 = 1, 2, 3; unit 1 constant 4.
    const stats = baselineStats(Float32Array.of(1, 4, 2, 4, 3, 4), 3, 2);
    expect(Array.from(stats.mean)).toEqual([2, 4]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(stats.std[1]).toBe(0);
    const r = responses(2, [1], [[[2, 3]], [[4, 6]]]);
    const z = zScore(r, stats);
    expect(z.values[0]).toBeCloseTo(0, 12);
    expect(z.values[1]).toBeCloseTo(1 / Math.sqrt(2 / 3), 12);
    expect(Array.from(z.values.subarray(2))).toEqual([0, 2]); // only centred
    expect(z.grid).toBe(r.grid);
    expect(() => baselineStats(new Float64Array(5), 3, 2)).toThrow(RangeError);
    expect(() => baselineStats(new Float64Array(0), 0, 2)).toThrow(RangeError);
    expect(() => zScore(r, { mean: new Float64Array(1), std: new Float64Array(1) })).toThrow(RangeError);
  });
});

describe('rankUnits', () => {
  const t = (unit: number, selectivity: number, peak: number, preferredRadiusPx: number): UnitTuning => ({
    unit,
    selectivity,
    peak,
    preferredRadiusPx,
    preferredThetaDeg: 0,
    mean: 0,
    echo: null,
  });
  const list = [t(0, 0.2, 5, Infinity), t(1, 0.9, 1, 20), t(2, 0.5, 3, 5), t(3, 0.9, NaN, 10)];
  it('sorts by decreasing key, ties in input order, NaN last', () => {
    expect(rankUnits(list, 'selectivity').map((x) => x.unit)).toEqual([1, 3, 2, 0]);
    expect(rankUnits(list, 'peak').map((x) => x.unit)).toEqual([0, 2, 1, 3]);
    expect(rankUnits(list, 'curvature').map((x) => x.unit)).toEqual([2, 3, 1, 0]);
    expect(list.map((x) => x.unit)).toEqual([0, 1, 2, 3]); // input untouched
  });
});
