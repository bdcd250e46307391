/**
 * Test matrices with known singular values: W = U·diag(σ)·Vᵀ with seeded random orthogonal U and V,
 * all in float64. Test-only code (excluded from the core tsconfig).
 *
 * U and V are not formed: each is a seeded random orthogonal operator Q applied to the columns (or
 * rows) of diag(σ). Q is a product of `ROUNDS` rounds, each
 *   random signs · random permutation → a butterfly of random Givens rotations over all log₂ n levels
 *   (pairs (i, i + 2ˢ)) → one Householder reflection I − 2vvᵀ of a normalised Gaussian vector v.
 * Every factor is orthogonal, so σ(W) = σ exactly up to float64 rounding (‖UᵀU − I‖ ≈ 1e-15), while
 * every entry of W depends on every σ. Applying Q to an n-vector costs O(n log n), so a 768×3072
 * matrix takes well under a second (Householder QR of a Gaussian would need ~10 GFLOP in plain TS).
 */
import type { Rng } from '../random/seededRandom';
import { gaussian, seededRandom } from '../random/seededRandom';

const ROUNDS = 3;

type Factor =
  | { readonly kind: 'signedPermutation'; readonly source: Int32Array; readonly sign: Float64Array }
  | { readonly kind: 'rotations'; readonly first: Int32Array; readonly second: Int32Array; readonly cos: Float64Array; readonly sin: Float64Array }
  | { readonly kind: 'reflection'; readonly unit: Float64Array };

/** A random orthogonal n×n operator, as the list of factors applied in order. */
export interface RandomOrthogonal {
  readonly n: number;
  readonly factors: readonly Factor[];
}

/** A seeded random orthogonal operator of order n (see the file comment for its structure). */
export function randomOrthogonal(n: number, rng: Rng): RandomOrthogonal {
  const factors: Factor[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const source = new Int32Array(n);
    for (let i = 0; i < n; i++) source[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = source[i] as number;
      source[i] = source[j] as number;
      source[j] = t;
    }
    const sign = new Float64Array(n);
    for (let i = 0; i < n; i++) sign[i] = rng() < 0.5 ? -1 : 1;
    factors.push({ kind: 'signedPermutation', source, sign });
    for (let stride = 1; stride < n; stride *= 2) {
      const first: number[] = [];
      const second: number[] = [];
      for (let i = 0; i + stride < n; i++) {
        if ((i & stride) === 0) {
          first.push(i);
          second.push(i + stride);
        }
      }
      const cos = new Float64Array(first.length);
      const sin = new Float64Array(first.length);
      for (let r = 0; r < first.length; r++) {
        const angle = 2 * Math.PI * rng();
        cos[r] = Math.cos(angle);
        sin[r] = Math.sin(angle);
      }
      factors.push({ kind: 'rotations', first: Int32Array.from(first), second: Int32Array.from(second), cos, sin });
    }
    const unit = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const g = gaussian(rng);
      unit[i] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) unit[i] = (unit[i] as number) / norm;
    factors.push({ kind: 'reflection', unit });
  }
  return { n, factors };
}

/** X ← Q·X in place, X being q.n × width row-major float64 (each factor acts on whole rows). */
export function applyOrthogonalLeft(q: RandomOrthogonal, x: Float64Array, width: number): void {
  const n = q.n;
  if (x.length !== n * width) throw new RangeError('applyOrthogonalLeft: size mismatch');
  const copy = new Float64Array(x.length);
  const dots = new Float64Array(width);
  for (const f of q.factors) {
    if (f.kind === 'signedPermutation') {
      copy.set(x);
      for (let i = 0; i < n; i++) {
        const from = (f.source[i] as number) * width;
        const s = f.sign[i] as number;
        for (let c = 0; c < width; c++) x[i * width + c] = s * (copy[from + c] as number);
      }
    } else if (f.kind === 'rotations') {
      for (let r = 0; r < f.first.length; r++) {
        const a = (f.first[r] as number) * width;
        const b = (f.second[r] as number) * width;
        const cs = f.cos[r] as number;
        const sn = f.sin[r] as number;
        for (let c = 0; c < width; c++) {
          const xa = x[a + c] as number;
          const xb = x[b + c] as number;
          x[a + c] = cs * xa - sn * xb;
          x[b + c] = sn * xa + cs * xb;
        }
      }
    } else {
      dots.fill(0);
      for (let i = 0; i < n; i++) {
        const v = f.unit[i] as number;
        for (let c = 0; c < width; c++) dots[c] = (dots[c] as number) + v * (x[i * width + c] as number);
      }
      for (let i = 0; i < n; i++) {
        const v2 = 2 * (f.unit[i] as number);
        for (let c = 0; c < width; c++) x[i * width + c] = (x[i * width + c] as number) - v2 * (dots[c] as number);
      }
    }
  }
}

