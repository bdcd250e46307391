import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useLatestCallback } from '../profiles/useLatest';
import { useChart } from '../shared/useChart';
import type { RadialTuningChart, RadialTuningData, RadialUnit } from './radialTuningChart';
import { radialTuningChart } from './radialTuningChart';

export interface RadialTuningProps {
  readonly units: readonly RadialUnit[];
  /** T orientations in degrees, ascending in [0, 360). */
  readonly thetasDeg: Float64Array;
  /** One max for every unit shown (e.g. `sharedMax(units)`; the before/after pair passes the larger of both). */
  readonly sharedMax: number;
  readonly layout: 'overlay' | 'grid';
  readonly selected: number | null;
  readonly onHover: (unit: number | null) => void;
  readonly onSelect: (unit: number) => void;
  /** A unit hovered elsewhere (the ranking table, the other plot of a pair): isolated without redrawing. */
  readonly highlighted?: number | null;
  /** Drawn in the SVG (kept in exports), e.g. "before". */
  readonly title?: string;
  /** Height of the overlay plot, px (default 380); the grid takes the height its rows need. */
  readonly heightPx?: number;
}

/** Radial tuning curves of some units (see `radialTuningChart`); everything comes through props. */
export function RadialTuning({ units, thetasDeg, sharedMax, layout, selected, onHover, onSelect, highlighted = null, title, heightPx = 380 }: RadialTuningProps) {
  const hover = useLatestCallback(onHover);
  const select = useLatestCallback(onSelect);
  const data = useMemo<RadialTuningData>(
    () => ({ units, thetasDeg, sharedMax, layout, selected, onHover: hover, onSelect: select, ...(title !== undefined ? { title } : {}) }),
    [units, thetasDeg, sharedMax, layout, selected, hover, select, title],
  );
  const chart = useRef<RadialTuningChart | null>(null);
  const factory = useCallback((root: HTMLElement) => (chart.current = radialTuningChart(root)), []);
  const host = useChart(factory, data);
  useEffect(() => chart.current?.highlight(highlighted), [highlighted]);
  return (
    <div
      ref={host}
      className={`view view-radial layout-${layout}`}
      style={layout === 'overlay' ? { height: heightPx } : undefined}
      aria-label={`${title ? `${title}: ` : ''}radial tuning curves of ${units.length} units`}
      data-ready={units.length > 0 ? 'true' : 'false'}
      data-units={units.length}
    />
  );
}
