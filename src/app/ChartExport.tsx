import type { MouseEvent } from 'react';
import { chartPng, standaloneSvg } from '../views/shared/exportChart';
import { download } from './download';
import { EmbedButton } from './embed/EmbedButton';
import type { EmbedPanel } from './embed/embedParams';

/** The chart in the same figure as a button. */
const chartOf = (event: MouseEvent<HTMLButtonElement>) => event.currentTarget.closest('figure')?.querySelector<SVGSVGElement>('svg.chart') ?? null;

/** SVG and PNG (2×) buttons for the chart in the same figure (`chart`, default), and its embed code (`panel`). */
export function ChartExport({ name, panel, title, chart = true }: { name: string; panel?: EmbedPanel; title?: string; chart?: boolean }) {
  return (
    <span className="chart-export">
      {chart ? (
        <>
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
        </>
      ) : null}
      {panel ? <EmbedButton panel={panel} title={title ?? name} /> : null}
    </span>
  );
}
