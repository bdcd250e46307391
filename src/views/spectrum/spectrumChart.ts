import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, formatNumber, logTickFormat } from '../shared/chart';
import { decimateMinMax } from '../shared/decimate';

/** What the spectrum plot shows: singular values by rank, optionally a reference curve (e.g. the random init twin). */
export interface SpectrumData {
  /** Singular values, descending. */
  readonly singularValues: Float64Array;
  readonly scale: 'log' | 'linear';
  readonly reference?: { readonly singularValues: Float64Array; readonly label: string } | null;
  readonly label: string;
}

/**
 * σ by rank (1 = largest). Log scale drops exact zeros (they are counted in the caption).
 * Long spectra are decimated to per-pixel min/max so the path stays light at 100k values.
 */
export function spectrumChart(root: HTMLElement): Chart<SpectrumData> {
  const m = DEFAULT_MARGINS;
  const state: ChartState<SpectrumData> = { data: null, width: 600, height: 320 };

  const frame = chartFrame(root, 'chart-spectrum', { x: 'rank i (largest first)', y: 'singular value σᵢ' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const refPath = plot.append('path').attr('class', 'series series-reference');
  const path = plot.append('path').attr('class', 'series series-main');
  const legend = svg.append('g').attr('class', 'legend');
  const hoverRule = plot.append('line').attr('class', 'hover-rule').style('display', 'none');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 3.5).style('display', 'none');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').attr('text-anchor', 'end').style('display', 'none');
  const overlay = plot.append('rect').attr('class', 'overlay').attr('fill', 'transparent');

  let x = d3.scaleLinear();
  let y: d3.ScaleContinuousNumeric<number, number> = d3.scaleLog();

  function render(): void {
    const { w, h } = frame.layout(state.width, state.height);
    overlay.attr('width', w).attr('height', h);
    if (!state.data) return;
    const values = state.data.singularValues;
    const ref = state.data.reference?.singularValues;
    const n = Math.max(values.length, ref?.length ?? 0);
    const positive = (a: Float64Array | undefined) => (a ? Array.from(a).filter((v) => v > 0) : []);
    const all = [...positive(values), ...positive(ref)];
    const max = d3.max(all) ?? 1;
    const minPositive = d3.min(all) ?? max / 10;
    x = d3.scaleLinear().domain([1, Math.max(2, n)]).range([0, w]);
    y =
      state.data.scale === 'log'
        ? d3.scaleLog().domain(logDomain(minPositive, max)).range([h, 0])
        : d3.scaleLinear().domain([0, max]).range([h, 0]).nice();
    const ticks = Math.max(2, Math.round(h / 45));
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.round(w / 80))).tickFormat(d3.format('d')));
    yAxis.call(d3.axisLeft(y).ticks(ticks).tickFormat(state.data.scale === 'log' ? logTickFormat(y as d3.ScaleLogarithmic<number, number>, ticks) : (d) => formatNumber(+d)));
    gridY.call(d3.axisLeft(y).ticks(ticks).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    const line = (a: Float64Array) => {
      const points = decimateMinMax(a, w, state.data?.scale === 'log');
      return d3.line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]))(points) ?? '';
    };
    path.attr('d', line(values));
    refPath.attr('d', ref ? line(ref) : '').style('display', ref ? 'inline' : 'none');
    legend.attr('transform', `translate(${m.left + w - 8},${m.top + 8})`);
    const items = [{ cls: 'series-main', label: state.data.label }, ...(state.data.reference ? [{ cls: 'series-reference', label: state.data.reference.label }] : [])];
    legend
      .selectAll<SVGGElement, (typeof items)[number]>('g')
      .data(items)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', -60).attr('x2', -40);
        g.append('text').attr('x', -66).attr('dy', '0.32em').attr('text-anchor', 'end');
        return g;
      })
      .attr('transform', (_, i) => `translate(0,${i * 18})`)
      .call((g) => g.select('line').attr('class', (d) => `series ${d.cls}`))
      .call((g) => g.select('text').text((d) => d.label));
    svg.attr('aria-label', `Singular value spectrum of ${state.data.label}: ${values.length} values, largest ${formatNumber(max)}`);
  }

  overlay
    .on('pointermove', (event: PointerEvent) => {
      if (!state.data || state.data.singularValues.length === 0) return;
      const [px] = d3.pointer(event);
      const values = state.data.singularValues;
      const rank = Math.min(values.length, Math.max(1, Math.round(x.invert(px))));
      const v = values[rank - 1] ?? 0;
      const yy = state.data.scale === 'log' && v <= 0 ? y.range()[0] ?? 0 : y(v);
      hoverRule.style('display', null).attr('x1', x(rank)).attr('x2', x(rank)).attr('y1', 0).attr('y2', y.range()[0] ?? 0);
      hoverDot.style('display', null).attr('cx', x(rank)).attr('cy', yy);
      tooltip
        .style('display', null)
        .attr('x', state.width - m.right - 4)
        .attr('y', state.height - m.bottom - 8)
        .text(`rank ${rank}: σ = ${formatNumber(v)}`);
    })
    .on('pointerleave', () => {
      hoverRule.style('display', 'none');
      hoverDot.style('display', 'none');
      tooltip.style('display', 'none');
    });

  return chartLifecycle(svg, state, render);
}

/** A log-axis domain with a little room above and below, at least one decade tall. */
function logDomain(minPositive: number, max: number): [number, number] {
  const lo = Math.min(minPositive / 1.3, max / 10);
  return [lo, max * 1.3];
}
