import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, formatNumber } from '../shared/chart';
import { markHovered } from '../shared/linkedHover';

/** One analysed layer, in depth (model) order. */
export interface DepthPoint {
  readonly name: string;
  readonly value: number;
  /** WeightWatcher's warning for the layer ('' when none). */
  readonly warning: string;
}

export interface DepthChartData {
  readonly points: readonly DepthPoint[];
  /** The metric's label on the y axis. */
  readonly metric: string;
  /** A band to shade (e.g. α in [2, 6], WeightWatcher's well-trained range), with its label. */
  readonly band: { readonly lo: number; readonly hi: number; readonly label: string } | null;
  /** A fixed y range (e.g. [0, 1] for a similarity); by default the values' (and band's) range, made nice. */
  readonly domain?: readonly [number, number];
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
  readonly onHover: (name: string | null) => void;
}

/** The depth chart: a `Chart` that also highlights the hovered layer without recomputing anything else. */
export interface DepthChart extends Chart<DepthChartData> {
  /** Mark the layer under the pointer in any view (null for none): its dot grows, the caption shows its value. */
  highlight(name: string | null): void;
}

const RADIUS = 4;
const RADIUS_MARKED = 6;

/** A metric against depth for every analysed layer: the whole network's health at a glance. */
export function depthChart(root: HTMLElement, { top = DEFAULT_MARGINS.top }: { top?: number } = {}): DepthChart {
  const m = { ...DEFAULT_MARGINS, top, bottom: 34 };
  const state: ChartState<DepthChartData> = { data: null, width: 600, height: 220 };
  const frame = chartFrame(root, 'chart-depth', { x: 'layer (depth order)', y: '' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const band = plot.insert('rect', '.axis-x').attr('class', 'depth-band');
  const bandLabel = plot.append('text').attr('class', 'depth-band-label').attr('text-anchor', 'end');
  const line = plot.append('path').attr('class', 'depth-line');
  const dots = plot.append('g');
  const yTitle = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').attr('text-anchor', 'end');
  let hovered: string | null = null;
  let shownPoints: readonly DepthPoint[] = [];

  /** The hovered (else the selected) layer's value as the caption; the dots of both enlarged. */
  function mark(): void {
    const d = state.data;
    markHovered(dots.node() as SVGGElement, hovered);
    dots.selectAll<SVGCircleElement, DepthPoint>('circle').attr('r', (p) => (p.name === d?.selected || p.name === hovered ? RADIUS_MARKED : RADIUS));
    const shown = shownPoints.find((p) => p.name === hovered) ?? shownPoints.find((p) => p.name === d?.selected);
    tooltip
      .attr('x', state.width - m.right)
      .attr('y', m.top - 2)
      .text(shown && d ? `${shown.name}: ${d.metric} = ${formatNumber(shown.value)}${shown.warning ? ` (${shown.warning})` : ''}` : '');
  }

  function render(): void {
    const { w, h } = frame.layout(state.width, state.height);
    yTitle.attr('transform', `translate(14,${m.top + h / 2}) rotate(-90)`).text(state.data?.metric ?? '');
    const d = state.data;
    const points = d ? d.points.filter((p) => Number.isFinite(p.value)) : [];
    shownPoints = points;
    if (!d || points.length === 0) {
      dots.selectAll('circle').remove();
      line.attr('d', '');
      band.attr('height', 0);
      bandLabel.text('');
      tooltip.text('');
      return;
    }
    const x = d3.scalePoint<string>().domain(points.map((p) => p.name)).range([0, w]).padding(0.5);
    const values = points.map((p) => p.value);
    const lo = Math.min(...values, d.band ? d.band.lo : Infinity);
    const hi = Math.max(...values, d.band ? d.band.hi : -Infinity);
    const y = d.domain ? d3.scaleLinear().domain(d.domain).range([h, 0]) : d3.scaleLinear().domain([lo, hi]).nice().range([h, 0]);
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).tickFormat((_n, i) => (points.length <= 24 || i % Math.ceil(points.length / 24) === 0 ? String(i + 1) : '')));
    yAxis.call(d3.axisLeft(y).ticks(Math.max(2, Math.round(h / 40))));
    gridY.call(d3.axisLeft(y).ticks(Math.max(2, Math.round(h / 40))).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    if (d.band) {
      band.attr('x', 0).attr('width', w).attr('y', y(d.band.hi)).attr('height', Math.max(0, y(d.band.lo) - y(d.band.hi)));
      bandLabel.attr('x', w - 4).attr('y', y(d.band.hi) + 12).text(d.band.label);
    } else {
      band.attr('height', 0);
      bandLabel.text('');
    }
    line.attr('d', d3.line<DepthPoint>().x((p) => x(p.name) ?? 0).y((p) => y(p.value))(points) ?? '');
    dots
      .selectAll<SVGCircleElement, DepthPoint>('circle')
      .data(points, (p) => p.name)
      .join('circle')
      .attr('class', (p) => `depth-dot${p.warning ? ` warn-${p.warning}` : ''}${p.name === d.selected ? ' selected' : ''}`)
      .attr('data-layer', (p) => p.name)
      .attr('data-value', (p) => p.value)
      .attr('cx', (p) => x(p.name) ?? 0)
      .attr('cy', (p) => y(p.value))
      .on('click', (_e, p) => d.onSelect(p.name))
      .on('pointerenter', (_e, p) => d.onHover(p.name))
      .on('pointerleave', () => d.onHover(null));
    mark();
    svg.attr('aria-label', `${d.metric} of ${points.length} layers in depth order`);
  }

  return {
    ...chartLifecycle(svg, state, render),
    highlight(name) {
      if (name === hovered) return;
      hovered = name;
      mark();
    },
  };
}
