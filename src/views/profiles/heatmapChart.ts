import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle, formatNumber } from '../shared/chart';
import { classStyle, classSymbolPath } from './classStyle';
import type { HeatmapCell, HeatmapColumn, HeatmapData } from './heatmapData';
import { heatmapSummary } from './heatmapData';
import { LEGEND_ROW_PX, legendLayout } from './legendLayout';
import { directionName, labelWidthPx, percent, truncateLabel } from './profileFormat';

export interface HeatmapChartData {
  readonly heatmap: HeatmapData;
  /** The selected direction (0-based index), outlined; null for none. */
  readonly selectedDirection: number | null;
  /** Called with a column's direction (0-based index) when it is clicked. */
  readonly onSelectDirection: (direction: number) => void;
}

/** Margins; the bottom holds the column labels, the axis title and one legend row (more rows add `LEGEND_ROW_PX`). */
const M = { top: 44, right: 12, bottom: 62 };
/** The row of shared/unique markers above the cells: its centre, px above the grid. */
const MARKER_Y = -11;
const MAX_ROW_PX = 30;
let instances = 0;

/**
 * Rows = classes, columns = the directions influential for some class (by σ rank), cell colour = the class's share
 * of its total influence weight (viridis, 0 … the largest share; empty cells: not in the class's hyperedge). Above
 * the cells a grey bar marks the directions every class uses and a symbol in the class's colour and shape those
 * only one class uses. Hover reads a cell in the caption line; clicking a column selects its direction.
 */
