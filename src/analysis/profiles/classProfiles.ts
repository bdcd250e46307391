/**
 * Profiles of inputs and of classes over a layer's singular directions, and their similarity
 * (SCIENCE.md §3; Praggastis et al., arXiv 2208.06894; DeepDataProfiler v2.0.1 `Profile.__add__`, which sums
 * the neuron weights of the profiles it adds).
 *
 * - Input profile: `influentialDirections` of the input's aggregate (weights sum to 1).
 * - Class profile: the sum over the class's inputs of their influence weights, as a dense vector over the
 *   rank directions (so its entries sum to `count`).
 * - Jaccard J(A, B) = |A ∩ B| / |A ∪ B| on the supports {k : weight_k > 0}; weighted Jaccard
 *   Σ_k min(a_k, b_k) / Σ_k max(a_k, b_k) on the weights themselves (Ioffe 2010, "Improved consistent
 *   sampling, weighted minhash and L1 sketching"). Both are 1 for two empty (all-zero) profiles: they are
 *   equal, and this keeps J(a, a) = 1 for every a.
 */
import type { Influence } from './influence';
import { influentialDirections } from './influence';

/** The summed profile of one class. */
export interface ClassProfile {
  /** The class's name, from `classes`. */
  readonly label: string;
  /** Number of inputs in the class (0 for a class with no inputs). */
  readonly count: number;
  /** Dense, length rank: Σ over the class's inputs of their influence weights (all ≥ 0). */
  readonly weights: Float64Array;
}

/**
 * The influential directions of each of N inputs.
 *
 * @param aggregates N × rank row-major (`projectAggregateBatch`'s output).
 * @param n Number of inputs N.
 * @param rank Number of directions.
 * @param threshold Passed to `influentialDirections` (default 0.1).
 * @throws RangeError if `aggregates.length !== n·rank`, or as `influentialDirections`.
 */
export function inputProfiles(aggregates: Float64Array, n: number, rank: number, threshold?: number): Influence[] {
  checkAggregates('inputProfiles', aggregates, n, rank);
  const out: Influence[] = [];
  for (let i = 0; i < n; i++) out.push(influentialDirections(aggregates.subarray(i * rank, (i + 1) * rank), threshold));
  return out;
}

/**
 * One summed profile per class, in the order of `classes`.
 *
 * @param aggregates N × rank row-major.
 * @param n Number of inputs N.
 * @param rank Number of directions.
 * @param labels N class indices into `classes` (integers in [0, classes.length)).
 * @param classes Class names.
 * @param threshold Passed to `influentialDirections` (default 0.1).
 * @returns `classes.length` profiles; a class without inputs has count 0 and all-zero weights.
 * @throws RangeError for mismatched lengths or a label outside [0, classes.length).
 */
export function classProfiles(
  aggregates: Float64Array,
  n: number,
  rank: number,
  labels: readonly number[],
  classes: readonly string[],
  threshold?: number,
): ClassProfile[] {
  checkAggregates('classProfiles', aggregates, n, rank);
  if (labels.length !== n) throw new RangeError(`classProfiles: ${labels.length} labels for ${n} inputs`);
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes.length) {
      throw new RangeError(`classProfiles: label ${label} of input ${i} is not a class index in [0, ${classes.length})`);
    }
  });
  const weights = classes.map(() => new Float64Array(rank));
  const counts = new Array<number>(classes.length).fill(0);
  inputProfiles(aggregates, n, rank, threshold).forEach((influence, i) => {
    const c = labels[i] as number;
    const dense = weights[c] as Float64Array;
    counts[c] = (counts[c] as number) + 1;
    influence.indices.forEach((k, r) => (dense[k] = (dense[k] as number) + (influence.weights[r] as number)));
  });
  return classes.map((label, c) => ({ label, count: counts[c] as number, weights: weights[c] as Float64Array }));
}

/**
 * Jaccard index of the supports {k : a_k > 0} and {k : b_k > 0} of two dense profiles.
 *
 * @returns |A ∩ B| / |A ∪ B| in [0, 1]; 1 when both supports are empty (two all-zero profiles are equal).
 * @throws RangeError if the lengths differ.
 */
export function jaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength('jaccard', a, b);
  let both = 0;
  let either = 0;
  for (let k = 0; k < a.length; k++) {
    const inA = (a[k] as number) > 0;
    const inB = (b[k] as number) > 0;
    if (inA && inB) both++;
    if (inA || inB) either++;
  }
  return either === 0 ? 1 : both / either;
}

/**
 * Weighted Jaccard Σ min(a_k, b_k) / Σ max(a_k, b_k) of two non-negative dense profiles.
 *
 * @returns A value in [0, 1]; 1 when a = b (also when both are all zero), and below 1 otherwise in exact
 *   arithmetic (in float64, differences below ~ε·Σmax can round away).
 * @throws RangeError if the lengths differ or an entry is negative or NaN.
 */
export function weightedJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength('weightedJaccard', a, b);
  let low = 0;
  let high = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    const y = b[k] as number;
    if (!(x >= 0 && y >= 0)) throw new RangeError(`weightedJaccard: profile weights must be ≥ 0, got ${x} and ${y} at ${k}`);
    low += Math.min(x, y);
    high += Math.max(x, y);
  }
  return high === 0 ? 1 : low / high;
}

/**
 * Pairwise (weighted) Jaccard of class profiles.
 *
 * @param weighted `weightedJaccard` when true, `jaccard` on supports when false.
 * @returns c × c row-major float64, symmetric, with ones on the diagonal (c = profiles.length).
 */
export function jaccardMatrix(profiles: readonly ClassProfile[], weighted: boolean): Float64Array {
  const c = profiles.length;
  const out = new Float64Array(c * c);
  const similarity = weighted ? weightedJaccard : jaccard;
  for (let i = 0; i < c; i++) {
    out[i * c + i] = 1;
    for (let j = i + 1; j < c; j++) {
      const s = similarity((profiles[i] as ClassProfile).weights, (profiles[j] as ClassProfile).weights);
      out[i * c + j] = s;
      out[j * c + i] = s;
    }
  }
  return out;
}

/**
 * How much the classes share their directions in one layer: the mean (weighted) Jaccard over the pairs of
 * classes that have inputs (our summary for comparing layers, not a DeepDataProfiler quantity). 1 when every
 * class relies on the same directions with the same weights, 0 when no two classes share one. Read along the
 * depth of a network it shows where the classes part ways.
 *
 * @param weighted `weightedJaccard` when true, `jaccard` on supports when false.
 * @returns The mean over the c·(c − 1)/2 pairs of the c classes with count > 0; NaN when c < 2.
 */
export function classOverlap(profiles: readonly ClassProfile[], weighted: boolean): number {
  const present = profiles.filter((p) => p.count > 0);
  const similarity = weighted ? weightedJaccard : jaccard;
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      sum += similarity((present[i] as ClassProfile).weights, (present[j] as ClassProfile).weights);
      pairs++;
    }
  }
  return pairs === 0 ? NaN : sum / pairs;
}

function checkAggregates(name: string, aggregates: Float64Array, n: number, rank: number): void {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(rank) || rank < 0) throw new RangeError(`${name}: bad shape ${n}×${rank}`);
  if (aggregates.length !== n * rank) throw new RangeError(`${name}: ${aggregates.length} aggregates, ${n} inputs × ${rank} directions needs ${n * rank}`);
}

function checkSameLength(name: string, a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`${name}: profiles of different lengths (${a.length} and ${b.length})`);
}
