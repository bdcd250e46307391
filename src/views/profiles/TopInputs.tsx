import type { CSSProperties } from 'react';
import { useMemo } from 'react';
import { formatNumber } from '../shared/chart';
import { classGlyph, classStyle } from './classStyle';
import { directionName, directionRank } from './profileFormat';
import { topInputRows } from './topInputRows';

export interface TopInputsProps {
  /** The selected direction (0-based index), or null for none. */
  readonly direction: number | null;
  /** The layer's singular values, descending (for σ_k in the heading). */
  readonly sigma: ArrayLike<number>;
  /** N × rank row-major: each input's aggregate projection onto each direction. */
  readonly aggregates: Float64Array;
  readonly n: number;
  readonly rank: number;
  /** N class indices into `classes`. */
  readonly labels: readonly number[];
  readonly classes: readonly string[];
  /** N input names. */
  readonly names: readonly string[];
  /** An image URL (data: or blob:) of input `index`. */
  readonly thumbnails: (index: number) => string;
  /** How many inputs to show (default 8). */
  readonly count?: number;
  /** Width / height of the inputs (wide text lines get wider cards); 1 by default. */
  readonly aspect?: number;
}

/** The class chip's colour, for CSS. */
const chipStyle = (classIndex: number): CSSProperties => ({ '--class-color': classStyle(Math.max(0, classIndex)).color }) as CSSProperties;

/**
 * The inputs that drive the selected direction hardest (largest |aggregate|), as thumbnails with their name, class
 * and aggregate value. `data-testid="top-inputs"` is always present; `data-state` is `empty` without a direction.
 */
export function TopInputs({ direction, sigma, aggregates, n, rank, labels, classes, names, thumbnails, count = 8, aspect = 1 }: TopInputsProps) {
  const rows = useMemo(
    () => (direction === null || direction < 0 || direction >= rank ? [] : topInputRows(aggregates, n, rank, direction, count, labels, classes, names)),
    [direction, aggregates, n, rank, count, labels, classes, names],
  );
  if (direction === null) {
    return (
      <p className="hint top-inputs-empty" data-testid="top-inputs" data-state="empty">
        Click a direction in the heatmap or the hypergraph (or choose one above) to see the inputs that drive it.
      </p>
    );
  }
  const k = directionRank(direction);
  const s = direction < sigma.length ? (sigma[direction] as number) : null;
  return (
    <ol
      className="top-inputs"
      style={{ '--thumb-aspect': Math.min(6, Math.max(1, aspect)) } as CSSProperties}
      data-testid="top-inputs"
      data-state="ready"
      data-direction={direction}
      data-wide={aspect > 1.5 ? '' : undefined} aria-label={`The ${rows.length} inputs that drive ${directionName(k, s)} most`}>
      {rows.map((row, i) => (
        <li key={row.index} className="top-input" data-index={row.index}>
          <img className="top-input-thumb" src={thumbnails(row.index)} alt={`${row.name} (class ${row.classLabel})`} loading="lazy" decoding="async" />
          <span className="top-input-name" title={row.name}>
            <span className="top-input-rank">{i + 1}.</span> {row.name}
          </span>
          <span className="class-chip" style={chipStyle(row.classIndex)}>
            <span className="class-chip-glyph" aria-hidden="true">
              {classGlyph(Math.max(0, row.classIndex))}
            </span>
            {row.classLabel}
          </span>
          <span className="top-input-value" title={`aggregate projection onto direction ${k}`}>
            {formatNumber(row.value)}
          </span>
        </li>
      ))}
    </ol>
  );
}
