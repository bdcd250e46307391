import { useMemo, useState } from 'react';
import { useLatestCallback } from '../profiles/useLatest';
import { sharedMax as maxOf } from './radialGeometry';
import { RadialTuning } from './RadialTuning';
import type { RadialUnit } from './radialTuningChart';

export interface RadialBeforeAfterProps {
  /** The units' tuning before the circuit edit. */
  readonly before: readonly RadialUnit[];
  /** The same units after it (matched by `id`). */
  readonly after: readonly RadialUnit[];
  readonly thetasDeg: Float64Array;
  /** One max for both plots; by default the largest value of either (`sharedMax` of both sets). */
  readonly sharedMax?: number;
  readonly layout: 'overlay' | 'grid';
  readonly selected: number | null;
  readonly onHover: (unit: number | null) => void;
  readonly onSelect: (unit: number) => void;
  /** A unit hovered elsewhere, isolated in both plots. */
  readonly highlighted?: number | null;
  /** Titles of the two plots (default "before", "after"). */
  readonly titles?: readonly [string, string];
  readonly heightPx?: number;
}

/**
 * Two radial plots side by side for a circuit edit: "before" and "after", on one shared max (so a shrunken curve
 * really is a weaker response). Hovering a unit in either plot isolates it in both.
 */
export function RadialBeforeAfter({ before, after, thetasDeg, sharedMax, layout, selected, onHover, onSelect, highlighted = null, titles = ['before', 'after'], heightPx }: RadialBeforeAfterProps) {
  const max = useMemo(() => sharedMax ?? maxOf([...before, ...after]), [sharedMax, before, after]);
  const [hovered, setHovered] = useState<number | null>(null);
  const hover = useLatestCallback((unit: number | null) => {
    setHovered(unit);
    onHover(unit);
  });
  const shown = hovered ?? highlighted;
  const common = { thetasDeg, sharedMax: max, layout, selected, onHover: hover, onSelect, highlighted: shown, ...(heightPx !== undefined ? { heightPx } : {}) };
  return (
    <div className="curve-before-after" role="group" aria-label={`${titles[0]} and ${titles[1]}: radial tuning on one shared max`}>
      <RadialTuning units={before} title={titles[0]} {...common} />
      <RadialTuning units={after} title={titles[1]} {...common} />
    </div>
  );
}
