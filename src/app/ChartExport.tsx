import type { MouseEvent } from 'react';
import { chartPng, standaloneSvg } from '../views/shared/exportChart';
import { download } from './download';
import { EmbedButton } from './embed/EmbedButton';
import type { EmbedPanel } from './embed/embedParams';

/** SVG and PNG (2×) buttons for the chart in the same figure, and its embed code. */
export function ChartExport({ name, panel, title }: { name: string; panel?: EmbedPanel; title?: string }) {
  const chartOf = (event: MouseEvent<HTMLButtonElement>) => event.currentTarget.closest('figure')?.querySelector<SVGSVGElement>('svg.chart') ?? null;
  return (
    <span className="chart-export">
      <button
        type="button"
        className="button small"
        title="Download this chart as SVG"
        onClick={(e) => {
          const svg = chartOf(e);
          if (svg) download(`${name}.svg`, standaloneSvg(svg), 'image/svg+xml');
        }}
      >
        SVG
      </button>
      <button
        type="button"
        className="button small"
        title="Download this chart as PNG (2× resolution)"
        onClick={(e) => {
          const svg = chartOf(e);
          if (svg) void chartPng(svg).then((png) => download(`${name}.png`, png));
        }}
      >
        PNG
      </button>
      {panel ? <EmbedButton panel={panel} title={title ?? name} /> : null}
    </span>
  );
}
