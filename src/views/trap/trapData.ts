/**
 * What the correlation-trap view draws, from a layer's spectrum and its shuffled copy's (SCIENCE.md §2,
 * "Randomised ESD / correlation traps"; Martin & Mahoney, JMLR 2021, §5.5): both ESDs on one set of log-spaced
 * bins, so their bars line up, each a probability density over its own eigenvalues (the shuffled ESD pools
 * several shuffles and has more of them).
 */
import { esdHistogram } from '../../analysis/spectra/esdHistogram';
import type { RandomizedLayerEsd } from '../../analysis/metrics/layerRandomization';
import { esdBinCount } from '../esd/EsdView';

/** One ESD binned on given edges. */
export interface BinnedDensity {
  /** Density per unit λ, per bin; Σ densityᵢ·widthᵢ = 1 over this set's positive eigenvalues. */
  readonly density: Float64Array;
  /** Eigenvalues per bin (left-closed bins, the last one closed). */
  readonly counts: Uint32Array;
  /** Eigenvalues left out: ≤ 0 or ≤ 1e-30 of the largest of both sets (no place on a log axis). */
  readonly zeroCount: number;
}

/** Two ESDs on common log-spaced bins. */
export interface PairedEsd {
  /** Bin edges in λ, ascending, bins + 1 of them (empty when neither set has a positive eigenvalue). */
  readonly edges: Float64Array;
  readonly real: BinnedDensity;
  readonly random: BinnedDensity;
}

/**
 * Bin `values` on `edges` (ascending, from `commonLogEdges` or `esdHistogram`): values below the first edge count
 * as zero, values above the last are clamped into the last bin.
 */
export function densityOnEdges(values: Float64Array, edges: Float64Array): BinnedDensity {
  const bins = edges.length - 1;
  if (bins < 1) return { density: new Float64Array(0), counts: new Uint32Array(0), zeroCount: values.length };
  const lo = edges[0] as number;
  const logLo = Math.log(lo);
  const logSpan = Math.log(edges[bins] as number) - logLo;
  const counts = new Uint32Array(bins);
  let positive = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= lo)) continue;
    positive++;
    let b = logSpan > 0 ? Math.min(bins - 1, Math.max(0, Math.floor(((Math.log(v) - logLo) / logSpan) * bins))) : 0;
    // The formula can miss by one at an edge (rounding in log/exp): settle against the stored edges.
    while (b > 0 && v < (edges[b] as number)) b--;
    while (b < bins - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  const density = new Float64Array(bins);
  if (positive > 0) for (let b = 0; b < bins; b++) density[b] = (counts[b] as number) / (positive * ((edges[b + 1] as number) - (edges[b] as number)));
  return { density, counts, zeroCount: values.length - positive };
}

/**
 * Log-spaced bin edges spanning the positive eigenvalues of every set (those of `esdHistogram` on their union).
 * @param bins Number of bins (integer ≥ 1).
 */
export function commonLogEdges(sets: readonly Float64Array[], bins: number): Float64Array {
  const union = new Float64Array(sets.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const s of sets) {
    union.set(s, offset);
    offset += s.length;
  }
  return esdHistogram(union, { bins }).edges;
}

/** The layer's λ and its shuffled copy's λ_rand on common log bins. */
export function pairedEsdHistograms(real: Float64Array, random: Float64Array, options: { bins: number }): PairedEsd {
  const edges = commonLogEdges([real, random], options.bins);
  return { edges, real: densityOnEdges(real, edges), random: densityOnEdges(random, edges) };
}

/** Everything `trapChart` draws. λ are in the layer's analysed units (evalScale·σ²). */
export interface TrapChartData extends PairedEsd {
  /** The layer's name, for the chart's accessible label. */
  readonly label: string;
  readonly seed: number;
  readonly replicas: number;
  /** Eigenvalue counts: the layer's, and the shuffled copies' (replicas × the layer's). */
  readonly realCount: number;
  readonly randomCount: number;
  /** The layer's largest λ, and the shuffled copy's (WW max_rand_eval). */
  readonly lambdaMax: number;
  readonly randomLambdaMax: number;
  /** The shuffled ESD's MP bulk edge and trap threshold (bulk_max + √TW), when its MP fit succeeded. */
  readonly bulkMax: number | null;
  readonly spikeThreshold: number | null;
  /** The correlation traps: shuffled λ above the threshold, ascending. */
  readonly trapsAsc: Float64Array;
}

/**
 * The trap view's data for one layer.
 * @param singularValues The layer's σ (any order), from its scan result.
 * @param evalScale λ = evalScale·σ² (the report's: ½ for WW pooled conv; includes any normalisation).
 * @param randomized The shuffled copy's ESD, in the same λ units.
 */
export function trapChartData(label: string, singularValues: Float64Array, evalScale: number, randomized: RandomizedLayerEsd): TrapChartData {
  const real = singularValues.map((s) => evalScale * s * s);
  const random = randomized.eigenvaluesAsc;
  const paired = pairedEsdHistograms(real, random, { bins: esdBinCount(real.length) });
  let lambdaMax = -Infinity;
  for (const v of real) if (v > lambdaMax) lambdaMax = v;
  const threshold = randomized.spikeThreshold ?? null;
  const firstTrap = threshold === null ? random.length : firstAbove(random, threshold);
  return {
    ...paired,
    label,
    seed: randomized.seed,
    replicas: randomized.replicas,
    realCount: real.length,
    randomCount: random.length,
    lambdaMax: real.length > 0 ? lambdaMax : NaN,
    randomLambdaMax: random.length > 0 ? (random[random.length - 1] as number) : NaN,
    bulkMax: randomized.bulkMax ?? null,
    spikeThreshold: threshold,
    trapsAsc: random.slice(firstTrap),
  };
}

/** Index of the first value > x in an ascending array (its length when there is none). */
function firstAbove(ascending: Float64Array, x: number): number {
  let lo = 0;
  let hi = ascending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ascending[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
