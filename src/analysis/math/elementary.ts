/**
 * log, log2, log10, exp and pow that give the same bits in every JavaScript engine.
 *
 * Why: `Math.log`, `Math.exp`, `Math.pow`, … are implementation-approximated (ECMA-262 §21.3.2), and engines
 * differ in the last bit for a few % of arguments (Node 20's V8 and Chromium 156's, measured on 20,000 values:
 * Math.log 469 differ, Math.pow 2093). +, −, ×, ÷ and `Math.sqrt` are correctly rounded IEEE-754 operations
 * (§6.1.6.1), so a function built only from them, comparisons, `Math.round`/`Math.trunc` and exact bit
 * manipulation of doubles is the same function everywhere. The app and the CLI then print identical numbers.
 *
 * Method.
 * - Error-free transformations: TwoSum (Knuth) and TwoProduct by Dekker's split (Dekker 1971), so that sums
 *   and products are carried as unevaluated pairs hi + lo (double-double). JavaScript never fuses a·b + c,
 *   so Dekker's algorithm is exact here.
 * - log: x = 2^e·m with m ∈ [√2/2, √2), f = m − 1 (exact), s = f/(2 + f) carried as hi + lo, and
 *   ln m = 2 atanh s = 2s + 2s·Σ_{k≥1} s^{2k}/(2k + 1). |s| ≤ 0.1716, so the sum after the leading 2s is below
 *   1% of the result and its double rounding costs < 2^-57 relative; 11 terms leave a truncation < 2^-63.
 *   Then ln x = e·ln 2 + ln m with ln 2 = LN2_HI + LN2_LO (LN2_HI has 42 significant bits, so e·LN2_HI is
 *   exact). log2 and log10 multiply the pair by 1/ln 2 or 1/ln 10 as pairs: log2(2^n) = n and
 *   log10(10^n) = n exactly.
 * - exp (Cody & Waite 1980): x = k·ln 2 + r, k = round(x/ln 2), r = (x − k·LN2_HI) − k·LN2_LO as a pair
 *   (x − k·LN2_HI is exact by Sterbenz's lemma), |r| ≤ ½ln 2. e^r = 1 + r + r²/2 + r³·Σ_{n≥3} r^{n−3}/n!:
 *   1 + r + r²/2 is summed exactly (r² by TwoProduct), the rest (< 0.0075) by Horner's rule to degree 15
 *   (truncation < 3e-21). The result is scaled by 2^k built from its bit pattern, in two steps when 2^k is
 *   not a normal double, so overflow and gradual underflow happen once, as IEEE-754 rounding dictates.
 * - pow(x, y) = ±exp(y·ln|x|) with y·ln|x| carried as a pair: a large |y·ln x| does not amplify the rounding
 *   of ln x.
 *
 * Accuracy (measured in elementary.test.ts against `Math.*` and, offline, against 300-bit references):
 * log, log2, log10 and exp are within 0.56 ulp of the true value before their final rounding, hence
 * faithfully rounded (never more than 1 ulp off, and at most 1 ulp from any other faithful implementation);
 * pow within 0.6 ulp for x ∈ [1e-300, 1e300], |y| ≤ 20; its error grows like |y·ln m|·2^-57 (m the reduced
 * mantissa), e.g. 3 ulp for 2.5^-746.
 * Speed (Node 20): 2–4× the time of `Math.*` per call; the metrics of a 768×3072 layer (`layerReport`) take
 * 1.5–1.9× as long (≈ 6 ms instead of ≈ 4 ms), small beside its SVD.
 */
import { productError, squareError } from './exactProducts';

/** One double, seen as two 32-bit words (for the exponent and the leading mantissa bits). */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** Index of the word holding sign, exponent and the top 20 mantissa bits (1 on little-endian hosts). */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/** ln 2 rounded down to 42 significant bits: k·LN2_HI is exact for |k| < 2^11. */
const LN2_HI = 0.6931471805598903;
/** ln 2 − LN2_HI, rounded. */
const LN2_LO = 5.497923018708371e-14;
/** 1/ln 2 and 1/ln 10 as hi + lo pairs (300-bit references rounded twice). */
const INV_LN2_HI = 1.4426950408889634;
const INV_LN2_LO = 2.0355273740931033e-17;
const INV_LN10_HI = 0.4342944819032518;
const INV_LN10_LO = 1.098319650216765e-17;
const TWO_54 = 18014398509481984;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Low part of the last `logPair` (the high part is its return value): ln x = hi + lo, |lo| ≤ ½ulp(hi). */
let logLow = 0;

