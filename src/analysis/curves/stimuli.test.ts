import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { samplePreprocessing, defaultPreprocessing } from '../probeInputs/inputSpec';
import { toModelTensor } from '../probeInputs/normalize';
import {
  DEFAULT_STIMULUS,
  defaultRadii,
  defaultStimulus,
  logRadii,
  renderStimulus,
  stimulusBatch,
  stimulusRgba,
  stimulusStrokes,
  sweepGrid,
  sweepParams,
} from './stimuli';
import type { StimulusParams } from './types';

const base: StimulusParams = { kind: 'curve', thetaDeg: 0, radiusPx: 8, widthPx: 2, lengthPx: 16, openingDeg: 90, darkOnLight: false };
const square = { width: 32, height: 32 };
const sum = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);
/** Ink at the pixel containing (x, y). */
const inkAt = (image: Float32Array, width: number, x: number, y: number): number => image[Math.floor(y) * width + Math.floor(x)] ?? NaN;

/** The image rotated by 90° counter-clockwise on screen (square). */
function rotate90(image: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let row = 0; row < size; row++) for (let col = 0; col < size; col++) out[(size - 1 - col) * size + row] = image[row * size + col] ?? NaN;
  return out;
}

describe('renderStimulus geometry', () => {
  it('draws a line of length L along θ through the centre, on square and non-square canvases', () => {
    const line: StimulusParams = { ...base, kind: 'line', radiusPx: Infinity };
    for (const canvas of [square, { width: 48, height: 32 }, { width: 20, height: 40 }]) {
      const image = renderStimulus(line, canvas, { supersample: 1 });
      expect(image.length).toBe(canvas.width * canvas.height);
      const cx = canvas.width / 2;
      const cy = canvas.height / 2;
      // Horizontal 2-px line on y ∈ [cy − 1, cy + 1], x ∈ [cx − 8, cx + 8] (+ round caps).
      expect(inkAt(image, canvas.width, cx + 5.5, cy - 0.5)).toBe(1);
      expect(inkAt(image, canvas.width, cx - 5.5, cy + 0.5)).toBe(1);
      expect(inkAt(image, canvas.width, cx, cy - 1.5)).toBe(0);
      expect(inkAt(image, canvas.width, cx + 10.5, cy)).toBe(0);
      const vertical = renderStimulus({ ...line, thetaDeg: 90 }, canvas, { supersample: 1 });
      expect(inkAt(vertical, canvas.width, cx - 0.5, cy - 6.5)).toBe(1);
      expect(inkAt(vertical, canvas.width, cx - 1.5, cy)).toBe(0);
    }
  });

  it('bends a curve to the left of its tangent: up for θ = 0°, left for θ = 90°', () => {
    // r = 8, arc length 4π: ±45° of the circle around the point of tangency.
    const curve: StimulusParams = { ...base, lengthPx: 4 * Math.PI };
    const s = 8 * Math.SQRT1_2;
    const sag = 8 - s; // how far the arc's ends are from the tangent line
    const right = renderStimulus(curve, square);
    expect(inkAt(right, 32, 16 + s, 16 - sag)).toBeGreaterThan(0.9);
    expect(inkAt(right, 32, 16 - s, 16 - sag)).toBeGreaterThan(0.9);
    expect(inkAt(right, 32, 16 + s, 16 + sag)).toBe(0);
    const up = renderStimulus({ ...curve, thetaDeg: 90 }, square);
    expect(inkAt(up, 32, 16 - sag, 16 - s)).toBeGreaterThan(0.9);
    expect(inkAt(up, 32, 16 + sag, 16 - s)).toBe(0);
    const [arc] = stimulusStrokes({ ...curve, thetaDeg: 90 }, square);
    expect(arc).toMatchObject({ kind: 'arc', cx: 8, radius: 8 });
    expect(arc?.kind === 'arc' ? arc.cy : NaN).toBeCloseTo(16, 9);
    // θ + 180° is the mirror image: it bends down for θ = 180° (left of a leftward tangent).
    const left = renderStimulus({ ...curve, thetaDeg: 180 }, square);
    expect(inkAt(left, 32, 16 + s, 16 + sag)).toBeGreaterThan(0.9);
    expect(inkAt(left, 32, 16 + s, 16 - sag)).toBe(0);
  });

  it('draws a curve with an infinite radius as the line', () => {
    const line = renderStimulus({ ...base, kind: 'line', thetaDeg: 33 }, square);
    expect(Array.from(renderStimulus({ ...base, radiusPx: Infinity, thetaDeg: 33 }, square))).toEqual(Array.from(line));
  });

  it('opens an angle around its bisector θ, arms of length L/2', () => {
    const angle: StimulusParams = { ...base, kind: 'angle', thetaDeg: 0, openingDeg: 90, lengthPx: 20 };
    const image = renderStimulus(angle, square);
    const a = 5 * Math.SQRT1_2; // half-way along each 10-px arm at ±45°
    expect(inkAt(image, 32, 16 + a, 16 - a)).toBeGreaterThan(0.9);
    expect(inkAt(image, 32, 16 + a, 16 + a)).toBeGreaterThan(0.9);
    expect(inkAt(image, 32, 16 - a, 16 - a)).toBe(0);
    expect(inkAt(image, 32, 20, 16)).toBe(0); // inside the angle, on the bisector
  });

  it('inverts for dark on light: background 1, ink 0', () => {
    const light = renderStimulus(base, { width: 40, height: 24 });
    const dark = renderStimulus({ ...base, darkOnLight: true }, { width: 40, height: 24 });
    for (let i = 0; i < light.length; i++) expect((light[i] ?? NaN) + (dark[i] ?? NaN)).toBeCloseTo(1, 6);
    expect(dark[0]).toBe(1);
  });

  it('holds ink ≈ arc length × width for curves of any θ and radius on a non-square canvas', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 360, noNaN: true }), fc.double({ min: 4, max: 200, noNaN: true }), (thetaDeg, radiusPx) => {
        const image = renderStimulus({ ...base, thetaDeg, radiusPx, lengthPx: 20 }, { width: 48, height: 40 });
        const expected = 20 * 2 + Math.PI; // length × width + two round caps
        expect(Math.abs(sum(image) - expected) / expected).toBeLessThan(0.04);
      }),
      { seed: 11, numRuns: 40 },
    );
  });

  it('turns the image by 90° when θ turns by 90° (square canvas), for curves, lines and angles', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<StimulusParams['kind']>('curve', 'line', 'angle'),
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.double({ min: 3, max: 60, noNaN: true }),
        (kind, thetaDeg, radiusPx) => {
          const p: StimulusParams = { ...base, kind, thetaDeg, radiusPx, openingDeg: 70, lengthPx: 18 };
          const a = renderStimulus(p, square);
          const b = renderStimulus({ ...p, thetaDeg: thetaDeg + 90 }, square);
          const r = rotate90(a, 32);
          for (let i = 0; i < r.length; i++) expect(Math.abs((b[i] ?? NaN) - (r[i] ?? NaN))).toBeLessThan(1e-5);
        },
      ),
      { seed: 5, numRuns: 30 },
    );
  });

  it('rejects bad parameters', () => {
    expect(() => renderStimulus({ ...base, radiusPx: 0 }, square)).toThrow(RangeError);
    expect(() => renderStimulus({ ...base, thetaDeg: NaN }, square)).toThrow(RangeError);
    expect(() => renderStimulus({ ...base, lengthPx: -1 }, square)).toThrow(RangeError);
    expect(() => renderStimulus({ ...base, widthPx: 0 }, square)).toThrow(RangeError);
    expect(() => renderStimulus({ ...base, kind: 'angle', openingDeg: 400 }, square)).toThrow(RangeError);
    expect(() => renderStimulus(base, { width: 0, height: 4 })).toThrow(RangeError);
  });
});

