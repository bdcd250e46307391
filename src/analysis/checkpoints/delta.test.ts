import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../linalg/symmetricEigenvalues';
import { gaussianMatrix, orthogonalMatrix } from '../testing/exactSvdMatrix';
import { deltaMatrix, principalAngles, relativeChange, subspaceAlignment } from './delta';

/** Columns [from, from + count) of the n×n row-major matrix q, as n×count row-major. */
function columns(q: Float64Array, n: number, from: number, count: number): Float64Array {
  const out = new Float64Array(n * count);
  for (let i = 0; i < n; i++) for (let j = 0; j < count; j++) out[i * count + j] = q[i * n + from + j] as number;
  return out;
}

/** X (r×s) · Y (s×t), row-major. */
function matmul(x: Float64Array, y: Float64Array, r: number, s: number, t: number): Float64Array {
  const out = new Float64Array(r * t);
  for (let i = 0; i < r; i++) for (let l = 0; l < s; l++) for (let j = 0; j < t; j++) out[i * t + j] = (out[i * t + j] as number) + (x[i * s + l] as number) * (y[l * t + j] as number);
  return out;
}

/** Xᵀ for X r×s row-major. */
function transpose(x: Float64Array, r: number, s: number): Float64Array {
  const out = new Float64Array(r * s);
  for (let i = 0; i < r; i++) for (let j = 0; j < s; j++) out[j * r + i] = x[i * s + j] as number;
  return out;
}

/** Replace columns a and b of the n×n matrix q by (cos φ·a + sin φ·b, −sin φ·a + cos φ·b). */
function rotateColumns(q: Float64Array, n: number, a: number, b: number, phi: number): Float64Array {
  const out = q.slice();
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  for (let i = 0; i < n; i++) {
    const x = q[i * n + a] as number;
    const y = q[i * n + b] as number;
    out[i * n + a] = c * x + s * y;
    out[i * n + b] = -s * x + c * y;
  }
  return out;
}

describe('deltaMatrix and relativeChange', () => {
  it('computes ΔW = W_b − W_a in float64', () => {
    const delta = deltaMatrix(new Float32Array([1, 2, 3]), new Float64Array([1.5, 2, 0]));
    expect(Array.from(delta)).toEqual([0.5, 0, -3]);
    expect(delta).toBeInstanceOf(Float64Array);
  });

  it('is ‖ΔW‖_F/‖W_a‖_F on hand numbers', () => {
    // ‖W_a‖ = 5, ‖ΔW‖ = ‖(0, 0, 1, 0)‖ = 1.
    expect(relativeChange(new Float64Array([3, 4, 0, 0]), new Float64Array([3, 4, 1, 0]))).toBeCloseTo(0.2, 15);
    expect(relativeChange(new Float32Array([1, 1, 1, 1]), new Float32Array([2, 2, 2, 2]))).toBeCloseTo(1, 15);
  });

  it('handles zero matrices, NaN and extreme magnitudes', () => {
    expect(relativeChange(new Float64Array(4), new Float64Array(4))).toBe(0);
    expect(relativeChange(new Float64Array(4), new Float64Array([0, 0, 1e-30, 0]))).toBe(Infinity);
    expect(relativeChange(new Float64Array([1, 2]), new Float64Array([1, 2]))).toBe(0);
    expect(relativeChange(new Float64Array([1, NaN]), new Float64Array([1, 2]))).toBeNaN();
    expect(relativeChange(new Float64Array([3e300, 4e300]), new Float64Array([3e300, 4.5e300]))).toBeCloseTo(0.1, 14);
    expect(relativeChange(new Float64Array([3e-300, 4e-300]), new Float64Array([3e-300, 4.5e-300]))).toBeCloseTo(0.1, 14);
  });

  it('throws RangeError on different lengths', () => {
    expect(() => relativeChange(new Float64Array(3), new Float64Array(4))).toThrow(RangeError);
    expect(() => deltaMatrix(new Float64Array(3), new Float64Array(4))).toThrow(RangeError);
  });
});

