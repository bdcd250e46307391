import { describe, expect, it } from 'vitest';
import { cellSums, divergingPosition, kernelDrawMode } from './circuitData';

describe('circuit matrix data', () => {
  it('sums each kernel', () => {
    const cells = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const s = cellSums(cells, 2, 3, 2, 2);
    expect(s.length).toBe(6);
    expect(s[0]).toBe(0 + 1 + 2 + 3);
    expect(s[5]).toBe(20 + 21 + 22 + 23);
  });
  it('maps weights onto reversed RdBu: positive → red end (0), negative → blue end (1)', () => {
    expect(divergingPosition(0, 2)).toBe(0.5);
    expect(divergingPosition(2, 2)).toBe(0);
    expect(divergingPosition(-2, 2)).toBe(1);
    expect(divergingPosition(10, 2)).toBe(0);
    expect(divergingPosition(NaN, 2)).toBe(0.5);
    expect(divergingPosition(1, 0)).toBe(0.5);
  });
  it('draws kernels only when they fit', () => {
    expect(kernelDrawMode(16, 16, 5, 5, 30)).toBe('kernels');
    expect(kernelDrawMode(16, 16, 5, 5, 6)).toBe('means');
    expect(kernelDrawMode(64, 64, 5, 5, 40)).toBe('means');
  });
});
