import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle, formatNumber } from '../shared/chart';
import { formatDeg } from './curveFormat';
import { orientationColor } from './orientationColor';
import { INNER_FRACTION, gridLayout, polarPoint, radialAngle, radialRadius, radiusUnit } from './radialGeometry';

/** One unit's tuning curve over the sweep's θ grid. */
export interface RadialUnit {
  readonly id: number;
  readonly label: string;
  /** Length T: the response at each of `thetasDeg`. */
  readonly values: Float64Array;
  readonly preferredThetaDeg: number;
  /** Whether the unit has an "echo" (a secondary peak ~180° away, SCIENCE.md §4). */
  readonly echo?: boolean;
}

export interface RadialTuningData {
  readonly units: readonly RadialUnit[];
  /** T orientations in degrees, ascending in [0, 360). */
  readonly thetasDeg: Float64Array;
  /** The max every unit shown is scaled by (radius = inner + value / max · R). */
  readonly sharedMax: number;
  /** All units in one plot, or one small plot per unit. */
  readonly layout: 'overlay' | 'grid';
  readonly selected: number | null;
  readonly onHover: (unit: number | null) => void;
  readonly onSelect: (unit: number) => void;
  /** A title drawn in the SVG's top-left corner (so exports keep it), e.g. "before". */
  readonly title?: string;
}

/** The radial chart: a `Chart` that can also isolate a unit hovered elsewhere (the table, the other plot). */
export interface RadialTuningChart extends Chart<RadialTuningData> {
  highlight(unit: number | null): void;
}

const TOP = 24;
const LEGEND_ROW_PX = 17;
const CHAR_PX = 6.4;
const MIN_CELL_PX = 132;
const CELL_TITLE_PX = 16;

/**
 * The closed curve through every sample. SCIENCE.md §4 asks for a closed `curveNatural`, which d3 does not have
 * (its natural spline is open); a closed centripetal Catmull–Rom spline also passes through every sample, is smooth
 * across the 360° → 0° seam and never overshoots into loops. With a 0.5° sweep (720 samples) the choice of
 * interpolant is not visible; it matters only for coarse test grids.
 */
const CURVE = d3.curveCatmullRomClosed.alpha(0.5);

/** The path of one unit's tuning curve, centred on (0, 0). */
function tuningPath(unit: RadialUnit, thetasDeg: Float64Array, max: number, unitPx: number): string {
  const idx: number[] = [];
  for (let i = 0; i < thetasDeg.length && i < unit.values.length; i++) if (Number.isFinite(unit.values[i])) idx.push(i);
  return (
    d3
      .lineRadial<number>()
      .angle((i) => radialAngle(thetasDeg[i] as number))
      .radius((i) => radialRadius(unit.values[i] as number, max, unitPx))
      .curve(CURVE)
      .digits(2)(idx) ?? ''
  );
}

/** The polar grid: rings at 0 (the inner circle), max / 2 and max; spokes at 0°, 90°, 180°, 270°; labels if asked. */
function drawGrid(g: d3.Selection<SVGGElement, unknown, null, undefined>, outerPx: number, labels: boolean, max: number): void {
  const unitPx = radiusUnit(outerPx);
  g.selectAll('*').remove();
  const rings = [
    { v: 0.5, cls: 'radial-ring' },
    { v: 1, cls: 'radial-ring' },
    { v: 0, cls: 'radial-ring radial-ring-zero' },
  ];
  for (const ring of rings)
    g.append('circle')
      .attr('class', ring.cls)
      .attr('r', (INNER_FRACTION + ring.v) * unitPx);
  for (const t of [0, 90, 180, 270]) {
    const [x1, y1] = polarPoint(t, INNER_FRACTION * unitPx);
    const [x2, y2] = polarPoint(t, outerPx + 3);
    g.append('line').attr('class', 'radial-spoke').attr('x1', x1).attr('y1', y1).attr('x2', x2).attr('y2', y2);
    if (!labels) continue;
    const [lx, ly] = polarPoint(t, outerPx + 8);
    g.append('text')
      .attr('class', 'radial-angle-label')
      .attr('x', lx)
      .attr('y', ly)
      .attr('dy', t === 90 ? '-0.1em' : t === 270 ? '0.8em' : '0.32em')
      .attr('text-anchor', t === 0 ? 'start' : t === 180 ? 'end' : 'middle')
      .text(`${t}°`);
  }
  if (labels) {
    const [mx, my] = polarPoint(45, outerPx);
    g.append('text').attr('class', 'radial-ring-label').attr('x', mx + 3).attr('y', my - 3).text(formatNumber(max));
    const [zx, zy] = polarPoint(45, INNER_FRACTION * unitPx);
    g.append('text').attr('class', 'radial-ring-label').attr('x', zx + 2).attr('y', zy - 2).text('0');
  }
}

