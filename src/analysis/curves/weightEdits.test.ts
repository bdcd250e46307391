import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom';
import { truncateMatrix } from '../checkpoints/truncate';
import { renderStimulus } from './stimuli';
import type { WeightEdit, WeightLayout } from './weightEdits';
import { applyWeightEdits, curveDetectorKernel } from './weightEdits';

/** A weight w(o, i, y, x) stored in `layout` (dense layouts: kh = kw = 1). */
function stored(layout: WeightLayout, cOut: number, cIn: number, kh: number, kw: number, w: (o: number, i: number, y: number, x: number) => number) {
  const values = new Float32Array(cOut * cIn * kh * kw);
  const shape = layout === 'OIHW' ? [cOut, cIn, kh, kw] : layout === 'HWIO' ? [kh, kw, cIn, cOut] : layout === 'out×in' ? [cOut, cIn] : [cIn, cOut];
  const at = (o: number, i: number, y: number, x: number) =>
    layout === 'OIHW' ? ((o * cIn + i) * kh + y) * kw + x : layout === 'HWIO' ? ((y * kw + x) * cIn + i) * cOut + o : layout === 'out×in' ? o * cIn + i : i * cOut + o;
  for (let o = 0; o < cOut; o++) for (let i = 0; i < cIn; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) values[at(o, i, y, x)] = w(o, i, y, x);
  return { values, shape, at };
}

/** Weights with both signs: (−1)^(o+i+y+x) · (1 + o + 10·i + y + x). */
const mixed = (o: number, i: number, y: number, x: number) => (-1) ** (o + i + y + x) * (1 + o + 10 * i + y + x);

