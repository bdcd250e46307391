import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom';
import { cos, sin } from './trig';
import { hex, ulpDistance } from './testing/ulps';

/** Worst ulp distance of sin and cos from Math.sin and Math.cos over the inputs. */
function worstUlps(inputs: Float64Array): number {
  let worst = 0;
  for (const x of inputs) worst = Math.max(worst, ulpDistance(sin(x), Math.sin(x)), ulpDistance(cos(x), Math.cos(x)));
  return worst;
}

/** n seeded doubles uniform in [lo, hi). */
function uniform(n: number, lo: number, hi: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng());
}

/**
 * The contract both engines must meet: these bits, printed once from Node 20. Each is also the correctly rounded
 * value (checked offline against 600-bit mpmath), so they are right, not just stable. 45.553093477052 = fl(29·π/2)
 * is the double ≤ 1.5e6 closest to a multiple of π/2 (|r| ≈ 6.2e-19); 5.319372648326541e+255 is one of the
 * hardest doubles to reduce at all (|r| ≈ 2^-61, needs the BigInt path).
 */
const GOLDEN: ReadonlyArray<readonly [name: 'sin' | 'cos', x: number, bits: string]> = [
  ['sin', 5e-324, '0000000000000001'],
  ['cos', 5e-324, '3ff0000000000000'],
  ['sin', 1e-300, '01a56e1fc2f8f359'],
  ['cos', 1e-300, '3ff0000000000000'],
  ['sin', 1e-8, '3e45798ee2308c3a'],
  ['cos', 1e-8, '3ff0000000000000'],
  ['sin', 0.1, '3fb98eaecb8bcb2c'],
  ['cos', 0.1, '3fefd712f9a817c1'],
  ['sin', 0.5, '3fdeaee8744b05f0'],
  ['cos', 0.5, '3fec1528065b7d50'],
  ['sin', 0.7853981633974483, '3fe6a09e667f3bcc'],
  ['cos', 0.7853981633974483, '3fe6a09e667f3bcd'],
  ['sin', 1, '3feaed548f090cee'],
  ['cos', 1, '3fe14a280fb5068c'],
  ['sin', 1.5707963267948966, '3ff0000000000000'],
  ['cos', 1.5707963267948966, '3c91a62633145c07'],
  ['sin', 2, '3fed18f6ead1b446'],
  ['cos', 2, 'bfdaa22657537205'],
  ['sin', 3, '3fc210386db6d55b'],
  ['cos', 3, 'bfefae04be85e5d2'],
  ['sin', 3.141592653589793, '3ca1a62633145c07'],
  ['cos', 3.141592653589793, 'bff0000000000000'],
  ['sin', 1.1780972450961724, '3fed906bcf328d46'],
  ['cos', 1.1780972450961724, '3fd87de2a6aea964'],
  ['sin', 4.487989505128276, 'bfef329c0558e969'],
  ['cos', 4.487989505128276, 'bfcc7b90e3024589'],
  ['sin', 0.7757018827163703, '3fe6682e33636dbf'],
  ['cos', 0.7757018827163703, '3fe6d8832e5981ec'],
  ['sin', 6.2831853057166684, 'be1921fb469898cc'],
  ['cos', 6.2831853057166684, '3ff0000000000000'],
  ['sin', 6.283185307179586, 'bcb1a62633145c07'],
  ['cos', 6.283185307179586, '3ff0000000000000'],
  ['sin', 10, 'bfe1689ef5f34f52'],
  ['cos', 10, 'bfead9ac890c6b1f'],
  ['sin', 45.553093477052, '3ff0000000000000'],
  ['cos', 45.553093477052, 'bc26d61b58c99c43'],
  ['sin', 100, 'bfe03425b78c4db8'],
  ['cos', 100, '3feb981dbf665fdf'],
  ['sin', 1000, '3fea75cc150a206b'],
  ['cos', 1000, '3fe1ff026793f1bb'],
  ['sin', 12345.678, 'bfe687d5890974a5'],
  ['cos', 12345.678, '3fe6b94c3bbe24b8'],
  ['sin', 99999.99, '3fa76b4ae3607f48'],
  ['cos', 99999.99, 'bfeff76d083e642f'],
  ['sin', 321307.9594422229, 'bff0000000000000'],
  ['cos', 321307.9594422229, 'bc8988efe18ff83f'],
  ['sin', 1500000, '3fe05a19f9bf8b6c'],
  ['cos', 1500000, 'bfeb81b10301dab6'],
  ['sin', 10000000, '3fdaea414a8a3352'],
  ['cos', 10000000, 'bfed085be7a8f4a1'],
  ['sin', 1e+22, 'bfeb453ab76bf397'],
  ['cos', 1e+22, '3fe0be2cef01c8f4'],
  ['sin', 5.319372648326541e+255, '3ff0000000000000'],
  ['cos', 5.319372648326541e+255, 'bc214ae72e6ba22f'],
  ['sin', 1e+300, 'bfea2c16b010e385'],
  ['cos', 1e+300, 'bfe2699022adc4c1'],
  ['sin', 1.7976931348623157e+308, '3f7452fc98b34e97'],
  ['cos', 1.7976931348623157e+308, 'bfefffe62ecfab75'],
  ['sin', -2.5, 'bfe326af0dcfcab1'],
  ['cos', -2.5, 'bfe9a2f7ef858b7d'],
];

