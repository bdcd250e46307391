/**
 * The modular-addition task of the grokking literature (Power et al. 2022, "Grokking: generalization beyond
 * overfitting on small algorithmic datasets"): every pair (a, b) with 0 ≤ a, b < p, labelled (a + b) mod p, split
 * once into a training and a test set by a seeded permutation.
 */
import { seededRandom, shuffleInPlace } from '../../src/analysis/random/seededRandom';

/** A set of pairs with their labels; entry i is (a[i] + b[i]) mod p = label[i]. */
export interface PairSet {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly label: Int32Array;
}

/** All p² pairs, split into train (the first ⌊fraction·p²⌋ of a seeded permutation, in pair order) and test. */
export interface ModularSplit {
  readonly p: number;
  readonly train: PairSet;
  readonly test: PairSet;
}

function pairSet(p: number, pairIndices: Int32Array): PairSet {
  const a = new Int32Array(pairIndices.length);
  const b = new Int32Array(pairIndices.length);
  const label = new Int32Array(pairIndices.length);
  pairIndices.forEach((k, i) => {
    a[i] = Math.floor(k / p);
    b[i] = k % p;
    label[i] = ((a[i] ?? 0) + (b[i] ?? 0)) % p;
  });
  return { a, b, label };
}

/**
 * The seeded train/test split of all pairs mod `p`.
 *
 * @param p the modulus (the number of classes)
 * @param trainFraction share of the p² pairs used for training, in (0, 1)
 * @param seed mulberry32 seed of the permutation (`src/analysis/random/seededRandom.ts`)
 * @returns both sets, each sorted by pair index k = a·p + b (so batches are the same whatever the permutation's order)
 */
export function makeModularSplit(p: number, trainFraction: number, seed: number): ModularSplit {
  if (!Number.isInteger(p) || p < 2) throw new RangeError(`p must be an integer ≥ 2, got ${p}`);
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`trainFraction must be in (0, 1), got ${trainFraction}`);
  const order = Int32Array.from({ length: p * p }, (_, k) => k);
  shuffleInPlace(order, seededRandom(seed));
  const trainCount = Math.floor(trainFraction * p * p);
  const train = order.slice(0, trainCount).sort();
  const test = order.slice(trainCount).sort();
  return { p, train: pairSet(p, train), test: pairSet(p, test) };
}
