import * as d3 from 'd3';
import { describe, expect, it } from 'vitest';
import { orientationColor } from './orientationColor';

describe('orientationColor', () => {
  it('is cyclic: θ and θ + 360° share a colour', () => {
    expect(orientationColor(0)).toBe(orientationColor(360));
    expect(orientationColor(-90)).toBe(orientationColor(270));
  });
  it('stays inside sRGB at every θ (no clipped hue) and at one lightness', () => {
    for (let t = 0; t < 360; t += 5) {
      const c = d3.hcl(t + 20, 37, 62);
      expect(c.rgb().displayable()).toBe(true);
      expect(d3.hcl(orientationColor(t)).l).toBeCloseTo(62, 0);
    }
  });
  it('gives opposite orientations distinct colours', () => {
    expect(orientationColor(0)).not.toBe(orientationColor(180));
  });
});
