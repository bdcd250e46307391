/**
 * The fitted densities drawn over an ESD, in the analysed λ units and on the same footing as `esdHistogram`
 * (a probability density per unit λ over all eigenvalues):
 * - power law (Clauset et al. 2009): p(λ) = f·(α − 1)/xmin·(λ/xmin)^(−α) for λ ≥ xmin, where f is the fraction
 *   of eigenvalues in the fitted tail (the fit describes the tail only);
 * - Marchenko–Pastur: the fit lives in λ' = λ·W_scale² (mean 1), so ρ_λ(λ) = W_scale²·ρ_MP(λ·W_scale²); for
 *   Q = 1 WeightWatcher fits the quarter circle to x = √λ', so ρ_λ'(λ') = ρ_QC(√λ')/(2√λ').
 */
import { marchenkoPasturDensity, mpEdges, quarterCircleDensity } from './mpDensity';
import type { MpOverlay, PowerLawDiagnostics } from './layerReport';
import { exp, log, pow } from '../math/elementary';

/** A curve as parallel arrays. */
export interface Curve {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Log-spaced points in [lo, hi]. */
function logSpace(lo: number, hi: number, points: number): Float64Array {
  const a = log(lo);
  const b = log(hi);
  return Float64Array.from({ length: points }, (_, i) => exp(a + ((b - a) * i) / (points - 1)));
}

/** The fitted power-law density from xmin to xmax, or null when the fit failed. */
export function powerLawDensityCurve(fit: PowerLawDiagnostics, points = 64): Curve | null {
  const { alpha, xmin, xmax, tailFraction } = fit;
  if (!(alpha > 1) || !(xmin > 0) || !(xmax > xmin)) return null;
  const x = logSpace(xmin, xmax, points);
  const c = (tailFraction * (alpha - 1)) / xmin;
  return { x, y: x.map((v) => c * pow(v / xmin, -alpha)) };
}

/** The fitted MP (or quarter-circle) density over its bulk, in λ units. */
export function mpDensityCurve(mp: MpOverlay, points = 160): Curve | null {
  const { sigma, Q, wScaleSq } = mp;
  if (!(sigma > 0) || !(wScaleSq > 0)) return null;
  if (mp.law === 'QC') {
    // x = √λ' ∈ (0, 2]; λ = x²/W_scale².
    const xs = Float64Array.from({ length: points }, (_, i) => (2 * (i + 0.5)) / points);
    const x = xs.map((s) => (s * s) / wScaleSq);
    const y = xs.map((s) => (wScaleSq * quarterCircleDensity(s, sigma)) / (2 * s));
    return { x, y };
  }
  const { a, b } = mpEdges(sigma, Q);
  const lo = Math.max(a, b * 1e-6);
  if (!(b > lo)) return null;
  // Denser near the edges, where the density bends: λ' = a + (b − a)·(1 − cos t)/2.
  const lp = Float64Array.from({ length: points }, (_, i) => lo + ((b - lo) * (1 - Math.cos((Math.PI * i) / (points - 1)))) / 2);
  return { x: lp.map((v) => v / wScaleSq), y: lp.map((v) => wScaleSq * marchenkoPasturDensity(v, Q, sigma, a, b)) };
}
