/** Test support for the elementary functions: distances in ulps and bit patterns of doubles. */

const bits = new Float64Array(1);
const signedBits = new BigInt64Array(bits.buffer);
const unsignedBits = new BigUint64Array(bits.buffer);

/** The double's position on the number line counted in ulps (−0 and +0 both 0), so differences are ulp distances. */
function ordinal(x: number): bigint {
  bits[0] = x;
  const v = signedBits[0] as bigint;
  return v < 0n ? -(v & 0x7fffffffffffffffn) : v;
}

/** Distance in ulps between two doubles; 0 for two NaNs or the same infinity, Infinity against NaN or another infinity. */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** The IEEE-754 bit pattern as 16 hex digits. */
export function hex(x: number): string {
  bits[0] = x;
  return (unsignedBits[0] as bigint).toString(16).padStart(16, '0');
}
