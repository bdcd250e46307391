import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { DEFAULT_MARGINS, chartFrame, chartLifecycle } from '../shared/chart';
import { drawLegendRow } from './legendRow';

/** What the principal-angles chart draws: one layer's angles between the top-k singular subspaces of W_A and W_B. */
export interface PrincipalAnglesData {
  readonly layer: string;
  /** θᵢ in degrees, ascending (0 = a shared direction, 90 = orthogonal). */
  readonly degrees: readonly number[];
  /**
   * The mean cos² random k-dim subspaces would have (k/N), drawn as the angle arccos √(k/N) for comparison; null:
   * none.
   */
  readonly randomCos2: number | null;
  readonly onHover?: (layer: string | null) => void;
}

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';
const sub = (i: number) => String(i).replace(/[0-9]/g, (c) => SUBSCRIPT_DIGITS[Number(c)] ?? c);

/**
 * Principal angles θ₁ ≤ … ≤ θ_k between the top-k left singular subspaces of W_A and W_B (Björck & Golub 1973),
 * angle index against degrees on a fixed 0–90° axis, so layers and pairs compare at a glance: low = the top
 * directions were kept, near 90° = replaced. A dashed line marks what random subspaces would give on average.
 */
export function principalAnglesChart(root: HTMLElement): Chart<PrincipalAnglesData> {
  const m = { ...DEFAULT_MARGINS, top: 32, right: 16, left: 52 };
  const state: ChartState<PrincipalAnglesData> = { data: null, width: 360, height: 320 };
  const frame = chartFrame(root, 'chart-principal-angles', { x: 'i (smallest angle first)', y: 'principal angle θᵢ' }, m);
  const { svg, plot, gridY, xAxis, yAxis } = frame;
  const reference = plot.append('g').attr('class', 'angle-random');
  const referenceLine = reference.append('line');
  reference.append('title');
  const legend = svg.append('g').attr('class', 'legend angle-legend').attr('transform', `translate(${m.left},14)`);
  const path = plot.append('path').attr('class', 'angle-line');
  const dots = plot.append('g').attr('class', 'angle-dots');
  const tooltip = svg.append('text').attr('class', 'tooltip-text').style('display', 'none');
  const hit = plot.insert('rect', ':first-child').attr('fill', 'transparent');

  function render(): void {
    const d = state.data;
    const { w, h } = frame.layout(state.width, state.height);
    hit.attr('width', w).attr('height', h);
    if (!d) return;
    const k = d.degrees.length;
    const x = d3
      .scaleLinear()
      .domain([0.5, Math.max(1, k) + 0.5])
      .range([0, w]);
    const y = d3.scaleLinear().domain([0, 90]).range([h, 0]);
    const step = k > 24 ? Math.ceil(k / 12) : 1;
    xAxis.attr('transform', `translate(0,${h})`).call(
      d3
        .axisBottom(x)
        .tickValues(d3.range(1, k + 1).filter((i) => (i - 1) % step === 0))
        .tickFormat(d3.format('d')),
    );
    const yTicks = h > 180 ? [0, 15, 30, 45, 60, 75, 90] : [0, 30, 60, 90];
    yAxis.call(
      d3
        .axisLeft(y)
        .tickValues(yTicks)
        .tickFormat((v) => `${+v}°`),
    );
    gridY
      .call(
        d3
          .axisLeft(y)
          .tickValues(yTicks)
          .tickSize(-w)
          .tickFormat(() => ''),
      )
      .call((g) => g.select('.domain').remove());

    const random = d.randomCos2;
    const randomShown = random !== null && Number.isFinite(random) && random > 0 && random < 1;
    reference.attr('display', randomShown ? null : 'none');
    if (randomShown) {
      const deg = (Math.acos(Math.sqrt(random)) * 180) / Math.PI;
      const ry = y(deg);
      referenceLine.attr('x1', 0).attr('x2', w).attr('y1', ry).attr('y2', ry);
      reference.select('title').text(`Random k-dimensional subspaces of ℝᴺ have mean cos² = k/N = ${random.toFixed(3)}, i.e. an angle of ${deg.toFixed(1)}°`);
    }
    drawLegendRow(
      legend,
      [
        { cls: 'legend-angles', label: `θᵢ (${d.layer})`, short: 'θᵢ' },
        ...(randomShown ? [{ cls: 'legend-random', label: `random subspaces: cos² = k/N = ${random.toFixed(3)}`, short: `random: k/N = ${random.toFixed(3)}` }] : []),
      ],
      state.width - m.left - 4,
    );

    const pts = d.degrees.map((deg, i) => ({ i: i + 1, deg }));
    path.attr(
      'd',
      d3
        .line<(typeof pts)[number]>()
        .x((p) => x(p.i))
        .y((p) => y(p.deg))(pts) ?? '',
    );
    dots
      .selectAll<SVGCircleElement, (typeof pts)[number]>('circle')
      .data(pts)
      .join((enter) => {
        const c = enter.append('circle');
        c.append('title');
        return c;
      })
      .attr('r', k > 40 ? 2.5 : 4)
      .attr('cx', (p) => x(p.i))
      .attr('cy', (p) => y(p.deg))
      .on('pointerenter', (_e, p) => {
        const c2 = Math.cos((p.deg * Math.PI) / 180) ** 2;
        legend.attr('display', 'none');
        tooltip
          .style('display', null)
          .attr('x', m.left)
          .attr('y', 18)
          .text(`θ${sub(p.i)} = ${p.deg.toFixed(1)}°  ·  cos² = ${c2.toFixed(3)}`);
      })
      .on('pointerleave', () => {
        tooltip.style('display', 'none');
        legend.attr('display', null);
      })
      .select('title')
      .text((p) => `θ${sub(p.i)} = ${p.deg.toFixed(2)}°`);
    svg.attr('aria-label', `${d.layer}: ${k} principal angles between the top-${k} singular subspaces of W_A and W_B, from ${(d.degrees[0] ?? 0).toFixed(1)}° to ${(d.degrees[k - 1] ?? 0).toFixed(1)}°`);
  }

  svg.on('pointerenter', () => state.data?.onHover?.(state.data.layer)).on('pointerleave', () => state.data?.onHover?.(null));

  return chartLifecycle(svg, state, render);
}
