import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues } from './singularValues';
import { exactSvdMatrix, gaussianMatrix } from '../testing/exactSvdMatrix';
import { jacobiSingularValues, refineSmallSingularValues } from './jacobiSingularValues';

/** A row-graded matrix: Gaussian rows, some scaled down by 10^−k (like BN-folded dead channels). */
function gradedRows(rows: number, cols: number, seed: number, tinyRows: number): { w: Float64Array; scales: number[] } {
  const w = gaussianMatrix(rows, cols, seed, 1);
  const scales = Array.from({ length: rows }, (_, i) => (i < tinyRows ? 10 ** -(8 + 4 * (i % 7)) : 1));
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = (w[i * cols + j] as number) * (scales[i] as number);
  return { w, scales };
}


describe('jacobiSingularValues (QR-preconditioned one-sided Jacobi)', () => {
  it('matches known singular values to ~1e-13 relative, any shape (seeded property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e9 }), (rows, cols, seed) => {
        const m = Math.min(rows, cols);
        const sigma = Array.from({ length: m }, (_, i) => 10 ** (-i / 4));
        const sv = jacobiSingularValues(exactSvdMatrix(rows, cols, sigma, seed), rows, cols);
        // The test matrix itself carries ~1e-15·σ_max of rounding, so small σ are known to that absolute level.
        sigma.forEach((e, i) => expect(Math.abs((sv[i] as number) - e)).toBeLessThan(1e-12 * e + 1e-14));
      }),
      { seed: 5, numRuns: 60 },
    );
  });

  it('resolves tiny σ of graded matrices to relative accuracy (the Gram route cannot)', () => {
    const { w, scales } = gradedRows(25, 40, 3, 6);
    const jacobi = jacobiSingularValues(w, 25, 40);
    const gram = singularValues(w, 25, 40);
    // Six tiny rows (scales 1e-8 … 1e-28) of a wide matrix give six tiny σ of those orders; Gram gives noise.
    const tiny = Array.from(jacobi.slice(-6)).reverse();
    const expectedOrders = scales.slice(0, 6).sort((a, b) => a - b);
    tiny.forEach((s, i) => expect(Math.abs(Math.log10(s / (expectedOrders[i] as number)))).toBeLessThan(1.5));
    const gramTiny = Array.from(gram.slice(-6)).reverse();
    expect(gramTiny.some((s, i) => !(Math.abs(Math.log10(s / (expectedOrders[i] as number))) < 1.5))).toBe(true);
  });

  it('refineSmallSingularValues keeps the large Gram σ and agrees with full Jacobi on the small ones', () => {
    for (const [rows, cols, tinyRows, big] of [[45, 60, 9, 36], [50, 45, 9, 41]] as const) {
      const { w } = gradedRows(rows, cols, rows, tinyRows);
      const gram = singularValues(w, rows, cols);
      const refined = refineSmallSingularValues(w, rows, cols, gram);
      const full = jacobiSingularValues(w, rows, cols);
      for (let i = 0; i < full.length; i++) expect(Math.abs((refined[i] as number) - (full[i] as number)) / (full[i] as number)).toBeLessThan(1e-6);
      expect(Array.from(refined.slice(0, big))).toEqual(Array.from(gram.slice(0, big)));
      expect(full[big]).toBeLessThan(1e-6);
    }
  });
});
