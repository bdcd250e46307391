import { useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { UnitTuning } from '../../analysis/curves/types';
import { formatNumber } from '../shared/chart';
import { formatDeg, formatRadius } from './curveFormat';
import { orientationColor } from './orientationColor';
import type { SortDirection, UnitColumn, UnitRow } from './unitRows';
import { sortUnitRows, unitRows } from './unitRows';
import { SortableHeader } from '../shared/SortableHeader';

export interface UnitRankingTableProps {
  readonly tunings: readonly UnitTuning[];
  /** `labels[i]` is the label of `tunings[i]` ("unit n" when missing). */
  readonly labels: readonly string[];
  readonly selected: number | null;
  readonly onSelect: (unit: number) => void;
  /** Called with the unit under the pointer or keyboard focus (null when it leaves). */
  readonly onHover?: (unit: number | null) => void;
  /** A unit hovered elsewhere (e.g. the radial plot): its row is marked. */
  readonly highlighted?: number | null;
  /** Initial sort (default: selectivity, descending: the most orientation-selective first). */
  readonly initialSort?: { readonly column: UnitColumn; readonly direction: SortDirection };
}

const COLUMNS: readonly { readonly key: UnitColumn; readonly label: string; readonly title: string; readonly numeric: boolean }[] = [
  { key: 'unit', label: 'unit', title: 'The unit (channel or singular direction)', numeric: false },
  { key: 'theta', label: 'preferred θ', title: 'Orientation of the largest response at the preferred radius (0° right, counter-clockwise)', numeric: true },
  { key: 'radius', label: 'preferred r', title: 'Curve radius whose best orientation gives the largest response (∞: a straight line)', numeric: true },
  { key: 'peak', label: 'peak', title: 'Largest response over the whole sweep', numeric: true },
  { key: 'selectivity', label: 'selectivity', title: 'Orientation selectivity: 1 − circular variance of the rectified tuning curve (1 = one sharp peak)', numeric: true },
  { key: 'echo', label: 'echo', title: 'A secondary peak about 180° from the preferred θ: its θ and its size as a fraction of the peak', numeric: true },
];

function cellText(row: UnitRow, column: UnitColumn): string {
  const t = row.tuning;
  switch (column) {
    case 'unit':
      return row.label;
    case 'theta':
      return formatDeg(t.preferredThetaDeg);
    case 'radius':
      return formatRadius(t.preferredRadiusPx);
    case 'peak':
      return Number.isFinite(t.peak) ? formatNumber(t.peak) : '—';
    case 'selectivity':
      return Number.isFinite(t.selectivity) ? t.selectivity.toFixed(2) : '—';
    case 'echo':
      return t.echo ? `${formatDeg(t.echo.thetaDeg)} · ${Math.round(t.echo.ratio * 100)}%` : '—';
  }
}

/**
 * Units ranked by their curve tuning (SCIENCE.md §4): preferred θ and radius, peak, orientation selectivity and
 * the "echo" flag. Sortable headers carry `aria-sort`; a click, or Enter/Space on a focused row, selects the unit;
 * ↑/↓ (or k/j), Home and End move the focus between rows. Everything comes through props; only the sort is local.
 */
export function UnitRankingTable({ tunings, labels, selected, onSelect, onHover, highlighted = null, initialSort }: UnitRankingTableProps) {
  const [sort, setSort] = useState<{ column: UnitColumn; direction: SortDirection }>(() => ({ column: 'selectivity', direction: 'descending', ...initialSort }));
  const rows = useMemo(() => sortUnitRows(unitRows(tunings, labels), sort.column, sort.direction), [tunings, labels, sort]);
  const tabbable = rows.some((r) => r.unit === selected) ? selected : (rows[0]?.unit ?? null);

  const sortBy = (column: UnitColumn) =>
    setSort((s) =>
      s.column === column
        ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column, direction: column === 'unit' || column === 'theta' || column === 'radius' ? 'ascending' : 'descending' },
    );

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = event.target instanceof HTMLElement ? event.target.closest('tr') : null;
    const unit = tr?.getAttribute('data-unit');
    if (!tr || unit == null) return;
    let next: Element | null = null;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(Number(unit));
      return;
    } else if (event.key === 'ArrowDown' || event.key === 'j') next = tr.nextElementSibling;
    else if (event.key === 'ArrowUp' || event.key === 'k') next = tr.previousElementSibling;
    else if (event.key === 'Home') next = tr.parentElement?.firstElementChild ?? null;
    else if (event.key === 'End') next = tr.parentElement?.lastElementChild ?? null;
    else return;
    event.preventDefault();
    if (next instanceof HTMLElement) next.focus();
  };

  return (
    <div className="curve-units-scroll">
      <table className="layer-table curve-units" aria-label="Units ranked by curve tuning">
        <SortableHeader columns={COLUMNS.map((c) => ({ key: c.key, label: c.label, title: c.title, className: c.key === 'unit' ? 'name' : 'num' }))} sort={sort} onSort={sortBy} />
        <tbody onKeyDown={onKeyDown}>
          {rows.map((r) => {
            const isSelected = r.unit === selected;
            return (
              <tr
                key={r.unit}
                className={`curve-unit-row${isSelected ? ' selected' : ''}${r.unit === highlighted ? ' hovered' : ''}${r.tuning.echo ? ' has-echo' : ''}`}
                data-unit={r.unit}
                data-theta={r.tuning.preferredThetaDeg}
                data-selectivity={r.tuning.selectivity}
                aria-current={isSelected ? 'true' : undefined}
                tabIndex={r.unit === tabbable ? 0 : -1}
                onClick={() => onSelect(r.unit)}
                onPointerEnter={() => onHover?.(r.unit)}
                onPointerLeave={() => onHover?.(null)}
                onFocus={() => onHover?.(r.unit)}
                onBlur={() => onHover?.(null)}
              >
                {COLUMNS.map((c) =>
                  c.key === 'unit' ? (
                    <th key={c.key} scope="row" className="name">
                      <span className="curve-unit-swatch" style={{ background: orientationColor(r.tuning.preferredThetaDeg) }} aria-hidden="true" />
                      {r.label}
                    </th>
                  ) : (
                    <td key={c.key} className={`num${c.key === 'echo' && r.tuning.echo ? ' curve-echo' : ''}`} data-column={c.key}>
                      {cellText(r, c.key)}
                    </td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
