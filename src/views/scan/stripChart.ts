import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle, formatNumber } from '../shared/chart';
import type { LegendBand, MetricColorScale } from '../shared/colorScales';
import { MISSING_COLOR } from '../shared/colorScales';
import { markHovered } from '../shared/linkedHover';

/** One analysed layer of the strip, in depth order. */
export interface StripCell {
  readonly name: string;
  /** The metric's value; null when the layer has none (not computed, failed fit). */
  readonly value: number | null;
}

export interface StripChartData {
  readonly cells: readonly StripCell[];
  /** The metric's label, e.g. "α". */
  readonly label: string;
  /** The metric's colours (`metricColor`), built on these cells' values. */
  readonly scale: MetricColorScale;
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
  readonly onHover: (name: string | null) => void;
}

/** The strip: a `Chart` that also marks the hovered layer without recomputing anything else. */
export interface StripChart extends Chart<StripChartData> {
  /** Outline the layer under the pointer in any view (null for none) and show its value in the caption. */
  highlight(name: string | null): void;
}

const M = { top: 24, right: 10, bottom: 52, left: 10 };
/** Legend geometry: swatch size and the approximate width of a character of its 11 px text. */
const SWATCH = { w: 16, h: 10 };
const LEGEND_CHAR_PX = 6.2;
/** Cells narrower than this touch (no gap), so a 500-layer model still fills the strip with 1–2 px cells. */
const MIN_GAPPED_STEP = 6;
/** Selection and hover outlines are at least this wide, so a 1 px cell's outline is still visible. */
const MIN_OUTLINE = 3;
/** Diagonal lines that tile a 6 px pattern cell seamlessly. */
const HATCH = 'M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2';
let instances = 0;

/**
 * Every analysed layer as one cell of a horizontal strip, in depth order, coloured by a metric (an MRI slice of
 * the whole network). Bands (α's over- and under-trained) also get a pattern; cells without a value are grey and
 * hatched. Hover and click are delegated from the cells' group, so cells of any width work.
 */
