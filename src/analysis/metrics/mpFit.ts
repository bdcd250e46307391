/**
 * WeightWatcher's Marchenko–Pastur fit (SCIENCE.md §2, "Marchenko–Pastur fit"; WW 0.7.5.5 `mp_fit`,
 * `fit_density_with_range` and `resid_mp` in weightwatcher/RMT_Util.py; Martin & Mahoney, JMLR 2021, §4–5).
 *
 * 1. Rescale to mean 1: λ' = λ·W_scale², W_scale = √(n/Σλ).
 * 2. Fit σ: for Q ≠ 1 the ESD of λ', for Q = 1 the singular values √λ' (quarter-circle law). A triangular
 *    KDE (bandwidth 0.1) on 1000 points of [0, max + 0.5]; points with density < 0.01 are dropped (and
 *    those equal to 0.01 too, as in WW). The KDE's peak is its first point within 1e-12 of the max (the
 *    triangular KDE is often flat there; WW takes the first exact maximum, which rounding decides). The residual Σ(ρ_fit − KDE)² is minimised over σ: a grid
 *    σ = 0.05σ₀, 0.06σ₀, … < 2σ₀ (NumPy `arange`), σ₀ = √(λ'_max/(1+1/√Q)²), then Nelder–Mead polishing from
 *    the best grid point (`scipy.optimize.brute` with its default `finish=fmin`). For Q ≠ 1 an MP fit whose
 *    upper edge b is below the KDE's peak or beyond the last kept point, or whose lower edge a is above the
 *    peak, scores 1000 per point.
 * 3. bulk_max = (σ(1+1/√Q))², bulk_min = (σ(1−1/√Q))² in λ' units; Tracy–Widom margin
 *    TW = Q^{-1/2}·bulk_max^{2/3}·M^{-2/3}; num_spikes = #{λ' > bulk_max + √TW}; mp_softrank = bulk_max/λ'_max.
 *    bulk_min and bulk_max are reported in unscaled λ units (÷ W_scale²), sigma_mp in λ' units.
 * When the fit cannot run (no eigenvalue, or no KDE point above 0.01) WW catches the error and reports −1
 * for every column; so do we.
 *
 * Speed: the KDE does not depend on σ, so it is computed once (WW refits scikit-learn's estimator for every σ
 * it tries, ~250 times), and each residual is a loop over ≤ 1000 points.
 */
import { pairwiseSum } from './numpySum';
import { linearKde, marchenkoPasturDensity, mpEdges, numpyArange, numpyLinspace, quarterCircleDensity } from './mpDensity';
import { nelderMead1d } from './nelderMead1d';
import { pow } from '../math/elementary';

/** WW's MP-fit columns. */
export interface MpFitColumns {
  readonly num_spikes: number;
  readonly sigma_mp: number;
  readonly mp_softrank: number;
  readonly bulk_min: number;
  readonly bulk_max: number;
  readonly W_scale: number;
}

/** The columns plus what a plot of the fit needs. */
export interface MpFit extends MpFitColumns {
  readonly status: 'success' | 'failed';
  /** 'MP' (Q ≠ 1, fitted on λ') or 'QC' (Q = 1, fitted on √λ'). */
  readonly law: 'MP' | 'QC';
  /** bulk_max + √TW in λ' units: eigenvalues above it are spikes. */
  readonly spikeThreshold: number;
  /** The KDE the fit was scored against (x in the fitted variable: λ' or √λ'), dropped points removed. */
  readonly kde: { readonly x: Float64Array; readonly density: Float64Array };
  /** The σ grid and its residuals. */
  readonly grid: { readonly sigma: Float64Array; readonly residual: Float64Array };
}

/** Options for `mpFit`. */
export interface MpFitOptions {
  /** KDE bandwidth (WW: 0.1). */
  readonly bandwidth?: number;
}

const KDE_POINTS = 1000;
const KDE_THRESHOLD = 0.01;
const INVALID_RESIDUAL = 1000;
/** Relative difference below which two KDE values count as the same peak. */
const PEAK_TIE = 1e-12;

/**
 * WW's MP fit of an ESD.
 *
 * @param evals λ (any order, unscaled; WW's pooled ESD).
 * @param N WW's N (Q = N/M).
 * @param M WW's M (enters the Tracy–Widom margin).
 */
