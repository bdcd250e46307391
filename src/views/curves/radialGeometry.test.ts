import { describe, expect, it } from 'vitest';
import { gridLayout, polarPoint, radialAngle, radialRadius, radiusUnit, sharedMax } from './radialGeometry';

describe('radial geometry (SCIENCE.md §4)', () => {
  it('puts 0 on the inner circle (0.3 R) and the max on 1.3 R', () => {
    expect(radialRadius(0, 5, 100)).toBeCloseTo(30);
    expect(radialRadius(5, 5, 100)).toBeCloseTo(130);
    expect(radialRadius(2.5, 5, 100)).toBeCloseTo(80);
    expect(radiusUnit(130)).toBeCloseTo(100);
  });
  it('clamps large negative values at the centre and treats NaN as 0', () => {
    expect(radialRadius(-10, 5, 100)).toBe(0);
    expect(radialRadius(NaN, 5, 100)).toBeCloseTo(30);
  });
  it('maps θ counter-clockwise from the right, as on screen', () => {
    const [x0, y0] = polarPoint(0, 10);
    expect(x0).toBeCloseTo(10);
    expect(y0).toBeCloseTo(0);
    const [x90, y90] = polarPoint(90, 10);
    expect(x90).toBeCloseTo(0);
    expect(y90).toBeCloseTo(-10);
    // d3.lineRadial: x = r sin(a), y = −r cos(a)
    for (const t of [0, 33, 90, 200]) {
      const a = radialAngle(t);
      const [x, y] = polarPoint(t, 1);
      expect(Math.sin(a)).toBeCloseTo(x);
      expect(-Math.cos(a)).toBeCloseTo(y);
    }
  });
  it('shares one max across units', () => {
    expect(sharedMax([{ values: [1, 2, NaN] }, { values: [3, -4] }])).toBe(3);
    expect(sharedMax([{ values: [-1, -4] }])).toBe(4);
    expect(sharedMax([{ values: [NaN] }])).toBe(1);
    expect(sharedMax([])).toBe(1);
  });
  it('lays out small multiples', () => {
    expect(gridLayout(16, 600, 140)).toEqual({ columns: 4, rows: 4, cellPx: 150 });
    expect(gridLayout(2, 600, 140)).toEqual({ columns: 2, rows: 1, cellPx: 300 });
    expect(gridLayout(5, 100, 140).columns).toBe(1);
    expect(gridLayout(0, 600, 140).rows).toBe(0);
  });
});
