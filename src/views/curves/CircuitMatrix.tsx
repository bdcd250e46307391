import { useMemo } from 'react';
import { useLatestCallback } from '../profiles/useLatest';
import { useChart } from '../shared/useChart';
import type { CircuitMatrixData, CircuitUnit } from './circuitMatrixChart';
import { circuitMatrixChart } from './circuitMatrixChart';

export interface CircuitMatrixProps {
  /** Units of layer L+1, already ordered by preferred orientation. */
  readonly rows: readonly CircuitUnit[];
  /** Units of layer L, already ordered by preferred orientation. */
  readonly cols: readonly CircuitUnit[];
  readonly kh: number;
  readonly kw: number;
  /** rows × cols × kh × kw, row-major. */
  readonly cells: Float32Array;
  /** Symmetric colour domain ±maxAbs. */
  readonly maxAbs: number;
  readonly rowTitle?: string;
  readonly colTitle?: string;
  /** Called with the hovered cell's row and column indices (null when the pointer leaves). */
  readonly onHoverCell?: (cell: { readonly row: number; readonly col: number } | null) => void;
}

/** The Curve Circuits weight matrix between two layers (see `circuitMatrixChart`); its height follows its rows. */
export function CircuitMatrix({ rows, cols, kh, kw, cells, maxAbs, rowTitle, colTitle, onHoverCell }: CircuitMatrixProps) {
  const hover = useLatestCallback((cell: { readonly row: number; readonly col: number } | null) => onHoverCell?.(cell));
  const data = useMemo<CircuitMatrixData>(
    () => ({
      rows,
      cols,
      kh,
      kw,
      cells,
      maxAbs,
      onHoverCell: hover,
      ...(rowTitle !== undefined ? { rowTitle } : {}),
      ...(colTitle !== undefined ? { colTitle } : {}),
    }),
    [rows, cols, kh, kw, cells, maxAbs, rowTitle, colTitle, hover],
  );
  const host = useChart(circuitMatrixChart, data);
  return (
    <div
      ref={host}
      className="view view-circuit"
      aria-label={`Circuit matrix: ${rows.length} × ${cols.length} units, ${kh}×${kw} kernels`}
      data-ready={rows.length > 0 && cols.length > 0 ? 'true' : 'false'}
    />
  );
}
