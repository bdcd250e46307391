import type { ReactNode } from 'react';

/** One sortable column of a table: its key, its header text and tooltip, and the header cell's class. */
export interface SortableColumn<K extends string> {
  readonly key: K;
  readonly label: ReactNode;
  readonly title?: string;
  readonly className?: string;
}

/**
 * A table's header row of sort buttons (the layer table, the unit ranking, the ΔW table): each cell carries
 * `aria-sort` and `data-column`, the active one a ▲/▼ mark; a click calls `onSort` with the column's key.
 */
export function SortableHeader<K extends string>({
  columns,
  sort,
  onSort,
}: {
  columns: readonly SortableColumn<K>[];
  sort: { readonly column: K; readonly direction: 'ascending' | 'descending' };
  onSort: (column: K) => void;
}) {
  return (
    <thead>
      <tr>
        {columns.map((c) => {
          const active = sort.column === c.key;
          return (
            <th key={c.key} scope="col" className={c.className} aria-sort={active ? sort.direction : 'none'} data-column={c.key}>
              <button type="button" className="sort-button" onClick={() => onSort(c.key)} title={c.title}>
                {c.label}
                <span className="sort-mark" aria-hidden="true">
                  {active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                </span>
              </button>
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
