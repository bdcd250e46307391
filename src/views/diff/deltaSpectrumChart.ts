import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle, formatNumber, logTickFormat } from '../shared/chart';
import { decadeLabel, decadeTicks, deltaSpectrumDomain } from './diffData';
import { drawLegendRow } from './legendRow';

/** What the ΔW spectrum chart draws: one layer's change between checkpoints A and B. */
export interface DeltaSpectrumData {
  readonly layer: string;
  /** σᵢ of ΔW = W_B − W_A, descending (all min(N, M)). */
  readonly deltaSigma: Float64Array;
  /** The top-k σ of W_A and W_B, descending, drawn for scale. */
  readonly sigmaA: Float64Array;
  readonly sigmaB: Float64Array;
  /** The rounding floor of the stored weights (σ of ΔW below it are indistinguishable from rounding noise). */
  readonly floor: number;
  /** The floor's label, e.g. "float32 rounding floor". */
  readonly floorLabel: string;
  /** The fewest directions of ΔW holding 90 % of ‖ΔW‖²_F (null: none, e.g. ΔW = 0). */
  readonly k90: number | null;
  /** Legend labels of the three series, e.g. "W_A (step 900)". */
  readonly labelDelta: string;
  readonly labelA: string;
  readonly labelB: string;
  /** Pointer over the chart (the layer) or off it (null): the linked-hover channel. */
  readonly onHover?: (layer: string | null) => void;
}

type Point = readonly [rank: number, sigma: number];

/** (rank, σ) pairs of the positive values (a log axis has no place for zeros). */
function points(values: Float64Array): Point[] {
  const out: Point[] = [];
  values.forEach((v, i) => {
    if (v > 0 && Number.isFinite(v)) out.push([i + 1, v]);
  });
  return out;
}

/**
 * σᵢ of ΔW against rank i on a log axis, with the top-k σ of W_A and W_B for scale (is the change small or large
 * next to the weights?), the rounding floor as a dashed line (σ of ΔW under it are rounding noise of the stored
 * weights, not change) and k@90 % of ΔW as a shaded span and a rule. Hovering reads the three values at a rank.
 */
