import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  angleAtPoint,
  arcThroughPoint,
  distanceToStroke,
  lineThroughPoint,
  renderStroke,
  renderStrokes,
  rotateStroke,
  type Stroke,
} from './renderStroke';

const sum = (a: Float32Array): number => a.reduce((s, v) => s + v, 0);

/** The image rotated by 90° counter-clockwise on screen: out[size−1−col][row] = in[row][col]. */
function rotate90(image: Float32Array, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) out[(size - 1 - col) * size + row] = image[row * size + col] ?? NaN;
  }
  return out;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return m;
};

describe('renderStrokes', () => {
  it('puts ink ≈ length × width (+ round caps) for straight lines of any orientation', () => {
    const length = 30;
    const check = (width: number, thetaDeg: number, supersample: number, tolerance: number): void => {
      const line = lineThroughPoint(32, 32, (thetaDeg * Math.PI) / 180, length);
      const image = renderStroke(line, { size: 64, widthPx: width, supersample });
      const expected = length * width + (Math.PI * width * width) / 4;
      expect(Math.abs(sum(image) - expected) / expected).toBeLessThan(tolerance);
    };
    for (const thetaDeg of [0, 17, 45, 90, 133]) {
      for (const width of [1.5, 2, 3]) check(width, thetaDeg, 1, 0.03);
      // 1-px strokes alias on diagonals with the plain ramp (+12 % at 45°); supersampling brings that under 2 %.
      for (const width of [1, 1.5, 2, 3]) check(width, thetaDeg, 4, 0.02);
    }
  });

  it('converges to the plain image as the supersampling factor grows, keeping the mass', () => {
    const strokes: Stroke[] = [arcThroughPoint(16, 16, 7, 0.4, 25), { kind: 'circle', cx: 12, cy: 20, radius: 5 }];
    const plain = renderStrokes(strokes, { size: 32, widthPx: 2.5 });
    const fine = renderStrokes(strokes, { size: 32, widthPx: 2.5, supersample: 5 });
    expect(Math.abs(sum(fine) - sum(plain)) / sum(plain)).toBeLessThan(0.02);
    expect(maxAbsDiff(fine, plain)).toBeLessThan(0.2);
  });

  it('keeps ink per unit length = width for thin strokes', () => {
    const image = renderStroke(lineThroughPoint(32, 32, 0.3, 40), { size: 64, widthPx: 0.5 });
    expect(sum(image) / 40).toBeCloseTo(0.5, 1);
  });

  it('centres a horizontal line on its row, symmetric above and below', () => {
    const size = 32;
    const image = renderStroke({ kind: 'line', x0: 4, y0: 16, x1: 28, y1: 16 }, { size, widthPx: 2 });
    let mass = 0;
    let moment = 0;
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const v = image[row * size + col] ?? 0;
        mass += v;
        moment += v * (row + 0.5);
      }
    }
    expect(moment / mass).toBeCloseTo(16, 6);
    // A line at y = 16.5 (the centre of row 16) with width 1 fills exactly row 16 between its ends.
    const thin = renderStroke({ kind: 'line', x0: 4, y0: 16.5, x1: 28, y1: 16.5 }, { size, widthPx: 1 });
    expect(thin[16 * size + 16]).toBeCloseTo(1, 6);
    expect(thin[15 * size + 16]).toBe(0);
    expect(thin[17 * size + 16]).toBe(0);
  });

  it('stays in [0, 1], and invert gives 1 − ink', () => {
    const strokes: Stroke[] = [{ kind: 'circle', cx: 16, cy: 16, radius: 8 }, ...angleAtPoint(10, 10, 0.4, 1.2, 12)];
    const image = renderStrokes(strokes, { size: 32, widthPx: 2.5 });
    const inverted = renderStrokes(strokes, { size: 32, widthPx: 2.5, invert: true });
    for (let i = 0; i < image.length; i++) {
      expect(image[i]).toBeGreaterThanOrEqual(0);
      expect(image[i]).toBeLessThanOrEqual(1);
      expect((inverted[i] ?? NaN) + (image[i] ?? NaN)).toBeCloseTo(1, 6);
    }
  });

  it('draws a full circle with ink ≈ 2πr × width', () => {
    for (const radius of [5, 9, 14]) {
      const image = renderStroke({ kind: 'circle', cx: 32.3, cy: 31.7, radius }, { size: 64, widthPx: 2 });
      expect(Math.abs(sum(image) - 2 * Math.PI * radius * 2) / (4 * Math.PI * radius)).toBeLessThan(0.03);
    }
  });

  it('treats an arc with a sweep of 2π as the circle', () => {
    const arc = renderStroke({ kind: 'arc', cx: 16, cy: 16, radius: 7, startRad: 1, endRad: 1 + 2 * Math.PI }, { size: 32, widthPx: 2 });
    const circle = renderStroke({ kind: 'circle', cx: 16, cy: 16, radius: 7 }, { size: 32, widthPx: 2 });
    expect(maxAbsDiff(arc, circle)).toBe(0);
  });

  it('does not ink the overlap of strokes twice', () => {
    const [a, b] = angleAtPoint(16, 16, 0, Math.PI, 10); // a straight line through the vertex, as two arms
    const twoArms = renderStrokes([a, b], { size: 32, widthPx: 2 });
    const oneLine = renderStroke(lineThroughPoint(16, 16, Math.PI / 2, 20), { size: 32, widthPx: 2 });
    expect(maxAbsDiff(twoArms, oneLine)).toBeLessThan(1e-6);
  });

  it('rotating the strokes by 90° about the image centre rotates the image', () => {
    const size = 32;
    const strokes: Stroke[] = [
      { kind: 'line', x0: 3.2, y0: 7.9, x1: 25.1, y1: 12.4 },
      arcThroughPoint(16, 16, 6.5, 0.7, 14),
      ...angleAtPoint(9, 22, 2.1, 0.9, 7),
      { kind: 'circle', cx: 20.5, cy: 21, radius: 4 },
    ];
    for (const supersample of [1, 3]) {
      const image = renderStrokes(strokes, { size, widthPx: 1.8, supersample });
      const rotated = renderStrokes(
        strokes.map((s) => rotateStroke(s, Math.PI / 2, size / 2, size / 2)),
        { size, widthPx: 1.8, supersample },
      );
      expect(maxAbsDiff(rotated, rotate90(image, size))).toBeLessThan(1e-5);
    }
  });

  it('renders non-square images as the matching crop of a square one (height option)', () => {
    const strokes: Stroke[] = [arcThroughPoint(20, 12, 6, 0.9, 18), { kind: 'line', x0: 2, y0: 30, x1: 37, y1: 3 }];
    const square = renderStrokes(strokes, { size: 40, widthPx: 2, supersample: 2 });
    const wide = renderStrokes(strokes, { size: 40, height: 24, widthPx: 2, supersample: 2 });
    expect(wide.length).toBe(40 * 24);
    expect(Array.from(wide)).toEqual(Array.from(square.subarray(0, 40 * 24)));
    const tall = renderStrokes(strokes, { size: 16, height: 40, widthPx: 2 });
    const big = renderStrokes(strokes, { size: 40, widthPx: 2 });
    expect(tall.length).toBe(16 * 40);
    for (let row = 0; row < 40; row++) {
      expect(Array.from(tall.subarray(row * 16, row * 16 + 16))).toEqual(Array.from(big.subarray(row * 40, row * 40 + 16)));
    }
    expect(Array.from(renderStrokes(strokes, { size: 40, height: 40, widthPx: 2 }))).toEqual(Array.from(big));
  });

  it('is deterministic', () => {
    const strokes: Stroke[] = [arcThroughPoint(16, 16, 5, 2, 20), ...angleAtPoint(16, 16, 1, 1, 9)];
    const a = renderStrokes(strokes, { size: 32, widthPx: 2 });
    const b = renderStrokes(strokes, { size: 32, widthPx: 2 });
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('rejects bad sizes and widths', () => {
    const line = lineThroughPoint(8, 8, 0, 4);
    expect(() => renderStroke(line, { size: 0, widthPx: 1 })).toThrow(RangeError);
    expect(() => renderStroke(line, { size: 8.5, widthPx: 1 })).toThrow(RangeError);
    expect(() => renderStroke(line, { size: 8, widthPx: 0 })).toThrow(RangeError);
    expect(() => renderStroke(line, { size: 8, widthPx: 1, supersample: 0 })).toThrow(RangeError);
    expect(() => renderStroke(line, { size: 8, height: 0, widthPx: 1 })).toThrow(RangeError);
    expect(() => renderStroke(line, { size: 8, height: 4.5, widthPx: 1 })).toThrow(RangeError);
  });
});

