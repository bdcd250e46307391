import { describe, expect, it } from 'vitest';
import { LEGEND_CHAR_PX, legendLayout } from './legendLayout';

describe('legendLayout', () => {
  const entries = [
    { swatch: 10, label: 'aaaa' },
    { swatch: 10, label: 'bbbbbbbb' },
    { swatch: 10, label: 'cc' },
  ];

  it('puts entries on one row when they fit', () => {
    const at = legendLayout(entries, 1000);
    expect(at.map((p) => p.row)).toEqual([0, 0, 0]);
    expect(at[1]?.x).toBeCloseTo(10 + 5 + 4 * LEGEND_CHAR_PX + 14, 9);
  });

  it('wraps onto new rows when narrow, never leaving an empty row', () => {
    expect(legendLayout(entries, 60).map((p) => p.row)).toEqual([0, 1, 2]);
    expect(legendLayout(entries, 1).every((p) => p.x === 0)).toBe(true);
  });
});
