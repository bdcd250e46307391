/**
 * WeightWatcher's default power-law fit: `WWFit` (WW 0.7.5.5, `pl_package='ww'`, weightwatcher/WW_powerlaw.py),
 * called from `WeightWatcher.fit_powerlaw`. Continuous maximum-likelihood α with xmin chosen by the minimum
 * Kolmogorov–Smirnov distance (Clauset, Shalizi & Newman, "Power-law distributions in empirical data",
 * SIAM Review 2009, §3.1 and §3.3). Definition: SCIENCE.md §2, "Power-law fit".
 *
 * x = the eigenvalues > 1e-5, ascending, n of them. For each candidate i = 0 … n−2 (tail size nᵢ = n − i):
 *   αᵢ = 1 + nᵢ / (Σ_{j≥i} ln x_j − nᵢ·ln x_i)
 *   Dᵢ = max_{k<nᵢ} |1 − (x_{i+k}/x_i)^{1−αᵢ} − k/nᵢ|   (Dᵢ = 1 when αᵢ ≤ 1)
 * i* = the first index of the smallest Dᵢ (numpy `argmin`). α = α_{i*}, xmin = x_{i*}, xmax = max x, D = D_{i*},
 * σ = (α−1)/√n_{i*}, num_pl_spikes = #{λ ≥ xmin} over all eigenvalues (also those ≤ 1e-5).
 * Fewer than two eigenvalues above the threshold: WW's fit raises and it reports α = xmin = D = σ =
 * num_pl_spikes = −1 with xmax unset (NaN here); so do we.
 *
 * Speed, with results identical to the direct O(n²) evaluation (`testing/naivePowerLawFit.ts` checks it):
 * - α: the tail sums Σ_{j≥i} ln x_j are suffix sums, accumulated from the top in the same order as the direct sum.
 * - D: F(k) = 1 − (x_{i+k}/x_i)^{1−α} and k/n both increase with k, so on an index range [a, b] every term is
 *   at most max(F(b) − a/n, b/n − F(a)). The maximum is found by branch and bound: a coarse grid of terms gives
 *   a running maximum, and ranges whose bound cannot exceed it (with a 1e-12 margin for rounding) are skipped,
 *   the others bisected. Every term that is evaluated is computed with the same expression as the direct
 *   version, and skipped ones are provably smaller, so each Dᵢ — and the whole D-vs-xmin curve — is the same
 *   floating-point number.
 */
import { log, log2, pow } from '../math/elementary';

/** WW's `EVALS_THRESH`: eigenvalues at or below it are left out of the fit. */
export const WW_FIT_THRESHOLD = 1e-5;
/** WW's `OVER_TRAINED_THRESH` and `UNDER_TRAINED_THRESH`. */
export const OVER_TRAINED_ALPHA = 2;
export const UNDER_TRAINED_ALPHA = 6;
/** SCIENCE.md §2: above this α the layer looks random and the fit is unreliable (not a WW column). */
export const UNRELIABLE_ALPHA = 8;

/** The fit's diagnostics: one entry per candidate xmin (x_0 … x_{n−2}). */
export interface PowerLawCurves {
  readonly xmins: Float64Array;
  readonly alphas: Float64Array;
  readonly Ds: Float64Array;
  readonly sigmas: Float64Array;
}

/** Result of `fitPowerLaw`, with WW's column names where WW has them. */
export interface PowerLawFit {
  readonly status: 'success' | 'failed';
  readonly alpha: number;
  readonly xmin: number;
  /** Largest fitted eigenvalue (WW `fit.xmax`); NaN when the fit failed (WW reports None). */
  readonly xmax: number;
  readonly D: number;
  /** Standard error of α, (α−1)/√n_tail. */
  readonly sigma: number;
  readonly num_pl_spikes: number;
  /** Index of the chosen xmin in the sorted fitted eigenvalues (−1 when failed). */
  readonly xminIndex: number;
  /** How many eigenvalues were fitted (those > threshold). */
  readonly fitCount: number;
  readonly curves: PowerLawCurves;
}

/** WW's `warning` column: 'over-trained' for α < 2, 'under-trained' for α > 6, else ''. */
export type WwWarning = '' | 'over-trained' | 'under-trained';

