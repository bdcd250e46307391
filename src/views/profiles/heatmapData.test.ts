import { describe, expect, it } from 'vitest';
import type { ClassProfile } from '../../analysis/profiles';
import { directionHypergraph } from '../../analysis/profiles';
import { heatmapData, heatmapHeight, heatmapSummary } from './heatmapData';
import { PROFILES, SIGMA } from './testing/profileFixture';

describe('heatmapData', () => {
  const h = directionHypergraph(PROFILES);
  const d = heatmapData(PROFILES, h, SIGMA);

  it('has one row per class, in the profiles’ order, and one column per influential direction by σ rank', () => {
    expect(d.rows.map((r) => r.label)).toEqual(['A', 'B', 'C', 'D']);
    expect(d.columns.map((c) => c.direction)).toEqual([0, 2, 3, 5, 7]);
    expect(d.columns.map((c) => c.rank)).toEqual([1, 3, 4, 6, 8]);
    expect(d.columns.map((c) => c.sigma)).toEqual([9, 7, 6, 4, 2]);
    expect(d.cells).toHaveLength(4 * 5);
  });

  it('flags directions shared by all classes (with inputs) and unique to one', () => {
    expect(d.columns.filter((c) => c.shared).map((c) => c.direction)).toEqual([0]);
    const unique = d.columns.filter((c) => c.uniqueTo !== null).map((c) => [c.direction, c.uniqueTo, c.uniqueRow]);
    expect(unique).toEqual([
      [2, 'A', 0],
      [5, 'B', 1],
    ]);
    expect(d.columns.find((c) => c.direction === 3)).toMatchObject({ shared: false, uniqueTo: null, degree: 2 });
  });

  it('normalises each class to shares of its total (0..1), empty cells for directions outside its hyperedge', () => {
    const a = d.cells.filter((c) => c.row === 0);
    expect(a.map((c) => c.share)).toEqual([0.5, 0.3, 0.2, 0, 0]);
    expect(a.map((c) => c.member)).toEqual([true, true, true, false, false]);
    for (let r = 0; r < 3; r++) {
      const total = d.cells.filter((c) => c.row === r).reduce((s, c) => s + c.share, 0);
      expect(total).toBeCloseTo(1, 12);
    }
    expect(d.cells.filter((c) => c.row === 3).every((c) => c.share === 0 && !c.member)).toBe(true);
    expect(d.maxShare).toBeCloseTo(0.75, 12);
  });

  it('works without σ, and marks nothing unique when there is one class', () => {
    const one = [PROFILES[0] as ClassProfile];
    const single = heatmapData(one, directionHypergraph(one));
    expect(single.columns.every((c) => c.sigma === null && c.shared && c.uniqueTo === null)).toBe(true);
  });

  it('summarises itself and sizes its view', () => {
    expect(heatmapSummary(d)).toBe('Influence of 5 singular directions on 4 classes: 1 shared by all classes, 2 unique to one class');
    expect(heatmapHeight(1)).toBe(190);
    expect(heatmapHeight(4)).toBe(238);
    expect(heatmapHeight(200)).toBe(554);
  });
});