/** The n×n matrix of a seeded random orthogonal operator (for checking QᵀQ = I). */
export function orthogonalMatrix(n: number, seed: number): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  applyOrthogonalLeft(randomOrthogonal(n, seededRandom(seed)), x, n);
  return x;
}

function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(x.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j] as number;
  return t;
}

/**
 * W = U·diag(σ)·Vᵀ, rows×cols row-major float64, with seeded random orthogonal U (rows×rows) and
 * V (cols×cols). Its singular values are `sigma` padded with zeros to min(rows, cols), sorted.
 *
 * @param sigma Non-negative values, at most min(rows, cols) of them, any order.
 */
export function exactSvdMatrix(rows: number, cols: number, sigma: readonly number[], seed: number): Float64Array {
  if (sigma.length > Math.min(rows, cols)) throw new RangeError('exactSvdMatrix: more σ than min(rows, cols)');
  const rng = seededRandom(seed);
  const u = randomOrthogonal(rows, rng);
  const v = randomOrthogonal(cols, rng);
  const d = new Float64Array(rows * cols);
  sigma.forEach((s, i) => {
    if (!(s >= 0)) throw new RangeError(`exactSvdMatrix: σ[${i}] = ${s} is not ≥ 0`);
    d[i * cols + i] = s;
  });
  applyOrthogonalLeft(u, d, cols); // U·D
  const t = transpose(d, rows, cols); // (U·D)ᵀ, cols×rows
  applyOrthogonalLeft(v, t, rows); // V·(U·D)ᵀ = Wᵀ
  return transpose(t, cols, rows);
}

/** σᵢ = 10^(−5·i/(m−1)), i = 0…m−1: numpy's logspace(0, −5, m), a graded spectrum over 5 decades. */
export function gradedSpectrum(m: number, decades = 5): number[] {
  return Array.from({ length: m }, (_, i) => (m === 1 ? 1 : 10 ** ((-decades * i) / (m - 1))));
}

/** σᵢ = 1/i, i = 1…m: a power-law spectrum. */
export function powerLawSpectrum(m: number): number[] {
  return Array.from({ length: m }, (_, i) => 1 / (i + 1));
}

/** The first m − ⌊m·zeroFraction⌋ values logspace(0, −2), the rest exact zeros. */
export function rankDeficientSpectrum(m: number, zeroFraction = 1 / 3): number[] {
  const rank = m - Math.floor(m * zeroFraction);
  return Array.from({ length: m }, (_, i) => (i < rank ? (rank === 1 ? 1 : 10 ** ((-2 * i) / (rank - 1))) : 0));
}

/** m values |gᵢ| with gᵢ ~ N(0, 1) (seeded), descending: an irregular spectrum with near-ties. */
export function gaussianSpectrum(m: number, seed: number): number[] {
  const rng = seededRandom(seed);
  return Array.from({ length: m }, () => Math.abs(gaussian(rng))).sort((a, b) => b - a);
}

/** A rows×cols matrix of i.i.d. N(0, scale²) entries (seeded), row-major float64. */
export function gaussianMatrix(rows: number, cols: number, seed: number, scale = 1): Float64Array {
  const rng = seededRandom(seed);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = scale * gaussian(rng);
  return x;
}
