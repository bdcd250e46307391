import { useMemo } from 'react';
import { useChart } from '../shared/useChart';
import type { OrientationCurvatureData } from './orientationCurvatureChart';
import { orientationCurvatureChart } from './orientationCurvatureChart';

export interface OrientationCurvatureHeatmapProps extends OrientationCurvatureData {
  /** Height of the chart, px (default 320). */
  readonly heightPx?: number;
}

/** One unit's orientation × curvature responses (see `orientationCurvatureChart`); everything comes through props. */
export function OrientationCurvatureHeatmap({ unitLabel, thetasDeg, radiiPx, values, units, heightPx = 320 }: OrientationCurvatureHeatmapProps) {
  const data = useMemo<OrientationCurvatureData>(() => ({ unitLabel, thetasDeg, radiiPx, values, units }), [unitLabel, thetasDeg, radiiPx, values, units]);
  const host = useChart(orientationCurvatureChart, data);
  return (
    <div
      ref={host}
      className="view view-curve-heatmap"
      style={{ height: heightPx }}
      aria-label={`Orientation × curvature responses of ${unitLabel}`}
      data-ready={values.length > 0 ? 'true' : 'false'}
    />
  );
}
