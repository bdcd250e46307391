import { describe, expect, it } from 'vitest';
import {
  classProfiles,
  directionHypergraph,
  influentialDirections,
  inputProfiles,
  jaccard,
  projectAggregate,
  projectAggregateBatch,
  svdNeurons,
  topInputs,
  weightedJaccard,
} from './index';

/**
 * A hand-built layer, run through the whole pipeline: weights → SVD neurons → projected, aggregated
 * activations → influence → class profiles → Jaccard → hypergraph.
 *
 * U = R⊗R with R = [[0.6, −0.8], [0.8, 0.6]], columns sign-normalised (largest |entry| positive):
 *   u₀ = ( 0.36,  0.48,  0.48,  0.64)
 *   u₁ = ( 0.48, −0.36,  0.64, −0.48)   (R⊗R's column is the negative of this: its −0.64 is the largest)
 *   u₂ = ( 0.48,  0.64, −0.36, −0.48)   (likewise)
 *   u₃ = ( 0.64, −0.48, −0.48,  0.36)
 * σ = (4, 3, 2, 1); W (4 × 5) = Σ_k σ_k·u_k·e_{c_k}ᵀ with right singular vectors e_2, e_0, e_4, e_1 (column 3 zero).
 */
const U_TRUE = [
  [0.36, 0.48, 0.48, 0.64],
  [0.48, -0.36, 0.64, -0.48],
  [0.48, 0.64, -0.36, -0.48],
  [0.64, -0.48, -0.48, 0.36],
]; // U_TRUE[k] = u_k
const SIGMA = [4, 3, 2, 1];
const COLUMN = [2, 0, 4, 1];
const W = new Float64Array(4 * 5);
U_TRUE.forEach((u, k) => u.forEach((v, i) => (W[i * 5 + (COLUMN[k] as number)] = v * (SIGMA[k] as number))));

/**
 * Designed projections P (direction × position, 2 positions) of three inputs, and the bias b; the test builds
 * the activations as A = U·P + b·1ᵀ, so Uᵀ(A − b·1ᵀ) = P.
 *   input 0: mean [2, −1.5, 1, 0.25], max [3, −1, 1.5, 0.75]
 *   input 1: mean [0.5, 2, −0.25, −1.75]
 *   input 2: mean [−1, 1.5, 2.5, 0.25]
 */
const P = [
  [[1, 3], [-1, -2], [0.5, 1.5], [0.75, -0.25]],
  [[0, 1], [2, 2], [-0.5, 0], [-1.5, -2]],
  [[-1, -1], [1, 2], [2, 3], [0.25, 0.25]],
];
const BIAS = [0.5, -1, 0.25, 2];
const POSITIONS = 2;

/** N × c_out × positions activations (NCHW with H·W = 2). */
const ACTIVATIONS = new Float64Array(3 * 4 * POSITIONS);
P.forEach((p, n) => {
  for (let o = 0; o < 4; o++) for (let t = 0; t < POSITIONS; t++) {
    let v = BIAS[o] as number;
    for (let k = 0; k < 4; k++) v += (U_TRUE[k]?.[o] as number) * (p[k]?.[t] as number);
    ACTIVATIONS[(n * 4 + o) * POSITIONS + t] = v;
  }
});

