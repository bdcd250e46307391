/** Rows of the unit ranking table, built from `UnitTuning`s, and their sort. */
import type { UnitTuning } from '../../analysis/curves/types';

/** The columns of the ranking table. */
export type UnitColumn = 'unit' | 'theta' | 'radius' | 'peak' | 'selectivity' | 'echo';
export type SortDirection = 'ascending' | 'descending';

export interface UnitRow {
  readonly unit: number;
  readonly label: string;
  readonly tuning: UnitTuning;
}

/** Rows of `tunings` with `labels[i]` the label of `tunings[i]` ("unit {n}" when missing). */
export function unitRows(tunings: readonly UnitTuning[], labels: readonly string[]): UnitRow[] {
  return tunings.map((t, i) => ({ unit: t.unit, label: labels[i] ?? `unit ${t.unit}`, tuning: t }));
}

/** The value a column sorts by: a line's radius is Infinity (the largest); a unit without an echo has −Infinity. */
export function sortKey(row: UnitRow, column: UnitColumn): number {
  const t = row.tuning;
  switch (column) {
    case 'unit':
      return row.unit;
    case 'theta':
      return t.preferredThetaDeg;
    case 'radius':
      return t.preferredRadiusPx;
    case 'peak':
      return t.peak;
    case 'selectivity':
      return t.selectivity;
    case 'echo':
      return t.echo ? t.echo.ratio : -Infinity;
  }
}

/** `rows` sorted by `column` (NaN last either way; ties by unit number, ascending), as a new array. */
export function sortUnitRows(rows: readonly UnitRow[], column: UnitColumn, direction: SortDirection): UnitRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const ka = sortKey(a, column);
    const kb = sortKey(b, column);
    const na = Number.isNaN(ka);
    const nb = Number.isNaN(kb);
    if (na || nb) return na === nb ? a.unit - b.unit : na ? 1 : -1;
    if (ka !== kb) return ka < kb ? -sign : sign;
    return a.unit - b.unit;
  });
}
