import { describe, expect, it } from 'vitest';
import { decimateMinMax } from './decimate';

describe('decimateMinMax', () => {
  it('keeps every point of a short series, dropping non-positive values on log axes', () => {
    const v = new Float64Array([5, 3, 0, 0]);
    expect(decimateMinMax(v, 100, false)).toEqual([[1, 5], [2, 3], [3, 0], [4, 0]]);
    expect(decimateMinMax(v, 100, true)).toEqual([[1, 5], [2, 3]]);
  });

  it('reduces 100k values to at most two per pixel column and keeps the extremes', () => {
    const n = 100_000;
    const v = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
    const points = decimateMinMax(v, 500, true);
    expect(points.length).toBeLessThanOrEqual(1000);
    expect(points[0]).toEqual([1, 1]);
    expect(points[points.length - 1]?.[0]).toBe(n);
    for (let i = 1; i < points.length; i++) expect((points[i] as [number, number])[0]).toBeGreaterThan((points[i - 1] as [number, number])[0]);
  });
});
