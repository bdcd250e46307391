import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle } from '../shared/chart';
import { classStyle, classSymbolPath } from './classStyle';
import type { JaccardCell, JaccardData } from './jaccardData';
import { jaccardColor, jaccardText, mostSimilarPair } from './jaccardData';
import { labelWidthPx, truncateLabel } from './profileFormat';

const M = { top: 26, right: 12, bottom: 34 };
const MAX_CELL_PX = 46;
let instances = 0;

/**
 * The c × c class-similarity matrix: cividis over [0, 1] (fixed, so two layers compare), the value in each cell up
 * to 12 classes, class names (with their colour and symbol) down the left and, rotated, along the top. Hover reads
 * a pair in the caption line.
 */
export function jaccardChart(root: HTMLElement): Chart<JaccardData> {
  const state: ChartState<JaccardData> = { data: null, width: 400, height: 360 };
  const id = `jaccard-${++instances}`;
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-jaccard').attr('role', 'img');
  const ramp = svg.append('defs').append('linearGradient').attr('id', `${id}-ramp`).attr('x1', 0).attr('x2', 1).attr('y1', 0).attr('y2', 0);
  ramp
    .selectAll('stop')
    .data(d3.range(9).map((i) => jaccardColor(i / 8)))
    .join('stop')
    .attr('offset', (_c, i) => i / 8)
    .attr('stop-color', (c) => c);
  const caption = svg.append('text').attr('class', 'tooltip-text jaccard-caption').attr('y', 14);
  const plot = svg.append('g');
  const rowLabels = plot.append('g').attr('class', 'jaccard-rows');
  const colLabels = plot.append('g').attr('class', 'jaccard-columns');
  const cellsG = plot.append('g').attr('class', 'jaccard-cells');
  const hoverMark = plot.append('rect').attr('class', 'jaccard-hover').attr('pointer-events', 'none');
  const legendG = svg.append('g').attr('class', 'legend jaccard-legend');
  legendG.append('rect').attr('class', 'legend-fill').attr('y', -5).attr('width', 80).attr('height', 10).attr('fill', `url(#${id}-ramp)`);
  legendG.append('text').attr('class', 'legend-lo').attr('x', -4).attr('dy', '0.32em').attr('text-anchor', 'end').text('0');
  const legendText = legendG.append('text').attr('x', 84).attr('dy', '0.32em');

  let band = d3.scaleBand<number>();
  let hovered: JaccardCell | null = null;

  cellsG
    .on('pointerover', (event: PointerEvent) => {
      const el = event.target instanceof Element ? event.target.closest('[data-row]') : null;
      const d = state.data;
      hovered = el && d ? (d.cells[Number(el.getAttribute('data-row')) * d.labels.length + Number(el.getAttribute('data-col'))] ?? null) : null;
      mark();
    })
    .on('pointerleave', () => {
      hovered = null;
      mark();
    });

  function name(d: JaccardData): string {
    return d.weighted ? 'weighted Jaccard' : 'Jaccard';
  }

  function mark(): void {
    const d = state.data;
    if (!d || !hovered) {
      hoverMark.attr('visibility', 'hidden');
      const best = d ? mostSimilarPair(d) : null;
      caption.text(best ? `Most alike: ${best.a} and ${best.b}, ${name(d as JaccardData)} ${jaccardText(best.value)}` : '');
      return;
    }
    hoverMark
      .attr('visibility', 'visible')
      .attr('x', (band(hovered.column) ?? 0) - 1)
      .attr('y', (band(hovered.row) ?? 0) - 1)
      .attr('width', band.bandwidth() + 2)
      .attr('height', band.bandwidth() + 2);
    caption.text(`${d.labels[hovered.row]} vs ${d.labels[hovered.column]}: ${name(d)} ${jaccardText(hovered.value)}`);
  }

  function render(): void {
    const { width, height } = state;
    svg.attr('width', width).attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    const d = state.data;
    if (!d) {
      svg.attr('aria-label', 'No class similarity yet');
      return;
    }
    const c = d.labels.length;
    const shown = d.labels.map(truncateLabel);
    const labelW = labelWidthPx(shown) + 18;
    // Column labels run up at −45°: they need about 0.72 × their length of height above the grid.
    const topRoom = Math.min(120, labelWidthPx(shown) * 0.72 + 10);
    const side = Math.max(10, Math.min(width - labelW - M.right, height - M.top - topRoom - M.bottom, c * MAX_CELL_PX));
    const left = labelW;
    const top = M.top + topRoom;
    plot.attr('transform', `translate(${left},${top})`);
    caption.attr('x', 6);
    band = d3
      .scaleBand<number>()
      .domain(d3.range(c))
      .range([0, side])
      .paddingInner(side / Math.max(1, c) >= 10 ? 0.04 : 0);
    const bw = band.bandwidth();
    const cells = cellsG
      .selectAll<SVGGElement, JaccardCell>('g.jaccard-cell')
      .data(d.cells)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'jaccard-cell');
        g.append('rect');
        g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em');
        return g;
      })
      .attr('data-row', (cell) => cell.row)
      .attr('data-col', (cell) => cell.column)
      .attr('transform', (cell) => `translate(${band(cell.column) ?? 0},${band(cell.row) ?? 0})`);
    cells.select('rect').attr('width', bw).attr('height', bw).attr('shape-rendering', 'crispEdges').attr('fill', (cell) => cell.color);
    cells
      .select('text')
      .attr('x', bw / 2)
      .attr('y', bw / 2)
      .style('fill', (cell) => cell.textColor)
      .style('font-size', `${Math.max(8, Math.min(12, bw / 3.2))}px`)
      .text((cell) => (d.showValues && bw >= 18 ? jaccardText(cell.value) : ''));
    const visible = band.step() >= 9;
    rowLabels
      .selectAll<SVGGElement, string>('g')
      .data(shown)
      .join((enter) => {
        const g = enter.append('g');
        g.append('path').attr('class', 'class-symbol');
        g.append('text').attr('x', -18).attr('dy', '0.32em').attr('text-anchor', 'end');
        return g;
      })
      .attr('transform', (_l, i) => `translate(0,${(band(i) ?? 0) + bw / 2})`)
      .attr('visibility', visible ? 'visible' : 'hidden')
      .call((g) =>
        g
          .select('path')
          .attr('transform', 'translate(-9,0)')
          .attr('d', (_l, i) => classSymbolPath(d.classIndex[i] ?? i, 50))
          .attr('fill', (_l, i) => classStyle(d.classIndex[i] ?? i).color),
      )
      .call((g) => g.select('text').text((l) => l));
    colLabels
      .selectAll<SVGTextElement, string>('text')
      .data(shown)
      .join('text')
      .attr('class', 'jaccard-column-label')
      .attr('transform', (_l, i) => `translate(${(band(i) ?? 0) + bw / 2},-6) rotate(-45)`)
      .attr('text-anchor', 'start')
      .attr('visibility', visible ? 'visible' : 'hidden')
      .text((l) => l);
    legendG.attr('transform', `translate(${left + 12},${top + side + 20})`);
    legendText.text(`1 · ${name(d)}`);
    mark();
    const best = mostSimilarPair(d);
    svg.attr(
      'aria-label',
      `${name(d)} similarity of ${c} class${c === 1 ? '' : 'es'}` + (best ? `; most alike ${best.a} and ${best.b} (${jaccardText(best.value)})` : ''),
    );
  }

  return chartLifecycle(svg, state, render);
}
