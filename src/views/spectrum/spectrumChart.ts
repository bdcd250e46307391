import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, formatNumber, logTickFormat } from '../shared/chart';
import { decimateMinMax, decimateMinMaxIndices } from '../shared/decimate';
import type { CanvasLayer, Stroke } from '../shared/canvasLayer';
import {
  DENSE_MARKS,
  createCanvasLayer,
  frameScheduler,
  horizontalRules,
  lastResult,
  polylinePoints,
  strokeFrom,
  strokePolyline,
  svgPathData,
} from '../shared/canvasLayer';
import { setExportPatches } from '../shared/exportChart';

/** What the spectrum plot shows: singular values by rank, optionally a reference curve (e.g. the random init twin). */
export interface SpectrumData {
  /** Singular values, descending. */
  readonly singularValues: Float64Array;
  readonly scale: 'log' | 'linear';
  readonly reference?: { readonly singularValues: Float64Array; readonly label: string } | null;
  readonly label: string;
  /**
   * A rank to mark (1 = largest σ), e.g. the singular direction selected in the profile views: a line, a dot and
   * the label "direction k: σ_k = …", drawn in SVG in both the SVG and the canvas mode. Null or absent: none.
   */
  readonly highlightRank?: number | null;
}

export interface SpectrumChartOptions {
  /** Series at least this long draw on a canvas under the SVG (default `DENSE_MARKS`, 10k); `Infinity` keeps SVG (the bench's reference). */
  readonly canvasThreshold?: number;
}

/** Largest value and smallest positive value of the series, in one pass without copies. */
function extent(arrays: readonly (Float64Array | undefined)[]): { max: number | undefined; minPositive: number | undefined } {
  let max = -Infinity;
  let minPositive = Infinity;
  for (const a of arrays) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (!(v > 0)) continue;
      if (v > max) max = v;
      if (v < minPositive) minPositive = v;
    }
  }
  return max > 0 ? { max, minPositive } : { max: undefined, minPositive: undefined };
}

/**
 * σ by rank (1 = largest). Log scale drops exact zeros (they are counted in the caption).
 * Long spectra are decimated to per-pixel min/max; from `canvasThreshold` values on, the lines are drawn on a
 * canvas under the SVG (axes, grid, legend and hover stay SVG), so 100k values cost O(width) canvas work per
 * frame and hovering repaints none of it. The SVG grid then stays in the DOM (ticks, export) but is transparent on
 * screen: the canvas paints the same lines under the marks, since SVG grid lines over the canvas would cut
 * light seams through the curve where it crosses them.
 * Data updates and theme changes redraw once per animation frame; resizes (a ResizeObserver delivers at most one
 * per frame, after layout) redraw at once so marks and axes never disagree for a frame.
 */
