import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle, formatNumber } from '../shared/chart';
import { cellSums, divergingPosition, kernelDrawMode } from './circuitData';
import { formatDeg } from './curveFormat';
import { orientationColor } from './orientationColor';
import { polarPoint } from './radialGeometry';

/** A unit in a row or column header. */
export interface CircuitUnit {
  readonly id: number;
  readonly label: string;
  /** Preferred orientation, degrees (the glyph's direction and hue). */
  readonly thetaDeg: number;
}

export interface CircuitMatrixData {
  /** Units of layer L+1, already ordered (e.g. by preferred orientation). */
  readonly rows: readonly CircuitUnit[];
  /** Units of layer L, already ordered. */
  readonly cols: readonly CircuitUnit[];
  readonly kh: number;
  readonly kw: number;
  /** rows × cols × kh × kw, row-major: the kernel from column unit to row unit. */
  readonly cells: Float32Array;
  /** The colour scale's symmetric domain ±maxAbs (e.g. the largest |weight| of the layer). */
  readonly maxAbs: number;
  /** Axis titles (defaults "layer L+1 (output units)", "layer L (input units)"). */
  readonly rowTitle?: string;
  readonly colTitle?: string;
  /** Called with the hovered cell's units (null when the pointer leaves). */
  readonly onHoverCell?: (cell: { readonly row: number; readonly col: number } | null) => void;
}

const TOP = 24;
const GLYPH_PX = 18;
const LEGEND_W = 150;
const MAX_CELL_PX = 56;
const MIN_CELL_PX = 10;
let instances = 0;

/** A unit's orientation glyph: a short line through the centre at θ, with a dot at its head (θ is a direction). */
function drawGlyph(g: d3.Selection<SVGGElement, CircuitUnit, null, undefined>): void {
  g.selectAll('*').remove();
  g.append('circle').attr('class', 'circuit-glyph-bg').attr('r', 7.5);
  g.append('line')
    .attr('class', 'circuit-glyph')
    .each(function (u) {
      const [x1, y1] = polarPoint(u.thetaDeg + 180, 5.5);
      const [x2, y2] = polarPoint(u.thetaDeg, 5.5);
      d3.select(this).attr('x1', x1).attr('y1', y1).attr('x2', x2).attr('y2', y2).attr('stroke', orientationColor(u.thetaDeg));
    });
  g.append('circle')
    .attr('class', 'circuit-glyph-head')
    .attr('r', 2)
    .each(function (u) {
      const [x, y] = polarPoint(u.thetaDeg, 5.5);
      d3.select(this).attr('cx', x).attr('cy', y).attr('fill', orientationColor(u.thetaDeg));
    });
}

/**
 * The Curve Circuits figure: rows = units of layer L+1, columns = units of layer L (both as given, e.g. ordered by
 * preferred orientation), each cell the kh × kw kernel connecting them, coloured with d3.interpolateRdBu reversed
 * over ±maxAbs (red = positive / excitatory, blue = negative / inhibitory, near-white = 0). Headers show each unit's
 * label and an orientation glyph in its radial-plot hue. When kernels would be too small or too many to draw
 * (`kernelDrawMode`), each cell shows the sum of its weights instead, on ±the largest |sum|. Hover reads a cell.
 * The SVG takes the height its rows need at the width it is given.
 */