describe('applyWeightEdits', () => {
  it('OIHW by hand: zeroes the negative weights from units {1, 3} into unit 0, and nothing else', () => {
    // c_out 2, c_in 4, 1 × 2 kernels.
    const values = Float32Array.of(1, -2, 3, -4, -5, 6, 7, -8, /* o = 1 */ -9, -10, 11, 12, -13, 14, 15, -16);
    const edit: WeightEdit = { tensor: 'w', op: 'scale', outUnits: [0], inUnits: [1, 3], sign: 'negative', factor: 0 };
    const { values: out, changed } = applyWeightEdits(values, [2, 4, 1, 2], 'OIHW', [edit]);
    expect(Array.from(out)).toEqual([1, -2, 3, -0, -5, 6, 7, -0, -9, -10, 11, 12, -13, 14, 15, -16]);
    expect(changed).toBe(2);
    expect(values[3]).toBe(-4);
  });

  it('every layout edits the same logical weights', () => {
    const [cOut, cIn, kh, kw] = [3, 4, 2, 3];
    const edits: WeightEdit[] = [
      { tensor: 'w', op: 'scale', outUnits: [0, 2], inUnits: [1, 3], sign: 'negative', factor: 0 },
      { tensor: 'w', op: 'scale', outUnits: 'all', inUnits: [0], sign: 'positive', factor: 2 },
    ];
    const expected = (o: number, i: number, y: number, x: number) => {
      let w = mixed(o, i, y, x);
      if ((o === 0 || o === 2) && (i === 1 || i === 3) && w < 0) w *= 0;
      if (i === 0 && w > 0) w *= 2;
      return w;
    };
    for (const layout of ['OIHW', 'HWIO', 'out×in', 'in×out'] as const) {
      const [h, w] = layout === 'OIHW' || layout === 'HWIO' ? [kh, kw] : [1, 1];
      const input = stored(layout, cOut, cIn, h, w, mixed);
      const { values, changed } = applyWeightEdits(input.values, input.shape, layout, edits);
      const want = stored(layout, cOut, cIn, h, w, expected).values;
      expect(Array.from(values), layout).toEqual(Array.from(want));
      expect(changed, layout).toBe(want.filter((v, k) => !Object.is(v, input.values[k])).length);
      expect(changed, layout).toBeGreaterThan(0);
    }
  });

  it('replace sets one output unit’s kernel from OIHW order, in any layout; later edits apply on top', () => {
    const [cOut, cIn, kh, kw] = [2, 2, 2, 2];
    const kernel = Float32Array.from({ length: cIn * kh * kw }, (_, k) => 100 + k);
    const edits: WeightEdit[] = [
      { tensor: 'w', op: 'replace', outUnit: 1, kernel },
      { tensor: 'w', op: 'scale', outUnits: [1], inUnits: [0], sign: 'all', factor: -1 },
    ];
    for (const layout of ['OIHW', 'HWIO'] as const) {
      const input = stored(layout, cOut, cIn, kh, kw, mixed);
      const { values } = applyWeightEdits(input.values, input.shape, layout, edits);
      for (let i = 0; i < cIn; i++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++) {
            expect(values[input.at(1, i, y, x)]).toBe((i === 0 ? -1 : 1) * (100 + (i * kh + y) * kw + x));
            expect(values[input.at(0, i, y, x)]).toBe(mixed(0, i, y, x));
          }
    }
    const dense = stored('in×out', 2, 3, 1, 1, mixed);
    const { values } = applyWeightEdits(dense.values, dense.shape, 'in×out', [{ tensor: 'w', op: 'replace', outUnit: 0, kernel: Float32Array.of(7, 8, 9) }]);
    expect([0, 1, 2].map((i) => values[dense.at(0, i, 0, 0)])).toEqual([7, 8, 9]);
  });

  it('never mutates; no edits or a factor of 1 change nothing; bad edits throw RangeError', () => {
    const input = stored('OIHW', 2, 2, 1, 1, mixed);
    const copy = input.values.slice();
    const none = applyWeightEdits(input.values, input.shape, 'OIHW', []);
    expect(none.values).not.toBe(input.values);
    expect(none).toMatchObject({ changed: 0 });
    expect(applyWeightEdits(input.values, input.shape, 'OIHW', [{ tensor: 'w', op: 'scale', outUnits: 'all', inUnits: 'all', sign: 'all', factor: 1 }]).changed).toBe(0);
    expect(input.values).toEqual(copy);
    const bad: WeightEdit[] = [
      { tensor: 'w', op: 'scale', outUnits: [2], inUnits: 'all', sign: 'all', factor: 0 },
      { tensor: 'w', op: 'scale', outUnits: 'all', inUnits: [-1], sign: 'all', factor: 0 },
      { tensor: 'w', op: 'scale', outUnits: 'all', inUnits: 'all', sign: 'all', factor: NaN },
      { tensor: 'w', op: 'replace', outUnit: 0, kernel: new Float32Array(3) },
    ];
    for (const edit of bad) expect(() => applyWeightEdits(input.values, input.shape, 'OIHW', [edit])).toThrow(RangeError);
    expect(() => applyWeightEdits(input.values, [2, 2], 'OIHW', [])).toThrow(RangeError);
    expect(() => applyWeightEdits(input.values, [2, 3], 'out×in', [])).toThrow(RangeError);
  });
});