describe('SVD-neuron profiles, end to end', () => {
  const neurons = svdNeurons(W, 4, 5);

  it('svdNeurons recovers σ and the sign-normalised U', () => {
    SIGMA.forEach((s, k) => expect(neurons.sigma[k]).toBeCloseTo(s, 13));
    U_TRUE.forEach((u, k) => u.forEach((v, i) => expect(neurons.U[i * 4 + k]).toBeCloseTo(v, 13)));
  });

  it('aggregates: mean and max of the designed projections', () => {
    const mean = projectAggregateBatch(neurons, ACTIVATIONS, 3, POSITIONS, BIAS, 'mean');
    [2, -1.5, 1, 0.25, 0.5, 2, -0.25, -1.75, -1, 1.5, 2.5, 0.25].forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 12));
    const max0 = projectAggregate(neurons, ACTIVATIONS.subarray(0, 4 * POSITIONS), POSITIONS, BIAS, 'max');
    [3, -1, 1.5, 0.75].forEach((v, k) => expect(max0[k]).toBeCloseTo(v, 12));
    // Influence of input 0's max aggregate, threshold 0.5: |.| = [3, 1, 1.5, 0.75], total 6.25, limit 3.125;
    // ranks 0, 2, 1, 3 with c = 3 (≤), 4.5 (>) → {0, 2}, weights 3/4.5 = 2/3 and 1.5/4.5 = 1/3.
    const inf = influentialDirections(max0, 0.5);
    expect(Array.from(inf.indices)).toEqual([0, 2]);
    [2 / 3, 1 / 3].forEach((w, r) => expect(inf.weights[r]).toBeCloseTo(w, 12));
  });

  it('influence (threshold 0.5), class profiles, Jaccard, hypergraph and top inputs', () => {
    const aggregates = projectAggregateBatch(neurons, ACTIVATIONS, 3, POSITIONS, BIAS, 'mean');
    // input 0: |.| = [2, 1.5, 1, 0.25], total 4.75, limit 2.375; c = 2 (≤), 3.5 (>) → {0, 1}, weights 4/7, 3/7.
    // input 1: |.| = [0.5, 2, 0.25, 1.75], total 4.5, limit 2.25; ranks 1, 3: c = 2 (≤), 3.75 (>) → {1, 3}, 8/15, 7/15.
    // input 2: |.| = [1, 1.5, 2.5, 0.25], total 5.25, limit 2.625; ranks 2, 1: c = 2.5 (≤), 4 (>) → {2, 1}, 0.625, 0.375.
    const inputs = inputProfiles(aggregates, 3, 4, 0.5);
    expect(inputs.map((p) => Array.from(p.indices))).toEqual([[0, 1], [1, 3], [2, 1]]);
    const expected = [[4 / 7, 3 / 7], [8 / 15, 7 / 15], [0.625, 0.375]];
    inputs.forEach((p, i) => p.weights.forEach((w, r) => expect(w).toBeCloseTo(expected[i]?.[r] as number, 12)));

    // cat = inputs 0 + 1 = [4/7, 3/7 + 8/15, 0, 7/15]; dog = input 2 = [0, 0.375, 0.625, 0].
    const [cat, dog] = classProfiles(aggregates, 3, 4, [0, 0, 1], ['cat', 'dog'], 0.5) as [
      ReturnType<typeof classProfiles>[0],
      ReturnType<typeof classProfiles>[0],
    ];
    expect([cat.count, dog.count]).toEqual([2, 1]);
    [4 / 7, 3 / 7 + 8 / 15, 0, 7 / 15].forEach((w, k) => expect(cat.weights[k]).toBeCloseTo(w, 12));
    [0, 0.375, 0.625, 0].forEach((w, k) => expect(dog.weights[k]).toBeCloseTo(w, 12));
    // Supports {0, 1, 3} and {1, 2}: J = 1/4. Weighted: Σmin = 0.375; Σmax = 4/7 + (3/7 + 8/15) + 0.625 + 7/15 = 2.625 → 1/7.
    expect(jaccard(cat.weights, dog.weights)).toBe(0.25);
    expect(weightedJaccard(cat.weights, dog.weights)).toBeCloseTo(1 / 7, 12);

    const h = directionHypergraph([cat, dog]);
    expect(h.vertices).toEqual([0, 1, 2, 3]);
    expect(h.edges.map((e) => [e.label, e.members])).toEqual([['cat', [0, 1, 3]], ['dog', [1, 2]]]);
    expect(h.shared).toEqual([1]);
    expect([...h.unique]).toEqual([['cat', [0, 3]], ['dog', [2]]]);
    // Direction 2: |aggregate| = 1, 0.25, 2.5 for inputs 0, 1, 2.
    expect(topInputs(aggregates, 3, 4, 2, 3)).toEqual([2, 0, 1]);
  });
});
