import * as d3 from 'd3';

/** The contract every D3 view core follows: created once, updated with data, resized, destroyed. */
export interface Chart<D> {
  update(data: D): void;
  resize(widthPx: number, heightPx: number): void;
  destroy(): void;
}

/** What a chart core draws from: its latest data and its size in px. */
export interface ChartState<D> {
  data: D | null;
  width: number;
  height: number;
}

/**
 * The `Chart` of a core that draws everything from `state` in `render`: `update` and `resize` store and redraw,
 * `destroy` removes the SVG.
 */
export function chartLifecycle<D>(svg: { remove(): unknown }, state: ChartState<D>, render: () => void): Chart<D> {
  return {
    update(next) {
      state.data = next;
      render();
    },
    resize(w, h) {
      state.width = w;
      state.height = h;
      render();
    },
    destroy() {
      svg.remove();
    },
  };
}

/** Chart margins in px: room for the axes and their labels. */
export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export const DEFAULT_MARGINS: Margins = { top: 14, right: 18, bottom: 44, left: 64 };

/** Format numbers on axes and tooltips: short, scientific for extremes. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e4 || a < 1e-3) return value.toExponential(2).replace('e+', 'e');
  return value.toPrecision(4).replace(/\.?0+$/, '');
}

/**
 * Tick labels for a log axis: d3 decides which ticks get a label (it thins them when decades are many),
 * `formatNumber` writes them (1, 0.3, 0.01, 2.5e-5 instead of d3's SI prefixes).
 */
export function logTickFormat(
  scale: { tickFormat(count: number, specifier: string): (d: { valueOf(): number }) => string },
  count: number,
): (d: { valueOf(): number }) => string {
  const thinned = scale.tickFormat(count, '.0e');
  return (d) => (thinned(d) === '' ? '' : formatNumber(+d));
}

/** The parts every 2-D chart core shares: an SVG, a plot group inside the margins, grid, axes and axis titles. */
export interface ChartFrame {
  readonly svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  readonly plot: d3.Selection<SVGGElement, unknown, null, undefined>;
  readonly gridY: d3.Selection<SVGGElement, unknown, null, undefined>;
  readonly xAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  readonly yAxis: d3.Selection<SVGGElement, unknown, null, undefined>;
  /** Size the SVG and place the plot and axis titles; returns the plot area's inner width and height. */
  layout(widthPx: number, heightPx: number): { w: number; h: number };
}

/** Create a chart's frame in `root`. Marks added to `plot` later paint above the axes; insert before `.axis-x` to paint below. */
export function chartFrame(root: HTMLElement, className: string, titles: { x: string; y: string }, m: Margins = DEFAULT_MARGINS): ChartFrame {
  const svg = d3.select(root).append('svg').attr('class', `chart ${className}`).attr('role', 'img');
  const plot = svg.append('g');
  const gridY = plot.append('g').attr('class', 'grid');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const yAxis = plot.append('g').attr('class', 'axis axis-y');
  const xLabel = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').text(titles.x);
  const yLabel = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').text(titles.y);
  return {
    svg,
    plot,
    gridY,
    xAxis,
    yAxis,
    layout(width, height) {
      svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
      plot.attr('transform', `translate(${m.left},${m.top})`);
      const w = Math.max(10, width - m.left - m.right);
      const h = Math.max(10, height - m.top - m.bottom);
      xLabel.attr('x', m.left + w / 2).attr('y', height - 6);
      yLabel.attr('transform', `translate(14,${m.top + h / 2}) rotate(-90)`);
      return { w, h };
    },
  };
}

/** A labelled vertical line at x = `at` (data units), e.g. xmin or an MP bulk edge. */
export interface VerticalMarker {
  readonly at: number;
  readonly cls: string;
  readonly text: string;
}

/**
 * Draw `marks` in `group` as vertical lines over the plot height `h`, each labelled at its top. With `stagger`,
 * labels go on successive rows (close lines stay readable) and flip to the left of lines near the right edge.
 */
export function drawVerticalMarkers(
  group: d3.Selection<SVGGElement, unknown, null, undefined>,
  marks: readonly VerticalMarker[],
  x: (v: number) => number,
  size: { readonly w: number; readonly h: number },
  stagger = false,
): void {
  const shown = marks.map((mk, i) => ({ ...mk, row: stagger ? i : 0, left: stagger && x(mk.at) > size.w - 110 }));
  group
    .selectAll<SVGGElement, (typeof shown)[number]>('g')
    .data(shown)
    .join((enter) => {
      const g = enter.append('g');
      g.append('line');
      g.append('text');
      return g;
    })
    .attr('class', (mk) => mk.cls)
    .attr('transform', (mk) => `translate(${x(mk.at)},0)`)
    .call((g) => g.select('line').attr('y1', 0).attr('y2', size.h))
    .call((g) =>
      g
        .select('text')
        .attr('y', (mk) => 10 + 12 * mk.row)
        .attr('x', (mk) => (mk.left ? -3 : 3))
        .attr('text-anchor', (mk) => (mk.left ? 'end' : 'start'))
        .text((mk) => mk.text),
    );
}