export function spectrumChart(root: HTMLElement, options: SpectrumChartOptions = {}): Chart<SpectrumData> {
  const m = DEFAULT_MARGINS;
  const threshold = options.canvasThreshold ?? DENSE_MARKS;
  const state: ChartState<SpectrumData> = { data: null, width: 600, height: 320 };

  const frame = chartFrame(root, 'chart-spectrum', { x: 'rank i (largest first)', y: 'singular value σᵢ' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const refPath = plot.append('path').attr('class', 'series series-reference');
  const path = plot.append('path').attr('class', 'series series-main');
  const legend = svg.append('g').attr('class', 'legend');
  const hoverRule = plot.append('line').attr('class', 'hover-rule').style('display', 'none');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 3.5).style('display', 'none');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').attr('text-anchor', 'end').style('display', 'none');
  const highlight = plot.append('g').attr('class', 'highlight-rank').attr('pointer-events', 'none').style('display', 'none');
  const highlightRule = highlight.append('line').attr('class', 'highlight-rank-rule');
  const highlightDot = highlight.append('circle').attr('class', 'highlight-rank-dot').attr('r', 5);
  const highlightText = highlight.append('text').attr('class', 'highlight-rank-label');
  const overlay = plot.append('rect').attr('class', 'overlay').attr('fill', 'transparent');
  const svgNode = svg.node() as SVGSVGElement;

  let x = d3.scaleLinear();
  let y: d3.ScaleContinuousNumeric<number, number> = d3.scaleLog();
  /** The plot area of the last render, CSS px: what the canvas covers. */
  let area = { w: 0, h: 0 };
  /** Canvas mode: the layer (null in SVG mode) and the series strokes read from CSS (null after a theme change). */
  let layer: CanvasLayer | null = null;
  let strokes: { main: Stroke | null; reference: Stroke | null; grid: Stroke | null } | null = null;
  /** The y grid's tick count of the last render (the canvas draws the same ticks as the SVG's axisLeft). */
  let gridTicks = 0;
  const mainIndices = lastResult(decimateMinMaxIndices);
  const refIndices = lastResult(decimateMinMaxIndices);
  /** The data's value range, recomputed only when the arrays change (not on every resize). */
  let bounds: { values: Float64Array; ref: Float64Array | undefined; range: ReturnType<typeof extent> } | null = null;

  const scheduled = frameScheduler(render);
  const themeChanged = () => {
    strokes = null;
    scheduled.schedule();
  };

  /** The series (SVG element, values) that are drawn, reference first so the main line paints over it. */
  function series(): { el: SVGPathElement; values: Float64Array; key: 'main' | 'reference' }[] {
    const d = state.data;
    if (!d) return [];
    const out: { el: SVGPathElement; values: Float64Array; key: 'main' | 'reference' }[] = [];
    if (d.reference) out.push({ el: refPath.node() as SVGPathElement, values: d.reference.singularValues, key: 'reference' });
    out.push({ el: path.node() as SVGPathElement, values: d.singularValues, key: 'main' });
    return out;
  }

  /** Pixel points of a series decimated to `columns` columns over the plot's width. */
  function points(values: Float64Array, indices: Uint32Array): Float64Array {
    const log = state.data?.scale === 'log';
    const floor = y.range()[0] ?? 0;
    return polylinePoints(
      indices,
      (i) => x(i + 1),
      (i) => {
        const v = values[i] as number;
        return log && !(v > 0) ? floor : y(v);
      },
    );
  }

  function paintCanvas(): void {
    if (!layer || !state.data) return;
    const begun = layer.begin({ left: m.left, top: m.top, width: area.w, height: area.h });
    if (!begun) return;
    const { ctx, columns } = begun;
    const log = state.data.scale === 'log';
    if (!strokes) {
      const read = (el: SVGElement) => {
        const style = getComputedStyle(el);
        return strokeFrom((p) => style.getPropertyValue(p));
      };
      const gridLine = gridY.select<SVGLineElement>('line').node();
      strokes = { main: read(path.node() as SVGPathElement), reference: read(refPath.node() as SVGPathElement), grid: gridLine ? read(gridLine) : null };
    }
    if (strokes.grid) {
      // d3's axes offset ticks by half a pixel at devicePixelRatio 1 (crisp 1 px lines); do the same.
      const offset = window.devicePixelRatio > 1 ? 0 : 0.5;
      strokePolyline(ctx, horizontalRules(y.ticks(gridTicks).map((t) => y(t) + offset), 0, area.w), strokes.grid);
    }
    for (const s of series()) {
      const stroke = strokes[s.key];
      if (!stroke) continue;
      const indices = (s.key === 'main' ? mainIndices : refIndices)(s.values, columns, log);
      strokePolyline(ctx, points(s.values, indices), stroke);
    }
  }

  /** The marker of `highlightRank`, over the marks (SVG in both modes), its label flipped left near the right edge. */
  function drawHighlight(values: Float64Array): void {
    const rank = state.data?.highlightRank;
    if (rank == null || !Number.isInteger(rank) || rank < 1 || rank > values.length) {
      highlight.style('display', 'none');
      return;
    }
    const v = values[rank - 1] as number;
    const floor = y.range()[0] ?? 0;
    const px = x(rank);
    const py = state.data?.scale === 'log' && !(v > 0) ? floor : y(v);
    const left = px > area.w - 150;
    highlight.style('display', null).attr('data-rank', rank);
    highlightRule.attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', floor);
    highlightDot.attr('cx', px).attr('cy', py);
    highlightText
      .attr('x', left ? px - 6 : px + 6)
      .attr('y', Math.max(12, Math.min(floor - 6, py - 10)))
      .attr('text-anchor', left ? 'end' : 'start')
      .text(highlightLabel(rank, v));
  }

  function render(): void {
    scheduled.cancel();
    const { w, h } = frame.layout(state.width, state.height);
    area = { w, h };
    overlay.attr('width', w).attr('height', h);
    if (!state.data) {
      highlight.style('display', 'none');
      return;
    }
    const values = state.data.singularValues;
    const ref = state.data.reference?.singularValues;
    const n = Math.max(values.length, ref?.length ?? 0);
    if (!bounds || bounds.values !== values || bounds.ref !== ref) bounds = { values, ref, range: extent([values, ref]) };
    const { max: maxValue, minPositive: minValue } = bounds.range;
    const max = maxValue ?? 1;
    const minPositive = minValue ?? max / 10;
    x = d3.scaleLinear().domain([1, Math.max(2, n)]).range([0, w]);
    y =
      state.data.scale === 'log'
        ? d3.scaleLog().domain(logDomain(minPositive, max)).range([h, 0])
        : d3.scaleLinear().domain([0, max]).range([h, 0]).nice();
    const ticks = Math.max(2, Math.round(h / 45));
    gridTicks = ticks;
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.max(2, Math.round(w / 80))).tickFormat(d3.format('d')));
    yAxis.call(d3.axisLeft(y).ticks(ticks).tickFormat(state.data.scale === 'log' ? logTickFormat(y as d3.ScaleLogarithmic<number, number>, ticks) : (d) => formatNumber(+d)));
    gridY.call(d3.axisLeft(y).ticks(ticks).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    if (n >= threshold) {
      // Canvas mode: the SVG paths stay (empty) for their CSS class, the legend's look and the export.
      path.attr('d', null);
      refPath.attr('d', null).style('display', ref ? 'inline' : 'none');
      gridY.style('opacity', 0);
      layer ??= createCanvasLayer(root, svgNode, themeChanged);
      paintCanvas();
    } else {
      layer?.destroy();
      layer = null;
      strokes = null; // no theme listener without a layer: read the colours afresh next time
      gridY.style('opacity', null);
      const line = (a: Float64Array) => {
        const pts = decimateMinMax(a, w, state.data?.scale === 'log');
        return d3.line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]))(pts) ?? '';
      };
      path.attr('d', line(values));
      refPath.attr('d', ref ? line(ref) : '').style('display', ref ? 'inline' : 'none');
    }
    drawHighlight(values);
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
    svg.attr('data-marks', layer ? 'canvas' : 'svg');
  }

  // In canvas mode the export gets the marks as vector paths decimated for its resolution, and the SVG grid back
  // (see exportChart.ts).
  setExportPatches(svgNode, (pixelRatio) => {
    if (!layer || !state.data) return [];
    const log = state.data.scale === 'log';
    const columns = Math.max(1, Math.round(area.w * pixelRatio));
    return [
      { element: gridY.node() as SVGGElement, style: { opacity: '1' } },
      ...series().map((s) => ({ element: s.el, attributes: { d: svgPathData(points(s.values, decimateMinMaxIndices(s.values, columns, log))) } })),
    ];
  });

  overlay
    .on('pointermove', (event: PointerEvent) => {
      if (!state.data || state.data.singularValues.length === 0) return;
      const [px] = d3.pointer(event);
      const values = state.data.singularValues;
      // The x axis is linear in rank, so the rank under the pointer is the nearest integer of x⁻¹(px), clamped.
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

  return {
    update(next) {
      state.data = next;
      scheduled.schedule();
    },
    resize(width, height) {
      state.width = width;
      state.height = height;
      render();
    },
    destroy() {
      scheduled.cancel();
      layer?.destroy();
      layer = null;
      setExportPatches(svgNode, null);
      svg.remove();
    },
  };
}

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/** "direction k: σₖ = …": the label of a highlighted rank k (1 = largest), with k as subscript digits. */
export function highlightLabel(rank: number, sigma: number): string {
  const sub = String(rank).replace(/[0-9]/g, (d) => SUBSCRIPT_DIGITS[Number(d)] ?? d);
  return `direction ${rank}: σ${sub} = ${formatNumber(sigma)}`;
}

/** A log-axis domain with a little room above and below, at least one decade tall. */
function logDomain(minPositive: number, max: number): [number, number] {
  const lo = Math.min(minPositive / 1.3, max / 10);
  return [lo, max * 1.3];
}