export function circuitMatrixChart(root: HTMLElement): Chart<CircuitMatrixData> {
  const state: ChartState<CircuitMatrixData> = { data: null, width: 600, height: 400 };
  const id = `circuit-${++instances}`;
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-circuit').attr('role', 'img');
  const ramp = svg.append('defs').append('linearGradient').attr('id', `${id}-ramp`).attr('x1', 0).attr('x2', 1).attr('y1', 0).attr('y2', 0);
  ramp
    .selectAll('stop')
    .data(d3.range(11).map((i) => i / 10))
    .join('stop')
    .attr('offset', (s) => s)
    .attr('stop-color', (s) => d3.interpolateRdBu(1 - s));
  const caption = svg.append('text').attr('class', 'tooltip-text circuit-caption').attr('x', 6).attr('y', 15);
  const plot = svg.append('g');
  const rowHeads = plot.append('g').attr('class', 'circuit-rows');
  const colHeads = plot.append('g').attr('class', 'circuit-cols');
  const cellsG = plot.append('g').attr('class', 'circuit-cells');
  const framesG = plot.append('g').attr('class', 'circuit-frames').attr('pointer-events', 'none');
  const hoverMark = plot.append('rect').attr('class', 'circuit-hover').attr('pointer-events', 'none');
  const rowTitle = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle');
  const colTitle = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle');
  const legendG = svg.append('g').attr('class', 'legend circuit-legend');
  legendG.append('rect').attr('class', 'legend-fill').attr('y', -6).attr('width', LEGEND_W).attr('height', 12).attr('fill', `url(#${id}-ramp)`);
  const legendTicks = legendG.append('g');
  const legendTitle = legendG.append('text').attr('x', LEGEND_W + 8).attr('dy', '0.32em');

  let cellPx = 20;
  let sums: Float64Array = new Float64Array(0);
  let hovered: { row: number; col: number } | null = null;

  cellsG
    .on('pointermove', (event: PointerEvent) => {
      const d = state.data;
      if (!d) return;
      const [px, py] = d3.pointer(event, cellsG.node());
      const row = Math.floor(py / cellPx);
      const col = Math.floor(px / cellPx);
      const next = row >= 0 && row < d.rows.length && col >= 0 && col < d.cols.length ? { row, col } : null;
      if (next?.row === hovered?.row && next?.col === hovered?.col) return;
      hovered = next;
      mark();
      d.onHoverCell?.(next);
    })
    .on('pointerleave', () => {
      hovered = null;
      mark();
      state.data?.onHoverCell?.(null);
    });

  function defaultCaption(d: CircuitMatrixData): string {
    return `${d.rows.length} × ${d.cols.length} units, ${d.kh}×${d.kw} kernels · hover a cell to read it`;
  }

  function mark(): void {
    const d = state.data;
    rowHeads.selectAll<SVGGElement, CircuitUnit>('g.circuit-head').classed('lit', (_u, i) => hovered?.row === i);
    colHeads.selectAll<SVGGElement, CircuitUnit>('g.circuit-head').classed('lit', (_u, i) => hovered?.col === i);
    if (!d || !hovered) {
      hoverMark.attr('visibility', 'hidden');
      caption.text(d ? defaultCaption(d) : '');
      return;
    }
    const r = d.rows[hovered.row];
    const c = d.cols[hovered.col];
    hoverMark
      .attr('visibility', 'visible')
      .attr('x', hovered.col * cellPx - 1)
      .attr('y', hovered.row * cellPx - 1)
      .attr('width', cellPx + 1)
      .attr('height', cellPx + 1);
    const s = sums[hovered.row * d.cols.length + hovered.col] ?? NaN;
    caption.text(r && c ? `${c.label} (${formatDeg(c.thetaDeg)}) → ${r.label} (${formatDeg(r.thetaDeg)}): Σ weights = ${formatNumber(s)}` : '');
  }

  function render(): void {
    const d = state.data;
    if (!d) {
      svg.attr('width', state.width).attr('height', state.height).attr('aria-label', 'No circuit yet');
      return;
    }
    const nr = d.rows.length;
    const nc = d.cols.length;
    const chars = (units: readonly CircuitUnit[]) => Math.max(1, ...units.map((u) => u.label.length));
    const rowLabelW = Math.min(140, chars(d.rows) * 6.4);
    const left = 22 + rowLabelW + 6 + GLYPH_PX + 4;
    const colLabelH = Math.min(100, chars(d.cols) * 6.4 * 0.72 + 8);
    const top = TOP + 18 + colLabelH + GLYPH_PX + 2;
    cellPx = Math.max(MIN_CELL_PX, Math.min(MAX_CELL_PX, Math.floor((state.width - left - 12) / Math.max(1, nc))));
    const gridW = nc * cellPx;
    const gridH = nr * cellPx;
    const height = top + gridH + 52;
    svg.attr('width', state.width).attr('height', height).attr('viewBox', `0 0 ${state.width} ${height}`);
    plot.attr('transform', `translate(${left},${top})`);

    sums = cellSums(d.cells, nr, nc, d.kh, d.kw);
    const mode = kernelDrawMode(nr, nc, d.kh, d.kw, cellPx);
    const gap = cellPx >= 18 ? 3 : 1;
    const inner = cellPx - gap;
    const k = d.kh * d.kw;
    if (mode === 'kernels') {
      const s = inner / Math.max(d.kh, d.kw);
      const ox = (inner - s * d.kw) / 2;
      const oy = (inner - s * d.kh) / 2;
      cellsG
        .selectAll<SVGRectElement, number>('rect')
        .data(d3.range(nr * nc * k))
        .join('rect')
        .attr('x', (p) => (Math.floor(p / k) % nc) * cellPx + ox + (p % d.kw) * s)
        .attr('y', (p) => Math.floor(p / k / nc) * cellPx + oy + Math.floor((p % k) / d.kw) * s)
        .attr('width', s + 0.3)
        .attr('height', s + 0.3)
        .attr('fill', (p) => d3.interpolateRdBu(divergingPosition(d.cells[p] ?? 0, d.maxAbs)));
    } else {
      const maxSum = d3.max(sums, (v) => Math.abs(v)) ?? 0;
      cellsG
        .selectAll<SVGRectElement, number>('rect')
        .data(d3.range(nr * nc))
        .join('rect')
        .attr('x', (c) => (c % nc) * cellPx)
        .attr('y', (c) => Math.floor(c / nc) * cellPx)
        .attr('width', inner)
        .attr('height', inner)
        .attr('fill', (c) => d3.interpolateRdBu(divergingPosition(sums[c] ?? 0, maxSum)));
    }
    // A faint frame per cell: it separates the kernels and shows where near-white (≈ 0) kernels are.
    framesG
      .selectAll<SVGRectElement, number>('rect')
      .data(mode === 'kernels' && cellPx >= 14 ? d3.range(nr * nc) : [])
      .join('rect')
      .attr('x', (c) => (c % nc) * cellPx - 0.5)
      .attr('y', (c) => Math.floor(c / nc) * cellPx - 0.5)
      .attr('width', inner + 1)
      .attr('height', inner + 1);

    const showLabels = cellPx >= 12;
    rowHeads
      .selectAll<SVGGElement, CircuitUnit>('g.circuit-head')
      .data(d.rows)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'circuit-head');
        g.append('g').attr('class', 'circuit-glyph-g');
        g.append('text').attr('text-anchor', 'end').attr('dy', '0.32em');
        return g;
      })
      .attr('transform', (_u, i) => `translate(0,${i * cellPx + inner / 2})`)
      .call((g) => g.select<SVGGElement>('g.circuit-glyph-g').attr('transform', `translate(${-GLYPH_PX / 2 - 4},0)`).each(function () {
        drawGlyph(d3.select<SVGGElement, CircuitUnit>(this));
      }))
      .call((g) =>
        g
          .select('text')
          .attr('x', -GLYPH_PX - 8)
          .attr('visibility', showLabels ? 'visible' : 'hidden')
          .text((u) => u.label),
      );
    colHeads
      .selectAll<SVGGElement, CircuitUnit>('g.circuit-head')
      .data(d.cols)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'circuit-head');
        g.append('g').attr('class', 'circuit-glyph-g');
        g.append('text').attr('text-anchor', 'start').attr('dy', '0.32em');
        return g;
      })
      .attr('transform', (_u, i) => `translate(${i * cellPx + inner / 2},0)`)
      .call((g) => g.select<SVGGElement>('g.circuit-glyph-g').attr('transform', `translate(0,${-GLYPH_PX / 2 - 4})`).each(function () {
        drawGlyph(d3.select<SVGGElement, CircuitUnit>(this));
      }))
      .call((g) =>
        g
          .select('text')
          .attr('transform', `translate(0,${-GLYPH_PX - 8}) rotate(-50)`)
          .attr('visibility', showLabels ? 'visible' : 'hidden')
          .text((u) => u.label),
      );
    colTitle
      .attr('x', left + gridW / 2)
      .attr('y', TOP + 12)
      .text(`${d.colTitle ?? 'layer L (input units)'} →`);
    rowTitle.attr('transform', `translate(14,${top + gridH / 2}) rotate(-90)`).text(`${d.rowTitle ?? 'layer L+1 (output units)'} →`);

    const legendMax = mode === 'kernels' ? d.maxAbs : (d3.max(sums, (v) => Math.abs(v)) ?? 0);
    legendG.attr('transform', `translate(${left},${top + gridH + 30})`);
    legendTicks
      .selectAll('text')
      .data([-legendMax, 0, legendMax])
      .join('text')
      .attr('x', (_v, i) => (i * LEGEND_W) / 2)
      .attr('y', -10)
      .attr('text-anchor', 'middle')
      .text((v) => formatNumber(v));
    legendTitle.text(
      mode === 'kernels'
        ? 'weight: red positive (excites), blue negative (inhibits)'
        : 'Σ kernel weights (kernels too small to draw): red positive, blue negative',
    );
    mark();
    svg.attr(
      'aria-label',
      `Circuit matrix: ${nr} units of ${d.rowTitle ?? 'layer L+1'} × ${nc} units of ${d.colTitle ?? 'layer L'}, each cell a ${d.kh}×${d.kw} kernel; red positive, blue negative weights, ±${formatNumber(d.maxAbs)}.`,
    );
  }

  return chartLifecycle(svg, state, render);
}
