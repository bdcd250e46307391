import { describe, expect, it } from 'vitest';
import { chooseCheckpoints, findMilestones, firstCrossing } from './checkpointSteps';
import { makeModularSplit } from './modularAddition';

describe('firstCrossing', () => {
  it('returns the first step at or above the threshold, or null', () => {
    expect(firstCrossing([0, 10, 20, 30], [0, 0.4, 0.5, 0.9], 0.5)).toBe(20);
    expect(firstCrossing([0, 10], [0, 0.4], 0.5)).toBeNull();
  });
});

describe('chooseCheckpoints', () => {
  const steps = Array.from({ length: 401 }, (_, i) => 10 * i); // 0 … 4000
  const trainAcc = steps.map((s) => (s >= 150 ? 1 : s / 150));
  const testAcc = steps.map((s) => (s < 2000 ? 0.01 : Math.min(1, 0.01 + (s - 2000) / 500)));
  const testLoss = steps.map((s) => 5 + 5 * Math.exp(-(((s - 1200) / 400) ** 2)) - (s > 2000 ? (s - 2000) / 500 : 0));
  const milestones = findMilestones(steps, trainAcc, testAcc, testLoss, 0.01);

  it('finds the milestones', () => {
    expect(milestones).toEqual({
      train99: 150,
      testLossPeak: 1200,
      testTwiceChance: 2010,
      test10: 2050,
      test25: 2120,
      test50: 2250,
      test75: 2370,
      test90: 2450,
      test99: 2490,
    });
  });

  it('keeps init, last, every milestone and a step after the jump, then fills to the count in log space', () => {
    const chosen = chooseCheckpoints(steps, milestones, 20);
    const chosenSteps = chosen.map((c) => c.step);
    expect(chosen).toHaveLength(20);
    expect(chosenSteps).toEqual([...chosenSteps].sort((a, b) => a - b));
    for (const s of [0, 4000, 150, 1200, 2010, 2050, 2120, 2250, 2370, 2450, 2490, 2890]) expect(chosenSteps).toContain(s);
    expect(chosen.find((c) => c.step === 1200)?.role).toBe('test loss at its peak');
    expect(chosen.filter((c) => c.role === 'log-spaced').length).toBe(8);
  });

  it('works for a run that never generalises', () => {
    const never = findMilestones(steps, trainAcc, steps.map(() => 0), testLoss, 0.01);
    expect(never.test10).toBeNull();
    const chosen = chooseCheckpoints(steps, never, 20);
    expect(chosen).toHaveLength(20);
    expect(chosen[0]).toEqual({ step: 0, role: 'init' });
  });
});

describe('makeModularSplit', () => {
  it('splits all p² pairs once, labels (a + b) mod p, and is reproducible from its seed', () => {
    const split = makeModularSplit(11, 0.3, 5);
    expect(split.train.a.length).toBe(36);
    expect(split.train.a.length + split.test.a.length).toBe(121);
    const keys = new Set<number>();
    for (const set of [split.train, split.test]) {
      set.a.forEach((a, i) => {
        const b = set.b[i] ?? -1;
        expect(set.label[i]).toBe((a + b) % 11);
        keys.add(a * 11 + b);
      });
    }
    expect(keys.size).toBe(121);
    expect(makeModularSplit(11, 0.3, 5)).toEqual(split);
    expect(makeModularSplit(11, 0.3, 6).train.a).not.toEqual(split.train.a);
  });
});
