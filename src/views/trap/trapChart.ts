import * as d3 from 'd3';
import type { Chart, ChartState, VerticalMarker } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, drawVerticalMarkers, formatNumber, logTickFormat } from '../shared/chart';
import type { BinnedDensity, TrapChartData } from './trapData';

export type { TrapChartData } from './trapData';

/** One bar of one series. */
interface Bar {
  readonly lo: number;
  readonly hi: number;
  readonly density: number;
  readonly count: number;
  /** A shuffled bin wholly above the trap threshold. */
  readonly trap: boolean;
}

/** Approximate width of legend text in px (11 px sans-serif), for laying entries out in a row. */
const LEGEND_CHAR_PX = 6.2;

function barsOf(edges: Float64Array, series: BinnedDensity, trapFrom: number | null): Bar[] {
  const bars: Bar[] = [];
  for (let i = 0; i < series.density.length; i++) {
    const density = series.density[i] as number;
    if (!(density > 0)) continue;
    const lo = edges[i] as number;
    bars.push({ lo, hi: edges[i + 1] as number, density, count: series.counts[i] ?? 0, trap: trapFrom !== null && lo >= trapFrom });
  }
  return bars;
}

/**
 * The layer's ESD (blue) against its seeded shuffled copy's (orange) on shared log bins, log–log, with the
 * shuffled ESD's MP bulk edge, both λ_max, and the correlation traps (shuffled λ above the MP spike threshold)
 * as a rug. Colours come from CSS variables (`--trap-real`, `--trap-random`, `--trap-spike`).
 */
