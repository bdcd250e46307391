import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NamedShape } from './matchLayers';
import { matchLayers } from './matchLayers';

const t = (name: string, ...shape: number[]): NamedShape => ({ name, shape });

describe('matchLayers', () => {
  it('keeps tensors present everywhere with one shape, in the first checkpoint order', () => {
    const a = [t('fc1.weight', 64, 32), t('fc1.bias', 64), t('fc2.weight', 10, 64)];
    const b = [t('fc2.weight', 10, 64), t('fc1.bias', 64), t('fc1.weight', 64, 32)];
    const result = matchLayers([a, b, a]);
    expect(result.matched.map((m) => m.name)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight']);
    expect(result.matched[0]?.shape).toEqual([64, 32]);
    expect(result.mismatches).toEqual([]);
  });

  it('lists missing tensors with the checkpoints that lack them', () => {
    const full = [t('w', 4, 4), t('head.weight', 10, 4)];
    const noHead = [t('w', 4, 4)];
    const result = matchLayers([full, noHead, noHead, full, noHead], ['s0', 's1', 's2', 's3', 's4']);
    expect(result.matched.map((m) => m.name)).toEqual(['w']);
    expect(result.mismatches).toEqual([
      { name: 'head.weight', kind: 'missing', detail: 'missing from #2 (s1), #3 (s2), #5 (s4); present in 2 of 5' },
    ]);
  });

  it('lists tensors that only later checkpoints have, after the first checkpoint’s names', () => {
    const result = matchLayers([[t('a', 2, 2)], [t('a', 2, 2), t('lora.weight', 2, 2)]]);
    expect(result.mismatches).toEqual([{ name: 'lora.weight', kind: 'missing', detail: 'missing from #1; present in 1 of 2' }]);
  });

  it('lists shape changes, grouping checkpoints by shape (unlabelled indices as ranges)', () => {
    const small = [t('emb', 100, 16)];
    const big = [t('emb', 120, 16)];
    const result = matchLayers([small, small, small, big, small]);
    expect(result.matched).toEqual([]);
    expect(result.mismatches).toEqual([{ name: 'emb', kind: 'shape', detail: 'shapes differ: [100, 16] in #1–#3, #5; [120, 16] in #4' }]);
  });

  it('treats a transposed or reshaped tensor as a shape mismatch', () => {
    const result = matchLayers([[t('w', 3, 5)], [t('w', 5, 3)], [t('w', 15)]]);
    expect(result.mismatches[0]).toEqual({ name: 'w', kind: 'shape', detail: 'shapes differ: [3, 5] in #1; [5, 3] in #2; [15] in #3' });
  });

  it('reports a missing tensor whose other copies also disagree in shape', () => {
    const result = matchLayers([[t('w', 2, 2)], [], [t('w', 2, 3)]]);
    expect(result.mismatches).toEqual([
      { name: 'w', kind: 'missing', detail: 'missing from #2; present in 2 of 3, with different shapes: [2, 2] in #1; [2, 3] in #3' },
    ]);
  });

  it('shortens long labelled lists', () => {
    const labels = Array.from({ length: 8 }, (_, i) => `step_${i}`);
    const result = matchLayers([[t('x', 1)], ...Array.from({ length: 7 }, () => [])], labels);
    expect(result.mismatches[0]?.detail).toBe(
      'missing from #2 (step_1), #3 (step_2), #4 (step_3), #5 (step_4), #6 (step_5) and 2 more; present in 1 of 8',
    );
  });

  it('handles no checkpoints and one checkpoint', () => {
    expect(matchLayers([])).toEqual({ matched: [], mismatches: [] });
    expect(matchLayers([[t('w', 1, 2), t('s')]]).matched).toEqual([t('w', 1, 2), t('s')]);
  });

  it('throws RangeError on a name listed twice and on a wrong number of labels', () => {
    expect(() => matchLayers([[t('w', 1), t('w', 1)]])).toThrow(RangeError);
    expect(() => matchLayers([[t('w', 1)]], ['a', 'b'])).toThrow(RangeError);
  });

  it('partitions every name into matched or mismatched (property)', () => {
    const tensorList = fc.uniqueArray(
      fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e'), shape: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }) }),
      { selector: (x) => x.name, maxLength: 5 },
    );
    fc.assert(
      fc.property(fc.array(tensorList, { minLength: 1, maxLength: 4 }), (checkpoints) => {
        const { matched, mismatches } = matchLayers(checkpoints);
        const all = new Set(checkpoints.flatMap((c) => c.map((x) => x.name)));
        expect(matched.length + mismatches.length).toBe(all.size);
        for (const m of matched) {
          for (const c of checkpoints) expect(c.find((x) => x.name === m.name)?.shape).toEqual(m.shape);
        }
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
