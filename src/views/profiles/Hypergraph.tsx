import { useMemo } from 'react';
import { useChart } from '../shared/useChart';
import type { BipartiteGraph } from './bipartite';
import { bipartiteHeight } from './bipartite';
import type { HypergraphChartData } from './hypergraphChart';
import { hypergraphChart } from './hypergraphChart';
import { useLatestCallback } from './useLatest';

export interface HypergraphProps {
  /** `bipartiteGraph(hypergraph, { mode, classes, classTotals })`: primal or dual. */
  readonly graph: BipartiteGraph;
  /** The layer's singular values, descending (for the hover text). */
  readonly sigma: ArrayLike<number>;
  readonly selectedDirection: number | null;
  /** Called with a direction's 0-based index when its node is clicked. */
  readonly onSelectDirection: (direction: number) => void;
}

/** The singular-direction hypergraph (our construction) as a bipartite drawing; `graph.mode` picks primal or dual. */
export function Hypergraph({ graph, sigma, selectedDirection, onSelectDirection }: HypergraphProps) {
  const select = useLatestCallback(onSelectDirection);
  const chartData = useMemo<HypergraphChartData>(() => ({ graph, sigma, selectedDirection, onSelectDirection: select }), [graph, sigma, selectedDirection, select]);
  const host = useChart(hypergraphChart, chartData);
  return (
    <div
      ref={host}
      className="view view-hypergraph"
      style={{ height: bipartiteHeight(graph) }}
      data-ready={graph.links.length > 0 ? 'true' : 'false'}
      data-mode={graph.mode}
      data-hidden-directions={graph.hiddenDirections}
    />
  );
}
