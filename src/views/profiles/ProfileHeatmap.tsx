import { useMemo } from 'react';
import { useChart } from '../shared/useChart';
import type { HeatmapChartData } from './heatmapChart';
import { heatmapChart } from './heatmapChart';
import type { HeatmapData } from './heatmapData';
import { heatmapHeight, heatmapSummary } from './heatmapData';
import { useLatestCallback } from './useLatest';

export interface ProfileHeatmapProps {
  /** `heatmapData(profiles, hypergraph, sigma)`. */
  readonly data: HeatmapData;
  /** The selected direction (0-based index), or null. */
  readonly selectedDirection: number | null;
  /** Called with a direction's 0-based index when its column is clicked. */
  readonly onSelectDirection: (direction: number) => void;
}

/** The class × direction heatmap of one layer (see `heatmapChart`). */
export function ProfileHeatmap({ data, selectedDirection, onSelectDirection }: ProfileHeatmapProps) {
  const select = useLatestCallback(onSelectDirection);
  const chartData = useMemo<HeatmapChartData>(() => ({ heatmap: data, selectedDirection, onSelectDirection: select }), [data, selectedDirection, select]);
  const host = useChart(heatmapChart, chartData);
  return (
    <div
      ref={host}
      className="view view-profile-heatmap"
      style={{ height: heatmapHeight(data.rows.length) }}
      aria-label={heatmapSummary(data)}
      data-ready={data.columns.length > 0 ? 'true' : 'false'}
      data-columns={data.columns.length}
    />
  );
}
