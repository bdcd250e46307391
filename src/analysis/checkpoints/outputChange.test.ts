import { describe, expect, it } from 'vitest';
import { outputChange } from './outputChange';

describe('outputChange', () => {
  it('logits by hand: relative change, top-1 agreement, accuracy, KL(softmax(y) ‖ softmax(ŷ))', () => {
    // Input 0: [3, 4] unchanged. Input 1: [1, 0] → [0, 1]: ‖ŷ − y‖ = √2, ‖y‖ = 1, argmax 0 → 1.
    const change = outputChange(Float32Array.of(3, 4, 1, 0), Float32Array.of(3, 4, 0, 1), 2, { labels: [1, 0], classCount: 2 });
    expect(change.n).toBe(2);
    expect(change.outputKind).toBe('logits');
    expect(change.klDefinition).toBe('KL(softmax(y) ‖ softmax(ŷ))');
    expect(Array.from(change.relativeChange)).toEqual([0, Math.SQRT2]);
    expect(change.meanRelativeChange).toBeCloseTo(Math.SQRT2 / 2, 12);
    expect(change.maxRelativeChange).toBeCloseTo(Math.SQRT2, 12);
    expect(change.top1Same).toEqual([true, false]);
    expect(change.top1Agreement).toBe(0.5);
    // Labels [1, 0]: argmax before [1, 0] (both right), after [1, 1] (one right).
    expect(change.accuracy).toEqual({ before: 1, after: 0.5 });
    // p = softmax(1, 0) = (e, 1)/(e + 1), q its mirror: ln(p₀/q₀) = 1, so KL = p₀ − p₁ = tanh(½) = 0.46211716.
    expect(change.kl?.[0]).toBe(0);
    expect(change.kl?.[1]).toBeCloseTo(Math.tanh(0.5), 12);
    expect(change.meanKl).toBeCloseTo(Math.tanh(0.5) / 2, 12);
  });

  it('probabilities by hand: KL(y ‖ ŷ) on the values themselves; a zero in ŷ is floored at 1e-12', () => {
    // [½, ½, 0] → [¼, ¾, 0]: KL = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3) = 0.14384104; r = ‖(−¼, ¼, 0)‖ / ‖(½, ½, 0)‖ = ½.
    const change = outputChange(Float64Array.of(0.5, 0.5, 0, 1, 0, 0), Float64Array.of(0.25, 0.75, 0, 0, 1, 0), 3);
    expect(change.outputKind).toBe('probabilities');
    expect(change.klDefinition).toBe('KL(y ‖ ŷ)');
    expect(change.kl?.[0]).toBeCloseTo(0.5 * Math.log(4 / 3), 12);
    expect(change.kl?.[1]).toBeCloseTo(Math.log(1e12), 9);
    expect(change.relativeChange[0]).toBeCloseTo(0.5, 12);
    expect(change.relativeChange[1]).toBeCloseTo(Math.SQRT2, 12);
    // Ties go to the first index: argmax (½, ½, 0) = 0, argmax (¼, ¾, 0) = 1.
    expect(change.top1Same).toEqual([false, false]);
    expect(change.accuracy).toBeNull();
  });

  it('width 1: relative change only; y = 0 gives 0 or +∞, +∞ left out of the mean', () => {
    const change = outputChange(Float32Array.of(2, 0, 0), Float32Array.of(3, 0, 1), 1, { labels: [0, 0, 0], classCount: 1 });
    expect(Array.from(change.relativeChange)).toEqual([0.5, 0, Infinity]);
    expect(change.meanRelativeChange).toBe(0.25);
    expect(change.maxRelativeChange).toBe(Infinity);
    expect(change).toMatchObject({ top1Same: null, top1Agreement: null, accuracy: null, kl: null, meanKl: null, klDefinition: null });
  });

  it('accuracy needs a label per input and as many classes as outputs; bad sizes throw', () => {
    const y = Float32Array.of(1, 0, 0, 1);
    expect(outputChange(y, y, 2, { labels: [0, 1], classCount: 3 }).accuracy).toBeNull();
    expect(outputChange(y, y, 2, { labels: [0], classCount: 2 }).accuracy).toBeNull();
    expect(outputChange(y, y, 2, { labels: [0, 0], classCount: 2 }).accuracy).toEqual({ before: 0.5, after: 0.5 });
    const same = outputChange(y, y, 2);
    expect(same.meanKl).toBe(0);
    expect(same.top1Agreement).toBe(1);
    expect(() => outputChange(y, Float32Array.of(1, 0), 2)).toThrow(RangeError);
    expect(() => outputChange(Float32Array.of(1, 2, 3), Float32Array.of(1, 2, 3), 2)).toThrow(RangeError);
    expect(() => outputChange(y, y, 0)).toThrow(RangeError);
    expect(outputChange(new Float32Array(0), new Float32Array(0), 5)).toMatchObject({ n: 0, top1Agreement: null, meanKl: null, maxRelativeChange: 0 });
  });
});