/** 2^k, exactly, for an integer −1022 ≤ k ≤ 1023. */
function powerOfTwo(k: number): number {
  words[HIGH] = (k + 1023) << 20;
  words[LOW] = 0;
  return bits[0] as number;
}

/** ln x as hi + lo (hi returned, lo in `logLow`) for a finite x > 0, normal or subnormal. */
function logPair(x: number): number {
  let e = 0;
  if (x < MIN_NORMAL) {
    x *= TWO_54; // exact: brings a subnormal into the normal range
    e = -54;
  }
  bits[0] = x;
  const word = words[HIGH] as number;
  e += ((word >>> 20) & 0x7ff) - 1023;
  words[HIGH] = (word & 0xfffff) | 0x3ff00000; // the same mantissa with exponent 0: m ∈ [1, 2)
  let m = bits[0] as number;
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1;
  }
  let lnMHigh = 0;
  let lnMLow = 0;
  const f = m - 1; // exact (Sterbenz)
  if (f !== 0) {
    // d = 2 + f as a pair (Fast2Sum: |2| ≥ |f|); s = f/d as a pair, its remainder by TwoProduct(sh, dh).
    const dh = 2 + f;
    const dl = f - (dh - 2);
    const sh = f / dh;
    const p = sh * dh;
    const pErr = productError(sh, dh, p);
    const sl = (f - p - pErr - sh * dl) / dh; // f − p is exact (Sterbenz)
    const z = sh * sh;
    const series =
      z *
      (1 / 3 +
        z *
          (1 / 5 +
            z * (1 / 7 + z * (1 / 9 + z * (1 / 11 + z * (1 / 13 + z * (1 / 15 + z * (1 / 17 + z * (1 / 19 + z * (1 / 21 + z / 23))))))))));
    lnMHigh = 2 * sh;
    lnMLow = 2 * sl + 2 * sh * series;
  }
  // ln x = e·LN2_HI (exact) + ln m + e·LN2_LO, added by TwoSum and renormalised.
  const a = e * LN2_HI;
  const sum = a + lnMHigh;
  const back = sum - a;
  const low = a - (sum - back) + (lnMHigh - back) + lnMLow + e * LN2_LO;
  const high = sum + low;
  logLow = low - (high - sum);
  return high;
}

/** e^(xh + xl) for −746 ≤ xh ≤ 710 and |xl| ≤ 2^-43 (a pair from `pow`, or xl = 0). */
function expPair(xh: number, xl: number): number {
  const k = Math.round(xh / Math.LN2);
  const a = xh - k * LN2_HI; // exact (Sterbenz; k·LN2_HI is exact)
  const b = k * LN2_LO;
  // r = a − b + xl: rh = fl(a − b) and rl its TwoSum error plus xl. |rl| ≤ 2^-43, so e^rl = 1 + rl to 2^-87.
  const rh = a - b;
  const back = rh - a;
  const rl = a - (rh - back) + (-b - back) + xl;
  // r² exactly by TwoProduct.
  const sq = rh * rh;
  const sqErr = squareError(rh, sq);
  const half = 0.5 * sq;
  const cubic =
    rh *
    sq *
    (1 / 6 +
      rh *
        (1 / 24 +
          rh *
            (1 / 120 +
              rh *
                (1 / 720 +
                  rh *
                    (1 / 5040 +
                      rh *
                        (1 / 40320 +
                          rh *
                            (1 / 362880 +
                              rh *
                                (1 / 3628800 +
                                  rh *
                                    (1 / 39916800 +
                                      rh * (1 / 479001600 + rh * (1 / 6227020800 + rh * (1 / 87178291200 + rh / 1307674368000))))))))))));
  // 1 + rh + rh²/2 by Fast2Sum twice (|rh| ≤ 0.35, rh²/2 ≤ 0.061), then the small terms and rl·e^rh.
  const s1 = 1 + rh;
  const e1 = 1 - s1 + rh;
  const s2 = s1 + half;
  const e2 = s1 - s2 + half;
  const value = s2 + (e1 + e2 + 0.5 * sqErr + cubic + rl * (s2 + cubic));
  if (k >= -1022 && k <= 1023) return value * powerOfTwo(k);
  // 2^k is not a normal double: scale in two exact-or-once-rounded steps (overflow → ∞, gradual underflow).
  const k1 = Math.trunc(k / 2);
  return value * powerOfTwo(k1) * powerOfTwo(k - k1);
}

