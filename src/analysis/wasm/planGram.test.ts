import { describe, expect, it } from 'vitest';
import { DEFAULT_PANEL_DEPTH, planGram } from './planGram';
import { WasmKernelError } from './wasmKernelError';

describe('planGram', () => {
  it('lays out input, gram and one pack buffer per part, aligned and disjoint', () => {
    const plan = planGram(130, 67, 'float32', { parts: 3, baseOffset: 100 });
    expect(plan).toMatchObject({ gramOfColumns: true, n: 67, depth: 130, paddedOrder: 68, indexStride: 1, depthStride: 67 });
    expect(plan.panelDepth).toBe(DEFAULT_PANEL_DEPTH);
    expect(plan.inputOffset).toBe(128);
    const regions: [number, number][] = [
      [plan.inputOffset, 130 * 67 * 4],
      [plan.gramOffset, 68 * 68 * 8],
      ...plan.parts.map((p): [number, number] => [p.packOffset, (68 - 4 * p.blockStart) * 64 * 8]),
    ];
    for (let i = 0; i < regions.length; i++) {
      const [start, size] = regions[i] as [number, number];
      expect(start % 64).toBe(0);
      const next = i + 1 < regions.length ? (regions[i + 1] as [number, number])[0] : plan.byteLength;
      expect(start + size).toBeLessThanOrEqual(next);
    }
    expect(plan.parts.map((p) => [p.blockStart, p.blockEnd])).toEqual([[0, 3], [3, 7], [7, 17]]);
  });

  it('takes the rows of A as Gram indices when rows < cols', () => {
    expect(planGram(9, 130, 'float64')).toMatchObject({ gramOfColumns: false, n: 9, depth: 130, paddedOrder: 12, indexStride: 130, depthStride: 1 });
  });

  it('sizes pack buffers by the panel depth, or the whole depth when shorter', () => {
    const plan = planGram(10, 8, 'float64', { panelDepth: 512 });
    const [part] = plan.parts;
    expect(plan.byteLength - (part?.packOffset ?? 0)).toBe(8 * 10 * 8);
  });

  it('plans nothing for an empty matrix', () => {
    expect(planGram(0, 7, 'float32')).toMatchObject({ n: 0, parts: [] });
  });

  it('rejects bad shapes and options, and layouts beyond 4 GiB', () => {
    expect(() => planGram(-1, 3, 'float32')).toThrow(RangeError);
    expect(() => planGram(3, 2.5, 'float32')).toThrow(RangeError);
    expect(() => planGram(3, 3, 'float32', { panelDepth: 0 })).toThrow(RangeError);
    expect(() => planGram(3, 3, 'float32', { parts: 0 })).toThrow(RangeError);
    expect(() => planGram(30_000, 20_000, 'float64')).toThrow(WasmKernelError);
  });
});