describe('sin and cos', () => {
  it('are within 1 ulp of Math.sin/Math.cos on 100,000 seeded arguments in [−1e5, 1e5]', () => {
    expect(worstUlps(uniform(100_000, -1e5, 1e5, 11))).toBeLessThanOrEqual(1);
  });

  it('are within 1 ulp on the call sites’ ranges: Box–Muller 2π·u, u ∈ [0, 1), and operator twiddles 2π·t/n', () => {
    expect(worstUlps(uniform(50_000, 0, 2 * Math.PI, 12))).toBeLessThanOrEqual(1);
    const twiddles: number[] = [];
    for (let n = 1; n <= 128; n++) for (let t = 0; t < n; t++) twiddles.push((2 * Math.PI * t) / n);
    expect(worstUlps(Float64Array.from(twiddles))).toBeLessThanOrEqual(1);
  });

  it('are within 1 ulp beyond the Cody–Waite range (exact BigInt reduction) up to the largest double', () => {
    const rng = seededRandom(13);
    const large = Float64Array.from({ length: 2_000 }, () => (1 + rng()) * 2 ** Math.floor(20 + rng() * 1004));
    expect(worstUlps(large)).toBeLessThanOrEqual(1);
    expect(worstUlps(uniform(5_000, 1e5, 3e6, 14))).toBeLessThanOrEqual(1);
  });

  it('handle the special cases exactly', () => {
    expect(Object.is(sin(0), 0)).toBe(true);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(cos(0)).toBe(1);
    expect(cos(-0)).toBe(1);
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(sin(x)).toBeNaN();
      expect(cos(x)).toBeNaN();
    }
    expect(sin(5e-324)).toBe(5e-324);
    expect(sin(1e-300)).toBe(1e-300);
  });

  it('are odd and even bit for bit, and stay in [−1, 1]', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(sin(-x), -sin(x))).toBe(true);
        expect(Object.is(cos(-x), cos(x))).toBe(true);
        expect(Math.abs(sin(x))).toBeLessThanOrEqual(1);
        expect(Math.abs(cos(x))).toBeLessThanOrEqual(1);
      }),
      { seed: 20260301, numRuns: 2_000 },
    );
  });

  it('reproduce the golden bit patterns', () => {
    for (const [name, x, expected] of GOLDEN) expect(`${name}(${x}) = ${hex((name === 'sin' ? sin : cos)(x))}`).toBe(`${name}(${x}) = ${expected}`);
  });
});