describe('arcThroughPoint', () => {
  it('passes through the point with the requested tangent and curves to the left', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        (radius, theta, length) => {
          const arc = arcThroughPoint(20, 30, radius, theta, length);
          expect(arc.kind).toBe('arc');
          if (arc.kind !== 'arc') return;
          expect(distanceToStroke(20, 30, arc)).toBeLessThan(1e-9);
          // The centre is at distance r along the left normal (−sin θ, cos θ) in y-up coordinates.
          expect(arc.cx - 20).toBeCloseTo(-radius * Math.sin(theta), 9);
          expect(30 - arc.cy).toBeCloseTo(radius * Math.cos(theta), 9);
          // Arc length = r × sweep, up to a full circle.
          expect(radius * Math.abs(arc.endRad - arc.startRad)).toBeCloseTo(Math.min(length, 2 * Math.PI * radius), 9);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('renders the same image as a rotated copy when θ turns by 90°', () => {
    const size = 32;
    const a = renderStroke(arcThroughPoint(16, 16, 6, 0.3, 16), { size, widthPx: 2 });
    const b = renderStroke(arcThroughPoint(16, 16, 6, 0.3 + Math.PI / 2, 16), { size, widthPx: 2 });
    expect(maxAbsDiff(b, rotate90(a, size))).toBeLessThan(1e-5);
  });

  it('tends to the straight line as the radius grows, and gives it for r = ∞', () => {
    const line = renderStroke(lineThroughPoint(16, 16, 0.8, 20), { size: 32, widthPx: 2 });
    const big = renderStroke(arcThroughPoint(16, 16, 1e5, 0.8, 20), { size: 32, widthPx: 2 });
    expect(maxAbsDiff(big, line)).toBeLessThan(1e-3);
    expect(arcThroughPoint(16, 16, Infinity, 0.8, 20)).toEqual(lineThroughPoint(16, 16, 0.8, 20));
  });

  it('has ink ≈ arc length × width', () => {
    const image = renderStroke(arcThroughPoint(32, 32, 10, 1.1, 30), { size: 64, widthPx: 2 });
    const expected = 30 * 2 + Math.PI;
    expect(Math.abs(sum(image) - expected) / expected).toBeLessThan(0.03);
  });

  it('rejects a non-positive radius', () => {
    expect(() => arcThroughPoint(0, 0, 0, 0, 10)).toThrow(RangeError);
    expect(() => arcThroughPoint(0, 0, 5, 0, -1)).toThrow(RangeError);
  });
});

describe('angleAtPoint', () => {
  it('meets at the vertex with the requested opening', () => {
    const [a, b] = angleAtPoint(10, 12, 0.5, 1.2, 8);
    expect([a.x0, a.y0, b.x0, b.y0]).toEqual([10, 12, 10, 12]);
    const dirA = Math.atan2(-(a.y1 - a.y0), a.x1 - a.x0);
    const dirB = Math.atan2(-(b.y1 - b.y0), b.x1 - b.x0);
    expect(dirB - dirA).toBeCloseTo(1.2, 9);
    expect(Math.hypot(a.x1 - a.x0, a.y1 - a.y0)).toBeCloseTo(8, 9);
  });
});