export function deltaSpectrumChart(root: HTMLElement): Chart<DeltaSpectrumData> {
  const m = { ...DEFAULT_MARGINS, top: 32, right: 20 };
  const state: ChartState<DeltaSpectrumData> = { data: null, width: 640, height: 320 };
  const frame = chartFrame(root, 'chart-delta-spectrum', { x: 'rank i (largest first)', y: 'singular value σᵢ' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const k90Band = plot.insert('rect', '.axis-x').attr('class', 'delta-k90-band');
  const floorGroup = plot.append('g').attr('class', 'delta-floor');
  const floorLine = floorGroup.append('line');
  const floorText = floorGroup.append('text').attr('text-anchor', 'start');
  const k90Group = plot.append('g').attr('class', 'delta-k90');
  const k90Line = k90Group.append('line');
  const k90Text = k90Group.append('text');
  const pathDelta = plot.append('path').attr('class', 'series series-main delta-line');
  const dotsDelta = plot.append('g').attr('class', 'delta-dots delta-dots-delta');
  const pathA = plot.append('path').attr('class', 'delta-weights delta-weights-a');
  const pathB = plot.append('path').attr('class', 'delta-weights delta-weights-b');
  const dotsA = plot.append('g').attr('class', 'delta-dots delta-dots-a');
  const dotsB = plot.append('g').attr('class', 'delta-dots delta-dots-b');
  const hoverRule = plot.append('line').attr('class', 'hover-rule').style('display', 'none');
  const hoverDot = plot.append('circle').attr('class', 'hover-dot').attr('r', 3.5).attr('display', 'none');
  const legend = svg.append('g').attr('class', 'legend delta-legend');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').attr('text-anchor', 'start').style('display', 'none');
  const overlay = plot.append('rect').attr('class', 'overlay').attr('fill', 'transparent');
  let x = d3.scaleLinear();
  let y = d3.scaleLog();

  function dots(group: typeof dotsA, pts: readonly Point[], r: number): void {
    group
      .selectAll<SVGCircleElement, Point>('circle')
      .data(pts)
      .join('circle')
      .attr('r', r)
      .attr('cx', (p) => x(p[0]))
      .attr('cy', (p) => y(p[1]));
  }

  function render(): void {
    const d = state.data;
    const { w, h } = frame.layout(state.width, state.height);
    overlay.attr('width', w).attr('height', h);
    if (!d) return;
    const n = Math.max(d.deltaSigma.length, d.sigmaA.length, d.sigmaB.length);
    x = d3.scaleLinear().domain([1, Math.max(2, n)]).range([0, w]);
    y = d3.scaleLog().domain(deltaSpectrumDomain([d.deltaSigma, d.sigmaA, d.sigmaB], d.floor)).range([h, 0]).clamp(true);
    const ticks = Math.max(2, Math.round(h / 45));
    xAxis.attr('transform', `translate(0,${h})`).call(d3.axisBottom(x).ticks(Math.min(n, Math.max(2, Math.round(w / 80)))).tickFormat(d3.format('d')));
    // Whole decades when the axis spans two or more (every σ in between would make a dense grid); d3's ticks otherwise.
    const decades = decadeTicks(y.domain() as [number, number], h);
    if (decades) {
      yAxis.call(d3.axisLeft(y).tickValues(decades).tickFormat((v) => decadeLabel(+v)));
      gridY.call(d3.axisLeft(y).tickValues(decades).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    } else {
      yAxis.call(d3.axisLeft(y).ticks(ticks).tickFormat(logTickFormat(y, ticks)));
      gridY.call(d3.axisLeft(y).ticks(ticks).tickSize(-w).tickFormat(() => '')).call((g) => g.select('.domain').remove());
    }

    const line = d3
      .line<Point>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    const delta = points(d.deltaSigma);
    const a = points(d.sigmaA);
    const b = points(d.sigmaB);
    pathDelta.attr('d', line(delta) ?? '');
    pathA.attr('d', line(a) ?? '');
    pathB.attr('d', line(b) ?? '');
    // Dots where they stay apart (a long spectrum is read as a line).
    dots(dotsDelta, delta.length <= Math.min(32, w / 12) ? delta : [], 2.4);
    dots(dotsA, a, 3.2);
    dots(dotsB, b, 3.2);

    // The rounding floor, labelled at its right end (above the line; below it when the line is near the top).
    const fy = y(d.floor);
    const floorShown = d.floor > 0 && Number.isFinite(d.floor);
    floorGroup.attr('display', floorShown ? null : 'none');
    floorLine.attr('x1', 0).attr('x2', w).attr('y1', fy).attr('y2', fy);
    // Labelled at its left end, where ΔW's largest σ are far above it (its tail may come down to it on the right).
    floorText
      .attr('x', 4)
      .attr('y', fy < 16 ? fy + 13 : fy - 5)
      .text(`${d.floorLabel} ≈ ${formatNumber(d.floor)}`);

    // k@90 %: the span of ranks holding 90 % of ‖ΔW‖²_F, and its rule.
    const k = d.k90;
    const kShown = k !== null && k >= 1 && k <= n;
    k90Band.attr('display', kShown ? null : 'none');
    k90Group.attr('display', kShown ? null : 'none');
    if (kShown) {
      const kx = x(k);
      k90Band.attr('x', 0).attr('y', 0).attr('width', Math.max(0, kx)).attr('height', h);
      k90Group.attr('transform', `translate(${kx},0)`);
      k90Line.attr('y1', 0).attr('y2', h);
      // Between ΔW's curve at k and the floor (usually decades of empty space), else just above the x axis.
      const curveY = y(d.deltaSigma[k - 1] ?? d.floor);
      const below = floorShown ? Math.min(h, fy) : h;
      const labelY = below - curveY > 48 ? (curveY + below) / 2 + 4 : h - 8;
      const left = kx > w - 150;
      k90Text
        .attr('x', left ? -5 : 5)
        .attr('y', labelY)
        .attr('text-anchor', left ? 'end' : 'start')
        .text(`k@90 % = ${k} of ${d.deltaSigma.length}`);
    }

    // One row above the plot, so it never covers the curves.
    legend.attr('transform', `translate(${m.left},14)`);
    drawLegendRow(
      legend,
      [
        { cls: 'legend-delta', label: `${d.labelDelta} (${d.layer})`, short: d.labelDelta },
        { cls: 'legend-a', label: d.labelA },
        { cls: 'legend-b', label: d.labelB },
      ],
      state.width - m.left - 4,
    );
    svg.attr(
      'aria-label',
      `${d.layer}: singular values of ΔW, ${d.deltaSigma.length} values, largest ${formatNumber(d.deltaSigma[0] ?? 0)}; k@90 % = ${k ?? 'none'}; ${d.floorLabel} ${formatNumber(d.floor)}`,
    );
  }

  overlay
    .on('pointerenter', () => state.data?.onHover?.(state.data.layer))
    .on('pointermove', (event: PointerEvent) => {
      const d = state.data;
      if (!d || d.deltaSigma.length === 0) return;
      const [px] = d3.pointer(event);
      const rank = Math.min(d.deltaSigma.length, Math.max(1, Math.round(x.invert(px))));
      const v = d.deltaSigma[rank - 1] ?? 0;
      const bottom = y.range()[0] ?? 0;
      hoverRule.style('display', null).attr('x1', x(rank)).attr('x2', x(rank)).attr('y1', 0).attr('y2', bottom);
      hoverDot.attr('display', v > 0 ? null : 'none').attr('cx', x(rank)).attr('cy', y(v));
      const a = d.sigmaA[rank - 1];
      const b = d.sigmaB[rank - 1];
      const parts = [`rank ${rank}: σ(ΔW) = ${formatNumber(v)}`, ...(a !== undefined ? [`σ(W_A) = ${formatNumber(a)}`] : []), ...(b !== undefined ? [`σ(W_B) = ${formatNumber(b)}`] : [])];
      legend.attr('display', 'none');
      tooltip
        .style('display', null)
        .attr('x', m.left)
        .attr('y', 18)
        .text(parts.join('  ·  '));
    })
    .on('pointerleave', () => {
      hoverRule.style('display', 'none');
      hoverDot.attr('display', 'none');
      tooltip.style('display', 'none');
      legend.attr('display', null);
      state.data?.onHover?.(null);
    });

  return chartLifecycle(svg, state, render);
}
