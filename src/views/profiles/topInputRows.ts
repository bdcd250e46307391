/** The rows of the "inputs that drive direction k" list: `topInputs` with each input's name, class and value. */
import { topInputs } from '../../analysis/profiles';

export interface TopInputRow {
  /** The input's index (into labels, names, thumbnails). */
  readonly index: number;
  readonly name: string;
  readonly classLabel: string;
  /** Index of the class in `classes` (its colour and symbol). */
  readonly classIndex: number;
  /** The input's aggregate on the direction (signed; ranked by its magnitude). */
  readonly value: number;
}

/**
 * The `count` inputs with the largest |aggregate| on `direction` (0-based), by decreasing magnitude.
 * @param aggregates N × rank row-major (the layer's per-input projections onto its singular directions)
 * @param labels N class indices into `classes`; @param names N input names
 */
export function topInputRows(
  aggregates: Float64Array,
  n: number,
  rank: number,
  direction: number,
  count: number,
  labels: readonly number[],
  classes: readonly string[],
  names: readonly string[],
): TopInputRow[] {
  return topInputs(aggregates, n, rank, direction, count).map((index) => {
    const classIndex = labels[index] ?? -1;
    return {
      index,
      name: names[index] ?? `input ${index + 1}`,
      classLabel: classes[classIndex] ?? '?',
      classIndex,
      value: aggregates[index * rank + direction] as number,
    };
  });
}