describe('principalAngles', () => {
  const n = 12;
  const q = orthogonalMatrix(n, 3);

  it('is 0 for identical subspaces and π/2 for orthogonal ones', () => {
    const u = columns(q, n, 0, 4);
    for (const angle of principalAngles(u, u, n, 4)) expect(angle).toBeLessThan(1e-14);
    for (const angle of principalAngles(u, columns(q, n, 4, 4), n, 4)) expect(angle).toBeCloseTo(Math.PI / 2, 14);
  });

  it('recovers a rotation by φ in one plane, large and tiny φ alike', () => {
    for (const phi of [1e-10, 1e-4, 0.3, Math.PI / 4, 1.2, Math.PI / 2]) {
      // Rotate basis vector 2 (inside the span) towards vector 5 (outside): angles [0, 0, 0, φ].
      const rotated = rotateColumns(q, n, 2, 5, phi);
      const angles = principalAngles(columns(q, n, 0, 4), columns(rotated, n, 0, 4), n, 4);
      // Absolute accuracy ~ε from the sine route (acos of the cosine would give 0 or ~1e-8 for φ = 1e-10).
      expect(Math.abs(angles[3]! - phi)).toBeLessThan(1e-14 + 1e-12 * phi);
      for (let i = 0; i < 3; i++) expect(angles[i]).toBeLessThan(1e-14);
    }
  });

  it('matches the cosine definition θ = acos σ(U_aᵀU_b) of Björck & Golub for angles away from 0', () => {
    const k = 3;
    const ua = columns(q, n, 0, k);
    const ub = columns(orthogonalMatrix(n, 8), n, 0, k);
    const angles = principalAngles(ua, ub, n, k);
    // σ(M)² = λ(MᵀM), M = U_aᵀU_b, from the symmetric eigenvalue routine (ascending λ ↔ descending θ).
    const m = matmul(transpose(ua, n, k), ub, k, n, k);
    const lambdaAsc = symmetricEigenvalues(matmul(transpose(m, k, k), m, k, k, k), k);
    for (let i = 0; i < k; i++) {
      const cos = Math.sqrt(Math.min(Math.max(lambdaAsc[k - 1 - i]!, 0), 1));
      expect(angles[i]!).toBeCloseTo(Math.acos(cos), 7);
      if (i > 0) expect(angles[i]!).toBeGreaterThanOrEqual(angles[i - 1]!);
    }
  });

  it('does not depend on the basis chosen within each span (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (k, seedMix, seedSpace) => {
        const rows = 10;
        const ua = columns(orthogonalMatrix(rows, seedSpace), rows, 0, k);
        const ub = columns(orthogonalMatrix(rows, seedSpace + 1), rows, 0, k);
        const mixA = orthogonalMatrix(k, seedMix);
        const mixB = orthogonalMatrix(k, seedMix + 7);
        const before = principalAngles(ua, ub, rows, k);
        const after = principalAngles(matmul(ua, mixA, rows, k, k), matmul(ub, mixB, rows, k, k), rows, k);
        for (let i = 0; i < k; i++) expect(after[i]!).toBeCloseTo(before[i]!, 12);
        // Symmetric in its arguments, and within [0, π/2].
        const swapped = principalAngles(ub, ua, rows, k);
        for (let i = 0; i < k; i++) {
          expect(swapped[i]!).toBeCloseTo(before[i]!, 12);
          expect(before[i]!).toBeGreaterThanOrEqual(0);
          expect(before[i]!).toBeLessThanOrEqual(Math.PI / 2);
        }
      }),
      { seed: 29, numRuns: 60 },
    );
  });

  it('handles k = 0 and k = rows, and rejects bad sizes', () => {
    expect(principalAngles(new Float64Array(0), new Float64Array(0), 5, 0)).toHaveLength(0);
    const full = principalAngles(orthogonalMatrix(4, 1), orthogonalMatrix(4, 2), 4, 4);
    for (const angle of full) expect(angle).toBeLessThan(1e-7);
    expect(() => principalAngles(new Float64Array(6), new Float64Array(6), 2, 3)).toThrow(RangeError);
    expect(() => principalAngles(new Float64Array(6), new Float64Array(5), 3, 2)).toThrow(RangeError);
    expect(() => principalAngles(new Float64Array(6), new Float64Array(6), 3, 1.5)).toThrow(RangeError);
  });
});

describe('subspaceAlignment', () => {
  const rows = 16;
  const cols = 10;
  const sigma = [10, 7, 5, 3, 2, 1, 0.5, 0.3, 0.2, 0.1];

  /** U·diag(σ)·Vᵀ with the given U (rows×rows) and V (cols×cols). */
  function compose(u: Float64Array, v: Float64Array): Float64Array {
    const w = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let l = 0; l < cols; l++) s += (u[i * rows + l] as number) * sigma[l]! * (v[j * cols + l] as number);
        w[i * cols + j] = s;
      }
    }
    return w;
  }
  const u = orthogonalMatrix(rows, 11);
  const v = orthogonalMatrix(cols, 12);
  const wa = compose(u, v);

  it('finds the same subspace for W, 3·W and −W', () => {
    for (const factor of [1, 3, -1]) {
      const result = subspaceAlignment(wa, wa.map((x) => factor * x), rows, cols, 4);
      expect(result.k).toBe(4);
      expect(result.meanCos2).toBeCloseTo(1, 12);
      for (const angle of result.angles) expect(angle).toBeLessThan(1e-7);
      expect(result.rankDeficient).toBe(false);
    }
  });

  it('recovers a known rotation of the left singular vectors, and not of the right ones', () => {
    const phi = 0.4;
    // Rotate u₂ (inside the top 4) towards u₇ (outside): the top-4 left subspaces meet at angles [0, 0, 0, φ].
    const wb = compose(rotateColumns(u, rows, 2, 7, phi), v);
    const left = subspaceAlignment(wa, wb, rows, cols, 4);
    expect(left.angles[3]).toBeCloseTo(phi, 9);
    for (let i = 0; i < 3; i++) expect(left.angles[i]).toBeLessThan(1e-7);
    expect(left.meanCos2).toBeCloseTo((3 + Math.cos(phi) ** 2) / 4, 9);
    expect(Array.from(left.sigmaB)).toEqual(Array.from(left.sigmaA).map((s) => expect.closeTo(s, 9)));
    const right = subspaceAlignment(wa, wb, rows, cols, 4, { side: 'right' });
    for (const angle of right.angles) expect(angle).toBeLessThan(1e-7);
  });

  it('keeps mean cos²θ in [0, 1] for unrelated random matrices', () => {
    const result = subspaceAlignment(gaussianMatrix(rows, cols, 1), gaussianMatrix(rows, cols, 2), rows, cols, 3);
    expect(result.meanCos2).toBeGreaterThanOrEqual(0);
    expect(result.meanCos2).toBeLessThanOrEqual(1);
    expect(result.cosines).toHaveLength(3);
  });

  it('flags a rank-deficient input and caps k at min(rows, cols)', () => {
    const rankOne = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) rankOne[i * cols + j] = (i + 1) * (j + 1);
    expect(subspaceAlignment(wa, rankOne, rows, cols, 2).rankDeficient).toBe(true);
    expect(subspaceAlignment(wa, wa, rows, cols, 50).k).toBe(cols);
  });
});
