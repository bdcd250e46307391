import { describe, expect, it } from 'vitest';
import { jaccardMatrix } from '../../analysis/profiles';
import { relativeLuminance } from '../shared/colorScales';
import { MAX_CLASSES_WITH_VALUES, jaccardColor, jaccardData, jaccardHeight, jaccardText, mostSimilarPair } from './jaccardData';
import { PROFILES } from './testing/profileFixture';

const present = PROFILES.filter((p) => p.count > 0);
const labels = present.map((p) => p.label);

describe('jaccardData', () => {
  it('lays out c × c cells row-major with the matrix’s values', () => {
    const matrix = jaccardMatrix(present, false);
    const d = jaccardData(matrix, labels, false);
    expect(d.cells).toHaveLength(9);
    expect(d.cells.map((c) => [c.row, c.column])).toEqual([0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => [r, c])));
    expect(d.cells.filter((c) => c.row === c.column).every((c) => c.value === 1)).toBe(true);
    // A = {0, 2, 3}, C = {0, 3, 7}: J = 2/4.
    expect(d.cells[0 * 3 + 2]?.value).toBe(0.5);
    expect(d.classIndex).toEqual([0, 1, 2]);
    expect(d.showValues).toBe(true);
  });

  it('colours by cividis over [0, 1] with readable text on every cell', () => {
    const d = jaccardData(jaccardMatrix(present, true), labels, true, [0, 1, 2]);
    expect(d.weighted).toBe(true);
    for (const c of d.cells) {
      expect(c.color).toBe(jaccardColor(c.value));
      const bg = relativeLuminance(c.color);
      const fg = relativeLuminance(c.textColor);
      const contrast = (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
      expect(contrast).toBeGreaterThanOrEqual(4.5);
    }
    expect(jaccardColor(-1)).toBe(jaccardColor(0));
    expect(jaccardColor(2)).toBe(jaccardColor(1));
  });

  it('shows values up to 12 classes, names the most similar pair, rejects a wrong size', () => {
    const many = Array.from({ length: MAX_CLASSES_WITH_VALUES + 1 }, (_, i) => `c${i}`);
    expect(jaccardData(new Float64Array(many.length ** 2), many, false).showValues).toBe(false);
    const d = jaccardData(jaccardMatrix(present, false), labels, false);
    // A–B share {0}: 1/5; A–C 2/4; B–C share {0, 7}: 2/4 — the first of the ties wins.
    expect(mostSimilarPair(d)).toEqual({ a: 'A', b: 'C', value: 0.5 });
    expect(mostSimilarPair(jaccardData([1], ['only'], false))).toBeNull();
    expect(() => jaccardData(new Float64Array(3), labels, false)).toThrow(RangeError);
    expect(jaccardText(1)).toBe('1');
    expect(jaccardText(0.456)).toBe('0.46');
    expect(jaccardHeight(labels)).toBeGreaterThanOrEqual(200);
    expect(jaccardHeight(many.concat(many, many))).toBeLessThanOrEqual(640);
  });
});
