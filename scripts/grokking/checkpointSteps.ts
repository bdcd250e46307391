/**
 * Which logged steps become committed checkpoints. Training keeps a snapshot at every logged step; afterwards the
 * milestones of the run (train accuracy reaching 99 %, the peak of the test loss, test accuracy crossing
 * 10/25/50/75/90/99 %) and a step after the test-accuracy jump are chosen, and the rest of the budget is
 * spread evenly in log(step + offset) by farthest-point selection, so early training (where the weights move
 * fastest) and the long plateau are both covered.
 */

/** First logged steps at which an accuracy reached a threshold (null: never). */
export interface Milestones {
  readonly train99: number | null;
  /**
   * The step of the highest test loss at or after `train99`: memorisation drives the test loss up, and its turn
   * marks the start of generalisation, before test accuracy moves (Nanda et al. 2023's "circuit formation").
   */
  readonly testLossPeak: number | null;
  /** The first step at or after `train99` with test accuracy ≥ twice chance (2/p): the first visible sign of generalisation. */
  readonly testTwiceChance: number | null;
  readonly test10: number | null;
  readonly test25: number | null;
  readonly test50: number | null;
  readonly test75: number | null;
  readonly test90: number | null;
  readonly test99: number | null;
}

/** One chosen checkpoint and why it was chosen. */
export interface CheckpointChoice {
  readonly step: number;
  readonly role: string;
}

/** The first `steps[i]` with `values[i] ≥ threshold`, or null. */
export function firstCrossing(steps: readonly number[], values: readonly number[], threshold: number): number | null {
  const i = values.findIndex((v) => v >= threshold);
  return i < 0 ? null : (steps[i] ?? null);
}

/**
 * The run's milestones from its logged accuracies (fractions in [0, 1]) and test losses.
 *
 * @param chance accuracy of guessing, 1/p
 */
export function findMilestones(
  steps: readonly number[],
  trainAcc: readonly number[],
  testAcc: readonly number[],
  testLoss: readonly number[],
  chance: number,
): Milestones {
  const train99 = firstCrossing(steps, trainAcc, 0.99);
  let testLossPeak: number | null = null;
  let peak = -Infinity;
  if (train99 !== null) {
    steps.forEach((s, i) => {
      const loss = testLoss[i] ?? NaN;
      if (s >= train99 && loss > peak) {
        peak = loss;
        testLossPeak = s;
      }
    });
  }
  const after = train99 ?? Infinity;
  const twice = steps.findIndex((s, i) => s >= after && (testAcc[i] ?? 0) >= 2 * chance);
  return {
    train99,
    testLossPeak,
    testTwiceChance: twice < 0 ? null : (steps[twice] ?? null),
    test10: firstCrossing(steps, testAcc, 0.1),
    test25: firstCrossing(steps, testAcc, 0.25),
    test50: firstCrossing(steps, testAcc, 0.5),
    test75: firstCrossing(steps, testAcc, 0.75),
    test90: firstCrossing(steps, testAcc, 0.9),
    test99: firstCrossing(steps, testAcc, 0.99),
  };
}

/** The logged step nearest to `target` (ties: the earlier one). */
function nearest(steps: readonly number[], target: number): number {
  let best = steps[0] ?? 0;
  for (const s of steps) if (Math.abs(s - target) < Math.abs(best - target)) best = s;
  return best;
}

/**
 * Choose about `count` checkpoint steps among the logged ones.
 *
 * Always: step 0 (init), the last step, every milestone (the test-loss peak is the step just before the jump) and
 * one jump-width after test accuracy reached 99 % (jump width = steps from the 10 % to the 90 % crossing). Then, up to
 * `count`, the logged step farthest in log(step + offset) from those already chosen (offset: 3 logging intervals,
 * so the first few logged steps do not take most of the budget).
 *
 * @param steps logged steps, ascending, starting at 0
 * @returns chosen steps, ascending, each with its role
 */
export function chooseCheckpoints(steps: readonly number[], milestones: Milestones, count: number): CheckpointChoice[] {
  const chosen = new Map<number, string>();
  const add = (step: number | null, role: string): void => {
    if (step === null) return;
    const s = nearest(steps, step);
    if (!chosen.has(s)) chosen.set(s, role);
  };
  const last = steps[steps.length - 1] ?? 0;
  const m = milestones;
  add(steps[0] ?? 0, 'init');
  add(last, 'final');
  add(m.train99, 'train acc ≥ 99 %');
  add(m.test50, 'test acc crossed 50 %');
  add(m.test10, 'test acc crossed 10 %');
  add(m.test90, 'test acc crossed 90 %');
  add(m.test99, 'test acc crossed 99 %');
  add(m.testLossPeak, 'test loss at its peak');
  add(m.testTwiceChance, 'test acc first ≥ twice chance');
  add(m.test25, 'test acc crossed 25 %');
  add(m.test75, 'test acc crossed 75 %');
  if (m.test10 !== null && m.test99 !== null) {
    const width = Math.max((m.test90 ?? last) - m.test10, 1);
    add(Math.min(last, m.test99 + width), 'one jump-width after test acc reached 99 %');
  }
  const offset = 3 * Math.max(1, (steps[1] ?? 1) - (steps[0] ?? 0));
  const position = (s: number): number => Math.log(s + offset);
  while (chosen.size < Math.min(count, steps.length)) {
    let best: number | null = null;
    let bestDistance = -1;
    for (const s of steps) {
      if (chosen.has(s)) continue;
      let distance = Infinity;
      for (const c of chosen.keys()) distance = Math.min(distance, Math.abs(position(s) - position(c)));
      if (distance > bestDistance) {
        best = s;
        bestDistance = distance;
      }
    }
    if (best === null) break;
    chosen.set(best, 'log-spaced');
  }
  return [...chosen.entries()].map(([step, role]) => ({ step, role })).sort((x, y) => x.step - y.step);
}