describe('stimulusRgba and stimulusBatch', () => {
  it('replicates grey into RGB bytes with alpha 255', () => {
    expect(Array.from(stimulusRgba(Float32Array.of(0, 1, 0.5, 1.2)))).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('renders stimuli into the model layout through toModelTensor', () => {
    const list: StimulusParams[] = [base, { ...base, thetaDeg: 45, darkOnLight: true }];
    const sample = stimulusBatch(list, { width: 32, height: 32 }, samplePreprocessing);
    expect(sample.shape).toEqual([2, 32, 32, 1]);
    // The sample inverts: a dark-on-light stimulus becomes ink 1 on 0, the light-on-dark one its negative.
    const grey = renderStimulus(list[1] as StimulusParams, square);
    for (let i = 0; i < grey.length; i++) expect(sample.data[32 * 32 + i]).toBeCloseTo(1 - (grey[i] ?? NaN), 5);
    const p = { ...defaultPreprocessing({ height: 24, width: 40, channels: 3, layout: 'NCHW' }), mean: [0.5, 0.4, 0.3], std: [0.2, 0.3, 0.4] };
    const batch = stimulusBatch(list, { width: 40, height: 24 }, p);
    expect(batch.shape).toEqual([2, 3, 24, 40]);
    const g = renderStimulus(list[0] as StimulusParams, { width: 40, height: 24 });
    const rgba = new Float32Array(4 * g.length).map((_, i) => (i % 4 === 3 ? 255 : (g[Math.floor(i / 4)] ?? NaN) * 255));
    expect(Array.from(batch.data.subarray(0, 3 * 24 * 40))).toEqual(Array.from(toModelTensor(rgba, p)));
    expect(() => stimulusBatch(list, { width: 32, height: 32 }, p)).toThrow(RangeError);
  });
});

describe('sweeps', () => {
  it('builds the 0.5° grid with sorted radii', () => {
    const grid = sweepGrid({ radiiPx: [Infinity, 10, 3] });
    expect(grid.thetasDeg.length).toBe(720);
    expect(grid.thetasDeg[1]).toBe(0.5);
    expect(grid.thetasDeg[719]).toBe(359.5);
    expect(Array.from(grid.radiiPx)).toEqual([3, 10, Infinity]);
    expect(sweepGrid({ thetaStepDeg: 90, radiiPx: [1] }).thetasDeg).toEqual(Float64Array.of(0, 90, 180, 270));
    expect(() => sweepGrid({ thetaStepDeg: 7, radiiPx: [1] })).toThrow(RangeError);
    expect(() => sweepGrid({ thetaStepDeg: 0, radiiPx: [1] })).toThrow(RangeError);
    expect(() => sweepGrid({ radiiPx: [] })).toThrow(RangeError);
    expect(() => sweepGrid({ radiiPx: [0] })).toThrow(RangeError);
  });

  it('spaces log radii geometrically', () => {
    const r = logRadii(2, 32, 5);
    [2, 4, 8, 16, 32].forEach((v, i) => expect(r[i]).toBeCloseTo(v, 10));
    expect(Array.from(logRadii(5, 9, 1))).toEqual([5]);
    expect(() => logRadii(0, 1, 3)).toThrow(RangeError);
    expect(() => logRadii(3, 1, 3)).toThrow(RangeError);
    expect(() => logRadii(1, 3, 0)).toThrow(RangeError);
    const d = defaultRadii({ width: 224, height: 224 });
    expect(d.length).toBe(9);
    expect(d[0]).toBeCloseTo(112 / (1.5 * Math.PI), 10);
    expect(d[7]).toBeCloseTo(448, 10);
    expect(defaultRadii({ width: 32, height: 32 }, 4)[0]).toBe(2);
    expect(d[8]).toBe(Infinity);
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1] ?? NaN);
  });

  it('lists stimuli r-major, lines for r = ∞, angles kept', () => {
    const grid = sweepGrid({ thetaStepDeg: 120, radiiPx: [5, Infinity] });
    const { thetaDeg: _t, radiusPx: _r, ...rest } = base;
    const list = sweepParams(rest, grid);
    expect(list.map((p) => [p.kind, p.radiusPx, p.thetaDeg])).toEqual([
      ['curve', 5, 0],
      ['curve', 5, 120],
      ['curve', 5, 240],
      ['line', Infinity, 0],
      ['line', Infinity, 120],
      ['line', Infinity, 240],
    ]);
    expect(sweepParams({ ...rest, kind: 'angle' }, grid).every((p) => p.kind === 'angle')).toBe(true);
  });

  it('has documented defaults', () => {
    expect(DEFAULT_STIMULUS).toEqual({ kind: 'curve', thetaDeg: 0, radiusPx: 56, widthPx: 2, lengthPx: 112, openingDeg: 90, darkOnLight: true });
    expect(defaultStimulus({ width: 32, height: 48 })).toMatchObject({ lengthPx: 16, radiusPx: 8 });
  });
});
