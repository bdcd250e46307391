import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle, formatNumber } from '../shared/chart';
import { formatDeg, formatRadius } from './curveFormat';
import { divergingPosition } from './circuitData';
import type { HeatmapDomain, RadiusBand } from './orientationCurvatureData';
import { argMax, binThetaColumns, heatmapDomain, nearestThetaIndex, radiusRows } from './orientationCurvatureData';

export interface OrientationCurvatureData {
  readonly unitLabel: string;
  /** T orientations in degrees, ascending in [0, 360). */
  readonly thetasDeg: Float64Array;
  /** R curve radii in px (any order); Infinity = a straight line. */
  readonly radiiPx: Float64Array;
  /** R × T, row-major: the response to radius r (index into `radiiPx`) at orientation t. */
  readonly values: Float64Array;
  readonly units: 'raw' | 'σ of baseline';
}

const M = { top: 24, right: 14, left: 66, bottom: 70 };
const LINE_GAP = 6;
const LEGEND_W = 150;
let instances = 0;

/** The colour of a value: reversed RdBu (positive red) for a diverging domain, viridis from 0 otherwise. */
export function heatmapColor(domain: HeatmapDomain): (v: number) => string {
  if (domain.kind === 'diverging') return (v) => (Number.isFinite(v) ? d3.interpolateRdBu(divergingPosition(v, domain.hi)) : 'none');
  const s = d3.scaleSequential(d3.interpolateViridis).domain([domain.lo, domain.hi]).clamp(true);
  return (v) => (Number.isFinite(v) ? s(v) : 'none');
}

/**
 * One unit's responses over orientation × curvature: x = θ (0–360°), y = the curve radius on a log axis (small
 * radius = tight curve at the bottom), with straight lines (r = ∞) in a row of their own at the top. Colour:
 * viridis from 0 for non-negative responses, reversed RdBu centred on 0 (red positive) when some are negative;
 * the legend is drawn inside the SVG so exports keep it. A sweep with more than 180 orientations is drawn in
 * 180 columns, each the mean of its samples (`binThetaColumns`); the hover reads the exact sample under the pointer.
 */
