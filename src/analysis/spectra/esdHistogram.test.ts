import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { esdHistogram } from './esdHistogram';

function mass(h: { edges: Float64Array; density: Float64Array }): number {
  let m = 0;
  for (let i = 0; i < h.density.length; i++) m += (h.density[i] as number) * ((h.edges[i + 1] as number) - (h.edges[i] as number));
  return m;
}

describe('esdHistogram', () => {
  it('has mass 1 over the positive eigenvalues and counts every one of them (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 1e-12, max: 1e6, noNaN: true }), fc.constant(0), fc.double({ min: -1, max: 0, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 80 }),
        (values, bins) => {
          const h = esdHistogram(Float64Array.from(values), { bins });
          const positive = values.filter((v) => v > 0).length;
          expect(h.zeroCount).toBe(values.length - positive);
          const counted = h.counts.reduce((s, c) => s + c, 0);
          expect(counted).toBe(positive);
          if (positive > 0) expect(Math.abs(mass(h) - 1)).toBeLessThan(1e-12);
          for (let i = 1; i < h.edges.length; i++) expect(h.edges[i]).toBeGreaterThan(h.edges[i - 1] as number);
          // Every positive value lies inside the edges, in the bin its count says ([e_i, e_i+1), last bin closed).
          const byEdges = new Uint32Array(h.counts.length);
          for (const v of values) {
            if (!(v > 0)) continue;
            const b = h.edges.findLastIndex((e) => e <= v);
            expect(b).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(h.edges[h.edges.length - 1] as number);
            byEdges[Math.min(b, h.counts.length - 1)]! += 1;
          }
          expect(h.counts).toEqual(byEdges);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('uses log-spaced bins from min to max', () => {
    const h = esdHistogram(new Float64Array([1, 10, 100, 1000, 1000]), { bins: 3 });
    expect(Array.from(h.edges).map((e) => Math.log10(e))).toEqual([0, 1, 2, 3].map((x) => expect.closeTo(x, 12)));
    expect(Array.from(h.counts)).toEqual([1, 1, 3]);
    expect(h.density[0]).toBeCloseTo(1 / (5 * 9), 14);
    expect(h.density[2]).toBeCloseTo(3 / (5 * 900), 14);
  });

  it('leaves zeros, negatives and values ≤ 1e-30·max out, counting them in zeroCount', () => {
    const h = esdHistogram(new Float64Array([0, -1e-18, 5e-31, 2e-30, 1, 0.5]), { bins: 4 });
    expect(h.zeroCount).toBe(3);
    expect(h.counts.reduce((s, c) => s + c, 0)).toBe(3);
    expect(h.edges[0]).toBe(2e-30);
  });

  it('makes one narrow bin around a single distinct value', () => {
    const h = esdHistogram(new Float64Array([4, 4, 4, 0]), { bins: 10 });
    expect(h.counts).toEqual(new Uint32Array([3]));
    expect(h.zeroCount).toBe(1);
    expect(h.edges[0]).toBeLessThan(4);
    expect(h.edges[1]).toBeGreaterThan(4);
    expect(((h.edges[1] as number) - (h.edges[0] as number)) / 4).toBeLessThan(0.01);
    expect(mass(h)).toBeCloseTo(1, 12);
  });

  it('returns empty bins when nothing is positive', () => {
    const h = esdHistogram(new Float64Array([0, 0, -1]));
    expect(h.edges).toHaveLength(0);
    expect(h.density).toHaveLength(0);
    expect(h.counts).toHaveLength(0);
    expect(h.zeroCount).toBe(3);
    expect(esdHistogram(new Float64Array(0)).zeroCount).toBe(0);
  });

  it('rejects NaN and bad bin counts', () => {
    expect(() => esdHistogram(new Float64Array([1, Number.NaN]))).toThrow(RangeError);
    expect(() => esdHistogram(new Float64Array([1, 2]), { bins: 0 })).toThrow(RangeError);
  });
});
