/**
 * End to end on synthetic units: render a sweep, read it with a "unit" that is the dot product of the image with a
 * smooth template of one stimulus (a matched filter), summarise. Checks that the θ conventions of the renderer, the sweep layout and the
 * tuning agree: turning the template by Δ (a multiple of the θ step) circularly shifts the tuning curve by Δ.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distanceToStroke } from '../stimuli/renderStroke';
import { renderStimulus, stimulusStrokes, sweepGrid, sweepParams } from './stimuli';
import { unitTuning } from './tuning';
import type { StimulusParams, SweepResponses } from './types';

const canvas = { width: 32, height: 32 };
const STEP = 2.5;
const grid = sweepGrid({ thetaStepDeg: STEP, radiiPx: [6, Infinity] });
const T = grid.thetasDeg.length;
const R = grid.radiiPx.length;
const base = { kind: 'curve' as const, widthPx: 2, lengthPx: 16, openingDeg: 90, darkOnLight: false };
const images = sweepParams(base, grid).map((p) => renderStimulus(p, canvas));

/**
 * A smooth template of the stimulus (θ, r): exp(−d²/2σ²), σ = 1.5 px, d = distance from the pixel centre to the
 * stimulus's centre line. Being analytic (not rasterised), it turns with θ up to the sampling of a smooth function.
 */
function template(thetaDeg: number, radiusPx: number): Float32Array {
  const p: StimulusParams = { ...base, kind: Number.isFinite(radiusPx) ? 'curve' : 'line', thetaDeg, radiusPx };
  const strokes = stimulusStrokes(p, canvas);
  const out = new Float32Array(canvas.width * canvas.height);
  for (let row = 0; row < canvas.height; row++) {
    for (let col = 0; col < canvas.width; col++) {
      const d = Math.min(...strokes.map((s) => distanceToStroke(col + 0.5, row + 0.5, s)));
      out[row * canvas.width + col] = Math.exp(-(d * d) / (2 * 1.5 * 1.5));
    }
  }
  return out;
}

/** Responses of units = dot products of every sweep image with each template. */
function respond(templates: Float32Array[]): SweepResponses {
  const values = new Float64Array(templates.length * R * T);
  templates.forEach((w, u) => {
    images.forEach((image, i) => {
      let s = 0;
      for (let k = 0; k < image.length; k++) s += (image[k] as number) * (w[k] as number);
      values[u * R * T + i] = s;
    });
  });
  return { grid, units: templates.length, values };
}

/** max over r, t of |a[u=1][r, t + k] − a[u=0][r, t]| / peak of unit 0. */
function shiftError(responses: SweepResponses, k: number): number {
  const { values } = responses;
  let peak = 0;
  for (let i = 0; i < R * T; i++) peak = Math.max(peak, Math.abs(values[i] as number));
  let err = 0;
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < T; t++) {
      const shifted = values[R * T + r * T + ((t + k) % T)] as number;
      err = Math.max(err, Math.abs(shifted - (values[r * T + t] as number)));
    }
  }
  return err / peak;
}

describe('sweep → synthetic unit → tuning', () => {
  it('a matched filter prefers its own stimulus', () => {
    const responses = respond([template(40, 6), template(110, Infinity)]);
    const curve = unitTuning(responses, 0);
    expect(curve.preferredThetaDeg).toBe(40);
    expect(curve.preferredRadiusPx).toBe(6);
    // A tight curve (r = 6, length 16: 150° of arc) overlaps its own rotations at the centre and along the shared
    // tangent of its mirror image, so the matched filter is broadly tuned; more so on the axial (doubled) measure.
    expect(curve.selectivity).toBeGreaterThan(0.05);
    expect(curve.orientationSelectivity).toBeGreaterThan(curve.selectivity);
    const line = unitTuning(responses, 1);
    expect(line.preferredRadiusPx).toBe(Infinity);
    expect(line.preferredThetaDeg % 180).toBe(110); // θ and θ + 180° are the same line
    expect(line.echo).toBeNull();
    expect(line.selectivity).toBeGreaterThan(0.5);
  });

  it('turning the template by a multiple of 90° shifts the tuning curve exactly', () => {
    for (const [theta0, radius] of [
      [17.5, 6],
      [62.5, Infinity],
    ] as const) {
      for (const quarter of [1, 2, 3]) {
        const responses = respond([template(theta0, radius), template(theta0 + 90 * quarter, radius)]);
        expect(shiftError(responses, (90 * quarter) / STEP)).toBeLessThan(1e-5);
        const a = unitTuning(responses, 0);
        const b = unitTuning(responses, 1);
        expect(b.selectivity).toBeCloseTo(a.selectivity, 5);
        expect(b.preferredRadiusPx).toBe(a.preferredRadiusPx);
      }
    }
  });

  it('turning the template by any multiple of the θ step shifts the tuning curve (within rasterisation error)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: T - 1 }), fc.integer({ min: 1, max: T - 1 }), fc.boolean(), (t0, k, isLine) => {
        const radius = isLine ? Infinity : 6;
        const theta0 = (grid.thetasDeg[t0] as number) + 0.3; // off the grid, so nothing lines up by accident
        const responses = respond([template(theta0, radius), template(theta0 + k * STEP, radius)]);
        // Tolerances (measured over 150 runs: 3.7 %, 5°, 0.004): the pixel grid is only 90°-symmetric, so the
        // stimulus's ink moves by a few per cent with θ (see DEFAULT_SUPERSAMPLE) and a broad peak's argmax by a step or two.
        expect(shiftError(responses, k)).toBeLessThan(0.05);
        const a = unitTuning(responses, 0);
        const b = unitTuning(responses, 1);
        expect(b.preferredRadiusPx).toBe(a.preferredRadiusPx);
        const period = isLine ? 180 : 360;
        const moved = (((b.preferredThetaDeg - a.preferredThetaDeg - k * STEP) % period) + period) % period;
        expect(Math.min(moved, period - moved)).toBeLessThanOrEqual(2 * STEP + 1e-9);
        expect(Math.abs(b.selectivity - a.selectivity)).toBeLessThan(0.01);
      }),
      { seed: 29, numRuns: 25 },
    );
  });
});