export function heatmapChart(root: HTMLElement): Chart<HeatmapChartData> {
  const state: ChartState<HeatmapChartData> = { data: null, width: 600, height: 240 };
  const id = `profile-heatmap-${++instances}`;
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-profile-heatmap').attr('role', 'img');
  const defs = svg.append('defs');
  const ramp = defs.append('linearGradient').attr('id', `${id}-ramp`).attr('x1', 0).attr('x2', 1).attr('y1', 0).attr('y2', 0);
  const caption = svg.append('text').attr('class', 'tooltip-text heatmap-caption').attr('y', 14);
  const plot = svg.append('g');
  const rowLabels = plot.append('g').attr('class', 'heatmap-rows');
  const cellsG = plot.append('g').attr('class', 'heatmap-cells');
  const markersG = plot.append('g').attr('class', 'heatmap-markers');
  const selectedMark = plot.append('rect').attr('class', 'heatmap-selected').attr('pointer-events', 'none');
  const hoverMark = plot.append('rect').attr('class', 'heatmap-hover').attr('pointer-events', 'none');
  const xAxis = plot.append('g').attr('class', 'axis axis-x');
  const xLabel = svg.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').text('singular direction k (σ rank, largest first)');
  const legendG = svg.append('g').attr('class', 'legend heatmap-legend');

  let x = d3.scaleBand<number>();
  let y = d3.scaleBand<number>();
  let gridH = 0;
  let hovered: { row: number | null; column: number } | null = null;

  const targetOf = (event: Event): { row: number | null; column: number } | null => {
    const el = event.target instanceof Element ? event.target.closest('[data-col]') : null;
    if (!el) return null;
    const row = el.getAttribute('data-row');
    return { row: row === null ? null : Number(row), column: Number(el.getAttribute('data-col')) };
  };
  for (const group of [cellsG, markersG]) {
    group
      .on('pointerover', (event: PointerEvent) => {
        hovered = targetOf(event);
        mark();
      })
      .on('pointerleave', () => {
        hovered = null;
        mark();
      })
      .on('click', (event: MouseEvent) => {
        const t = targetOf(event);
        const col = t && state.data?.heatmap.columns[t.column];
        if (col) state.data?.onSelectDirection(col.direction);
      });
  }

  function describe(d: HeatmapData, t: { row: number | null; column: number }): string {
    const col = d.columns[t.column];
    if (!col) return '';
    const tag = col.shared ? ' · shared by all classes' : col.uniqueTo !== null ? ` · unique to ${col.uniqueTo}` : '';
    const name = directionName(col.rank, col.sigma);
    if (t.row === null) return `${name}: used by ${col.degree} of ${d.rows.length} classes${tag}`;
    const row = d.rows[t.row];
    const cell = d.cells[t.row * d.columns.length + t.column];
    if (!row || !cell) return '';
    const weight = cell.member ? `weight ${formatNumber(cell.weight)} (${percent(cell.share)} of the class)` : 'not influential';
    return `${row.label} · ${name}: ${weight}${tag}`;
  }

  /** Outline the hovered cell (or column) and describe it; otherwise the selected column, or a hint. */
  function mark(): void {
    const d = state.data?.heatmap;
    const selectedCol = d && state.data?.selectedDirection != null ? d.columns.findIndex((c) => c.direction === state.data?.selectedDirection) : -1;
    if (!d || !hovered) {
      hoverMark.attr('visibility', 'hidden');
      caption.text(!d || d.columns.length === 0 ? '' : selectedCol >= 0 ? describe(d, { row: null, column: selectedCol }) : 'Hover a cell to read it; click a column to select its direction.');
      return;
    }
    const cx = x(hovered.column) ?? 0;
    const cy = hovered.row === null ? MARKER_Y - 6 : (y(hovered.row) ?? 0);
    const ch = hovered.row === null ? gridH - MARKER_Y + 6 : y.bandwidth();
    hoverMark
      .attr('visibility', 'visible')
      .attr('x', cx - 1)
      .attr('y', cy - 1)
      .attr('width', Math.max(3, x.bandwidth()) + 2)
      .attr('height', ch + 2);
    caption.text(describe(d, hovered));
  }

  /** The legend's entries and where they go in `maxWidth` px (rows wrap on narrow charts). */
  function legend(d: HeatmapData, maxWidth: number) {
    const stops = d3.range(9).map((i) => d3.interpolateViridis(i / 8));
    ramp
      .selectAll('stop')
      .data(stops)
      .join('stop')
      .attr('offset', (_c, i) => i / 8)
      .attr('stop-color', (c) => c);
    type Entry = { key: string; label: string; width: number; draw: (g: d3.Selection<SVGGElement, unknown, null, undefined>) => void };
    const entries: Entry[] = [
      {
        key: 'ramp',
        label: `share of the class's influence: 0 … ${percent(d.maxShare)}`,
        width: 64,
        draw: (g) => g.append('rect').attr('class', 'legend-fill').attr('y', -5).attr('width', 64).attr('height', 10).attr('fill', `url(#${id}-ramp)`),
      },
      { key: 'empty', label: 'not influential', width: 16, draw: (g) => g.append('rect').attr('class', 'cell-empty').attr('y', -5).attr('width', 16).attr('height', 10) },
      { key: 'shared', label: 'shared by all classes', width: 16, draw: (g) => g.append('rect').attr('class', 'marker-shared').attr('y', -3).attr('width', 16).attr('height', 6) },
      {
        key: 'unique',
        label: 'unique to one class (its colour and shape)',
        width: 16,
        draw: (g) => g.append('path').attr('class', 'marker-unique').attr('transform', 'translate(8,0)').attr('d', classSymbolPath(2, 70)).attr('fill', classStyle(2).color),
      },
    ];
    const at = legendLayout(
      entries.map((e) => ({ swatch: e.width, label: e.label })),
      Math.max(120, maxWidth),
    );
    return { entries, at, rows: 1 + Math.max(0, ...at.map((p) => p.row)) };
  }

  function drawLegend({ entries, at }: ReturnType<typeof legend>, left: number, top: number): void {
    legendG.selectAll('*').remove();
    legendG.attr('transform', `translate(${left},${top})`);
    entries.forEach((e, i) => {
      const p = at[i] ?? { x: 0, row: 0 };
      const g = legendG.append('g').attr('class', `legend-item legend-${e.key}`).attr('transform', `translate(${p.x},${p.row * LEGEND_ROW_PX})`);
      e.draw(g);
      g.append('text').attr('x', e.width + 5).attr('dy', '0.32em').text(e.label);
    });
  }

  function render(): void {
    const { width, height } = state;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const d = state.data?.heatmap;
    if (!d) {
      svg.attr('aria-label', 'No class profiles yet');
      return;
    }
    const left = labelWidthPx(d.rows.map(rowText)) + 18;
    const w = Math.max(10, width - left - M.right);
    const legendPlan = legend(d, w);
    const available = Math.max(12, height - M.top - M.bottom - (legendPlan.rows - 1) * LEGEND_ROW_PX);
    gridH = Math.min(available, d.rows.length * MAX_ROW_PX);
    plot.attr('transform', `translate(${left},${M.top})`);
    caption.attr('x', left);
    xLabel.attr('x', left + w / 2).attr('y', M.top + gridH + 36);
    const step = d.columns.length > 0 ? w / d.columns.length : w;
    x = d3
      .scaleBand<number>()
      .domain(d3.range(d.columns.length))
      .range([0, w])
      .paddingInner(step >= 8 ? 0.08 : 0);
    y = d3
      .scaleBand<number>()
      .domain(d3.range(d.rows.length))
      .range([0, gridH])
      .paddingInner(gridH / Math.max(1, d.rows.length) >= 8 ? 0.08 : 0);
    const bw = x.bandwidth();
    const color = d3.scaleSequential(d3.interpolateViridis).domain([0, d.maxShare > 0 ? d.maxShare : 1]);
    cellsG
      .selectAll<SVGRectElement, HeatmapCell>('rect')
      .data(d.cells)
      .join('rect')
      .attr('class', (c) => (c.member ? 'cell' : 'cell cell-empty'))
      .attr('data-row', (c) => c.row)
      .attr('data-col', (c) => c.column)
      .attr('x', (c) => x(c.column) ?? 0)
      .attr('y', (c) => y(c.row) ?? 0)
      .attr('width', bw)
      .attr('height', y.bandwidth())
      .attr('shape-rendering', 'crispEdges')
      .attr('fill', (c) => (c.member ? color(c.share) : null));
    const markerSize = Math.max(3, Math.min(11, bw));
    markersG
      .selectAll<SVGGElement, HeatmapColumn>('g.heatmap-marker')
      .data(d.columns, (c) => c.direction)
      .join((enter) => enter.append('g').attr('class', 'heatmap-marker'))
      .attr('data-col', (_c, i) => i)
      .attr('data-direction', (c) => c.direction)
      .attr('transform', (_c, i) => `translate(${(x(i) ?? 0) + bw / 2},${MARKER_Y})`)
      .each(function (c) {
        const g = d3.select(this);
        g.selectAll('*').remove();
        // A transparent hit area over the column's marker slot, so thin columns are still easy to click.
        g.append('rect').attr('class', 'marker-hit').attr('x', -Math.max(bw, 3) / 2).attr('y', -7).attr('width', Math.max(bw, 3)).attr('height', 14).attr('fill', 'transparent');
        if (c.shared) g.append('rect').attr('class', 'marker-shared').attr('x', -bw / 2).attr('y', -3).attr('width', Math.max(1, bw)).attr('height', 6);
        else if (c.uniqueRow !== null) {
          g.append('path')
            .attr('class', 'marker-unique')
            .attr('d', classSymbolPath(c.uniqueRow, markerSize * markerSize * 0.7))
            .attr('fill', classStyle(c.uniqueRow).color);
        }
      });
    rowLabels
      .selectAll<SVGGElement, (typeof d.rows)[number]>('g')
      .data(d.rows)
      .join((enter) => {
        const g = enter.append('g');
        g.append('path').attr('class', 'class-symbol');
        g.append('text').attr('x', -18).attr('dy', '0.32em').attr('text-anchor', 'end');
        return g;
      })
      .attr('transform', (_r, i) => `translate(0,${(y(i) ?? 0) + y.bandwidth() / 2})`)
      .attr('visibility', () => (y.step() >= 9 ? 'visible' : 'hidden'))
      .call((g) =>
        g
          .select('path')
          .attr('transform', 'translate(-9,0)')
          .attr('d', (_r, i) => classSymbolPath(i, 50))
          .attr('fill', (_r, i) => classStyle(i).color),
      )
      .call((g) => g.select('text').text(rowText))
      .call((g) => g.select('title').remove())
      .call((g) => g.append('title').text((r) => `${r.label}: ${r.count} input${r.count === 1 ? '' : 's'}`));
    const every = Math.max(1, Math.ceil(d.columns.length / Math.max(1, Math.floor(w / 28))));
    xAxis
      .attr('transform', `translate(0,${gridH + 2})`)
      .call(
        d3
          .axisBottom(x)
          .tickValues(d3.range(0, d.columns.length, every))
          .tickSize(3)
          .tickFormat((i) => String(d.columns[i]?.rank ?? '')),
      )
      .call((g) => g.select('.domain').remove());
    const selectedCol = state.data?.selectedDirection != null ? d.columns.findIndex((c) => c.direction === state.data?.selectedDirection) : -1;
    if (selectedCol < 0) selectedMark.attr('visibility', 'hidden');
    else {
      const sw = Math.max(3, bw);
      selectedMark
        .attr('visibility', 'visible')
        .attr('x', (x(selectedCol) ?? 0) + bw / 2 - sw / 2 - 1.5)
        .attr('y', MARKER_Y - 8)
        .attr('width', sw + 3)
        .attr('height', gridH - MARKER_Y + 10);
    }
    drawLegend(legendPlan, left, M.top + gridH + 52);
    mark();
    svg.attr('aria-label', d.columns.length > 0 ? heatmapSummary(d) : 'No influential directions');
  }

  return chartLifecycle(svg, state, render);
}

/** A row's label as drawn: truncated, and marked when the class has no inputs. */
function rowText(r: { readonly label: string; readonly count: number }): string {
  return r.count === 0 ? `${truncateLabel(r.label)} (no inputs)` : truncateLabel(r.label);
}
