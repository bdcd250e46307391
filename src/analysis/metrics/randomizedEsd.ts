/**
 * Randomised ESD and correlation traps (SCIENCE.md §2, "Randomised ESD / correlation traps"; WW 0.7.5.5
 * `apply_random_esd`, `random_eigenvalues`, `jensen_shannon_distance`, and `apply_mp_fit(random=True)`;
 * Martin & Mahoney, JMLR 2021, §5.5 on correlation traps).
 *
 * Each matrix's entries are shuffled (Fisher–Yates, seeded: WW uses NumPy's unseeded global shuffle, so its
 * numbers are not reproducible; ours are, from the reported seed) and its σ recomputed; λ_rand = scale·σ².
 * - max_rand_eval: max λ over `replicas` shuffles (WW: 5 when num_evals < 100, else 1).
 * - rand_distance: Jensen–Shannon distance between the sorted λ and the sorted λ_rand of one further shuffle,
 *   each vector normalised to sum 1 and compared element by element (WW feeds the two sorted vectors to
 *   `scipy.stats.entropy`; it is not a histogram comparison): √((KL(p‖m) + KL(q‖m))/2), m = (p+q)/2, natural log.
 * - ww_softrank = max λ_rand / max λ; ww_maxdist = max λ − max λ_rand (same single shuffle).
 * - correlation traps: WW's MP fit of the replicas' ESD; its spikes (rand_num_spikes) are the traps.
 */
import { mpFit } from './mpFit';
import type { MpFitColumns } from './mpFit';
import { pairwiseSum } from './numpySum';
import { log } from '../math/elementary';
import { seededRandom, shuffleInPlace } from '../random/seededRandom';

/** σ of a rows×cols row-major matrix, descending (e.g. `linalg/singularValues`). */
export type SingularValuesFunction = (data: Float64Array, rows: number, cols: number) => Float64Array;

/** One matrix of the layer, as WW analyses it (unscaled; `lambdaScale` applies WW's conv factor). */
export interface LayerMatrix {
  readonly data: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** Options for `randomizedEsd`. */
export interface RandomizedEsdOptions {
  /** Seed of the shuffles (reported back). */
  readonly seed: number;
  readonly singularValues: SingularValuesFunction;
  /** λ = lambdaScale·σ² (½ for WW pooled conv). Default 1. */
  readonly lambdaScale?: number;
  /** Shuffles pooled for max_rand_eval and the trap fit; default WW's: 5 when there are < 100 eigenvalues, else 1. */
  readonly replicas?: number;
  /** WW's N and M, for the MP fit of the randomised ESD; omit to skip the trap fit. */
  readonly geometry?: { readonly N: number; readonly M: number };
}

/** Result of `randomizedEsd`, with WW's column names. */
export interface RandomizedEsd {
  readonly seed: number;
  readonly replicas: number;
  /** λ_rand of the pooled replicas, ascending. */
  readonly randEvals: Float64Array;
  /** λ_rand of the single extra shuffle used for the distance, ascending. */
  readonly distanceEvals: Float64Array;
  readonly max_rand_eval: number;
  readonly rand_distance: number;
  readonly ww_softrank: number;
  readonly ww_maxdist: number;
  /** MP fit of the randomised ESD (columns as WW's rand_*), when `geometry` was given. */
  readonly trapFit?: MpFitColumns;
  /** Number of correlation traps: spikes of the randomised ESD's MP fit (WW rand_num_spikes). */
  readonly correlation_traps?: number;
  /**
   * λ_rand above this are the correlation traps: the trap fit's bulk_max + √TW, converted from the fit's λ'
   * (mean 1) back to λ units (÷ W_scale²); absent when the fit was not run or failed.
   */
  readonly trapSpikeThreshold?: number;
}

/**
 * Shuffle, recompute and compare.
 *
 * @param matrices The layer's matrices (conv: every kernel slice).
 * @param evals The layer's λ (scaled as WW analyses them), any order.
 */
export function randomizedEsd(matrices: readonly LayerMatrix[], evals: ArrayLike<number>, options: RandomizedEsdOptions): RandomizedEsd {
  const rng = seededRandom(options.seed);
  const scale = options.lambdaScale ?? 1;
  const shuffleOnce = (): number[] => {
    const out: number[] = [];
    for (const { data, rows, cols } of matrices) {
      const shuffled = shuffleInPlace(Float64Array.from(data), rng);
      for (const s of options.singularValues(shuffled, rows, cols)) out.push(scale * (s * s));
    }
    return out;
  };
  const replicas = options.replicas ?? (evals.length < 100 ? 5 : 1);
  const pooled: number[] = [];
  for (let r = 0; r < replicas; r++) pooled.push(...shuffleOnce());
  const randEvals = Float64Array.from(pooled).sort();
  const distanceEvals = Float64Array.from(shuffleOnce()).sort();
  const sorted = Float64Array.from(evals).sort();
  const maxEval = sorted[sorted.length - 1] ?? NaN;
  const maxRand = distanceEvals[distanceEvals.length - 1] ?? NaN;
  const result: RandomizedEsd = {
    seed: options.seed,
    replicas,
    randEvals,
    distanceEvals,
    max_rand_eval: randEvals[randEvals.length - 1] ?? NaN,
    rand_distance: jensenShannonDistance(sorted, distanceEvals),
    ww_softrank: maxRand / maxEval,
    ww_maxdist: maxEval - maxRand,
  };
  if (!options.geometry) return result;
  const fit = mpFit(randEvals, options.geometry.N, options.geometry.M);
  const { num_spikes, sigma_mp, mp_softrank, bulk_min, bulk_max, W_scale } = fit;
  const trapSpikeThreshold = fit.status === 'success' ? fit.spikeThreshold / (W_scale * W_scale) : undefined;
  return {
    ...result,
    trapFit: { num_spikes, sigma_mp, mp_softrank, bulk_min, bulk_max, W_scale },
    correlation_traps: num_spikes,
    ...(trapSpikeThreshold !== undefined ? { trapSpikeThreshold } : {}),
  };
}

/**
 * Jensen–Shannon distance of two non-negative vectors of equal length, each normalised to sum 1
 * (WW `jensen_shannon_distance` via `scipy.stats.entropy`, natural log): 0 for proportional vectors, at most √ln 2.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError(`jensenShannonDistance: lengths ${p.length} and ${q.length} differ`);
  const m = Float64Array.from(p, (v, i) => (v + (q[i] as number)) / 2);
  // Identical inputs can round to a divergence of −1e-17; scipy would take its square root (NaN). Clamp at 0.
  return Math.sqrt(Math.max(0, (relativeEntropy(p, m) + relativeEntropy(q, m)) / 2));
}

/** KL(p̂‖q̂) of the normalised vectors, Σ p̂ ln(p̂/q̂) (scipy `entropy(pk, qk)`, `rel_entr` conventions). */
function relativeEntropy(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const ps = pairwiseSum(p);
  const qs = pairwiseSum(q);
  const terms = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const x = (p[i] as number) / ps;
    const y = (q[i] as number) / qs;
    terms[i] = x > 0 && y > 0 ? x * log(x / y) : x === 0 && y >= 0 ? 0 : Infinity;
  }
  return pairwiseSum(terms);
}
