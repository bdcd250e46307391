/**
 * What the class-similarity matrix draws: the c × c (weighted) Jaccard matrix of the class profiles
 * (`jaccardMatrix` in `src/analysis/profiles`), as cells with their colour and the colour of their text.
 */
import * as d3 from 'd3';
import { relativeLuminance } from '../shared/colorScales';

/** Cells show their value as text up to this many classes. */
export const MAX_CLASSES_WITH_VALUES = 12;

export interface JaccardCell {
  readonly row: number;
  readonly column: number;
  /** J in [0, 1]. */
  readonly value: number;
  /** The cell's colour (cividis over [0, 1]). */
  readonly color: string;
  /** Black or white, whichever reads on `color`. */
  readonly textColor: string;
}

export interface JaccardData {
  readonly labels: readonly string[];
  /** Each label's index in the full class list (its colour and symbol). */
  readonly classIndex: readonly number[];
  /** c × c, row-major. */
  readonly cells: readonly JaccardCell[];
  readonly weighted: boolean;
  /** Whether the cells carry their value as text (c ≤ 12). */
  readonly showValues: boolean;
}

/** Cividis (Nuñez et al. 2018): sequential, designed for colour-vision deficiencies, readable on both themes. */
export function jaccardColor(value: number): string {
  return d3.interpolateCividis(Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0)));
}

/**
 * The matrix's cells.
 * @param matrix c × c row-major values in [0, 1] (`jaccardMatrix(profiles, weighted)`)
 * @param labels the c class names, in the matrix's order
 * @param weighted whether the values are weighted Jaccard (for the texts)
 * @param classIndex each label's index in the full class list (default 0 … c − 1)
 * @throws RangeError when `matrix.length !== labels.length²`
 */
export function jaccardData(matrix: ArrayLike<number>, labels: readonly string[], weighted: boolean, classIndex?: readonly number[]): JaccardData {
  const c = labels.length;
  if (matrix.length !== c * c) throw new RangeError(`jaccardData: ${matrix.length} values for ${c} classes (needs ${c * c})`);
  const cells: JaccardCell[] = [];
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) {
      const value = matrix[i * c + j] as number;
      const color = jaccardColor(value);
      cells.push({ row: i, column: j, value, color, textColor: relativeLuminance(color) > 0.3 ? '#000000' : '#ffffff' });
    }
  }
  return { labels, classIndex: classIndex ?? labels.map((_l, i) => i), cells, weighted, showValues: c <= MAX_CLASSES_WITH_VALUES };
}

/** J as cell text: two decimals ("0.42", "1"). */
export function jaccardText(value: number): string {
  if (value === 1) return '1';
  if (value === 0) return '0';
  return value.toFixed(2);
}

/** The pair of distinct classes with the highest J, or null with fewer than two classes. */
export function mostSimilarPair(d: JaccardData): { a: string; b: string; value: number } | null {
  let best: JaccardCell | null = null;
  for (const cell of d.cells) if (cell.row < cell.column && (!best || cell.value > best.value)) best = cell;
  return best ? { a: d.labels[best.row] as string, b: d.labels[best.column] as string, value: best.value } : null;
}

/** The matrix's height in px: ≤ 46 px a class, room for the rotated column labels, caption and legend; 200 … 640. */
export function jaccardHeight(labels: readonly string[]): number {
  const longest = labels.reduce((m, l) => Math.max(m, Math.min(l.length, 22)), 0);
  const labelRoom = Math.min(120, Math.max(24, longest * 6.6) * 0.72 + 10);
  return Math.round(Math.min(640, Math.max(200, 26 + labelRoom + Math.min(labels.length * 46, 460) + 34)));
}
