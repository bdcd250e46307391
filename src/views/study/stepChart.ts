import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, formatNumber } from '../shared/chart';
import { markHovered } from '../shared/linkedHover';
import { OKABE_ITO } from '../shared/colorScales';
import type { LayerSeries, StepAxis } from './studyData';

/** A training curve drawn on the right-hand 0–1 axis (accuracies). */
export interface StepCurve {
  readonly name: string;
  readonly steps: readonly number[];
  readonly values: readonly number[];
}

/** What the metric-vs-step chart draws. */
export interface StepChartData {
  readonly series: readonly LayerSeries[];
  readonly axis: StepAxis;
  /** Checkpoint names, for the position axis and the tooltip. */
  readonly names: readonly string[];
  readonly xScale: 'linear' | 'log';
  /** The metric's label (y axis). */
  readonly metric: string;
  readonly band: { readonly lo: number; readonly hi: number; readonly label: string } | null;
  /** Curves in [0, 1] (accuracies) on a right axis; only on a step axis. */
  readonly curves: readonly StepCurve[];
  /** Named steps marked by dashed vertical lines (e.g. "test acc 50 %"). */
  readonly milestones: readonly { readonly at: number; readonly label: string }[];
  /** The shown checkpoint (its position). */
  readonly current: number;
  readonly selected: string | null;
  readonly onCheckpoint: (position: number) => void;
  readonly onSelect: (layer: string) => void;
  readonly onHover: (layer: string | null) => void;
}

export interface StepChart extends Chart<StepChartData> {
  highlight(layer: string | null): void;
}

/** Layer colours: the Okabe–Ito palette without black and yellow (readable on both themes), then d3's Tableau. */
const LAYER_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple, OKABE_ITO.orange, OKABE_ITO.skyBlue, ...d3.schemeTableau10];
export const layerColor = (index: number): string => LAYER_COLORS[index % LAYER_COLORS.length] as string;
/** Curve dashes, by curve index (colour stays neutral: the layers own the colours). */
const CURVE_DASH = ['6 3', '2 3', '10 3 2 3'];

/**
 * Every matched layer's metric against training step, one line a layer, with the training log's accuracies on a
 * right-hand axis, milestones as dashed lines and the shown checkpoint as a solid rule. Clicking anywhere picks the
 * nearest checkpoint; a legend entry or a dot selects its layer; hover is linked to the other views.
 */
