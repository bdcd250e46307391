/**
 * e^x from IEEE-754 basic operations only (+, −, ×, ÷ and exact power-of-two scaling), so that every JavaScript
 * engine gives the same bits. `Math.exp` is implementation-defined: Node 20's V8 and Chromium's differ in the
 * last bit for some arguments, which would make the CLI and the app print different numbers.
 *
 * Method (Cody & Waite 1980): x = k·ln 2 + r with |r| ≤ ½ln 2, ln 2 split in a high part with trailing zero bits
 * (so k·LN2_HI is exact) and a low part; e^r by its Taylor series to degree 20 (remainder < 1e-19 for |r| ≤ 0.35),
 * summed by Horner's rule; then scaled by 2^k built from its bit pattern. Accurate to about 1 ulp.
 */

const LN2_HI = 0.6931471803691238; // ln 2 rounded to 33 bits: k·LN2_HI is exact for |k| < 2^20
const LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
const DEGREE = 20;

const scratch = new DataView(new ArrayBuffer(8));

/** 2^k for an integer −1022 ≤ k ≤ 1023, exactly. */
function powerOfTwo(k: number): number {
  scratch.setUint32(0, (k + 1023) << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** e^x, identical in every engine. */
export function portableExp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x / Math.LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  let sum = 1;
  for (let n = DEGREE; n >= 1; n--) sum = 1 + (sum * r) / n;
  // Scale in two steps so that results near the ends of the range do not overflow or flush early.
  const half = Math.trunc(k / 2);
  return sum * powerOfTwo(half) * powerOfTwo(k - half);
}
