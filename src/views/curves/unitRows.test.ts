import { describe, expect, it } from 'vitest';
import type { UnitTuning } from '../../analysis/curves/types';
import { sortUnitRows, unitRows } from './unitRows';

const tuning = (unit: number, over: Partial<UnitTuning>): UnitTuning => ({
  unit,
  preferredThetaDeg: 0,
  preferredRadiusPx: 10,
  peak: 1,
  mean: 0.5,
  selectivity: 0.5,
  echo: null,
  ...over,
});

describe('unit rows', () => {
  const rows = unitRows(
    [
      tuning(0, { selectivity: 0.2, preferredRadiusPx: Infinity, echo: { thetaDeg: 180, ratio: 0.4 } }),
      tuning(1, { selectivity: 0.9, preferredRadiusPx: 5 }),
      tuning(2, { selectivity: NaN, preferredRadiusPx: 20, echo: { thetaDeg: 10, ratio: 0.8 } }),
      tuning(3, { selectivity: 0.9 }),
    ],
    ['a', 'b', 'c'],
  );
  it('labels rows, with a fallback', () => {
    expect(rows.map((r) => r.label)).toEqual(['a', 'b', 'c', 'unit 3']);
  });
  it('sorts descending with ties by unit and NaN last', () => {
    expect(sortUnitRows(rows, 'selectivity', 'descending').map((r) => r.unit)).toEqual([1, 3, 0, 2]);
    expect(sortUnitRows(rows, 'selectivity', 'ascending').map((r) => r.unit)).toEqual([0, 1, 3, 2]);
  });
  it('puts lines (r = ∞) at the large end and units without an echo at the low end', () => {
    expect(sortUnitRows(rows, 'radius', 'ascending').map((r) => r.unit)).toEqual([1, 3, 2, 0]);
    expect(sortUnitRows(rows, 'echo', 'descending').map((r) => r.unit)).toEqual([2, 0, 1, 3]);
  });
  it('does not change its input', () => {
    sortUnitRows(rows, 'unit', 'descending');
    expect(rows.map((r) => r.unit)).toEqual([0, 1, 2, 3]);
  });
});
