import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom';
import { exp, log, log10, log2, pow } from './elementary';
import { hex, ulpDistance } from './testing/ulps';

/** Worst ulp distance between f and reference over the inputs. */
function worstUlps(inputs: Float64Array, f: (x: number) => number, reference: (x: number) => number): number {
  let worst = 0;
  for (const x of inputs) worst = Math.max(worst, ulpDistance(f(x), reference(x)));
  return worst;
}

/** n positive doubles log-uniform over [2^lo, 2^hi), seeded. */
function acrossDecades(n: number, lo: number, hi: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  return Float64Array.from({ length: n }, () => (1 + rng()) * 2 ** Math.floor(lo + rng() * (hi - lo)));
}

/** n doubles 1 + δ with |δ| from 2^-52 to 1/2 (where ln x and ln(1 + δ) are ill-conditioned for a naive method). */
function nearOne(n: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  return Float64Array.from({ length: n }, () => 1 + (rng() - 0.5) * 2 ** -Math.floor(rng() * 52));
}

const positives = Float64Array.from([...acrossDecades(100_000, -1074, 1024, 1), ...nearOne(20_000, 2)]);

/**
 * The contract both engines must meet: these bits, printed once from Node 20. Each is also the correctly rounded
 * value (checked offline against 300-bit mpmath), so they are right, not just stable.
 */
const GOLDEN: ReadonlyArray<readonly [name: 'log' | 'log2' | 'log10' | 'exp' | 'pow', args: readonly number[], bits: string]> = [
  ['log', [1e-310], 'c0864e69394d9508'],
  ['log', [5e-324], 'c0874385446d71c3'],
  ['log', [2.2250738585072014e-308], 'c086232bdd7abcd2'],
  ['log', [1e-300], 'c085963447f87fb5'],
  ['log', [3.7e-200], 'c07cb356c6e64a0c'],
  ['log', [1e-20], 'c047069e2aa2aa5b'],
  ['log', [1e-05], 'c027069e2aa2aa5b'],
  ['log', [0.1], 'c0026bb1bbb55515'],
  ['log', [0.5], 'bfe62e42fefa39ef'],
  ['log', [0.7071067811865476], 'bfd62e42fefa39ee'],
  ['log', [0.9999999999999691], 'bd2160000000004b'],
  ['log', [1.0000000000000002], '3cafffffffffffff'],
  ['log', [1.5], '3fd9f323ecbf984c'],
  ['log', [2.718281828459045], '3ff0000000000000'],
  ['log', [3.0], '3ff193ea7aad030b'],
  ['log', [10.0], '40026bb1bbb55516'],
  ['log', [1000.0], '401ba18a998fffa0'],
  ['log', [1e+22], '40495414621954fe'],
  ['log', [123456.789], '40277281cad8a844'],
  ['log', [6.02214076e+23], '404b60a08fb35901'],
  ['log', [1e+300], '4085963447f87fb5'],
  ['log', [1.7976931348623157e+308], '40862e42fefa39ef'],
  ['log2', [1e-300], 'c08f24a09f1a8b89'],
  ['log10', [1e-300], 'c072c00000000000'],
  ['log2', [0.3], 'bffbca9c6f53897b'],
  ['log10', [0.3], 'bfe0bb6c34d81502'],
  ['log2', [0.9999999999999691], 'bd29111b87dd40ad'],
  ['log10', [0.9999999999999691], 'bd0e2ef7a8f83d41'],
  ['log2', [1.0000001], '3e835d0fea5fccb7'],
  ['log10', [1.0000001], '3e6750e5ca0b1098'],
  ['log2', [7.0], '400675767f54042d'],
  ['log10', [7.0], '3feb0b0b0b78cc3f'],
  ['log2', [1024.0], '4024000000000000'],
  ['log10', [1024.0], '4008151824c7587f'],
  ['log2', [100000.0], '40309c1165ec0627'],
  ['log10', [100000.0], '4014000000000000'],
  ['log2', [3e+250], '408a00893012997b'],
  ['log10', [3e+250], '406f4f4493cb27eb'],
  ['exp', [-745.1332191019411], '0000000000000001'],
  ['exp', [-708.5], '000e6cf6d08897ac'],
  ['exp', [-300.25], '24dc758233102ace'],
  ['exp', [-20.5], '3e157a3afeed00ab'],
  ['exp', [-1.0], '3fd78b56362cef38'],
  ['exp', [-1e-10], '3feffffffff24190'],
  ['exp', [1e-300], '3ff0000000000000'],
  ['exp', [0.5], '3ffa61298e1e069c'],
  ['exp', [0.6931471805599453], '4000000000000000'],
  ['exp', [1.0], '4005bf0a8b145769'],
  ['exp', [2.5], '40285d6fd931e0bb'],
  ['exp', [88.7], '47ef4705bbffae5c'],
  ['exp', [500.1], '6d067fbf757a9d27'],
  ['exp', [709.782712893384], '7fefffffffffff2a'],
  ['pow', [2.0, 0.5], '3ff6a09e667f3bcd'],
  ['pow', [10.0, -3.0], '3f50624dd2f1a9fc'],
  ['pow', [0.37, 2.3], '3fba020069a6f17b'],
  ['pow', [1e-300, 0.9], '07e0e7c9eebc4401'],
  ['pow', [1e+300, -1.01], '0105f1ca8205119d'],
  ['pow', [123.4, 19.7], '487d096dc34e3d35'],
  ['pow', [0.9999999, 1000000.0], '3fecf46d976dea40'],
  ['pow', [7.3e-05, -17.25], '4ec082055869f2c3'],
  ['pow', [3.14159, 0.6666666666666666], '400129048a0dc143'],
  ['pow', [46.7, -0.6666666666666666], '3fb3bd9d03d08be4'],
  ['pow', [1.5, -17.41], '3f4c2a18b737f7aa'],
  ['pow', [-2.5, 3.0], 'c02f400000000000'],
  ['pow', [-0.7, -4.0], '4010a8e3bebf47c3'],
];