export function orientationCurvatureChart(root: HTMLElement): Chart<OrientationCurvatureData> {
  const state: ChartState<OrientationCurvatureData> = { data: null, width: 600, height: 320 };
  const id = `curve-heatmap-${++instances}`;
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-curve-heatmap').attr('role', 'img');
  const ramp = svg.append('defs').append('linearGradient').attr('id', `${id}-ramp`).attr('x1', 0).attr('x2', 1).attr('y1', 0).attr('y2', 0);
  const caption = svg.append('text').attr('class', 'tooltip-text curve-heatmap-caption').attr('y', 15);
  const plot = svg.append('g');
  const cellsG = plot.append('g').attr('class', 'curve-heatmap-cells');
  // The peak: a ring in the background colour inside one in the foreground colour, visible on every cell colour.
  const peakMark = plot.append('g').attr('class', 'curve-heatmap-peak').attr('pointer-events', 'none');
  peakMark.append('circle').attr('class', 'peak-outer').attr('r', 6);
  peakMark.append('circle').attr('class', 'peak-inner').attr('r', 6);
  const hoverMark = plot.append('rect').attr('class', 'curve-heatmap-hover').attr('pointer-events', 'none');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const yAxis = plot.append('g').attr('class', 'axis axis-y');
  const lineLabel = plot.append('text').attr('class', 'curve-heatmap-line-label').attr('text-anchor', 'end').attr('dy', '0.32em');
  const xLabel = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').text('stimulus orientation θ (°, counter-clockwise from right)');
  const yLabel = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').text('curve radius r (px, log)');
  const legendG = svg.append('g').attr('class', 'legend curve-heatmap-legend');
  const legendRect = legendG.append('rect').attr('class', 'legend-fill').attr('y', -6).attr('width', LEGEND_W).attr('height', 12).attr('fill', `url(#${id}-ramp)`);
  const legendTicks = legendG.append('g').attr('class', 'curve-heatmap-legend-ticks');
  const legendTitle = legendG.append('text').attr('class', 'curve-heatmap-legend-title').attr('dy', '0.32em');

  let x = d3.scaleLinear();
  /** Each drawn row: the index into radiiPx and its top and bottom (px). */
  let rowSpans: { index: number; radiusPx: number; y0: number; y1: number }[] = [];

  function defaultCaption(d: OrientationCurvatureData): string {
    const t = d.thetasDeg.length;
    const peak = argMax(d.values, t);
    if (peak.row < 0) return `${d.unitLabel}: no finite responses`;
    return `${d.unitLabel}: peak ${formatNumber(peak.value)} ${unitsText(d)} at θ ${formatDeg(d.thetasDeg[peak.column] ?? NaN)}, r ${formatRadius(d.radiiPx[peak.row] ?? NaN)}`;
  }

  cellsG
    .on('pointermove', (event: PointerEvent) => {
      const d = state.data;
      if (!d) return;
      const [px, py] = d3.pointer(event, cellsG.node());
      const row = rowSpans.find((r) => py >= r.y0 && py < r.y1);
      const ti = nearestThetaIndex(d.thetasDeg, x.invert(px));
      if (!row || ti < 0) return;
      const t = d.thetasDeg.length;
      const v = d.values[row.index * t + ti] ?? NaN;
      const theta = d.thetasDeg[ti] as number;
      hoverMark
        .attr('visibility', 'visible')
        .attr('x', x(theta) - 3)
        .attr('y', row.y0 - 1)
        .attr('width', 6)
        .attr('height', row.y1 - row.y0 + 2);
      caption.text(`${d.unitLabel} · θ ${formatDeg(theta)}, r ${formatRadius(row.radiusPx)}: ${Number.isFinite(v) ? formatNumber(v) : 'no value'} ${unitsText(d)}`);
    })
    .on('pointerleave', () => {
      hoverMark.attr('visibility', 'hidden');
      caption.text(state.data ? defaultCaption(state.data) : '');
    });

  function render(): void {
    const { width, height } = state;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const d = state.data;
    if (!d) {
      svg.attr('aria-label', 'No orientation × curvature responses yet');
      return;
    }
    const w = Math.max(40, width - M.left - M.right);
    const h = Math.max(40, height - M.top - M.bottom);
    plot.attr('transform', `translate(${M.left},${M.top})`);
    caption.attr('x', M.left);
    xLabel.attr('x', M.left + w / 2).attr('y', M.top + h + 34);
    yLabel.attr('transform', `translate(14,${M.top + h / 2}) rotate(-90)`);
    const t = d.thetasDeg.length;
    const rows = radiusRows(d.radiiPx);
    const n = rows.bands.length + (rows.lineIndex >= 0 ? 1 : 0);
    const lineH = rows.lineIndex >= 0 ? Math.max(10, Math.min(30, (h - LINE_GAP) / Math.max(1, n))) : 0;
    const finiteTop = rows.lineIndex >= 0 ? lineH + LINE_GAP : 0;
    const first = rows.bands[0];
    const last = rows.bands[rows.bands.length - 1];
    const y = d3
      .scaleLog()
      .domain(first && last ? [first.lo, last.hi] : [1, 10])
      .range([h, finiteTop]);
    x = d3.scaleLinear().domain([0, 360]).range([0, w]);
    rowSpans = rows.bands.map((b: RadiusBand) => ({ index: b.index, radiusPx: b.radiusPx, y0: y(b.hi), y1: y(b.lo) }));
    if (rows.lineIndex >= 0) rowSpans.push({ index: rows.lineIndex, radiusPx: Infinity, y0: 0, y1: lineH });

    const bins = binThetaColumns(d.thetasDeg, d.values, d.radiiPx.length);
    const domain = heatmapDomain(d.values);
    const color = heatmapColor(domain);
    const cells = rowSpans.flatMap((r) => Array.from({ length: bins.columns }, (_, c) => ({ r, c, v: bins.values[r.index * bins.columns + c] ?? NaN })));
    cellsG
      .selectAll<SVGRectElement, (typeof cells)[number]>('rect')
      .data(cells)
      .join('rect')
      .attr('x', (cell) => x(bins.startDeg[cell.c] ?? 0))
      // Overlap the next column by half a pixel so antialiasing leaves no seams.
      .attr('width', (cell) => Math.max(0.5, x(bins.endDeg[cell.c] ?? 360) - x(bins.startDeg[cell.c] ?? 0) + 0.5))
      .attr('y', (cell) => cell.r.y0)
      .attr('height', (cell) => Math.max(0.5, cell.r.y1 - cell.r.y0))
      .attr('fill', (cell) => color(cell.v));

    xAxis
      .attr('transform', `translate(0,${h + 2})`)
      .call(
        d3
          .axisBottom(x)
          .tickValues(w >= 360 ? d3.range(0, 361, 45) : d3.range(0, 361, 90))
          .tickFormat((v) => `${+v}°`),
      );
    const finite = rows.bands.map((b) => b.radiusPx);
    const every = Math.max(1, Math.ceil(finite.length / Math.max(1, Math.floor((h - finiteTop) / 16))));
    yAxis.attr('transform', 'translate(-2,0)').call(
      d3
        .axisLeft(y)
        .tickValues(finite.filter((_r, i) => i % every === 0))
        .tickFormat((v) => formatNumber(+v)),
    );
    lineLabel
      .attr('x', -8)
      .attr('y', lineH / 2)
      .text(rows.lineIndex >= 0 ? '∞ (line)' : '');

    const peak = argMax(d.values, t);
    const peakRow = rowSpans.find((r) => r.index === peak.row);
    if (peak.row >= 0 && peakRow) {
      peakMark.attr('visibility', 'visible').attr('transform', `translate(${x(d.thetasDeg[peak.column] ?? 0)},${(peakRow.y0 + peakRow.y1) / 2})`);
    } else peakMark.attr('visibility', 'hidden');
    hoverMark.attr('visibility', 'hidden');
    caption.text(defaultCaption(d));

    // Legend: the ramp with its ends (and 0 for a diverging scale), then what the colour means.
    const stops = d3.range(11).map((i) => i / 10);
    const at = (v: number) => (LEGEND_W * (v - domain.lo)) / (domain.hi - domain.lo);
    ramp
      .selectAll('stop')
      .data(stops)
      .join('stop')
      .attr('offset', (s) => s)
      .attr('stop-color', (s) => color(domain.lo + s * (domain.hi - domain.lo)));
    legendG.attr('transform', `translate(${M.left},${M.top + h + 56})`);
    legendRect.attr('width', LEGEND_W);
    const ticks = domain.kind === 'diverging' ? [domain.lo, 0, domain.hi] : [domain.lo, domain.hi];
    legendTicks
      .selectAll('text')
      .data(ticks)
      .join('text')
      .attr('x', (v) => at(v))
      .attr('y', -9)
      .attr('text-anchor', 'middle')
      .text((v) => formatNumber(v));
    legendTitle.attr('x', LEGEND_W + 8).text(
      `${d.units}${domain.kind === 'diverging' ? ' (red +, blue −)' : ''} · ○ peak${bins.perColumn > 1 ? ` · column = mean of ${bins.perColumn}` : ''}`,
    );
    svg.attr(
      'aria-label',
      `Orientation × curvature responses of ${d.unitLabel}: ${t} orientations × ${rows.bands.length} radii${rows.lineIndex >= 0 ? ' and a straight line' : ''}. ${defaultCaption(d)}.`,
    );
  }

  return chartLifecycle(svg, state, render);
}

function unitsText(d: OrientationCurvatureData): string {
  return d.units === 'raw' ? '(raw)' : 'σ';
}
