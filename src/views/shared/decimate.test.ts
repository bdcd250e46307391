import { describe, expect, it } from 'vitest';
import { decimateMinMax, decimateMinMaxIndices, decimatePixelLine } from './decimate';

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

describe('decimateMinMaxIndices', () => {
  it('keeps, per column, the minimum and the maximum in index order', () => {
    // 20 values, 2 columns: each column of 10 has its max and min somewhere inside
    const v = Float64Array.from({ length: 20 }, (_, i) => [3, 9, 1, 5, 5, 5, 5, 5, 5, 5, 2, 2, 8, 2, 2, 0.5, 2, 2, 2, 2][i] as number);
    expect(Array.from(decimateMinMaxIndices(v, 2, false))).toEqual([1, 2, 12, 15]);
  });

  it('keeps one point for a flat column and skips columns with nothing positive on log axes', () => {
    const v = new Float64Array(40);
    v.fill(1, 0, 10);
    expect(Array.from(decimateMinMaxIndices(v, 4, true))).toEqual([0]);
    expect(Array.from(decimateMinMaxIndices(v, 4, false))).toEqual([0, 10, 20, 30]);
  });

  it('agrees with decimateMinMax', () => {
    const v = Float64Array.from({ length: 30_000 }, (_, i) => Math.exp(-i / 5000) * (1 + 0.1 * Math.sin(i)));
    expect(decimateMinMax(v, 300, true)).toEqual(Array.from(decimateMinMaxIndices(v, 300, true), (i) => [i + 1, v[i]]));
  });
});

describe('decimatePixelLine', () => {
  it('keeps every point when each has its own pixel column', () => {
    expect(decimatePixelLine([0, 1.5, 2.2], [5, 6, 7])).toEqual([
      [0, 5],
      [1.5, 6],
      [2.2, 7],
    ]);
  });

  it('keeps at most first, lowest, highest and last per column, in order, and the extremes exactly', () => {
    const n = 100_000;
    const px = Float64Array.from({ length: n }, (_, i) => Math.log1p(i) * 50);
    const py = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 100 + (i === 77_777 ? 1000 : 0));
    const line = decimatePixelLine(px, py);
    const columns = new Set(Array.from(px, (v) => Math.floor(v))).size;
    expect(line.length).toBeLessThanOrEqual(4 * columns);
    expect(line.length).toBeLessThan(n / 20);
    for (let k = 1; k < line.length; k++) expect(line[k]![0]).toBeGreaterThanOrEqual(line[k - 1]![0]);
    expect(Math.max(...line.map((p) => p[1]))).toBe(Math.max(...py));
    expect(Math.min(...line.map((p) => p[1]))).toBe(Math.min(...py));
    expect(line[0]).toEqual([px[0], py[0]]);
    expect(line.at(-1)).toEqual([px[n - 1], py[n - 1]]);
  });
});