/** Natural logarithm, as `Math.log` (NaN below 0, −∞ at ±0, +∞ at +∞), identical in every engine. */
export function log(x: number): number {
  if (x > 0 && x < Infinity) return logPair(x);
  if (x === 0) return -Infinity;
  return x === Infinity ? Infinity : NaN;
}

/** Base-2 logarithm, as `Math.log2`; exact at powers of two. */
export function log2(x: number): number {
  if (x > 0 && x < Infinity) return multiplyPair(logPair(x), logLow, INV_LN2_HI, INV_LN2_LO);
  if (x === 0) return -Infinity;
  return x === Infinity ? Infinity : NaN;
}

/** Base-10 logarithm, as `Math.log10`; exact at the powers of ten that are doubles (10^0 … 10^22). */
export function log10(x: number): number {
  if (x > 0 && x < Infinity) return multiplyPair(logPair(x), logLow, INV_LN10_HI, INV_LN10_LO);
  if (x === 0) return -Infinity;
  return x === Infinity ? Infinity : NaN;
}

/** (ah + al)·(bh + bl) rounded once, for |ah| ≤ 2^996. */
function multiplyPair(ah: number, al: number, bh: number, bl: number): number {
  const p = ah * bh;
  const err = productError(ah, bh, p);
  return p + (err + ah * bl + al * bh);
}

/** e^x, as `Math.exp` (+∞ above ln(max double), 0 below ln(2^-1075), subnormal results in between). */
export function exp(x: number): number {
  if (x > 710) return Infinity;
  if (x < -745.2) return 0; // e^x < 2^-1075 (half the smallest subnormal): rounds to 0
  if (x === x) return expPair(x, 0);
  return NaN;
}

/** Whether y is an odd integer (every double ≥ 2^53 is even). */
function isOddInteger(y: number): boolean {
  return Number.isInteger(y) && y % 2 !== 0;
}

/**
 * x^y, as `Math.pow` / `**` (ECMA-262 Number::exponentiate, including 1^±∞ = NaN and the signs of ±0 and ±∞),
 * computed as ±exp(y·ln|x|) with y·ln|x| as a pair. A negative x needs an integer y (otherwise NaN).
 */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x !== x || y !== y) return NaN;
  const ax = x < 0 ? -x : x;
  if (y === Infinity || y === -Infinity) {
    if (ax === 1) return NaN;
    return ax > 1 === (y > 0) ? Infinity : 0;
  }
  const negative = x < 0 || (x === 0 && 1 / x < 0);
  const sign = negative && isOddInteger(y) ? -1 : 1;
  if (ax === 0) return y > 0 ? sign * 0 : sign * Infinity;
  if (ax === Infinity) return y > 0 ? sign * Infinity : sign * 0;
  if (negative && !Number.isInteger(y)) return NaN;
  if (ax === 1) return sign;
  const lh = logPair(ax);
  const ll = logLow;
  const th = y * lh;
  if (th > 710) return sign * Infinity;
  if (th < -746) return sign * 0;
  // y·(lh + ll) as a pair: TwoProduct(y, lh) plus y·ll. |y| < 2^996 here since |lh| ≥ 1.1e-16.
  const tl = productError(y, lh, th) + y * ll;
  return sign * expPair(th, tl);
}
