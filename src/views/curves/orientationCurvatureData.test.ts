import { describe, expect, it } from 'vitest';
import { argMax, binThetaColumns, heatmapDomain, nearestThetaIndex, radiusRows } from './orientationCurvatureData';

const thetas = (n: number) => Float64Array.from({ length: n }, (_, i) => (i * 360) / n);

describe('binThetaColumns', () => {
  it('keeps a small grid as is', () => {
    const b = binThetaColumns(thetas(4), Float64Array.from([1, 2, 3, 4]), 1);
    expect(b.columns).toBe(4);
    expect(Array.from(b.values)).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.endDeg)).toEqual([90, 180, 270, 360]);
  });
  it('bins 720 samples into 180 columns of 4, averaging finite values', () => {
    const values = new Float64Array(2 * 720).map((_, i) => i % 720);
    values[1] = NaN;
    const b = binThetaColumns(thetas(720), values, 2);
    expect(b.columns).toBe(180);
    expect(b.perColumn).toBe(4);
    expect(b.values[0]).toBeCloseTo((0 + 2 + 3) / 3);
    expect(b.values[180]).toBeCloseTo(1.5);
    expect(b.startDeg[1]).toBeCloseTo(2);
    expect(b.endDeg[179]).toBe(360);
  });
  it('handles T not divisible by the bin', () => {
    const b = binThetaColumns(thetas(7), Float64Array.from([1, 1, 1, 1, 1, 1, 5]), 1, 3);
    expect(b.columns).toBe(3);
    expect(b.values[2]).toBe(5);
  });
});

describe('radiusRows', () => {
  it('sorts finite radii, gives log-symmetric bands, and finds the line row', () => {
    const rows = radiusRows([Infinity, 40, 10, 20]);
    expect(rows.lineIndex).toBe(0);
    expect(rows.bands.map((b) => b.index)).toEqual([2, 3, 1]);
    const [a, b, c] = rows.bands;
    expect(a?.hi).toBeCloseTo(Math.sqrt(200));
    expect(a?.lo).toBeCloseTo(100 / Math.sqrt(200));
    expect(b?.lo).toBeCloseTo(a?.hi ?? 0);
    expect(c?.hi).toBeCloseTo(1600 / Math.sqrt(800));
  });
  it('copes with one radius, none, and junk', () => {
    expect(radiusRows([8]).bands[0]?.hi).toBeCloseTo(8 * Math.SQRT2);
    expect(radiusRows([Infinity])).toEqual({ bands: [], lineIndex: 0 });
    expect(radiusRows([NaN, -1, 0]).bands).toEqual([]);
  });
});

describe('heatmapDomain', () => {
  it('is sequential from 0 for non-negative values and diverging otherwise', () => {
    expect(heatmapDomain([0, 2, NaN])).toEqual({ kind: 'sequential', lo: 0, hi: 2 });
    expect(heatmapDomain([-3, 1])).toEqual({ kind: 'diverging', lo: -3, hi: 3 });
    expect(heatmapDomain([0, 0])).toEqual({ kind: 'sequential', lo: 0, hi: 1 });
    expect(heatmapDomain([])).toEqual({ kind: 'sequential', lo: 0, hi: 1 });
  });
});

describe('nearestThetaIndex and argMax', () => {
  it('wraps around 360°', () => {
    expect(nearestThetaIndex(thetas(720), 359.9)).toBe(0);
    expect(nearestThetaIndex(thetas(720), 90.2)).toBe(180);
    expect(nearestThetaIndex(new Float64Array(0), 3)).toBe(-1);
  });
  it('finds the largest value', () => {
    expect(argMax(Float64Array.from([1, 5, NaN, 2, 3, 4]), 3)).toEqual({ row: 0, column: 1, value: 5 });
    expect(argMax(Float64Array.from([NaN]), 1).row).toBe(-1);
  });
});
