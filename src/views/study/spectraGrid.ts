import * as d3 from 'd3';
import type { Chart, ChartState } from '../shared/chart';
import { chartLifecycle, formatNumber } from '../shared/chart';
import type { StepSpectrum } from './studyData';

/** What the small multiples draw: one layer's spectrum at every checkpoint. */
export interface SpectraGridData {
  readonly layer: string;
  readonly spectra: readonly StepSpectrum[];
  /** The shown checkpoint (its position in the study). */
  readonly current: number;
  /** Accuracy from the training log at each spectrum's step (null: none), shown in its title. */
  readonly accuracy: readonly (number | null)[];
  readonly accuracyLabel: string;
  readonly onCheckpoint: (position: number) => void;
}

const CELL_MIN_WIDTH = 150;
const CELL_HEIGHT = 112;
const PAD = { top: 18, right: 6, bottom: 6, left: 6 };

/**
 * Small multiples of σ_i against rank i (log σ), one panel per checkpoint on one shared scale, so the spectrum's
 * change over training reads left to right: each panel also draws the first checkpoint's spectrum faintly, marks
 * its 90 %-energy rank, and says the step, k@90 % and the logged accuracy. The shown checkpoint is outlined;
 * clicking a panel shows that checkpoint everywhere.
 */
export function spectraGrid(root: HTMLElement): Chart<SpectraGridData> {
  const state: ChartState<SpectraGridData> = { data: null, width: 640, height: 240 };
  const svg = d3.select(root).append('svg').attr('class', 'chart chart-spectra-grid').attr('role', 'img');

  function render(): void {
    const d = state.data;
    const n = d?.spectra.length ?? 0;
    const cols = Math.max(1, Math.floor(state.width / CELL_MIN_WIDTH));
    const cellW = state.width / cols;
    const rows = Math.ceil(n / cols);
    const height = Math.max(CELL_HEIGHT, rows * CELL_HEIGHT);
    svg.attr('width', state.width).attr('height', height).attr('viewBox', `0 0 ${state.width} ${height}`);
    if (!d || n === 0) {
      svg.selectAll('g.grid-cell').remove();
      return;
    }
    let max = 0;
    let minPositive = Infinity;
    let rank = 1;
    for (const s of d.spectra) {
      rank = Math.max(rank, s.singularValues.length);
      for (const v of s.singularValues) {
        if (v > max) max = v;
        if (v > 0 && v < minPositive) minPositive = v;
      }
    }
    if (!(max > 0)) max = 1;
    if (!Number.isFinite(minPositive)) minPositive = max / 10;
    const floor = Math.max(minPositive, max * 1e-6);
    const iw = cellW - PAD.left - PAD.right;
    const ih = CELL_HEIGHT - PAD.top - PAD.bottom - 4;
    const x = d3.scaleLinear().domain([1, Math.max(2, rank)]).range([0, iw]);
    const y = d3.scaleLog().domain([floor, max]).range([ih, 0]).clamp(true);
    const line = (sv: Float64Array) =>
      d3
        .line<number>()
        .defined((v) => v > 0)
        .x((_v, i) => x(i + 1))
        .y((v) => y(v))(Array.from(sv)) ?? '';
    const first = d.spectra[0] as StepSpectrum;
    const cells = svg
      .selectAll<SVGGElement, StepSpectrum>('g.grid-cell')
      .data(d.spectra, (s) => s.name)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'grid-cell');
        g.append('rect').attr('class', 'grid-frame');
        g.append('text').attr('class', 'grid-title');
        const inner = g.append('g').attr('class', 'grid-inner');
        inner.append('path').attr('class', 'grid-first');
        inner.append('line').attr('class', 'grid-k90');
        inner.append('path').attr('class', 'grid-sv');
        g.append('title');
        return g;
      })
      .attr('transform', (_s, i) => `translate(${(i % cols) * cellW},${Math.floor(i / cols) * CELL_HEIGHT})`)
      .attr('data-checkpoint', (s) => s.name)
      .classed('current', (s) => s.checkpoint === d.current)
      .on('click', (_e, s) => d.onCheckpoint(s.checkpoint));
    cells.select('rect').attr('x', 2).attr('y', 2).attr('width', cellW - 4).attr('height', CELL_HEIGHT - 4).attr('rx', 4);
    cells
      .select('text.grid-title')
      .attr('x', PAD.left + 2)
      .attr('y', 14)
      .text((s, i) => {
        const acc = d.accuracy[i];
        return `${s.step === null ? s.name.slice(0, 16) : `step ${s.step}`} · k90 ${s.energyRank90 ?? '–'}${acc === null || acc === undefined ? '' : ` · ${(acc * 100).toFixed(0)} %`}`;
      });
    cells.select('g.grid-inner').attr('transform', `translate(${PAD.left},${PAD.top + 2})`);
    cells.select('path.grid-first').attr('d', (s) => (s === first ? '' : line(first.singularValues)));
    cells.select('path.grid-sv').attr('d', (s) => line(s.singularValues));
    cells
      .select('line.grid-k90')
      .attr('x1', (s) => x(s.energyRank90 ?? 1))
      .attr('x2', (s) => x(s.energyRank90 ?? 1))
      .attr('y1', 0)
      .attr('y2', ih)
      .style('display', (s) => (s.energyRank90 === null ? 'none' : null));
    cells
      .select('title')
      .text((s) => `${s.name}: σ₁ = ${formatNumber(s.singularValues[0] ?? 0)}, 90 % of the energy in the top ${s.energyRank90 ?? '?'} of ${s.singularValues.length}. Faint: ${first.name}. Click to show this checkpoint.`);
    svg.attr(
      'aria-label',
      `Spectra of ${d.layer} at ${n} checkpoints: singular values by rank on a log scale from ${formatNumber(floor)} to ${formatNumber(max)}${d.accuracyLabel ? `, with ${d.accuracyLabel}` : ''}`,
    );
  }

  return chartLifecycle(svg, state, render);
}
