import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, formatNumber, logTickFormat } from '../shared/chart';
import { decimatePixelLine } from '../shared/decimate';

/** The power-law fit's diagnostics (SCIENCE.md §2): KS distance D and α for every candidate xmin. */
export interface FitDiagnosticsData {
  readonly xmins: Float64Array;
  readonly Ds: Float64Array;
  readonly alphas: Float64Array;
  /** The chosen candidate (argmin D), −1 when the fit failed. */
  readonly chosen: number;
  readonly label: string;
}

/** α above this is not drawn (a near-empty tail gives α → ∞ and would flatten the rest). */
const ALPHA_CAP = 12;

/**
 * D (left axis) and α (right axis) against the candidate xmin (log): the fit picks the xmin of least D, marked
 * with a line and dots, and the α curve shows how stable α is around it.
 */
export function fitDiagnosticsChart(root: HTMLElement): Chart<FitDiagnosticsData> {
  const m = { ...DEFAULT_MARGINS, right: 56, top: 42 };
  const state: ChartState<FitDiagnosticsData> = { data: null, width: 600, height: 320 };
  const frame = chartFrame(root, 'chart-fit', { x: 'candidate xmin (λ, log)', y: 'KS distance D' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const alphaAxis = plot.append('g').attr('class', 'axis axis-y2');
  const alphaTitle = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').text('α');
  const dPath = plot.append('path').attr('class', 'series-D');
  const aPath = plot.append('path').attr('class', 'series-alpha');
  const chosenLine = plot.append('line').attr('class', 'chosen-line');
  const dots = plot.append('g');
  const caption = svg.append('text').attr('class', 'caption').attr('text-anchor', 'end');
  const legend = svg.append('g').attr('class', 'legend');
  const entries: readonly (readonly [string, string])[] = [
    ['series-D', 'D (left axis)'],
    ['series-alpha', 'α (right axis)'],
  ];
  for (const [i, [cls, text]] of entries.entries()) {
    const g = legend.append('g').attr('transform', `translate(${i * 120},0)`);
    g.append('line').attr('class', cls).attr('x1', 0).attr('x2', 18);
    g.append('text').attr('x', 24).attr('dy', '0.32em').text(text);
  }

  function render(): void {
    const { w, h } = frame.layout(state.width, state.height);
    alphaTitle.attr('transform', `translate(${state.width - 12},${m.top + h / 2}) rotate(90)`);
    legend.attr('transform', `translate(${m.left},${m.top - 10})`);
    if (!state.data || state.data.xmins.length < 2) {
      dPath.attr('d', '');
      aPath.attr('d', '');
      caption.text('');
      return;
    }
    const d = state.data;
    const x = d3.scaleLog().domain(d3.extent(d.xmins) as [number, number]).range([0, w]);
    const y = d3.scaleLinear().domain([0, Math.max(1e-3, d3.max(d.Ds) ?? 1)]).nice().range([h, 0]);
    const alphas = Array.from(d.alphas, (a) => (Number.isFinite(a) ? Math.min(a, ALPHA_CAP) : ALPHA_CAP));
    const y2 = d3.scaleLinear().domain([Math.min(1, d3.min(alphas) ?? 1), Math.max(2, d3.max(alphas) ?? 2)]).nice().range([h, 0]);
    const xt = Math.max(2, Math.round(w / 90));
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(xt).tickFormat(logTickFormat(x, xt)));
    yAxis.call(d3.axisLeft(y).ticks(Math.max(2, Math.round(h / 45))));
    alphaAxis.attr('transform', `translate(${w},0)`).call(d3.axisRight(y2).ticks(Math.max(2, Math.round(h / 45))));
    gridY.call(d3.axisLeft(y).ticks(Math.max(2, Math.round(h / 45))).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    const xs = Array.from(d.xmins, (v) => x(v));
    // One candidate xmin per eigenvalue: with 100k eigenvalues, at most 4 points per pixel column are drawn.
    dPath.attr('d', d3.line()(decimatePixelLine(xs, Array.from(d.Ds, (v) => y(v)))) ?? '');
    aPath.attr('d', d3.line()(decimatePixelLine(xs, alphas.map((a) => y2(a)))) ?? '');
    const c = d.chosen;
    const chosen = c >= 0 && c < xs.length ? [{ px: xs[c] as number, D: d.Ds[c] as number, a: alphas[c] as number }] : [];
    chosenLine.style('display', chosen.length ? 'inline' : 'none');
    if (chosen[0]) chosenLine.attr('x1', chosen[0].px).attr('x2', chosen[0].px).attr('y1', 0).attr('y2', h);
    dots
      .selectAll<SVGCircleElement, { cx: number; cy: number }>('circle')
      .data(chosen.flatMap((p) => [{ cx: p.px, cy: y(p.D) }, { cx: p.px, cy: y2(p.a) }]))
      .join('circle')
      .attr('class', 'chosen')
      .attr('r', 4)
      .attr('cx', (p) => p.cx)
      .attr('cy', (p) => p.cy);
    caption
      .attr('x', state.width - m.right)
      .attr('y', m.top - 28)
      .text(chosen[0] ? `chosen xmin ${formatNumber(d.xmins[c] as number)}: D = ${formatNumber(d.Ds[c] as number)}, α = ${formatNumber(d.alphas[c] as number)}` : 'fit failed');
    svg.attr('aria-label', `Power-law fit diagnostics of ${d.label}: D and alpha against candidate xmin`);
  }

  return chartLifecycle(svg, state, render);
}
