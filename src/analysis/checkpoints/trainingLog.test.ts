import { describe, expect, it } from 'vitest';
import { parseTrainingLog } from './trainingLog';

describe('parseTrainingLog', () => {
  it('reads the columnar layout of the grokking sample, with milestones', () => {
    const log = parseTrainingLog({ step: [0, 10, 20], test_acc: [0.01, 0.5, 1], test_loss: [4.6, 2, 0.1], recipe: { p: 97 }, short: [1], milestones: { test50: 10, bad: 'x' } });
    expect(log.curves.map((c) => c.name)).toEqual(['test_acc', 'test_loss']);
    expect(log.curves[0]).toEqual({ name: 'test_acc', steps: [0, 10, 20], values: [0.01, 0.5, 1], fraction: true });
    expect(log.curves[1]?.fraction).toBe(false);
    expect(log.milestones).toEqual({ test50: 10 });
  });

  it("reads a Trainer's log_history, one curve per numeric key, sorted by step", () => {
    const log = parseTrainingLog({
      log_history: [
        { step: 200, loss: 1.5, learning_rate: 1e-4, epoch: 1 },
        { step: 100, loss: 2.5 },
        { step: 200, eval_loss: 1.7, eval_accuracy: 0.6 },
        { loss: 9 },
      ],
    });
    expect(log.curves).toEqual([
      { name: 'loss', steps: [100, 200], values: [2.5, 1.5], fraction: false },
      { name: 'eval_loss', steps: [200], values: [1.7], fraction: false },
      { name: 'eval_accuracy', steps: [200], values: [0.6], fraction: true },
    ]);
  });

  it('gives no curves for anything else', () => {
    for (const x of [null, 3, 'log', [], { steps: [1] }, { step: [1, 'a'] }]) expect(parseTrainingLog(x)).toEqual({ curves: [], milestones: {} });
  });
});
