import { describe, expect, it } from 'vitest';
import { STROKE_CLASSES, generateStrokeSet } from '../stimuli/strokeClasses';
import { samplePreprocessing } from './inputSpec';
import { STROKE_TEST_SEED, sampleInputSet } from './sampleInputs';
import { countPerClass } from './labelledSet';

describe('sampleInputSet', () => {
  it('is deterministic and balanced, in the model’s class order', () => {
    const a = sampleInputSet(4, 7, samplePreprocessing);
    const b = sampleInputSet(4, 7, samplePreprocessing);
    expect(a.batch.data).toEqual(b.batch.data);
    expect(a.names).toEqual(b.names);
    expect(a.classes).toEqual([...STROKE_CLASSES]);
    expect(countPerClass(a)).toEqual([4, 4, 4, 4, 4]);
    expect(a.labels.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 0]);
    expect(a.names.slice(0, 6)).toEqual(['line #1', 'gentle-curve #1', 'tight-curve #1', 'angle #1', 'circle #1', 'line #2']);
    expect(sampleInputSet(4, 8, samplePreprocessing).batch.data).not.toEqual(a.batch.data);
  });

  it('gives the model exactly generateStrokeSet’s images (ink 1 on 0) under the sample preprocessing', () => {
    const set = sampleInputSet(3, STROKE_TEST_SEED, samplePreprocessing);
    const reference = generateStrokeSet(15, STROKE_TEST_SEED);
    expect(set.batch.shape).toEqual([15, 32, 32, 1]);
    expect(set.labels).toEqual(Array.from(reference.labels));
    let maxError = 0;
    let min = Infinity;
    let max = -Infinity;
    set.batch.data.forEach((v, i) => {
      maxError = Math.max(maxError, Math.abs(v - (reference.images[i] ?? NaN)));
      min = Math.min(min, v);
      max = Math.max(max, v);
    });
    expect(maxError).toBeLessThan(1e-5);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1 + 1e-6);
    expect(max).toBeGreaterThan(0.9);
  });

  it('shows the images as drawings, dark ink on white, 32 × 32 RGBA', () => {
    const set = sampleInputSet(1, 1, samplePreprocessing);
    const reference = generateStrokeSet(5, 1);
    expect(set.thumbnails).toHaveLength(5);
    const t = set.thumbnails[0];
    expect(t).toHaveLength(32 * 32 * 4);
    expect(t?.[0]).toBe(Math.round(255 * (1 - (reference.images[0] ?? 0))));
    expect(t?.[3]).toBe(255);
  });

  it('follows another preprocessing: size, layout, channels', () => {
    const set = sampleInputSet(1, 1, { ...samplePreprocessing, height: 64, width: 48, channels: 3, mean: [0, 0, 0], std: [1, 1, 1], layout: 'NCHW' });
    expect(set.batch.shape).toEqual([5, 3, 64, 48]);
    expect(set.batch.data.length).toBe(5 * 3 * 64 * 48);
    expect(sampleInputSet(0, 1, samplePreprocessing).batch.shape).toEqual([0, 32, 32, 1]);
    expect(() => sampleInputSet(-1, 1, samplePreprocessing)).toThrow(RangeError);
  });
});
