/**
 * Just enough spectral analysis for the SOURCES.md report (not the app's implementation): singular values of a
 * small dense matrix from its Gram matrix in float64 and a cyclic Jacobi eigen-solve. Fine for the sample model's
 * matrices (at most 64 × 512, so the Gram is at most 64 × 64); it loses the tail below ~1e-8·σ_max, which the
 * summary statistics here do not need.
 */

/** Singular values, descending, of the row-major rows × cols matrix `a`. */
export function singularValues(a: Float32Array | Float64Array, rows: number, cols: number): Float64Array {
  if (a.length !== rows * cols) throw new RangeError(`singularValues: ${a.length} values for ${rows}×${cols}`);
  // Gram of the smaller side: G = A Aᵀ (rows ≤ cols) or Aᵀ A.
  const byRows = rows <= cols;
  const n = byRows ? rows : cols;
  const inner = byRows ? cols : rows;
  const at = (i: number, k: number): number => (byRows ? (a[i * cols + k] ?? 0) : (a[k * cols + i] ?? 0));
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < inner; k++) s += at(i, k) * at(j, k);
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  const eig = jacobiEigenvalues(g, n);
  return Float64Array.from(eig, (l) => Math.sqrt(Math.max(0, l))).sort((x, y) => y - x);
}

/** Eigenvalues of the symmetric n × n matrix `m` (row-major, overwritten) by cyclic Jacobi rotations. */
function jacobiEigenvalues(m: Float64Array, n: number): Float64Array {
  const get = (i: number, j: number): number => m[i * n + j] ?? 0;
  const set = (i: number, j: number, v: number): void => {
    m[i * n + j] = v;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += get(i, i) ** 2;
      for (let j = i + 1; j < n; j++) off += get(i, j) ** 2;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = get(p, q);
        if (apq === 0) continue;
        const app = get(p, p);
        const aqq = get(q, q);
        // Rotation angle that zeroes (p, q): tan 2φ = 2 a_pq / (a_qq − a_pp) (Golub & Van Loan, Alg. 8.5.1).
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = get(k, p);
          const akq = get(k, q);
          set(k, p, c * akp - s * akq);
          set(k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = get(p, k);
          const aqk = get(q, k);
          set(p, k, c * apk - s * aqk);
          set(q, k, s * apk + c * aqk);
        }
      }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => get(i, i));
}

/** Summary statistics of one spectrum, as reported in SOURCES.md. */
export interface SpectrumSummary {
  readonly count: number;
  readonly sigmaMax: number;
  readonly sigmaMedian: number;
  /** Σσ² / σ_max² (WW's stable_rank). */
  readonly stableRank: number;
  /** ‖W‖_F = √Σσ². */
  readonly frobenius: number;
}

/** Summarise descending singular values. */
export function summarise(sigmaDesc: Float64Array): SpectrumSummary {
  const count = sigmaDesc.length;
  const sigmaMax = sigmaDesc[0] ?? 0;
  const sorted = [...sigmaDesc].sort((x, y) => x - y);
  const mid = Math.floor(count / 2);
  const sigmaMedian = count % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  const sumSq = sigmaDesc.reduce((s, v) => s + v * v, 0);
  return { count, sigmaMax, sigmaMedian, stableRank: sumSq / (sigmaMax * sigmaMax), frobenius: Math.sqrt(sumSq) };
}