/** The WW `warning` string for a fitted α (WW `fit_powerlaw`; a failed fit has α = −1, hence 'over-trained'). */
export function wwWarning(alpha: number): WwWarning {
  if (alpha < OVER_TRAINED_ALPHA) return 'over-trained';
  if (alpha > UNDER_TRAINED_ALPHA) return 'under-trained';
  return '';
}

/** Options for `fitPowerLaw`. */
export interface PowerLawFitOptions {
  /** Eigenvalues ≤ this are not fitted (WW `EVALS_THRESH` = 1e-5). */
  readonly threshold?: number;
}

/** The eigenvalues a WW fit uses: those > threshold, ascending, float64. */
export function fittedEigenvalues(eigenvalues: ArrayLike<number>, threshold = WW_FIT_THRESHOLD): Float64Array {
  let count = 0;
  for (let i = 0; i < eigenvalues.length; i++) if ((eigenvalues[i] as number) > threshold) count++;
  const x = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const v = eigenvalues[i] as number;
    if (v > threshold) x[k++] = v;
  }
  return x.sort();
}

/**
 * WW's power-law fit of an ESD.
 *
 * @param eigenvalues λ of the layer (any order; WW's pooled, scaled ESD). Not modified.
 */
export function fitPowerLaw(eigenvalues: ArrayLike<number>, options: PowerLawFitOptions = {}): PowerLawFit {
  const x = fittedEigenvalues(eigenvalues, options.threshold ?? WW_FIT_THRESHOLD);
  const curves = powerLawCurves(x);
  return choosePowerLawFit(eigenvalues, x, curves);
}

/**
 * Pick the fit from its curves: the first smallest D (numpy `argmin`: a NaN, if any, wins) and the
 * derived columns. Shared by the fast fit and the reference implementation in the tests.
 */
export function choosePowerLawFit(eigenvalues: ArrayLike<number>, x: Float64Array, curves: PowerLawCurves): PowerLawFit {
  const { Ds } = curves;
  if (Ds.length === 0) {
    return { status: 'failed', alpha: -1, xmin: -1, xmax: NaN, D: -1, sigma: -1, num_pl_spikes: -1, xminIndex: -1, fitCount: x.length, curves };
  }
  let best = 0;
  for (let i = 0; i < Ds.length; i++) {
    const d = Ds[i] as number;
    if (Number.isNaN(d)) {
      best = i;
      break;
    }
    if (d < (Ds[best] as number)) best = i;
  }
  const xmin = x[best] as number;
  let spikes = 0;
  for (let i = 0; i < eigenvalues.length; i++) if ((eigenvalues[i] as number) >= xmin) spikes++;
  return {
    status: 'success',
    alpha: curves.alphas[best] as number,
    xmin,
    xmax: x[x.length - 1] as number,
    D: Ds[best] as number,
    sigma: curves.sigmas[best] as number,
    num_pl_spikes: spikes,
    xminIndex: best,
    fitCount: x.length,
    curves,
  };
}

/** Per-candidate α, D and σ for ascending x (all > 0): the fast, exact version. */
export function powerLawCurves(x: Float64Array): PowerLawCurves {
  const n = x.length;
  const candidates = Math.max(n - 1, 0);
  const xmins = x.slice(0, candidates);
  const alphas = new Float64Array(candidates);
  const Ds = new Float64Array(candidates).fill(1);
  const sigmas = new Float64Array(candidates);
  const logs = new Float64Array(n);
  for (let j = 0; j < n; j++) logs[j] = log(x[j] as number);
  // Suffix sums Σ_{j≥i} ln x_j, accumulated from the top (the order the reference sum uses).
  const suffix = new Float64Array(n + 1);
  for (let j = n - 1; j >= 0; j--) suffix[j] = (suffix[j + 1] as number) + (logs[j] as number);
  const scratch = new BranchAndBoundStack(n);
  for (let i = 0; i < candidates; i++) {
    const tail = n - i;
    const alpha = 1 + tail / ((suffix[i] as number) - tail * (logs[i] as number));
    alphas[i] = alpha;
    // The maximising term moves little from one candidate to the next: try the same λ first (hint).
    if (alpha > 1) Ds[i] = ksDistanceFast(x, i, alpha, scratch, Math.max(0, scratch.argK - 1));
    sigmas[i] = (alpha - 1) / Math.sqrt(tail);
  }
  return { xmins, alphas, Ds, sigmas };
}