export function mpFit(evals: ArrayLike<number>, N: number, M: number, options: MpFitOptions = {}): MpFit {
  const bandwidth = options.bandwidth ?? 0.1;
  const Q = N / M;
  const n = evals.length;
  const sorted = Float64Array.from(evals).sort();
  const wScale = Math.sqrt(n) / Math.sqrt(pairwiseSum(sorted));
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = wScale * wScale * (sorted[i] as number);
  const lambdaMax = n > 0 ? (scaled[n - 1] as number) : NaN;
  const law = Q === 1 ? 'QC' : 'MP';
  const toFit = law === 'QC' ? scaled.map(Math.sqrt) : scaled;

  const empty = new Float64Array(0);
  const failed: MpFit = {
    status: 'failed', law, num_spikes: -1, sigma_mp: -1, mp_softrank: -1, bulk_min: -1, bulk_max: -1, W_scale: -1,
    spikeThreshold: NaN, kde: { x: empty, density: empty }, grid: { sigma: empty, residual: empty },
  };
  if (n === 0 || !(lambdaMax > 0) || !Number.isFinite(lambdaMax)) return failed;

  const xGrid = numpyLinspace(0, (toFit[n - 1] as number) + 0.5, KDE_POINTS);
  const density = linearKde(toFit, xGrid, bandwidth);
  const keptX: number[] = [];
  const keptY: number[] = [];
  let dropped = 0;
  for (let g = 0; g < KDE_POINTS; g++) {
    const y = density[g] as number;
    if (y > KDE_THRESHOLD) {
      keptX.push(xGrid[g] as number);
      keptY.push(y);
    } else if (y < KDE_THRESHOLD) dropped++;
  }
  if (keptX.length === 0) return failed;
  const kx = Float64Array.from(keptX);
  const ky = Float64Array.from(keptY);
  const residual = residualFunction(kx, ky, dropped, Q, law);

  const edge = 1 + 1 / Math.sqrt(Q);
  const sigma0 = Math.sqrt(lambdaMax / (edge * edge));
  const sigmas = numpyArange(0.05 * sigma0, 2.0 * sigma0, 0.01 * sigma0);
  const residuals = sigmas.map(residual);
  let best = 0;
  for (let i = 1; i < residuals.length; i++) {
    const r = residuals[i] as number;
    if (r < (residuals[best] as number) || (Number.isNaN(r) && !Number.isNaN(residuals[best] as number))) best = i;
    if (Number.isNaN(r)) break;
  }
  const sigma = nelderMead1d(residual, sigmas[best] as number).x;

  const r = 1 / Math.sqrt(Q);
  const upper = sigma * (1 + r);
  const lower = sigma * (1 - r);
  const bulkMax = upper * upper;
  const bulkMin = lower * lower;
  const tw = (1 / Math.sqrt(Q)) * pow(bulkMax, 2 / 3) * pow(M, -2 / 3);
  const spikeThreshold = bulkMax + Math.sqrt(tw);
  let spikes = 0;
  for (let i = 0; i < n; i++) if ((scaled[i] as number) > spikeThreshold) spikes++;
  const w2 = wScale * wScale;
  return {
    status: 'success',
    law,
    num_spikes: spikes,
    sigma_mp: sigma,
    mp_softrank: bulkMax / lambdaMax,
    bulk_min: bulkMin / w2,
    bulk_max: bulkMax / w2,
    W_scale: wScale,
    spikeThreshold,
    kde: { x: kx, density: ky },
    grid: { sigma: sigmas, residual: residuals },
  };
}

/** σ ↦ Σ(ρ_σ(x) − KDE(x))² over the kept KDE points (WW `resid_mp` with `allresid=False`). */
function residualFunction(kx: Float64Array, ky: Float64Array, dropped: number, Q: number, law: 'MP' | 'QC'): (sigma: number) => number {
  const count = kx.length;
  // The KDE's peak (WW: the first x where it equals its max). A triangular KDE is often exactly flat at its top,
  // where only rounding separates the points; take the first point within 1e-12 of the max so that rounding
  // (ours vs scikit-learn's log-space sums) cannot move the peak along the plateau.
  let max = -Infinity;
  for (let i = 0; i < count; i++) if ((ky[i] as number) > max) max = ky[i] as number;
  let peak = 0;
  while (peak < count - 1 && (ky[peak] as number) < max * (1 - PEAK_TIE)) peak++;
  const xPeak = kx[peak] as number;
  const xLast = kx[count - 1] as number;
  // WW sums the squared residuals followed by one zero per dropped point: same length, same pairwise order.
  const squares = new Float64Array(count + dropped);
  return (sigma: number): number => {
    if (law === 'QC') {
      for (let i = 0; i < count; i++) squares[i] = square(quarterCircleDensity(kx[i] as number, sigma) - (ky[i] as number));
      return pairwiseSum(squares);
    }
    const { a, b } = mpEdges(sigma, Q);
    if (b < xPeak || b > xLast || a > xPeak) {
      squares.fill(INVALID_RESIDUAL * INVALID_RESIDUAL, 0, count);
      return pairwiseSum(squares);
    }
    for (let i = 0; i < count; i++) squares[i] = square(marchenkoPasturDensity(kx[i] as number, Q, sigma, a, b) - (ky[i] as number));
    return pairwiseSum(squares);
  };
}

function square(v: number): number {
  return v * v;
}