const functions = { log, log2, log10, exp, pow };

describe('elementary functions (engine-independent log, log2, log10, exp, pow)', () => {
  it('log and log2 are within 1 ulp of Math.* on 120,000 values across all binades and near 1', () => {
    expect(worstUlps(positives, log, Math.log)).toBeLessThanOrEqual(1);
    expect(worstUlps(positives, log2, Math.log2)).toBeLessThanOrEqual(1);
  });

  it('log10 is within 1 ulp of Math.log10 away from 1, and 2 ulp near it (where V8’s log10 itself is 1.7 ulp off)', () => {
    const far = positives.filter((x) => x < 0.25 || x > 4);
    const near = positives.filter((x) => x >= 0.25 && x <= 4);
    expect(far.length).toBeGreaterThan(90_000);
    expect(worstUlps(far, log10, Math.log10)).toBeLessThanOrEqual(1);
    expect(worstUlps(near, log10, Math.log10)).toBeLessThanOrEqual(2);
  });

  it('exp is within 1 ulp of Math.exp on 120,000 values over its whole range, small arguments included', () => {
    const rng = seededRandom(3);
    const wide = Float64Array.from({ length: 100_000 }, () => -745 + rng() * (709.78 + 745));
    const small = Float64Array.from({ length: 20_000 }, () => (rng() - 0.5) * 2 ** -Math.floor(rng() * 60));
    expect(worstUlps(wide, exp, Math.exp)).toBeLessThanOrEqual(1);
    expect(worstUlps(small, exp, Math.exp)).toBeLessThanOrEqual(1);
  });

  it('pow is within 2 ulp of Math.pow for x ∈ [1e-300, 1e300], y ∈ [−20, 20] (100,000 pairs)', () => {
    const rng = seededRandom(4);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = (1 + rng()) * 10 ** (rng() * 600 - 300);
      const y = rng() * 40 - 20;
      worst = Math.max(worst, ulpDistance(pow(x, y), Math.pow(x, y)));
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('gives the golden bits (the cross-engine contract)', () => {
    const got = GOLDEN.map(([name, args]) => hex(name === 'pow' ? pow(args[0] as number, args[1] as number) : functions[name](args[0] as number)));
    expect(got).toEqual(GOLDEN.map(([, , want]) => want));
  });

  it('is exact where the answer is a double: powers of two and ten, e^0, x^0, 1^y, small integer powers', () => {
    for (let n = -1074; n <= 1023; n++) expect(log2(2 ** n)).toBe(n);
    for (let n = 0; n <= 22; n++) expect(log10(Number(`1e${n}`))).toBe(n);
    expect([log(1), exp(0), exp(-0), pow(7.5, 0), pow(1, 123.4), pow(2, 10), pow(2, -3), pow(10, 3), pow(9, 0.5)]).toEqual([
      0, 1, 1, 1, 1, 1024, 0.125, 1000, 3,
    ]);
    expect(exp(Math.LN2)).toBe(2);
  });

  it('follows Math.* on special values: NaN, ±0, ±∞, negatives, subnormals, overflow and underflow', () => {
    const specials = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5, 5e-324, -5e-324, 1e-310, 1e308, -1e308, 710, -746];
    const same = (a: number, b: number) => (Number.isFinite(b) && b !== 0 ? ulpDistance(a, b) <= 1 : Object.is(a, b));
    for (const x of specials) {
      for (const [name, f] of [['log', log], ['log2', log2], ['log10', log10], ['exp', exp]] as const) {
        expect(same(f(x), Math[name](x)), `${name}(${x})`).toBe(true);
      }
      // 710 and −746 as exponents are left to the pow accuracy test: they are not special, only large.
      for (const y of specials.filter((v) => v !== 710 && v !== -746)) expect(same(pow(x, y), Math.pow(x, y)), `pow(${x}, ${y})`).toBe(true);
    }
    expect([pow(10, 400), pow(10, -400), pow(-10, 401), pow(-10, -401), pow(-8, 1 / 3)]).toEqual([Infinity, 0, -Infinity, -0, NaN]);
    expect([exp(709.782712893384), exp(709.7827128933841), exp(-745.1332191019411), exp(-745.1332191019412)]).toEqual([
      Math.exp(709.782712893384), Infinity, 5e-324, 0,
    ]);
  });

  it('log(exp(x)) = x within 2 ulp for 1 ≤ |x| ≤ 709 (where the round trip is well conditioned)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 709, noNaN: true }), fc.boolean(), (magnitude, negative) => {
        const x = negative ? -magnitude : magnitude;
        expect(ulpDistance(log(exp(x)), x)).toBeLessThanOrEqual(2);
      }),
      { seed: 20250101, numRuns: 20_000 },
    );
  });

  it('exp(log x) = x within 2 ulp for x ∈ [0.5, 2.5], and within 2 ulp + the rounding of ln x elsewhere', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2.5, noNaN: true }), (x) => {
        expect(ulpDistance(exp(log(x)), x)).toBeLessThanOrEqual(2);
      }),
      { seed: 20250102, numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
        // exp turns an absolute error of ½ulp(ln x) into that relative error: |ln x|·2^-53 ≈ |ln x|/2 ulp of x.
        expect(ulpDistance(exp(log(x)), x)).toBeLessThanOrEqual(2 + Math.abs(log(x)));
      }),
      { seed: 20250103, numRuns: 20_000 },
    );
  });

  it('calls no engine-approximated Math function (only exact ones: round, trunc, and the constants)', () => {
    const code = readFileSync(new URL('./elementary.ts', import.meta.url), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const used = [...new Set(code.match(/Math\.\w+/g))].sort();
    expect(used.filter((name) => !['Math.LN2', 'Math.SQRT2', 'Math.round', 'Math.trunc'].includes(name))).toEqual([]);
  });
});
