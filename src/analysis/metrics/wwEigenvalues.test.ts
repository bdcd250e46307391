import { describe, expect, it } from 'vitest';
import { wwSkipReason } from './layerFilters';
import { wwEigenvalues, wwGeometry } from './wwEigenvalues';

const spectrum = (definition: 'dense' | 'ww-pooled' | 'stack-pooled', rows: number, cols: number, matrixCount: number) => ({ definition, rows, cols, matrixCount });

describe('wwGeometry / wwEigenvalues (WW set_weight_matrices, conv2D_Wmats, conv2d_norm)', () => {
  it('dense: N = max, M = min, rf = 1, λ = σ² ascending', () => {
    expect(wwGeometry(spectrum('dense', 32, 2400, 1))).toEqual({ N: 2400, M: 32, rf: 1, Q: 75, layer_type: 'dense' });
    const ww = wwEigenvalues({ ...spectrum('dense', 3, 2, 1), singularValues: Float64Array.of(3, 1) });
    expect(Array.from(ww.evals)).toEqual([1, 9]);
  });

  it('conv: λ = ½σ² pooled; WW’s slice loop swaps N and M only for an odd kh·kw when c_out < c_in', () => {
    const ww = wwEigenvalues({ ...spectrum('ww-pooled', 4, 4, 2), singularValues: Float64Array.of(2, 2, 1, 1) });
    expect(Array.from(ww.evals)).toEqual([0.5, 0.5, 2, 2]);
    expect(ww.svScale).toBe(Math.SQRT1_2);
    expect(wwGeometry(spectrum('ww-pooled', 60, 240, 1))).toMatchObject({ N: 240, M: 60, rf: 1 });
    expect(wwGeometry(spectrum('ww-pooled', 60, 480, 3))).toMatchObject({ N: 480, M: 60, rf: 3, Q: 8 });
    expect(wwGeometry(spectrum('ww-pooled', 16, 3, 9))).toMatchObject({ N: 16, M: 3, rf: 9 });
    expect(wwGeometry(spectrum('ww-pooled', 32, 64, 4))).toMatchObject({ N: 32, M: 64, rf: 4, Q: 0.5 });
    // c_out + c_in < kh + kw: WW's other branch keeps N = c_out, M = c_in.
    expect(wwGeometry(spectrum('ww-pooled', 1, 2, 9), { kernelSize: [3, 3] })).toMatchObject({ N: 1, M: 2 });
  });

  it('default filters: M·rf < 10, M·rf > 15000, N > 50000 (all adjustable, 0 disables the evals limits)', () => {
    expect(wwSkipReason({ N: 32, M: 1, rf: 1 })).toMatch(/min_evals/);
    expect(wwSkipReason({ N: 16, M: 1, rf: 9 })).toMatch(/min_evals/);
    expect(wwSkipReason({ N: 240, M: 1, rf: 25 })).toBeNull();
    expect(wwSkipReason({ N: 20000, M: 16000, rf: 1 })).toMatch(/max_evals/);
    expect(wwSkipReason({ N: 50257, M: 768, rf: 1 })).toMatch(/max_N/);
    expect(wwSkipReason({ N: 32, M: 1, rf: 1 }, { minEvals: 0 })).toBeNull();
    expect(wwSkipReason({ N: 50257, M: 768, rf: 1 }, { maxN: 60000 })).toBeNull();
  });
});
