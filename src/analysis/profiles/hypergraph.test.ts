import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassProfile } from './classProfiles';
import { directionHypergraph, dualHypergraph, topInputs } from './hypergraph';

const profile = (label: string, count: number, weights: number[]): ClassProfile => ({ label, count, weights: Float64Array.from(weights) });

/** The class profiles of classProfiles.test.ts: cat = [0.5, 1.5, 0, 0], dog = [0, 0.5, 0.5, 0], bird empty. */
const PROFILES = [profile('cat', 2, [0.5, 1.5, 0, 0]), profile('dog', 1, [0, 0.5, 0.5, 0]), profile('bird', 0, [0, 0, 0, 0])];

describe('directionHypergraph', () => {
  it('hand-computed: edges, shared and unique directions, degrees; empty classes get no edge', () => {
    const h = directionHypergraph(PROFILES);
    expect(h.vertices).toEqual([0, 1, 2]);
    expect(h.edges).toEqual([
      { label: 'cat', members: [0, 1], weights: [0.5, 1.5] },
      { label: 'dog', members: [1, 2], weights: [0.5, 0.5] },
    ]);
    expect(h.shared).toEqual([1]);
    expect([...h.unique]).toEqual([['cat', [0]], ['dog', [2]]]);
    expect([...h.degree]).toEqual([[0, 1], [1, 2], [2, 1]]);
    expect(dualHypergraph(h)).toEqual({
      vertices: ['cat', 'dog'],
      edges: [
        { direction: 0, members: ['cat'] },
        { direction: 1, members: ['cat', 'dog'] },
        { direction: 2, members: ['dog'] },
      ],
    });
  });

  it('minWeight drops light members (an edge may become empty)', () => {
    const h = directionHypergraph(PROFILES, 0.6);
    expect(h.edges).toEqual([
      { label: 'cat', members: [1], weights: [1.5] },
      { label: 'dog', members: [], weights: [] },
    ]);
    expect(h.vertices).toEqual([1]);
    expect(h.shared).toEqual([]);
    expect([...h.unique]).toEqual([['cat', [1]], ['dog', []]]);
  });

  it('no profiles, or no inputs at all: an empty hypergraph', () => {
    for (const h of [directionHypergraph([]), directionHypergraph([profile('x', 0, [1, 2])])]) {
      expect(h).toMatchObject({ vertices: [], edges: [], shared: [] });
      expect(h.unique.size).toBe(0);
      expect(h.degree.size).toBe(0);
      expect(dualHypergraph(h)).toEqual({ vertices: [], edges: [] });
    }
  });

  it('rejects duplicate labels, mixed lengths and a bad minWeight', () => {
    expect(() => directionHypergraph([profile('a', 1, [1]), profile('a', 1, [1])])).toThrow(/two classes are labelled 'a'/);
    expect(() => directionHypergraph([profile('a', 1, [1]), profile('b', 1, [1, 2])])).toThrow(RangeError);
    expect(() => directionHypergraph(PROFILES, -1)).toThrow(/minWeight/);
    expect(() => directionHypergraph(PROFILES, NaN)).toThrow(/minWeight/);
  });

  it('properties: degrees count edge memberships, shared ⊆ every edge, unique sets are disjoint, the dual transposes', () => {
    const classes = fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 })), { minLength: 0, maxLength: 5 });
    fc.assert(
      fc.property(classes, fc.integer({ min: 0, max: 2 }), (rows, minWeight) => {
        const profiles = rows.map(([count, w], c) => profile(`class ${c}`, count, w));
        const h = directionHypergraph(profiles, minWeight);
        expect(h.edges.map((e) => e.label)).toEqual(profiles.filter((p) => p.count > 0).map((p) => p.label));
        let memberships = 0;
        for (const e of h.edges) {
          memberships += e.members.length;
          for (const k of h.shared) expect(e.members).toContain(k);
          e.members.forEach((k, r) => {
            expect(e.weights[r]).toBeGreaterThan(minWeight);
            expect(h.vertices).toContain(k);
          });
        }
        expect([...h.degree.values()].reduce((s, d) => s + d, 0)).toBe(memberships);
        expect([...h.degree.keys()]).toEqual(h.vertices);
        const uniques = [...h.unique.values()].flat();
        expect(new Set(uniques).size).toBe(uniques.length);
        for (const k of uniques) expect(h.degree.get(k)).toBe(1);
        const dual = dualHypergraph(h);
        for (const { direction, members } of dual.edges) {
          expect(members).toEqual(h.edges.filter((e) => e.members.includes(direction)).map((e) => e.label));
        }
      }),
      { seed: 61, numRuns: 150 },
    );
  });
});

describe('topInputs', () => {
  // Aggregates of 3 inputs × 4 directions (classProfiles.test.ts's HAND).
  const aggregates = Float64Array.from([3, -3, 0, 0, 0, 2, 0, 0, 0, -1, 1, 0]);

  it('largest |aggregate| first, ties by index', () => {
    expect(topInputs(aggregates, 3, 4, 1, 2)).toEqual([0, 1]); // |−3| > 2 > |−1|
    expect(topInputs(aggregates, 3, 4, 2, 3)).toEqual([2, 0, 1]); // 1, then the tied zeros by index
    expect(topInputs(aggregates, 3, 4, 0, 10)).toEqual([0, 1, 2]);
    expect(topInputs(aggregates, 3, 4, 3, 0)).toEqual([]);
    expect(topInputs(Float64Array.from([1, -Infinity, 2]), 3, 1, 0, 3)).toEqual([1, 2, 0]);
  });

  it('rejects bad shapes, directions, counts and NaN', () => {
    expect(() => topInputs(aggregates, 3, 5, 0, 1)).toThrow(RangeError);
    expect(() => topInputs(aggregates, 3, 4, 4, 1)).toThrow(/direction 4/);
    expect(() => topInputs(aggregates, 3, 4, 0, -1)).toThrow(/count/);
    expect(() => topInputs(Float64Array.from([1, NaN]), 2, 1, 0, 1)).toThrow(/NaN/);
  });
});
