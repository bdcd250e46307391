import * as d3 from 'd3';
import type { Chart, ChartState, VerticalMarker } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, drawVerticalMarkers, formatNumber, logTickFormat } from '../shared/chart';

/** A log-binned empirical spectral density, as `esdHistogram` returns it. */
export interface EsdData {
  readonly edges: Float64Array;
  readonly density: Float64Array;
  readonly counts: Uint32Array;
  readonly zeroCount: number;
  /** Optional reference histogram (e.g. the random init twin) drawn as an outline. */
  readonly reference?: { readonly edges: Float64Array; readonly density: Float64Array; readonly label: string } | null;
  readonly label: string;
  /** The fitted power law over [xmin, xmax] (density per unit λ, same footing as the bars). */
  readonly powerLaw?: { readonly x: Float64Array; readonly y: Float64Array; readonly alpha: number; readonly xmin: number } | null;
  /** The fitted Marchenko–Pastur density and its bulk edges. */
  readonly mp?: { readonly x: Float64Array; readonly y: Float64Array; readonly bulkMin: number; readonly bulkMax: number } | null;
}

/** The ESD on log-log axes: bars for the layer, an outline for the reference. */
export function esdChart(root: HTMLElement): Chart<EsdData> {
  const m = { ...DEFAULT_MARGINS, top: 42 };
  const state: ChartState<EsdData> = { data: null, width: 600, height: 320 };

  const frame = chartFrame(root, 'chart-esd', { x: 'eigenvalue λ (log)', y: 'density (log)' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const bars = plot.insert('g', '.axis-x').attr('class', 'bars');
  const refPath = plot.insert('path', '.axis-x').attr('class', 'series series-reference');
  const mpPath = plot.insert('path', '.axis-x').attr('class', 'fit fit-mp');
  const plPath = plot.insert('path', '.axis-x').attr('class', 'fit fit-powerlaw');
  const markers = plot.insert('g', '.axis-x').attr('class', 'fit-markers');
  const legend = svg.append('g').attr('class', 'legend');
  const caption = svg.append('text').attr('class', 'caption').attr('text-anchor', 'end');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').attr('text-anchor', 'end').style('display', 'none');

  function render(): void {
    const { w, h } = frame.layout(state.width, state.height);
    if (!state.data || state.data.edges.length < 2) {
      bars.selectAll('rect').remove();
      return;
    }
    const d = state.data;
    const ref = d.reference;
    const edges = [...d.edges, ...(ref ? ref.edges : [])];
    const dens = [...d.density, ...(ref ? ref.density : [])].filter((v) => v > 0);
    const inRange = (c: { x: Float64Array; y: Float64Array } | null | undefined): [number, number][] =>
      c ? Array.from(c.x, (x, i) => [x, c.y[i] as number] as [number, number]).filter(([x, y]) => x > 0 && y > 0) : [];
    const plPoints = inRange(d.powerLaw);
    const mpPoints = inRange(d.mp);
    const x = d3.scaleLog().domain([d3.min(edges) ?? 1e-6, d3.max(edges) ?? 1]).range([0, w]);
    const yMax = d3.max(dens) ?? 1;
    const yMin = Math.max(d3.min(dens) ?? yMax / 1e3, yMax * 1e-8);
    const y = d3.scaleLog().domain([yMin / 2, yMax * 1.5]).range([h, 0]).clamp(true);
    const [xLo, xHi] = x.domain() as [number, number];
    const [yLo] = y.domain() as [number, number];
    // Points below the plot's floor are left out, not clamped (a clamped tail would draw a flat line).
    const visible = (points: [number, number][]) =>
      points.filter(([px, py]) => px >= xLo && px <= xHi && py >= yLo).map(([px, py]) => [x(px), y(py)] as [number, number]);
    const line = d3.line();
    plPath.attr('d', plPoints.length > 1 ? (line(visible(plPoints)) ?? '') : '');
    mpPath.attr('d', mpPoints.length > 1 ? (line(visible(mpPoints)) ?? '') : '');
    const marks: VerticalMarker[] = [];
    if (d.powerLaw) marks.push({ at: d.powerLaw.xmin, cls: 'marker-xmin', text: 'xmin' });
    if (d.mp) marks.push({ at: d.mp.bulkMax, cls: 'marker-bulk', text: 'bulk+' });
    if (d.mp && d.mp.bulkMin > 0) marks.push({ at: d.mp.bulkMin, cls: 'marker-bulk', text: 'bulk−' });
    drawVerticalMarkers(markers, marks.filter((mk) => mk.at >= xLo && mk.at <= xHi), x, { w, h });
    const entries = [
      ...(d.powerLaw ? [{ cls: 'fit-powerlaw', text: `power law α = ${formatNumber(d.powerLaw.alpha)}` }] : []),
      ...(d.mp ? [{ cls: 'fit-mp', text: 'Marchenko–Pastur fit' }] : []),
    ];
    legend
      .attr('transform', `translate(${m.left},${m.top - 10})`)
      .selectAll<SVGGElement, (typeof entries)[number]>('g')
      .data(entries)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 18);
        g.append('text').attr('x', 24).attr('dy', '0.32em');
        return g;
      })
      .attr('transform', (_e, i) => `translate(${i * 150},0)`)
      .call((g) => g.select('line').attr('class', (e) => `fit ${e.cls}`))
      .call((g) => g.select('text').text((e) => e.text));
    const ticks = Math.max(2, Math.round(h / 45));
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.round(w / 90))).tickFormat(logTickFormat(x, Math.max(2, Math.round(w / 90)))));
    yAxis.call(d3.axisLeft(y).ticks(ticks).tickFormat(logTickFormat(y, ticks)));
    gridY.call(d3.axisLeft(y).ticks(ticks).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    const bins = Array.from(d.density, (density, i) => ({ i, density, lo: d.edges[i] as number, hi: d.edges[i + 1] as number, count: d.counts[i] ?? 0 })).filter(
      (b) => b.density > 0,
    );
    bars
      .selectAll<SVGRectElement, (typeof bins)[number]>('rect')
      .data(bins)
      .join('rect')
      .attr('x', (b) => x(b.lo))
      .attr('width', (b) => Math.max(0.5, x(b.hi) - x(b.lo) - 0.5))
      .attr('y', (b) => y(b.density))
      .attr('height', (b) => Math.max(0, h - y(b.density)))
      .on('pointerenter', (_event, b) => {
        tooltip
          .style('display', null)
          .attr('x', state.width - m.right)
          .attr('y', m.top - 6)
          .text(`λ ∈ [${formatNumber(b.lo)}, ${formatNumber(b.hi)}): ${b.count} eigenvalue${b.count === 1 ? '' : 's'}`);
      })
      .on('pointerleave', () => tooltip.style('display', 'none'));
    if (ref) {
      const steps: [number, number][] = [];
      for (let i = 0; i < ref.density.length; i++) {
        const v = ref.density[i] as number;
        const yy = v > 0 ? y(v) : h;
        steps.push([x(ref.edges[i] as number), yy], [x(ref.edges[i + 1] as number), yy]);
      }
      refPath.style('display', 'inline').attr('d', d3.line()(steps) ?? '');
    } else refPath.style('display', 'none');
    const total = d3.sum(d.counts);
    caption
      .attr('x', state.width - m.right)
      .attr('y', m.top - 28)
      .text(`${total} positive eigenvalues${d.zeroCount ? `, ${d.zeroCount} zero (not shown)` : ''}${ref ? ' · dashed: reference' : ''}`);
    svg.attr('aria-label', `Empirical spectral density of ${d.label}, log-log, ${total} eigenvalues`);
  }

  return chartLifecycle(svg, state, render);
}