export function stepChart(root: HTMLElement): StepChart {
  const m = { ...DEFAULT_MARGINS, top: 30, right: 56, bottom: 40 };
  const state: ChartState<StepChartData> = { data: null, width: 640, height: 300 };
  const frame = chartFrame(root, 'chart-step', { x: 'training step', y: '' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const band = plot.insert('rect', '.axis-x').attr('class', 'depth-band');
  const bandLabel = plot.append('text').attr('class', 'depth-band-label').attr('text-anchor', 'end');
  const rightAxis = plot.append('g').attr('class', 'axis axis-right');
  const rightTitle = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle');
  const yTitle = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle');
  const marks = plot.append('g').attr('class', 'step-milestones');
  const curves = plot.append('g').attr('class', 'step-curves');
  const lines = plot.append('g').attr('class', 'step-lines');
  const rule = plot.append('g').attr('class', 'step-current');
  rule.append('line');
  rule.append('text').attr('text-anchor', 'middle');
  const legend = svg.append('g').attr('class', 'step-legend');
  const hit = plot.insert('rect', ':first-child').attr('class', 'step-hit').attr('fill', 'transparent');
  let hovered: string | null = null;

  function mark(): void {
    markHovered(lines.node() as SVGGElement, hovered);
    markHovered(legend.node() as SVGGElement, hovered);
  }

  function render(): void {
    const d = state.data;
    const { w, h } = frame.layout(state.width, state.height);
    yTitle.attr('transform', `translate(14,${m.top + h / 2}) rotate(-90)`).text(d?.metric ?? '');
    if (!d || d.axis.x.length === 0) {
      lines.selectAll('*').remove();
      return;
    }
    const xs = d.axis.x;
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const log = d.xScale === 'log' && d.axis.kind === 'step';
    // symlog: linear near 0 (step 0 stays on the axis), logarithmic beyond its constant.
    const x = (log ? d3.scaleSymlog().constant(Math.max(1, x1 / 1000)) : d3.scaleLinear()).domain([x0, x1 > x0 ? x1 : x0 + 1]).range([0, w]);
    const values = d.series.flatMap((s) => s.points.map((p) => p.value));
    const lo = Math.min(...values, d.band ? d.band.lo : Infinity);
    const hi = Math.max(...values, d.band ? d.band.hi : -Infinity);
    const y = d3.scaleLinear().domain(values.length > 0 ? [lo, hi] : [0, 1]).nice().range([h, 0]);
    const ticks = Math.max(2, Math.round(h / 40));
    if (d.axis.kind === 'position') {
      const labels = d.names;
      xAxis
        .attr('transform', `translate(0,${h})`)
        .call(d3.axisBottom(x).tickValues(xs.map((v) => v)).tickFormat((v) => (labels[Math.round(+v)] ?? '').slice(0, 14)));
    } else {
      xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.round(w / 80)), log ? '~s' : undefined));
    }
    svg.select('.axis-label').text(d.axis.kind === 'step' ? 'training step' : 'checkpoint (no steps in the names)');
    yAxis.call(d3.axisLeft(y).ticks(ticks));
    gridY.call(d3.axisLeft(y).ticks(ticks).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    if (d.band) {
      const top = Math.max(0, y(d.band.hi));
      const bottom = Math.min(h, y(d.band.lo));
      band.attr('x', 0).attr('width', w).attr('y', top).attr('height', Math.max(0, bottom - top));
      bandLabel.attr('x', w - 4).attr('y', top + 12).text(bottom > top ? d.band.label : '');
    } else {
      band.attr('height', 0);
      bandLabel.text('');
    }
    hit.attr('width', w).attr('height', h).on('click', (event: MouseEvent) => {
      const [px] = d3.pointer(event, plot.node());
      let best = 0;
      xs.forEach((v, i) => {
        if (Math.abs(x(v) - px) < Math.abs(x(xs[best] as number) - px)) best = i;
      });
      d.onCheckpoint(best);
    });

    // Training curves (accuracies) on the right axis.
    const shownCurves = d.axis.kind === 'step' ? d.curves : [];
    const yr = d3.scaleLinear().domain([0, 1]).range([h, 0]);
    rightAxis.attr('transform', `translate(${w},0)`).attr('display', shownCurves.length ? 'inline' : 'none').call(d3.axisRight(yr).ticks(5, '.0%'));
    rightTitle.attr('transform', `translate(${state.width - 12},${m.top + h / 2}) rotate(90)`).text(shownCurves.length ? 'accuracy (training log)' : '');
    curves
      .selectAll<SVGPathElement, StepCurve>('path')
      .data(shownCurves, (c) => c.name)
      .join('path')
      .attr('class', 'step-curve')
      .attr('data-curve', (c) => c.name)
      .attr('stroke-dasharray', (_c, i) => CURVE_DASH[i % CURVE_DASH.length] as string)
      .attr('d', (c) => d3.line<number>().x((_v, i) => x(c.steps[i] as number)).y((v) => yr(v))(c.values.filter((_v, i) => (c.steps[i] as number) >= x0 && (c.steps[i] as number) <= x1)) ?? '');
    // Milestones.
    const shownMarks = d.axis.kind === 'step' ? d.milestones.filter((mk) => mk.at >= x0 && mk.at <= x1) : [];
    marks
      .selectAll<SVGGElement, (typeof shownMarks)[number]>('g')
      .data(shownMarks, (mk) => mk.label)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'step-milestone');
        g.append('line');
        g.append('text');
        return g;
      })
      .attr('transform', (mk) => `translate(${x(mk.at)},0)`)
      .call((g) => g.select('line').attr('y1', 0).attr('y2', h))
      .call((g) =>
        g
          .select('text')
          .attr('y', (_mk, i) => h - 6 - 12 * (i % 3))
          .attr('x', 3)
          .text((mk) => mk.label),
      );
    // One line and its dots per layer.
    const groups = lines
      .selectAll<SVGGElement, LayerSeries>('g.step-layer')
      .data(d.series, (s) => s.layer)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'step-layer');
        g.append('path').attr('class', 'step-line');
        return g;
      })
      .attr('data-layer', (s) => s.layer)
      .classed('selected', (s) => s.layer === d.selected)
      .style('color', (_s, i) => layerColor(i));
    groups.select('path').attr('d', (s) => d3.line<LayerSeries['points'][number]>().x((p) => x(p.x)).y((p) => y(p.value))([...s.points]) ?? '');
    groups
      .selectAll<SVGCircleElement, LayerSeries['points'][number] & { layer: string }>('circle')
      .data((s) => s.points.map((p) => ({ ...p, layer: s.layer })))
      .join('circle')
      .attr('class', (p) => `step-dot${p.checkpoint === d.current ? ' current' : ''}`)
      .attr('r', (p) => (p.checkpoint === d.current ? 4.5 : 3))
      .attr('cx', (p) => x(p.x))
      .attr('cy', (p) => y(p.value))
      .attr('data-value', (p) => p.value)
      .on('click', (_e, p) => {
        d.onSelect(p.layer);
        d.onCheckpoint(p.checkpoint);
      })
      .on('pointerenter', (_e, p) => d.onHover(p.layer))
      .on('pointerleave', () => d.onHover(null))
      .append('title')
      .text((p) => `${p.layer} · ${d.names[p.checkpoint] ?? ''}${d.axis.kind === 'step' ? ` (step ${p.x})` : ''}: ${d.metric} = ${formatNumber(p.value)}`);
    // The shown checkpoint.
    const cx = x(xs[d.current] ?? x0);
    rule.attr('transform', `translate(${cx},0)`);
    rule.select('line').attr('y1', 0).attr('y2', h);
    rule
      .select('text')
      .attr('y', -4)
      .attr('text-anchor', cx > w - 60 ? 'end' : cx < 60 ? 'start' : 'middle')
      .text(d.axis.kind === 'step' ? `step ${xs[d.current] ?? ''}` : (d.names[d.current] ?? ''));
    // Legend: one entry per layer (click selects), then the curves.
    const entries = [...d.series.map((s, i) => ({ key: s.layer, label: s.layer, color: layerColor(i), curve: -1 })), ...shownCurves.map((c, i) => ({ key: `curve:${c.name}`, label: c.name.replace(/_/g, ' '), color: '', curve: i }))];
    let lx = m.left;
    legend.attr('transform', `translate(0,12)`);
    legend
      .selectAll<SVGGElement, (typeof entries)[number]>('g')
      .data(entries, (e) => e.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line').attr('x1', 0).attr('x2', 16).attr('y1', 0).attr('y2', 0);
        g.append('text').attr('x', 20).attr('y', 4);
        return g;
      })
      .attr('class', (e) => (e.curve >= 0 ? 'step-legend-curve' : `step-legend-layer${e.key === d.selected ? ' selected' : ''}`))
      .attr('data-layer', (e) => (e.curve >= 0 ? null : e.key))
      .style('color', (e) => e.color || null)
      .each(function (e) {
        const g = d3.select(this);
        g.select('line').attr('stroke-dasharray', e.curve >= 0 ? (CURVE_DASH[e.curve % CURVE_DASH.length] as string) : null);
        const text = g.select<SVGTextElement>('text').text(e.label).node();
        g.attr('transform', `translate(${lx},0)`);
        // The drawn width (bold when selected); an estimate where layout is unavailable.
        const width = text && typeof text.getComputedTextLength === 'function' ? text.getComputedTextLength() : 0;
        lx += 32 + (width > 0 ? width : e.label.length * 7);
      })
      .on('click', (_e, e) => {
        if (e.curve < 0) d.onSelect(e.key);
      })
      .on('pointerenter', (_e, e) => e.curve < 0 && d.onHover(e.key))
      .on('pointerleave', () => d.onHover(null));
    mark();
    svg.attr('aria-label', `${d.metric} of ${d.series.length} layers against training step, ${xs.length} checkpoints`);
  }

  return {
    ...chartLifecycle(svg, state, render),
    highlight(layer) {
      if (layer === hovered) return;
      hovered = layer;
      mark();
    },
  };
}
