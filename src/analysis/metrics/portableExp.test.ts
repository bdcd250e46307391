import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portableExp } from './portableExp';

describe('portableExp', () => {
  it('agrees with Math.exp to about an ulp over the whole range', () => {
    fc.assert(
      fc.property(fc.double({ min: -740, max: 709, noNaN: true }), (x) => {
        const want = Math.exp(x);
        const got = portableExp(x);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(4 * Number.EPSILON * want + Number.MIN_VALUE);
      }),
      { seed: 11, numRuns: 5000 },
    );
  });

  it('is exact at 0 and ln 2, within an ulp of e at 1, and handles the edges', () => {
    expect(portableExp(0)).toBe(1);
    expect(Math.abs(portableExp(1) - Math.E)).toBeLessThanOrEqual(Number.EPSILON * Math.E);
    expect(portableExp(Math.LN2)).toBe(2);
    expect(portableExp(710)).toBe(Infinity);
    expect(portableExp(-800)).toBe(0);
    expect(portableExp(NaN)).toBeNaN();
  });
});