describe('applyWeightEdits: lowRank (issue 9)', () => {
  /** Seeded weights in [−1, 1). */
  const random = (seed: number) => {
    const rng = seededRandom(seed);
    return () => rng() * 2 - 1;
  };
  /** The analysis matrix c_out × c_in·kh·kw (columns in OIHW order) of a stored weight. */
  const analysisMatrix = (w: { values: ArrayLike<number>; at: (o: number, i: number, y: number, x: number) => number }, cOut: number, cIn: number, kh: number, kw: number) => {
    const m = new Float64Array(cOut * cIn * kh * kw);
    for (let o = 0; o < cOut; o++) for (let i = 0; i < cIn; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) m[((o * cIn + i) * kh + y) * kw + x] = w.values[w.at(o, i, y, x)] as number;
    return m;
  };
  /** max |a − b| / max |b|. */
  const relativeDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let diff = 0;
    let scale = 0;
    for (let j = 0; j < b.length; j++) {
      diff = Math.max(diff, Math.abs((a[j] as number) - (b[j] as number)));
      scale = Math.max(scale, Math.abs(b[j] as number));
    }
    return diff / scale;
  };

  it('a rank-k edit of an HWIO conv and of an [in, out] dense equals truncating the analysis matrix', () => {
    for (const [layout, cOut, cIn, kh, kw, k] of [
      ['HWIO', 5, 3, 2, 3, 2],
      ['OIHW', 5, 3, 2, 3, 2],
      ['in×out', 4, 6, 1, 1, 1],
      ['out×in', 6, 4, 1, 1, 3],
    ] as const) {
      const rng = random(k * 100 + cOut);
      const w = stored(layout, cOut, cIn, kh, kw, () => rng());
      const matrix = analysisMatrix(w, cOut, cIn, kh, kw);
      const expected = truncateMatrix(matrix, cOut, cIn * kh * kw, k);
      const { values, changed } = applyWeightEdits(w.values, w.shape, layout, [{ tensor: 'w', op: 'lowRank', k }]);
      expect(changed, layout).toBeGreaterThan(0);
      const got = analysisMatrix({ ...w, values }, cOut, cIn, kh, kw);
      expect(relativeDiff(got, expected), layout).toBeLessThan(1e-6);
    }
  });

  it('HWIO by hand: a rank-1 conv stays as it is at k = 1, a rank-2 one loses its smaller direction', () => {
    // c_out 2, c_in 1, 1 × 2 kernels: unit 0 = [3, 0], unit 1 = [0, 1] (σ = 3, 1); HWIO index (x·1 + 0)·2 + o.
    const values = Float32Array.of(3, 0, 0, 1);
    expect(Array.from(applyWeightEdits(values, [1, 2, 1, 2], 'HWIO', [{ tensor: 'w', op: 'lowRank', k: 1 }]).values).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([3, 0, 0, 0]);
    // Unit 1 = 2·unit 0: rank 1, so k = 1 keeps it (to rounding).
    const rankOne = Float32Array.of(1, 2, -3, -6);
    const kept = applyWeightEdits(rankOne, [1, 2, 1, 2], 'HWIO', [{ tensor: 'w', op: 'lowRank', k: 1 }]).values;
    expect(relativeDiff(kept, rankOne)).toBeLessThan(1e-6);
  });

  it('k ≥ min(c_out, c_in·kh·kw) leaves the values exactly; k at the numerical rank leaves them to rounding; k = 0 zeroes', () => {
    const rng = random(7);
    const w = stored('HWIO', 4, 2, 3, 3, () => rng());
    for (const k of [4, 5, 100]) {
      const { values, changed } = applyWeightEdits(w.values, w.shape, 'HWIO', [{ tensor: 'w', op: 'lowRank', k }]);
      expect(changed, `k = ${k}`).toBe(0);
      expect(values).toEqual(w.values);
    }
    // A rank-2 dense 5 × 4 (out × in) as outer products: k = 2 and 3 give it back to float32 rounding.
    const a = [1, -2, 0.5, 3, -1];
    const b = [2, 1, -1, 0.25];
    const c = [0, 1, 1, -2, 0.5];
    const d = [-1, 0.5, 2, 1];
    const rank2 = stored('in×out', 5, 4, 1, 1, (o, i) => (a[o] as number) * (b[i] as number) + (c[o] as number) * (d[i] as number));
    for (const k of [2, 3]) expect(relativeDiff(applyWeightEdits(rank2.values, rank2.shape, 'in×out', [{ tensor: 'w', op: 'lowRank', k }]).values, rank2.values), `k = ${k}`).toBeLessThan(1e-6);
    expect(relativeDiff(applyWeightEdits(rank2.values, rank2.shape, 'in×out', [{ tensor: 'w', op: 'lowRank', k: 1 }]).values, rank2.values)).toBeGreaterThan(0.01);
    expect(applyWeightEdits(w.values, w.shape, 'HWIO', [{ tensor: 'w', op: 'lowRank', k: 0 }]).values.every((v) => v === 0)).toBe(true);
  });

  it('composes in order with the other edits; a bad k throws RangeError', () => {
    const rng = random(3);
    const w = stored('OIHW', 3, 2, 2, 2, () => rng());
    const zero: WeightEdit = { tensor: 'w', op: 'scale', outUnits: [0], inUnits: 'all', sign: 'all', factor: 0 };
    const truncate: WeightEdit = { tensor: 'w', op: 'lowRank', k: 1 };
    const both = applyWeightEdits(w.values, w.shape, 'OIHW', [zero, truncate]).values;
    const stepwise = applyWeightEdits(applyWeightEdits(w.values, w.shape, 'OIHW', [zero]).values, w.shape, 'OIHW', [truncate]).values;
    expect(both).toEqual(stepwise);
    for (const k of [-1, 1.5, Number.NaN]) expect(() => applyWeightEdits(w.values, w.shape, 'OIHW', [{ tensor: 'w', op: 'lowRank', k }]), `k = ${k}`).toThrow(RangeError);
  });
});

