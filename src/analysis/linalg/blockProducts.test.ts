import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom';
import { gaussianMatrix } from '../testing/exactSvdMatrix';
import { combineVectors, innerProducts } from './blockProducts';
import { matrixTimesVectors, matrixTransposeTimesVectors } from './matrixTimesVectors';
import { orthonormalizeBlock } from './orthonormalizeBlock';
import { symmetricTimesBlock } from './symmetricTimesBlock';

const sizes = { xCount: fc.integer({ min: 1, max: 11 }), yCount: fc.integer({ min: 1, max: 11 }), n: fc.integer({ min: 1, max: 23 }), seed: fc.integer({ min: 0, max: 1e6 }) };

describe('block kernels against plain loops (fast-check, fixed seed)', () => {
  it('innerProducts: out[a][b] = x_a·y_b for any sizes (partial 4×4 blocks)', () => {
    fc.assert(
      fc.property(sizes.xCount, sizes.yCount, sizes.n, sizes.seed, (xCount, yCount, n, seed) => {
        const x = gaussianMatrix(xCount, n, seed);
        const y = gaussianMatrix(yCount, n, seed + 1);
        const stride = yCount + 2;
        const out = new Float64Array(xCount * stride).fill(NaN);
        innerProducts(x, xCount, y, yCount, n, out, stride);
        for (let a = 0; a < xCount; a++) {
          for (let b = 0; b < stride; b++) {
            if (b >= yCount) {
              expect(out[a * stride + b]).toBeNaN(); // nothing written outside the block
              continue;
            }
            let s = 0;
            for (let i = 0; i < n; i++) s += (x[a * n + i] as number) * (y[b * n + i] as number);
            expect(out[a * stride + b]).toBeCloseTo(s, 12);
          }
        }
      }),
      { seed: 8001, numRuns: 80 },
    );
  });

  it('combineVectors: z_j = Σ coef·x_a, and z_j −= … with subtract', () => {
    fc.assert(
      fc.property(sizes.xCount, sizes.yCount, sizes.n, sizes.seed, fc.boolean(), (xCount, zCount, n, seed, subtract) => {
        const x = gaussianMatrix(xCount, n, seed);
        const coef = gaussianMatrix(zCount, xCount + 1, seed + 1);
        const z0 = gaussianMatrix(zCount + 1, n, seed + 2);
        const z = z0.slice();
        combineVectors(x, xCount, coef, xCount + 1, z, zCount, n, subtract);
        for (let j = 0; j < zCount; j++) {
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let a = 0; a < xCount; a++) s += (coef[j * (xCount + 1) + a] as number) * (x[a * n + i] as number);
            expect(z[j * n + i]).toBeCloseTo(subtract ? (z0[j * n + i] as number) - s : s, 12);
          }
        }
        for (let i = zCount * n; i < z.length; i++) expect(z[i]).toBe(z0[i]); // vectors past zCount untouched
      }),
      { seed: 8002, numRuns: 80 },
    );
  });

  it('symmetricTimesBlock and A·X, Aᵀ·X (float32 and float64 A)', () => {
    fc.assert(
      fc.property(sizes.n, sizes.yCount, sizes.xCount, sizes.seed, (rows, cols, k, seed) => {
        const g = gaussianMatrix(cols, cols, seed);
        const c = g.map((_, t) => ((g[t] as number) + (g[(t % cols) * cols + Math.floor(t / cols)] as number)) / 2);
        const x = gaussianMatrix(k, cols, seed + 1);
        const y = new Float64Array(k * cols);
        symmetricTimesBlock(c, cols, x, k, y);
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < cols; i++) {
            let s = 0;
            for (let l = 0; l < cols; l++) s += (c[i * cols + l] as number) * (x[j * cols + l] as number);
            expect(y[j * cols + i]).toBeCloseTo(s, 12);
          }
        }
        for (const a of [gaussianMatrix(rows, cols, seed + 2), Float32Array.from(gaussianMatrix(rows, cols, seed + 2))]) {
          const ax = new Float64Array(k * rows);
          matrixTimesVectors(a, rows, cols, x, k, ax);
          const w = gaussianMatrix(k, rows, seed + 3);
          const atw = new Float64Array(k * cols).fill(NaN);
          matrixTransposeTimesVectors(a, rows, cols, w, k, atw);
          for (let j = 0; j < k; j++) {
            for (let i = 0; i < rows; i++) {
              let s = 0;
              for (let l = 0; l < cols; l++) s += (a[i * cols + l] as number) * (x[j * cols + l] as number);
              expect(ax[j * rows + i]).toBeCloseTo(s, 12);
            }
            for (let l = 0; l < cols; l++) {
              let s = 0;
              for (let i = 0; i < rows; i++) s += (a[i * cols + l] as number) * (w[j * rows + i] as number);
              expect(atw[j * cols + l]).toBeCloseTo(s, 12);
            }
          }
        }
      }),
      { seed: 8003, numRuns: 60 },
    );
  });
});

describe('orthonormalizeBlock', () => {
  it('replaces vectors inside the span by random ones and packs the result', () => {
    const n = 10;
    const basis = new Float64Array(n * 2);
    basis[0] = 1; // e0
    basis[n + 1] = 1; // e1
    const block = new Float64Array(n * 3);
    block[0] = 2; // 2·e0: in the span
    block[n + 1] = 1;
    block[n + 5] = 1; // e1 + e5: keeps e5
    block[2 * n + 5] = 3; // 3·e5: dependent on the previous one
    const kept = orthonormalizeBlock(basis, 2, block, 3, n, seededRandom(1));
    expect(kept).toBe(3);
    const all = new Float64Array(n * 5);
    all.set(basis);
    all.set(block, 2 * n);
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += (all[a * n + i] as number) * (all[b * n + i] as number);
        expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(1e-14);
      }
    }
  });

  it('returns fewer vectors when the basis fills the space', () => {
    const basis = new Float64Array([1, 0, 0, 1]);
    const block = new Float64Array([1, 1, 0, 3]);
    expect(orthonormalizeBlock(basis, 2, block, 2, 2, seededRandom(2))).toBe(0);
  });
});