/**
 * Radial tuning curves in the encoding of Distill's "Curve Detectors" (SCIENCE.md §4): angle = θ (0° to the right,
 * counter-clockwise as on screen), radius = inner + value / max · R with inner = 0.3 R and one max shared by the
 * units shown, so the inner circle is a zero response and the outer ring the shared max. Each unit is a closed
 * smooth line in the hue of its preferred θ (`orientationColor`). Overlay: every unit in one plot with a legend;
 * grid: small multiples titled with each unit's name and preferred θ. Hovering a line, legend entry or small plot
 * isolates that unit (the others fade) and reports it; a click selects it.
 */
export function radialTuningChart(root: HTMLElement): RadialTuningChart {
  const state: ChartState<RadialTuningData> = { data: null, width: 600, height: 380 };
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-radial').attr('role', 'img');
  const title = svg.append('text').attr('class', 'radial-title').attr('x', 6).attr('y', 15);
  const caption = svg.append('text').attr('class', 'tooltip-text radial-caption').attr('y', 15).attr('text-anchor', 'end');
  const plots = svg.append('g').attr('class', 'radial-plots');
  const legendG = svg.append('g').attr('class', 'legend radial-legend');
  let hovered: number | null = null;

  const unitOf = (event: Event): number | null => {
    const el = event.target instanceof Element ? event.target.closest('[data-unit]') : null;
    return el ? Number(el.getAttribute('data-unit')) : null;
  };
  for (const group of [plots, legendG]) {
    group
      .on('pointerover', (event: PointerEvent) => hover(unitOf(event)))
      .on('pointerleave', () => hover(null))
      .on('click', (event: MouseEvent) => {
        const u = unitOf(event);
        if (u !== null) state.data?.onSelect(u);
      });
  }

  function hover(unit: number | null): void {
    if (unit === hovered) return;
    hovered = unit;
    mark();
    state.data?.onHover(unit);
  }

  function describe(d: RadialTuningData, id: number): string {
    const u = d.units.find((v) => v.id === id);
    if (!u) return '';
    let peak = -Infinity;
    for (const v of u.values) if (Number.isFinite(v) && v > peak) peak = v;
    return `${u.label}: preferred θ ${formatDeg(u.preferredThetaDeg)}, peak ${formatNumber(peak)}${u.echo ? ', echo' : ''}`;
  }

  /** Fade every unit but the hovered one; caption the hovered (else the selected) unit. */
  function mark(): void {
    const d = state.data;
    svg.classed('isolating', hovered !== null);
    svg.selectAll<SVGElement, unknown>('[data-unit]').each(function () {
      const id = Number(this.getAttribute('data-unit'));
      d3.select(this)
        .classed('lit', id === hovered)
        .classed('selected', id === d?.selected);
    });
    const shown = hovered ?? d?.selected ?? null;
    caption.attr('x', state.width - 6).text(d && shown !== null ? describe(d, shown) : '');
  }

  function renderOverlay(d: RadialTuningData, top: number): number {
    const n = d.units.length;
    const plotH = Math.max(80, state.height - top - 6);
    const rowsPerColumn = Math.max(1, Math.floor((plotH - 4) / LEGEND_ROW_PX));
    const legendColumns = Math.ceil(n / rowsPerColumn);
    const texts = d.units.map((u) => `${u.label} · ${formatDeg(u.preferredThetaDeg)}${u.echo ? ' · echo' : ''}`);
    const columnW = Math.min(260, Math.max(120, 30 + CHAR_PX * Math.max(0, ...texts.map((t) => t.length))));
    const legendW = n > 0 ? Math.min(state.width * 0.45, legendColumns * columnW) : 0;
    const plotW = Math.max(80, state.width - legendW);
    // Room for the 0°/180° labels at the sides and 90°/270° above and below.
    const outerPx = Math.max(20, Math.min(plotW / 2 - 40, plotH / 2 - 22));
    const cx = plotW / 2;
    const cy = top + plotH / 2;
    const unitPx = radiusUnit(outerPx);
    plots.selectAll('g.radial-plot').remove();
    const g = plots.append('g').attr('class', 'radial-plot').attr('transform', `translate(${cx},${cy})`);
    drawGrid(g.append('g').attr('class', 'radial-grid'), outerPx, true, d.sharedMax);
    const lines = g.append('g').attr('class', 'radial-lines');
    for (const u of d.units) {
      const path = tuningPath(u, d.thetasDeg, d.sharedMax, unitPx);
      const ug = lines.append('g').attr('class', 'radial-unit').attr('data-unit', u.id);
      ug.append('path').attr('class', 'radial-line').attr('d', path).attr('stroke', orientationColor(u.preferredThetaDeg));
      ug.append('path').attr('class', 'radial-hit').attr('d', path);
    }
    // Legend: a swatch, the label and the preferred θ per unit, in columns beside the plot.
    legendG.selectAll('*').remove();
    legendG.attr('transform', `translate(${plotW + 4},${top + Math.max(0, (plotH - Math.min(n, rowsPerColumn) * LEGEND_ROW_PX) / 2)})`);
    const colW = legendColumns > 0 ? legendW / legendColumns : columnW;
    const maxChars = Math.max(6, Math.floor((colW - 26) / CHAR_PX));
    d.units.forEach((u, i) => {
      const e = legendG
        .append('g')
        .attr('class', 'radial-legend-item radial-unit')
        .attr('data-unit', u.id)
        .attr('transform', `translate(${Math.floor(i / rowsPerColumn) * colW},${(i % rowsPerColumn) * LEGEND_ROW_PX + LEGEND_ROW_PX / 2})`);
      e.append('rect').attr('class', 'radial-legend-hit').attr('x', -2).attr('y', -LEGEND_ROW_PX / 2).attr('width', colW - 4).attr('height', LEGEND_ROW_PX);
      e.append('line').attr('class', 'radial-swatch').attr('x1', 0).attr('x2', 16).attr('stroke', orientationColor(u.preferredThetaDeg));
      const text = texts[i] ?? '';
      e.append('text')
        .attr('x', 21)
        .attr('dy', '0.32em')
        .text(text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text)
        .append('title')
        .text(text);
    });
    return state.height;
  }

  function renderGrid(d: RadialTuningData, top: number): number {
    legendG.selectAll('*').remove();
    const { columns, rows, cellPx } = gridLayout(d.units.length, state.width, MIN_CELL_PX);
    const cellH = cellPx + CELL_TITLE_PX - 8;
    const maxChars = Math.max(4, Math.floor((cellPx - 10) / CHAR_PX));
    const outerPx = Math.max(16, (Math.min(cellPx, cellH - CELL_TITLE_PX) - 12) / 2);
    const unitPx = radiusUnit(outerPx);
    plots.selectAll('g.radial-plot').remove();
    d.units.forEach((u, i) => {
      const x = (i % columns) * cellPx;
      const y = top + Math.floor(i / columns) * cellH;
      const cell = plots.append('g').attr('class', 'radial-plot radial-cell radial-unit').attr('data-unit', u.id).attr('transform', `translate(${x},${y})`);
      cell.append('rect').attr('class', 'radial-cell-frame').attr('x', 2).attr('y', 0).attr('width', cellPx - 4).attr('height', cellH - 4).attr('rx', 6);
      const theta = ` · ${formatDeg(u.preferredThetaDeg)}`;
      const label = u.label.length + theta.length > maxChars ? `${u.label.slice(0, Math.max(1, maxChars - theta.length - 1))}…` : u.label;
      cell
        .append('text')
        .attr('class', 'radial-cell-title')
        .attr('x', cellPx / 2)
        .attr('y', 13)
        .attr('text-anchor', 'middle')
        .text(label + theta)
        .append('title')
        .text(`${u.label}${theta}${u.echo ? ' · echo' : ''}`);
      if (u.echo) cell.append('text').attr('class', 'radial-echo-tag').attr('x', cellPx - 8).attr('y', cellH - 10).attr('text-anchor', 'end').text('echo');
      const g = cell.append('g').attr('transform', `translate(${cellPx / 2},${CELL_TITLE_PX + (cellH - CELL_TITLE_PX - 4) / 2})`);
      drawGrid(g.append('g').attr('class', 'radial-grid'), outerPx, false, d.sharedMax);
      g.append('path').attr('class', 'radial-line').attr('d', tuningPath(u, d.thetasDeg, d.sharedMax, unitPx)).attr('stroke', orientationColor(u.preferredThetaDeg));
    });
    const keyY = top + rows * cellH + 12;
    plots
      .append('g')
      .attr('class', 'radial-plot radial-key')
      .append('text')
      .attr('x', 6)
      .attr('y', keyY)
      .text(`angle = θ (0° right, 90° up) · radius: dotted circle = 0, outer circle = ${formatNumber(d.sharedMax)} (max shared by all plots)`);
    return keyY + 8;
  }

  function render(): void {
    const d = state.data;
    title.text(d?.title ?? '');
    if (!d) {
      svg.attr('width', state.width).attr('height', state.height).attr('aria-label', 'No tuning curves yet');
      return;
    }
    const top = TOP;
    svg.classed('layout-grid', d.layout === 'grid').classed('layout-overlay', d.layout === 'overlay');
    const height = d.layout === 'grid' ? renderGrid(d, top) : renderOverlay(d, top);
    svg.attr('width', state.width).attr('height', height).attr('viewBox', `0 0 ${state.width} ${height}`);
    if (hovered !== null && !d.units.some((u) => u.id === hovered)) hovered = null;
    mark();
    const n = d.units.length;
    svg.attr(
      'aria-label',
      `${d.title ? `${d.title}: ` : ''}radial tuning curves of ${n} unit${n === 1 ? '' : 's'} (${d.layout === 'grid' ? 'one plot each' : 'overlaid'}); ` +
        `angle = stimulus orientation θ, counter-clockwise from the right; radius = response, inner circle 0, outer circle ${formatNumber(d.sharedMax)} (shared max). ` +
        d.units.map((u) => `${u.label} prefers ${formatDeg(u.preferredThetaDeg)}${u.echo ? ' with an echo' : ''}`).join('; '),
    );
  }

  return {
    ...chartLifecycle(svg, state, render),
    highlight(unit) {
      if (unit === hovered) return;
      hovered = unit;
      mark();
    },
  };
}
