import type { ReactNode } from 'react';
import { useCallback, useMemo, useRef } from 'react';
import { classOverlap, classProfiles } from '../../analysis/profiles';
import type { DepthChart, DepthChartData } from '../overview/depthChart';
import { depthChart } from '../overview/depthChart';
import { useHoverChannel } from '../shared/linkedHover';
import { useChart } from '../shared/useChart';

/** One probed layer's projections (a `ProbeLayerResult`'s fields that matter here). */
export interface ProbedLayer {
  readonly rank: number;
  readonly aggregates: Float64Array;
}

export interface OverlapByDepthProps {
  /** The probed layers in depth order (the scan's order), by the names the scan shows. */
  readonly layers: readonly string[];
  readonly results: Readonly<Record<string, ProbedLayer>>;
  readonly labels: readonly number[];
  readonly classes: readonly string[];
  readonly threshold: number;
  readonly weighted: boolean;
  readonly selected: string | null;
  readonly onSelect: (layer: string) => void;
  readonly onHover: (layer: string | null) => void;
  /** Export/embed buttons for the caption (the app's); none in an embed. */
  readonly actions?: ReactNode;
}

export const OVERLAP_EXPLANATION =
  'For every probed layer, the mean Jaccard similarity between the classes’ sets of influential directions (our summary, not a DeepDataProfiler quantity). ' +
  'Near 1: all classes lean on the same directions (generic features); lower: the classes rely on different directions, so this is where the network tells them apart.';

/** Each probed layer's class overlap (`classOverlap`), in depth order; layers with fewer than two classes are left out. */
export function overlapPoints(props: Pick<OverlapByDepthProps, 'layers' | 'results' | 'labels' | 'classes' | 'threshold' | 'weighted'>): { name: string; value: number }[] {
  const n = props.labels.length;
  return props.layers.flatMap((name) => {
    const r = props.results[name];
    if (!r) return [];
    const value = classOverlap(classProfiles(r.aggregates, n, r.rank, props.labels, props.classes, props.threshold), props.weighted);
    return Number.isFinite(value) ? [{ name, value }] : [];
  });
}

/**
 * Class overlap by depth: where in the network the input classes start to rely on different singular directions.
 * A click selects the layer, hover is linked with the other views.
 */
export function OverlapByDepth(props: OverlapByDepthProps) {
  const { layers, results, labels, classes, threshold, weighted, selected, onSelect, onHover } = props;
  const points = useMemo(() => overlapPoints({ layers, results, labels, classes, threshold, weighted }), [layers, results, labels, classes, threshold, weighted]);
  const data = useMemo<DepthChartData>(
    () => ({
      points: points.map((p) => ({ ...p, warning: '' })),
      metric: weighted ? 'overlap (weighted J.)' : 'overlap (Jaccard)',
      band: null,
      domain: [0, 1],
      selected,
      onSelect,
      onHover,
    }),
    [points, weighted, selected, onSelect, onHover],
  );
  const chart = useRef<DepthChart | null>(null);
  const factory = useCallback((root: HTMLElement) => (chart.current = depthChart(root, { top: 30 })), []);
  const host = useChart(factory, data);
  useHoverChannel((name) => chart.current?.highlight(name));
  return (
    <figure className="plot profiles-overlap" aria-label="Class overlap by layer" data-testid="overlap-by-depth" data-points={points.length}>
      <figcaption>
        <span>Where the classes part ways: class overlap by layer</span>
        {props.actions}
      </figcaption>
      <p className="metric-explanation profiles-explanation">{OVERLAP_EXPLANATION}</p>
      <div ref={host} className="view view-overlap" data-ready={points.length > 0 ? 'true' : 'false'} />
    </figure>
  );
}