describe('curveDetectorKernel', () => {
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
    return s;
  };

  it('is zero-mean with unit L2 norm on each channel used, 0 elsewhere', () => {
    const area = 7 * 7;
    const kernel = curveDetectorKernel({ inChannels: 3, kh: 7, kw: 7, thetaDeg: 30, radiusPx: 4, widthPx: 1.5, inChannel: 1 });
    expect(kernel).toHaveLength(3 * area);
    const channel = (c: number) => kernel.subarray(c * area, (c + 1) * area);
    expect(channel(0).every((v) => v === 0)).toBe(true);
    expect(channel(2).every((v) => v === 0)).toBe(true);
    expect(channel(1).reduce((s, v) => s + v, 0)).toBeCloseTo(0, 5);
    expect(dot(channel(1), channel(1))).toBeCloseTo(1, 5);
    const all = curveDetectorKernel({ inChannels: 2, kh: 7, kw: 7, thetaDeg: 30, radiusPx: 4, widthPx: 1.5 });
    expect(Array.from(all.subarray(0, area))).toEqual(Array.from(channel(1)));
    expect(Array.from(all.subarray(area))).toEqual(Array.from(channel(1)));
    expect(curveDetectorKernel({ inChannels: 1, kh: 1, kw: 1, thetaDeg: 0, radiusPx: Infinity, widthPx: 1 }).every((v) => v === 0)).toBe(true);
    expect(() => curveDetectorKernel({ inChannels: 1, kh: 7, kw: 7, thetaDeg: 0, radiusPx: 4, widthPx: 1, inChannel: 1 })).toThrow(RangeError);
    expect(() => curveDetectorKernel({ inChannels: 0, kh: 7, kw: 7, thetaDeg: 0, radiusPx: 4, widthPx: 1 })).toThrow(RangeError);
  });

  it('is oriented: among curve stimuli every 45°, it correlates most with the one of its own θ', () => {
    const size = 11;
    const thetas = [0, 45, 90, 135, 180, 225, 270, 315];
    const stimulus = (thetaDeg: number) =>
      renderStimulus({ kind: 'curve', thetaDeg, radiusPx: 5, widthPx: 1.5, lengthPx: 10, openingDeg: 90, darkOnLight: false }, { width: size, height: size });
    for (const theta of thetas) {
      const kernel = curveDetectorKernel({ inChannels: 1, kh: size, kw: size, thetaDeg: theta, radiusPx: 5, widthPx: 1.5 });
      const scores = thetas.map((t) => dot(kernel, stimulus(t)));
      expect(thetas[scores.indexOf(Math.max(...scores))], `θ = ${theta}`).toBe(theta);
    }
  });

  it('a line (r = ∞) prefers lines of its own orientation among 0°, 45°, 90°, 135°', () => {
    const thetas = [0, 45, 90, 135];
    const line = (thetaDeg: number) =>
      renderStimulus({ kind: 'line', thetaDeg, radiusPx: Infinity, widthPx: 1, lengthPx: 9, openingDeg: 90, darkOnLight: false }, { width: 9, height: 9 });
    for (const theta of thetas) {
      const kernel = curveDetectorKernel({ inChannels: 1, kh: 9, kw: 9, thetaDeg: theta, radiusPx: Infinity, widthPx: 1 });
      const scores = thetas.map((t) => dot(kernel, line(t)));
      expect(thetas[scores.indexOf(Math.max(...scores))], `θ = ${theta}`).toBe(theta);
    }
  });
});
