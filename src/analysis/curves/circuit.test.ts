import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { circuitMatrix, orderByOrientation } from './circuit';
import type { UnitTuning } from './types';

/** OIHW [o, i, h, w] → HWIO [h, w, i, o]. */
function toHwio(kernel: Float32Array, [o, i, h, w]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    out[((y * w + x) * i + b) * o + a] = kernel[((a * i + b) * h + y) * w + x] ?? NaN;
  }
  return out;
}

describe('circuitMatrix', () => {
  it('gathers the kernels of chosen output rows and input columns (OIHW by hand)', () => {
    // c_out 3, c_in 2, 2 × 2 kernels; value = o·100 + i·10 + y·2 + x, minus 250 so some are negative.
    const kernel = new Float32Array(3 * 2 * 2 * 2).map((_, k) => {
      const o = Math.floor(k / 8);
      const i = Math.floor(k / 4) % 2;
      return o * 100 + i * 10 + (k % 4) - 250;
    });
    const m = circuitMatrix({ kernel, shape: [3, 2, 2, 2], layout: 'OIHW', rows: [2, 0], cols: [1] });
    expect(m.kh).toBe(2);
    expect(m.kw).toBe(2);
    expect(Array.from(m.cells)).toEqual([-40, -39, -38, -37, -240, -239, -238, -237]);
    expect(m.maxAbs).toBe(240);
    expect(circuitMatrix({ kernel, shape: [3, 2, 2, 2], layout: 'OIHW', rows: [], cols: [0] })).toMatchObject({ maxAbs: 0, cells: new Float32Array(0) });
  });

  it('gives the same cells for the same kernel in HWIO', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
        fc.integer({ min: 0, max: 1000 }),
        (shape, seed) => {
          const [o, i] = shape;
          const kernel = new Float32Array(shape.reduce((a, b) => a * b, 1)).map((_, k) => Math.sin(seed + 7.3 * k));
          const rows = Array.from({ length: o }, (_, k) => (k * 7 + seed) % o);
          const cols = Array.from({ length: i }, (_, k) => i - 1 - k);
          const a = circuitMatrix({ kernel, shape, layout: 'OIHW', rows, cols });
          const [h, w] = [shape[2], shape[3]];
          const b = circuitMatrix({ kernel: toHwio(kernel, shape), shape: [h, w, i, o], layout: 'HWIO', rows, cols });
          expect(Array.from(b.cells)).toEqual(Array.from(a.cells));
          expect(b.maxAbs).toBe(a.maxAbs);
        },
      ),
      { seed: 13, numRuns: 100 },
    );
  });

  it('depthwise: each unit sees only its own channel, so only the diagonal has weights', () => {
    // 3 units, 1 input, 2 × 1 kernels: unit o's kernel is [10·o + 1, 10·o + 2].
    const kernel = [1, 2, 11, 12, 21, 22];
    const m = circuitMatrix({ kernel, shape: [3, 1, 2, 1], layout: 'OIHW', rows: [2, 0], cols: [0, 2], depthwise: true });
    expect(Array.from(m.cells)).toEqual([0, 0, 21, 22, 1, 2, 0, 0]);
    expect(m.maxAbs).toBe(22);
    // The same kernel stored HWIO ([kh, kw, 1, c]).
    const hwio = [1, 11, 21, 2, 12, 22];
    expect(Array.from(circuitMatrix({ kernel: hwio, shape: [2, 1, 1, 3], layout: 'HWIO', rows: [2, 0], cols: [0, 2], depthwise: true }).cells)).toEqual(Array.from(m.cells));
    expect(() => circuitMatrix({ kernel, shape: [3, 1, 2, 1], layout: 'OIHW', rows: [0], cols: [3], depthwise: true })).toThrow(RangeError);
    expect(() => circuitMatrix({ kernel: [1, 2, 3, 4], shape: [2, 2, 1, 1], layout: 'OIHW', rows: [0], cols: [0], depthwise: true })).toThrow(RangeError);
  });

  it('rejects bad shapes, lengths and indices', () => {
    const kernel = new Float32Array(8);
    expect(() => circuitMatrix({ kernel, shape: [2, 2, 2], layout: 'OIHW', rows: [0], cols: [0] })).toThrow(RangeError);
    expect(() => circuitMatrix({ kernel, shape: [2, 2, 2, 2], layout: 'OIHW', rows: [0], cols: [0] })).toThrow(RangeError);
    expect(() => circuitMatrix({ kernel, shape: [2, 2, 2, 1], layout: 'OIHW', rows: [2], cols: [0] })).toThrow(RangeError);
    expect(() => circuitMatrix({ kernel, shape: [2, 2, 2, 1], layout: 'HWIO', rows: [0], cols: [0.5] })).toThrow(RangeError);
  });
});

describe('orderByOrientation', () => {
  const t = (unit: number, preferredThetaDeg: number): UnitTuning => ({
    unit,
    preferredThetaDeg,
    preferredRadiusPx: 10,
    peak: 1,
    mean: 0,
    selectivity: 0.5,
    echo: null,
  });
  it('sorts units by preferred θ, ties in the given order', () => {
    const tunings = [t(0, 270), t(1, 10), t(2, 90), t(3, 10), t(4, 0)];
    expect(orderByOrientation(tunings, [0, 1, 2, 3])).toEqual([1, 3, 2, 0]);
    expect(orderByOrientation(tunings, [3, 1, 4])).toEqual([4, 3, 1]);
    expect(() => orderByOrientation(tunings, [5])).toThrow(RangeError);
  });
});
