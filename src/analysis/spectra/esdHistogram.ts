/**
 * Log-binned empirical spectral density (ESD) of eigenvalues λ = σ², for log–log plots
 * (Martin & Mahoney, JMLR 22(165), 2021, plot the ESD on log axes to show heavy tails).
 * Bins are equal in log λ; the density is a probability density in λ (per unit λ, not per unit log λ),
 * normalised over the positive eigenvalues: Σ densityᵢ·(edgeᵢ₊₁ − edgeᵢ) = 1.
 */
import { exp, log } from '../math/elementary';

/** Eigenvalues ≤ this fraction of the largest (or ≤ 0) count as zero: they have no place on a log axis. */
const ZERO_RELATIVE = 1e-30;
/** A range narrower than this (relative) is treated as one distinct value. */
const SAME_VALUE_RELATIVE = 1e-9;
/** Half-width (relative) of the bin made around a single distinct value. */
const SINGLE_BIN_HALF_WIDTH = 1e-3;
const DEFAULT_BINS = 50;

/** A log-binned ESD. */
export interface EsdHistogram {
  /** Bin edges, ascending, length bins + 1 (0 when there are no positive eigenvalues). Units of λ. */
  readonly edges: Float64Array;
  /** Density per bin (per unit λ), length bins; Σ densityᵢ·widthᵢ = 1. */
  readonly density: Float64Array;
  /** Number of eigenvalues per bin, length bins. Left-closed bins [edgeᵢ, edgeᵢ₊₁); the last is closed. */
  readonly counts: Uint32Array;
  /** Eigenvalues ≤ 0 or ≤ 1e-30·max(λ): left out of the bins. */
  readonly zeroCount: number;
}

/**
 * Histogram of eigenvalues on log-spaced bins between the smallest and largest positive value.
 * A single distinct positive value gets one narrow bin [v·(1 − 1e-3), v·(1 + 1e-3)].
 *
 * @param eigenvalues λ in any order, float64 (e.g. σ² of a layer). Not modified.
 * @param options.bins Number of bins (integer ≥ 1), default 50.
 * @throws RangeError if a value is NaN or infinite, or `bins` is not a positive integer.
 */
export function esdHistogram(eigenvalues: Float64Array, options: { bins?: number } = {}): EsdHistogram {
  const requestedBins = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(requestedBins) || requestedBins < 1) throw new RangeError(`esdHistogram: bins must be a positive integer, got ${requestedBins}`);
  let max = -Infinity;
  for (let i = 0; i < eigenvalues.length; i++) {
    const v = eigenvalues[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`esdHistogram: eigenvalue ${i} is ${v}`);
    if (v > max) max = v;
  }
  const threshold = Math.max(0, ZERO_RELATIVE * max);
  let min = Infinity;
  let positiveCount = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    const v = eigenvalues[i] as number;
    if (v > threshold) {
      positiveCount++;
      if (v < min) min = v;
    }
  }
  const zeroCount = eigenvalues.length - positiveCount;
  if (positiveCount === 0) {
    return { edges: new Float64Array(0), density: new Float64Array(0), counts: new Uint32Array(0), zeroCount };
  }

  let edges: Float64Array;
  if (max - min <= SAME_VALUE_RELATIVE * max) {
    edges = new Float64Array([min * (1 - SINGLE_BIN_HALF_WIDTH), max * (1 + SINGLE_BIN_HALF_WIDTH)]);
  } else {
    const logMin = log(min);
    const step = (log(max) - logMin) / requestedBins;
    edges = new Float64Array(requestedBins + 1);
    for (let b = 0; b <= requestedBins; b++) edges[b] = exp(logMin + b * step);
    edges[0] = min;
    edges[requestedBins] = max;
  }
  const bins = edges.length - 1;
  const logMin = log(edges[0] as number);
  const logSpan = log(edges[bins] as number) - logMin;

  const counts = new Uint32Array(bins);
  for (let i = 0; i < eigenvalues.length; i++) {
    const v = eigenvalues[i] as number;
    if (!(v > threshold)) continue;
    let b = Math.min(bins - 1, Math.max(0, Math.floor(((log(v) - logMin) / logSpan) * bins)));
    // The formula can miss by one at an edge (rounding in log/exp): settle against the stored edges.
    while (b > 0 && v < (edges[b] as number)) b--;
    while (b < bins - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  const density = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    density[b] = (counts[b] as number) / (positiveCount * ((edges[b + 1] as number) - (edges[b] as number)));
  }
  return { edges, density, counts, zeroCount };
}