/**
 * One KS term, |1 − (x_{i+k}/x_i)^{1−α} − k/n|, written exactly as WW evaluates it; (x/x_i)^c is taken
 * as 1 when the ratio is 1 (C `pow(1, c)` = 1 for every c; JS `1 ** ±Infinity`, and `pow` here, give NaN).
 */
export function ksTerm(x: Float64Array, i: number, k: number, c: number, n: number): number {
  const r = (x[i + k] as number) / (x[i] as number);
  const p = r === 1 ? 1 : pow(r, c);
  return Math.abs(1 - p - k / n);
}

/** Theoretical CDF part of a term: 1 − (x_{i+k}/x_i)^c, computed as in `ksTerm`. */
function cdf(x: Float64Array, i: number, k: number, c: number): number {
  const r = (x[i + k] as number) / (x[i] as number);
  return 1 - (r === 1 ? 1 : pow(r, c));
}

/** Absolute slack for rounding in the bound (terms are O(1); their rounding error is ~1e-16). */
const BOUND_MARGIN = 1e-12;
/** Number of evenly spaced terms evaluated first to seed the running maximum. */
const SEED_POINTS = 16;

/** Reusable stack of index ranges [a, b] with F(a), F(b) for the branch and bound. */
class BranchAndBoundStack {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly flo: Float64Array;
  readonly fhi: Float64Array;
  /** k of the largest term found by the last call (a hint for the next candidate). */
  argK = 0;
  constructor(n: number) {
    const size = SEED_POINTS + 2 * (Math.ceil(log2(n + 2)) + 2) + 8;
    this.lo = new Int32Array(size);
    this.hi = new Int32Array(size);
    this.flo = new Float64Array(size);
    this.fhi = new Float64Array(size);
  }
}

/**
 * max_k |1 − (x_{i+k}/x_i)^c − k/n| over k = 0 … n−1 (n = tail size, c = 1 − α), by branch and bound over k.
 * Equal, bit for bit, to evaluating every term (see the file comment).
 */
function ksDistanceFast(x: Float64Array, i: number, alpha: number, stack: BranchAndBoundStack, hint: number): number {
  const n = x.length - i;
  const c = 1 - alpha;
  const last = n - 1;
  let argK = 0;
  let best = 0;
  if (n <= SEED_POINTS + 2) {
    for (let k = 0; k < n; k++) {
      const t = ksTerm(x, i, k, c, n);
      if (t > best) {
        best = t;
        argK = k;
      }
    }
    stack.argK = argK;
    return best;
  }
  // Seed: the hinted k, then evenly spaced k (0 and n−1 included); each consecutive pair of the evenly
  // spaced ones becomes a range to examine.
  const { lo, hi, flo, fhi } = stack;
  let top = 0;
  if (hint > 0 && hint < last) {
    best = Math.abs(cdf(x, i, hint, c) - hint / n);
    argK = hint;
  }
  let prevK = 0;
  let prevF = cdf(x, i, 0, c);
  if (Math.abs(prevF - 0 / n) > best) {
    best = Math.abs(prevF - 0 / n);
    argK = 0;
  }
  for (let s = 1; s <= SEED_POINTS; s++) {
    const k = s === SEED_POINTS ? last : Math.round((s * last) / SEED_POINTS);
    const f = cdf(x, i, k, c);
    const t = Math.abs(f - k / n);
    if (t > best) {
      best = t;
      argK = k;
    }
    if (k - prevK > 1) {
      lo[top] = prevK;
      hi[top] = k;
      flo[top] = prevF;
      fhi[top] = f;
      top++;
    }
    prevK = k;
    prevF = f;
  }
  while (top > 0) {
    top--;
    const a = lo[top] as number;
    const b = hi[top] as number;
    const fa = flo[top] as number;
    const fb = fhi[top] as number;
    const bound = Math.max(fb - a / n, b / n - fa);
    if (bound + BOUND_MARGIN <= best) continue;
    const m = (a + b) >>> 1;
    const fm = cdf(x, i, m, c);
    const t = Math.abs(fm - m / n);
    if (t > best) {
      best = t;
      argK = m;
    }
    if (m - a > 1) {
      lo[top] = a;
      hi[top] = m;
      flo[top] = fa;
      fhi[top] = fm;
      top++;
    }
    if (b - m > 1) {
      lo[top] = m;
      hi[top] = b;
      flo[top] = fm;
      fhi[top] = fb;
      top++;
    }
  }
  stack.argK = argK;
  return best;
}
