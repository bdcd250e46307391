import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RADIAL_INNER, preferredHue, radialPoints, sharedMaximum } from './radial';

describe('radialPoints', () => {
  it('puts ρ = inner·R + (v / max)·R along θ (x = ρ cos θ, y = −ρ sin θ)', () => {
    const pts = radialPoints([10, 0, 5, -100], [0, 90, 180, 270], 10, 100);
    const expected = [
      [130, 0], // max: (0.3 + 1)·R to the right
      [0, -30], // zero: the inner ring, up on screen
      [-80, 0], // half: 30 + 50 to the left
      [0, 0], // far below zero: clamped at the centre
    ];
    pts.forEach(([x, y], i) => {
      expect(x).toBeCloseTo(expected[i]?.[0] ?? NaN, 9);
      expect(y).toBeCloseTo(expected[i]?.[1] ?? NaN, 9);
    });
    expect(RADIAL_INNER).toBe(0.3);
    const [[x, y] = [NaN, NaN]] = radialPoints([4], [45], 8, 10, 0);
    expect(Math.hypot(x, y)).toBeCloseTo(5, 9);
    expect(x).toBeCloseTo(-y, 9);
  });

  it('keeps every point on the inner ring when the shared max is not positive', () => {
    for (const [x, y] of radialPoints([0, -1, 3], [0, 120, 240], 0, 50)) expect(Math.hypot(x, y)).toBeCloseTo(15, 9);
  });

  it('is monotone in the value and never negative', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 360, noNaN: true }), (a, b, theta) => {
        const [p, q] = radialPoints([Math.min(a, b), Math.max(a, b)], [theta, theta], 10, 40);
        expect(Math.hypot(...(p ?? [NaN, NaN]))).toBeLessThanOrEqual(Math.hypot(...(q ?? [NaN, NaN])) + 1e-9);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('rejects mismatched lengths and bad scales', () => {
    expect(() => radialPoints([1, 2], [0], 1, 10)).toThrow(RangeError);
    expect(() => radialPoints([1], [0], 1, -1)).toThrow(RangeError);
    expect(() => radialPoints([1], [0], 1, 10, NaN)).toThrow(RangeError);
  });
});

describe('sharedMaximum and preferredHue', () => {
  it('takes the largest finite value of all series', () => {
    expect(sharedMaximum([1, 5], Float64Array.of(3, Infinity, NaN), [-2])).toBe(5);
    expect(sharedMaximum()).toBe(-Infinity);
  });

  it('maps θ to a hue in [0, 360), opposite orientations complementary', () => {
    expect(preferredHue(0)).toBe(0);
    expect(preferredHue(-90)).toBe(270);
    expect(preferredHue(725)).toBe(5);
    expect(preferredHue(-1e-20)).toBe(0);
    expect(preferredHue(200) - preferredHue(20)).toBe(180);
  });
});
