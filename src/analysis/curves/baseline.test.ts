import { describe, expect, it } from 'vitest';
import { baselineStimuli } from './baseline';
import { defaultRadii } from './stimuli';

const canvas = { width: 32, height: 32 };
const base = { widthPx: 2, lengthPx: 16, darkOnLight: true };

describe('baseline stimuli', () => {
  it('are reproducible from the seed, cycle through the kinds and stay in the sweep ranges', () => {
    const a = baselineStimuli(canvas, 60, 7, base);
    expect(baselineStimuli(canvas, 60, 7, base)).toEqual(a);
    expect(baselineStimuli(canvas, 60, 8, base)).not.toEqual(a);
    expect(a.map((s) => s.kind).slice(0, 6)).toEqual(['curve', 'line', 'angle', 'curve', 'line', 'angle']);
    const radii = defaultRadii(canvas, base.lengthPx);
    for (const s of a) {
      expect(s.thetaDeg).toBeGreaterThanOrEqual(0);
      expect(s.thetaDeg).toBeLessThan(360);
      expect(s.openingDeg).toBeGreaterThanOrEqual(45);
      expect(s.openingDeg).toBeLessThanOrEqual(135);
      expect(s).toMatchObject(base);
      if (s.kind === 'line') expect(s.radiusPx).toBe(Infinity);
      else {
        expect(s.radiusPx).toBeGreaterThanOrEqual((radii[0] as number) * (1 - 1e-12));
        expect(s.radiusPx).toBeLessThanOrEqual((radii[radii.length - 2] as number) * (1 + 1e-12));
      }
    }
  });

  it('rejects a bad count', () => {
    expect(() => baselineStimuli(canvas, -1, 1, base)).toThrow(RangeError);
    expect(() => baselineStimuli(canvas, 1.5, 1, base)).toThrow(RangeError);
  });
});
