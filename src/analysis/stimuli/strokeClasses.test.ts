import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom';
import { generateStrokeSet, sampleStrokeExample, STROKE_CLASSES, STROKE_IMAGE_SIZE } from './strokeClasses';

describe('generateStrokeSet', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateStrokeSet(20, 42);
    const b = generateStrokeSet(20, 42);
    const c = generateStrokeSet(20, 43);
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.images)).not.toEqual(Array.from(c.images));
  });

  it('balances and interleaves the classes, with images in [0, 1]', () => {
    const set = generateStrokeSet(25, 1);
    expect(set.images.length).toBe(25 * STROKE_IMAGE_SIZE * STROKE_IMAGE_SIZE);
    expect(Array.from(set.labels)).toEqual(Array.from({ length: 25 }, (_, i) => i % STROKE_CLASSES.length));
    expect(Math.min(...set.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...set.images)).toBeLessThanOrEqual(1);
  });

  it('keeps every shape inside the frame with ink roughly proportional to its length', () => {
    const rng = seededRandom(9);
    const size = STROKE_IMAGE_SIZE;
    for (let n = 0; n < 200; n++) {
      const label = n % STROKE_CLASSES.length;
      const ex = sampleStrokeExample(label, rng);
      let ink = 0;
      let border = 0;
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const v = ex.image[row * size + col] ?? 0;
          if (v > 0.5) {
            ink++;
            if (row === 0 || col === 0 || row === size - 1 || col === size - 1) border++;
          }
        }
      }
      expect(border).toBe(0);
      expect(ink).toBeGreaterThan(10);
    }
  });

  it('rejects unknown labels', () => {
    expect(() => sampleStrokeExample(STROKE_CLASSES.length, seededRandom(1))).toThrow(RangeError);
  });
});