export function stripChart(root: HTMLElement): StripChart {
  const state: ChartState<StripChartData> = { data: null, width: 600, height: 160 };
  const id = `strip-${++instances}`;
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-strip').attr('role', 'img');
  const defs = svg.append('defs');
  // Patterns over the colour (never colour alone): light stripes on vermillion, dark dots on yellow, and a hatched
  // grey for no value. Drawn with attributes, not CSS, so that an exported SVG keeps them.
  pattern(defs, `${id}-stripes`, (p) => p.append('path').attr('d', HATCH).attr('stroke', 'rgb(255 255 255 / 70%)').attr('stroke-width', 1.3));
  pattern(defs, `${id}-dots`, (p) => p.append('circle').attr('cx', 3).attr('cy', 3).attr('r', 1.3).attr('fill', 'rgb(0 0 0 / 55%)'));
  pattern(defs, `${id}-missing`, (p) => {
    p.append('rect').attr('width', 6).attr('height', 6).attr('fill', MISSING_COLOR);
    p.append('path').attr('d', HATCH).attr('stroke', 'rgb(0 0 0 / 35%)').attr('stroke-width', 1);
  });
  const caption = svg.append('text').attr('class', 'tooltip-text strip-caption').attr('x', M.left).attr('y', 15);
  const plot = svg.append('g').attr('transform', `translate(${M.left},${M.top})`);
  const cellsG = plot.append('g').attr('class', 'strip-cells');
  // Behind the cells: keeps the pointer "inside" across the gaps between wide cells (no hover flicker).
  const background = cellsG.append('rect').attr('class', 'strip-background').attr('fill', 'transparent');
  const patternsG = plot.append('g').attr('class', 'strip-patterns').attr('pointer-events', 'none');
  const selectedMark = plot.append('rect').attr('class', 'strip-selected').attr('pointer-events', 'none');
  const hoverMark = plot.append('rect').attr('class', 'strip-hover').attr('pointer-events', 'none');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const xLabel = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'end').text('layer (depth order) →');
  // The legend is part of the SVG, so an exported strip carries it.
  const legendG = svg.append('g').attr('class', 'legend strip-legend-svg');
  const ramp = defs.append('linearGradient').attr('id', `${id}-ramp`).attr('x1', 0).attr('x2', 1).attr('y1', 0).attr('y2', 0);

  let hovered: string | null = null;
  let x = d3.scaleBand<string>();
  let stripHeight = 0;
  let byName = new Map<string, { cell: StripCell; depth: number }>();

  const nameAt = (event: Event) => (event.target instanceof Element ? event.target.getAttribute('data-layer') : null);
  cellsG
    .on('pointerover', (event: PointerEvent) => {
      const name = nameAt(event);
      if (name !== null) state.data?.onHover(name);
    })
    .on('pointerleave', () => state.data?.onHover(null))
    .on('click', (event: MouseEvent) => {
      const name = nameAt(event);
      if (name !== null) state.data?.onSelect(name);
    });

  /** Place an outline around a layer's cell, or hide it. */
  function outline(mark: typeof selectedMark, name: string | null): void {
    const cx = name === null ? undefined : x(name);
    if (cx === undefined) {
      mark.attr('visibility', 'hidden');
      return;
    }
    const w = Math.max(x.bandwidth(), MIN_OUTLINE);
    mark
      .attr('visibility', 'visible')
      .attr('x', cx + x.bandwidth() / 2 - w / 2 - 1)
      .attr('y', -2)
      .attr('width', w + 2)
      .attr('height', stripHeight + 4);
  }

  function describe({ cell, depth }: { cell: StripCell; depth: number }, d: StripChartData): string {
    if (cell.value === null) return `${cell.name}: ${d.label}: no value · layer ${depth} of ${d.cells.length}`;
    const band = d.scale.band(cell.value);
    const shown = Number.isFinite(cell.value) ? formatNumber(cell.value) : cell.value > 0 ? '∞' : '−∞';
    return `${cell.name}: ${d.label} = ${shown}${band ? ` (${band.name})` : ''} · layer ${depth} of ${d.cells.length}`;
  }

  /** The hover outline, the cells' hovered class and the caption: all that changes on hover. */
  function mark(): void {
    const d = state.data;
    markHovered(cellsG.node() as SVGGElement, hovered);
    outline(hoverMark, hovered);
    const cell = (hovered !== null ? byName.get(hovered) : undefined) ?? (d?.selected != null ? byName.get(d.selected) : undefined);
    caption.text(d && cell ? describe(cell, d) : d && d.cells.length > 0 ? 'Hover a layer to read its value; click to open it.' : '');
  }

  /** Swatches (colour + pattern, as on the cells) and labels in one row under the axis. */
  function drawLegend(d: StripChartData | null, height: number): void {
    const legend = d?.scale.legend;
    type Entry = { key: string; fill: string; pattern: string | null; label: string; ramp?: boolean };
    const entries: Entry[] = !legend
      ? []
      : legend.kind === 'bands'
        ? legend.bands.map((b) => ({
            key: b.key,
            fill: b.colors[0] === b.colors[1] ? b.colors[0] : `url(#${id}-band-${b.key})`,
            pattern: b.pattern === 'none' ? null : `url(#${id}-${b.pattern})`,
            label: b.label,
          }))
        : [{ key: 'ramp', fill: `url(#${id}-ramp)`, pattern: null, label: `${formatNumber(legend.domain[0])} … ${formatNumber(legend.domain[1])}${legend.log ? ' (log)' : ''}`, ramp: true }];
    if (legend) entries.push({ key: 'missing', fill: `url(#${id}-missing)`, pattern: null, label: legend.missing.label });
    if (legend?.kind === 'sequential') {
      ramp
        .selectAll('stop')
        .data(legend.ramp)
        .join('stop')
        .attr('offset', (_c, i) => (legend.ramp.length > 1 ? i / (legend.ramp.length - 1) : 0))
        .attr('stop-color', (c) => c);
    }
    for (const b of legend?.kind === 'bands' ? legend.bands : []) {
      if (b.colors[0] === b.colors[1]) continue;
      const g = defs.select<SVGLinearGradientElement>(`#${id}-band-${b.key}`);
      const gradient = g.empty() ? defs.append('linearGradient').attr('id', `${id}-band-${b.key}`) : g;
      gradient
        .selectAll('stop')
        .data(b.colors)
        .join('stop')
        .attr('offset', (_c, i) => i)
        .attr('stop-color', (c) => c);
    }
    let at = 0;
    const placed = entries.map((e) => {
      const x0 = at;
      const w = e.ramp ? SWATCH.w * 4 : SWATCH.w;
      at += w + 6 + e.label.length * LEGEND_CHAR_PX + 16;
      return { ...e, x0, w };
    });
    legendG
      .attr('transform', `translate(${M.left},${height - 10})`)
      .selectAll<SVGGElement, (typeof placed)[number]>('g')
      .data(placed, (e) => e.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect').attr('class', 'legend-fill');
        g.append('rect').attr('class', 'legend-pattern');
        g.append('text').attr('dy', '0.32em');
        return g;
      })
      .attr('class', (e) => `legend-item band-${e.key}`)
      .attr('transform', (e) => `translate(${e.x0},0)`)
      .call((g) => g.select('.legend-fill').attr('y', -SWATCH.h / 2).attr('width', (e) => e.w).attr('height', SWATCH.h).attr('fill', (e) => e.fill))
      .call((g) =>
        g
          .select('.legend-pattern')
          .attr('y', -SWATCH.h / 2)
          .attr('width', (e) => e.w)
          .attr('height', SWATCH.h)
          .attr('fill', (e) => e.pattern ?? 'none'),
      )
      .call((g) => g.select('text').attr('x', (e) => e.w + 6).text((e) => e.label));
  }

  function render(): void {
    const { width, height } = state;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const w = Math.max(10, width - M.left - M.right);
    stripHeight = Math.max(12, height - M.top - M.bottom);
    xLabel.attr('x', width - M.right).attr('y', height - 6);
    const d = state.data;
    const cells = d?.cells ?? [];
    byName = new Map(cells.map((c, i) => [c.name, { cell: c, depth: i + 1 }]));
    const step = cells.length > 0 ? w / cells.length : w;
    x = d3
      .scaleBand<string>()
      .domain(cells.map((c) => c.name))
      .range([0, w])
      .paddingInner(step >= MIN_GAPPED_STEP ? 0.12 : 0);
    const bw = x.bandwidth();
    background.attr('width', w).attr('height', stripHeight);
    const crisp = step >= 1 ? 'crispEdges' : 'auto';
    cellsG
      .selectAll<SVGRectElement, StripCell>('rect.strip-cell')
      .data(cells, (c) => c.name)
      .join('rect')
      .attr('class', (c) => `strip-cell${c.value === null ? ' missing' : ''}${c.name === d?.selected ? ' selected' : ''}`)
      .attr('data-layer', (c) => c.name)
      .attr('x', (c) => x(c.name) ?? 0)
      .attr('y', 0)
      .attr('width', bw)
      .attr('height', stripHeight)
      .attr('shape-rendering', crisp)
      .style('fill', (c) => (c.value === null ? `url(#${id}-missing)` : (d?.scale.color(c.value) ?? null)));
    const patterned = d ? cells.filter((c) => c.value !== null && bandPattern(d.scale.band(c.value)) !== null) : [];
    patternsG
      .selectAll<SVGRectElement, StripCell>('rect')
      .data(patterned, (c) => c.name)
      .join('rect')
      .attr('x', (c) => x(c.name) ?? 0)
      .attr('y', 0)
      .attr('width', bw)
      .attr('height', stripHeight)
      .attr('shape-rendering', crisp)
      .style('fill', (c) => `url(#${id}-${bandPattern(d?.scale.band(c.value) ?? null) ?? 'stripes'})`);
    const every = Math.max(1, Math.ceil(cells.length / Math.max(1, Math.floor(w / 36))));
    // Every k-th layer, and the last one when it does not crowd the previous label.
    const last = cells.length - 1;
    const ticks = cells.filter((_c, i) => i % every === 0 || (i === last && last % every >= every / 2)).map((c) => c.name);
    xAxis
      .attr('transform', `translate(0,${stripHeight + 2})`)
      .call(
        d3
          .axisBottom(x)
          .tickValues(ticks)
          .tickSize(4)
          .tickFormat((n) => String(byName.get(n)?.depth ?? '')),
      )
      .call((g) => g.select('.domain').remove());
    drawLegend(d, height);
    outline(selectedMark, d?.selected ?? null);
    mark();
    svg.attr('aria-label', d && cells.length > 0 ? summary(d) : 'No analysed layers yet');
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

/** Which pattern a band's cells get on top of their colour (null: none). */
function bandPattern(band: LegendBand | null): 'stripes' | 'dots' | null {
  return band && band.pattern !== 'none' ? band.pattern : null;
}

function pattern(
  defs: d3.Selection<SVGDefsElement, unknown, null, undefined>,
  id: string,
  draw: (p: d3.Selection<SVGPatternElement, unknown, null, undefined>) => void,
): void {
  draw(defs.append('pattern').attr('id', id).attr('patternUnits', 'userSpaceOnUse').attr('width', 6).attr('height', 6));
}

/**
 * What the strip shows, in words: e.g. "α of 12 layers in depth order: 2 over-trained, 1 under-trained", or a
 * sequential metric's range. Exported for tests and the view's caption.
 */
export function summary(d: Pick<StripChartData, 'cells' | 'label' | 'scale'>): string {
  const n = d.cells.length;
  const values = d.cells.map((c) => c.value);
  const missing = values.filter((v) => v === null).length;
  const head = `${d.label} of ${n} layer${n === 1 ? '' : 's'} in depth order`;
  const tail = missing > 0 ? `${missing} without a value` : '';
  const bands = d.scale.legend.bands;
  if (bands.length > 0) {
    const counts = bands
      .filter((b) => b.key !== 'within')
      .map((b) => `${values.filter((v) => v !== null && d.scale.band(v)?.key === b.key).length} ${b.name}`);
    return `${head}: ${[...counts, tail].filter(Boolean).join(', ')}`;
  }
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const range = finite.length > 0 ? `from ${formatNumber(Math.min(...finite))} to ${formatNumber(Math.max(...finite))}` : '';
  const parts = [range, tail].filter(Boolean);
  return parts.length > 0 ? `${head}, ${parts.join('; ')}` : head;
}
