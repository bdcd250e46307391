import { describe, expect, it } from 'vitest';
import { sweepGrid } from '../../analysis/curves';
import type { SweepGrid } from '../../analysis/curves';
import type { LayerSweep } from '../../state/slices/curvesSlice';
import { toSweepResponses } from '../../state/slices/curvesSlice';
import { heatmapValues, layerCurves, radialValues, sharedMaxOf, shownUnits, tuningsCsv, unitLabel } from './curveModel';

/** Unit u responds 1 + cos(θ − 90°·u) · gain_u (stimulus-major N × units, as the worker returns it). */
function responses(grid: SweepGrid, units: number, gain: (u: number) => number): Float32Array {
  const t = grid.thetasDeg.length;
  const r = grid.radiiPx.length;
  const out = new Float32Array(r * t * units);
  for (let ri = 0; ri < r; ri++)
    for (let ti = 0; ti < t; ti++)
      for (let u = 0; u < units; u++) out[(ri * t + ti) * units + u] = 1 + Math.cos((((grid.thetasDeg[ti] as number) - 90 * u) * Math.PI) / 180) * gain(u) * (ri + 1);
  return out;
}

function sweep(): LayerSweep {
  const radial = sweepGrid({ thetaStepDeg: 5, radiiPx: [8] });
  const heat = sweepGrid({ thetaStepDeg: 10, radiiPx: [4, 8, Infinity] });
  const gain = (u: number) => [1, 2, 0.5][u] as number;
  return {
    layer: 'conv2',
    postOp: null,
    position: { row: 8, col: 8, outHeight: 16, outWidth: 16 },
    radial: { channels: toSweepResponses(responses(radial, 3, gain), 3, radial), directions: null },
    heatmap: { channels: toSweepResponses(responses(heat, 3, gain), 3, heat), directions: null },
    // Baseline: unit u has mean u and standard deviation 1 (values u − 1 and u + 1).
    baseline: { channels: Float32Array.from([-1, 0, 1, 1, 2, 3]), directions: null, n: 2 },
    sigma: null,
    kernel: null,
  };
}

describe('curve model', () => {
  it('tunes every unit: preferred θ from the fine sweep, preferred radius from the coarse one', () => {
    const c = layerCurves(sweep(), { units: 'channels', scale: 'raw' }, true);
    expect(c).not.toBeNull();
    if (!c) return;
    expect(c.labels).toEqual(['ch 0', 'ch 1', 'ch 2']);
    expect(c.tunings.map((t) => t.preferredThetaDeg)).toEqual([0, 90, 180]);
    // The responses grow with the radius index, and the line is the last radius.
    expect(c.tunings.every((t) => t.preferredRadiusPx === Infinity)).toBe(true);
    expect(radialValues(c, 1)[18]).toBeCloseTo(3, 6); // θ = 90°: 1 + 2
    expect(heatmapValues(c, 0)).toHaveLength(3 * 36);
  });

  it('z-scores by the baseline and leaves the tuning shape alone', () => {
    const raw = layerCurves(sweep(), { units: 'channels', scale: 'raw' }, true);
    const z = layerCurves(sweep(), { units: 'channels', scale: 'z' }, true);
    if (!raw || !z) throw new Error('no curves');
    // Unit 2: (v − 2) / 1.
    expect(radialValues(z, 2)[0]).toBeCloseTo((radialValues(raw, 2)[0] as number) - 2, 6);
    expect(z.tunings.map((t) => t.preferredThetaDeg)).toEqual(raw.tunings.map((t) => t.preferredThetaDeg));
    expect(z.tunings.map((t) => t.selectivity)).toEqual(raw.tunings.map((t) => t.selectivity));
  });

  it('directions need directions', () => {
    expect(layerCurves(sweep(), { units: 'directions', scale: 'raw' }, true)).toBeNull();
    expect(unitLabel('directions', 0)).toBe('dir 1');
  });

  it('shows the most selective units overlaid (plus the focused one), or all by preferred θ', () => {
    const c = layerCurves(sweep(), { units: 'channels', scale: 'raw' }, true);
    if (!c) throw new Error('no curves');
    expect(shownUnits(c, 'overlay', null, 2)).toHaveLength(2);
    expect(shownUnits(c, 'overlay', 0, 1)).toContain(0);
    expect(shownUnits(c, 'grid', null)).toEqual([0, 1, 2]);
    expect(sharedMaxOf(c, [0, 1])).toBeCloseTo(3, 6);
  });

  it('exports one CSV row per unit', () => {
    const c = layerCurves(sweep(), { units: 'channels', scale: 'z' }, true);
    if (!c) throw new Error('no curves');
    const lines = tuningsCsv(c).trimEnd().split('\n');
    expect(lines[0]).toBe('layer,unit,label,preferred_theta_deg,preferred_radius_px,peak,mean,selectivity,echo_theta_deg,echo_ratio,scale');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^conv2,1,ch 1,90,inf,/);
    expect(lines[2]).toMatch(/sd of baseline$/);
  });
});
