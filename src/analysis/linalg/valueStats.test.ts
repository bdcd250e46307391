import { describe, expect, it } from 'vitest';
import { valueStats } from './valueStats';

describe('valueStats', () => {
  it('counts NaN and ±Inf separately and ignores them for max |v|', () => {
    expect(valueStats(new Float32Array([1, -3, NaN, Infinity, -Infinity, 2]))).toEqual({ nanCount: 1, infCount: 2, maxAbs: 3 });
  });
  it('is all zero for an empty or all-zero array', () => {
    expect(valueStats(new Float64Array(0))).toEqual({ nanCount: 0, infCount: 0, maxAbs: 0 });
    expect(valueStats(new Float64Array(4))).toEqual({ nanCount: 0, infCount: 0, maxAbs: 0 });
  });
});