export function trapChart(root: HTMLElement): Chart<TrapChartData> {
  const m = { ...DEFAULT_MARGINS, top: 42 };
  const state: ChartState<TrapChartData> = { data: null, width: 600, height: 320 };

  const frame = chartFrame(root, 'chart-trap', { x: 'eigenvalue λ (log)', y: 'density (log)' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const randomBars = plot.insert('g', '.axis-x').attr('class', 'trap-bars trap-bars-random');
  const realBars = plot.insert('g', '.axis-x').attr('class', 'trap-bars trap-bars-real');
  const markers = plot.insert('g', '.axis-x').attr('class', 'trap-markers');
  const rug = plot.append('g').attr('class', 'trap-rug');
  const legend = svg.append('g').attr('class', 'legend trap-legend');
  const caption = svg.append('text').attr('class', 'caption').attr('text-anchor', 'end');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').attr('text-anchor', 'end').style('display', 'none');

  function render(): void {
    const { w, h } = frame.layout(state.width, state.height);
    const d = state.data;
    if (!d || d.edges.length < 2) {
      realBars.selectAll('rect').remove();
      randomBars.selectAll('rect').remove();
      markers.selectAll('g').remove();
      rug.selectAll('line').remove();
      return;
    }
    const real = barsOf(d.edges, d.real, null);
    const random = barsOf(d.edges, d.random, d.spikeThreshold);
    const densities = [...real, ...random].map((b) => b.density);
    const xLo = d.edges[0] as number;
    const xHi = Math.max(d.edges[d.edges.length - 1] as number, d.bulkMax !== null && d.bulkMax > 0 ? d.bulkMax * 1.05 : 0);
    const x = d3.scaleLog().domain([xLo, xHi]).range([0, w]);
    const yMax = d3.max(densities) ?? 1;
    const yMin = Math.max(d3.min(densities) ?? yMax / 1e3, yMax * 1e-8);
    const y = d3.scaleLog().domain([yMin / 2, yMax * 1.5]).range([h, 0]).clamp(true);

    const xTicks = Math.max(2, Math.round(w / 90));
    const yTicks = Math.max(2, Math.round(h / 45));
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(xTicks).tickFormat(logTickFormat(x, xTicks)));
    yAxis.call(d3.axisLeft(y).ticks(yTicks).tickFormat(logTickFormat(y, yTicks)));
    gridY.call(d3.axisLeft(y).ticks(yTicks).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());

    const drawBars = (group: typeof realBars, bars: Bar[], series: string) =>
      group
        .selectAll<SVGRectElement, Bar>('rect')
        .data(bars)
        .join('rect')
        .attr('class', (b) => (b.trap ? 'trap' : null))
        .attr('x', (b) => x(b.lo))
        .attr('width', (b) => Math.max(0.5, x(b.hi) - x(b.lo) - 0.5))
        .attr('y', (b) => y(b.density))
        .attr('height', (b) => Math.max(0, h - y(b.density)))
        .on('pointerenter', (_event, b) => {
          tooltip
            .style('display', null)
            .attr('x', state.width - m.right)
            .attr('y', m.top - 6)
            .text(`${series}: λ ∈ [${formatNumber(b.lo)}, ${formatNumber(b.hi)}): ${b.count} eigenvalue${b.count === 1 ? '' : 's'}${b.trap ? ' (traps)' : ''}`);
        })
        .on('pointerleave', () => tooltip.style('display', 'none'));
    drawBars(randomBars, random, `shuffled (seed ${d.seed})`);
    drawBars(realBars, real, 'layer');

    const marks: VerticalMarker[] = [];
    if (d.bulkMax !== null && d.bulkMax > 0) marks.push({ at: d.bulkMax, cls: 'marker-bulk', text: 'shuffled MP bulk edge' });
    if (Number.isFinite(d.randomLambdaMax)) marks.push({ at: d.randomLambdaMax, cls: 'marker-random-max', text: 'λmax shuffled' });
    if (Number.isFinite(d.lambdaMax)) marks.push({ at: d.lambdaMax, cls: 'marker-real-max', text: 'λmax' });
    // Labels right of their line, or left of it near the right edge; staggered so close lines stay readable.
    drawVerticalMarkers(markers, marks.filter((mk) => mk.at >= xLo && mk.at <= xHi), x, { w, h }, true);

    const traps = Array.from(d.trapsAsc).filter((v) => v >= xLo && v <= xHi);
    rug
      .selectAll<SVGLineElement, number>('line')
      .data(traps)
      .join('line')
      .attr('x1', (v) => x(v))
      .attr('x2', (v) => x(v))
      .attr('y1', h)
      .attr('y2', h - 12);

    const entries = [
      { cls: 'swatch-real', text: 'layer' },
      { cls: 'swatch-random', text: `shuffled (seed ${d.seed}${d.replicas > 1 ? `, ${d.replicas}× pooled` : ''})` },
      ...(d.spikeThreshold !== null ? [{ cls: 'swatch-spike', text: `correlation traps: ${d.trapsAsc.length}` }] : []),
    ];
    let offset = 0;
    const placed = entries.map((e) => {
      const at = offset;
      offset += 22 + e.text.length * LEGEND_CHAR_PX + 16;
      return { ...e, at };
    });
    legend
      .attr('transform', `translate(${m.left},${m.top - 10})`)
      .selectAll<SVGGElement, (typeof placed)[number]>('g')
      .data(placed)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect').attr('x', 0).attr('y', -5).attr('width', 16).attr('height', 10);
        g.append('text').attr('x', 22).attr('dy', '0.32em');
        return g;
      })
      .attr('transform', (e) => `translate(${e.at},0)`)
      .call((g) => g.select('rect').attr('class', (e) => e.cls))
      .call((g) => g.select('text').text((e) => e.text));

    caption
      .attr('x', state.width - m.right)
      .attr('y', m.top - 28)
      .text(`${d.realCount} eigenvalues · ${d.randomCount} shuffled`);
    svg.attr(
      'aria-label',
      `ESD of ${d.label} against a shuffled copy (seed ${d.seed}), log-log: λmax ${formatNumber(d.lambdaMax)}, shuffled λmax ${formatNumber(d.randomLambdaMax)}` +
        `${d.bulkMax !== null ? `, shuffled MP bulk edge ${formatNumber(d.bulkMax)}` : ''}, ${d.trapsAsc.length} correlation traps`,
    );
  }

  return chartLifecycle(svg, state, render);
}
