/**
 * Eigenvalues of a symmetric float64 matrix with the expensive part, the Householder reduction to
 * tridiagonal form, on the WASM SIMD kernel (kernels/tridiag.ts), and the O(n²) implicit QL step in
 * TypeScript (`tridiagonalEigenvalues`, src/analysis/linalg/symmetricEigenvalues.ts). Timings:
 * scripts/kernels/benchEigen.ts.
 *
 * Two drivers: unblocked (per step one fused update + S·u pass, in the TS reference's exact order of
 * operations, so the results are **bit-identical** to `symmetricEigenvalues`) and blocked (LAPACK
 * dsytrd-style panels of `panelSize` steps + a register-tiled rank-2b update; equal to the reference to
 * rounding, max|Δλ| ~ 1e-14·max|λ|), which reduces the matrix down to order `crossover` and hands the
 * rest to the unblocked one. By default only orders above 1055 use panels. Both are limited by SIMD128
 * without FMA: ~11–14 GFLOP/s of the (4/3)·n³ flops while the matrix is in cache, ~8 GFLOP/s at n = 4096.
 *
 * Layout, from `baseOffset` (every region 64-byte aligned):
 *   A       rowsPad × lda float64, lda = n rounded up to 4 (+4 when a row would be a multiple of 4 KiB,
 *           so that the rows processed together do not share cache sets)
 *   d, e    n float64 each (e[i] = T[i, i−1])
 *   u, p, nextU, nextP   n float64 each (unblocked driver)
 *   panelU, panelQ       panelSize × n float64 each, n rounded up to 8 (blocked driver)
 *   left, right          nPad × 2·panelSize float64 each (packed panel)
 */
import type { ShouldCancel } from '../cancel';
import { throwIfCancelled } from '../cancel';
import type { SymmetricTridiagonal } from '../linalg/symmetricEigenvalues';
import { tridiagonalEigenvalues } from '../linalg/symmetricEigenvalues';
import type { TridiagKernel } from './tridiagKernel';
import { WasmKernelError } from './wasmKernelError';
import { ensureMemoryBytes, WASM_MAX_PAGES, WASM_PAGE_BYTES } from './wasmMemory';

/**
 * Steps per panel of the blocked driver (LAPACK's dsytrd default is 32). Measured in Node 20 on Zen 3
 * (scripts/kernels/benchEigen.ts --tune): 16 to 48 within noise, 64 ~10 % slower.
 */
export const DEFAULT_PANEL_SIZE = 32;
/**
 * The blocked driver hands the leading block to the unblocked one once it is this small, so orders up to
 * DEFAULT_CROSSOVER + DEFAULT_PANEL_SIZE − 1 = 1055 run unblocked only, bit-identical to the TypeScript
 * path. Measured in Node 20 on Zen 3 (noisy, two cores): the unblocked driver is within ~10 % of the
 * blocked one while the matrix stays in cache (n ≲ 1300 here); beyond, its read-and-write pass per step
 * is memory-bound and the blocked one wins (1536: 0.41 s vs 0.54 s; 4096: 11 s vs 12.7 s). Crossovers
 * 128 to 1024 timed the same for n ≥ 1536.
 */
export const DEFAULT_CROSSOVER = 1024;
/** Rank-2b update work per call between cancel checks, in 4×4 tiles (~1–3 ms at depth 64). */
const TILES_PER_CALL = 16_384;
const ALIGN = 64;

export interface TridiagonalizeWasmOptions {
  /** Polled once per Householder step and every few ms of the panel update; throws `AnalysisCancelled`. */
  readonly shouldCancel?: ShouldCancel;
  /** Steps per panel (default {@link DEFAULT_PANEL_SIZE}); 0 runs the unblocked driver only. */
  readonly panelSize?: number;
  /** Order below which the unblocked driver finishes (default {@link DEFAULT_CROSSOVER}, at least 2). */
  readonly crossover?: number;
  /** Where the layout starts in the kernel's memory (default 0; rounded up to 64 bytes). */
  readonly baseOffset?: number;
}

/** Byte offsets of one reduction's regions (see the file comment). */
interface TridiagLayout {
  readonly lda: number;
  readonly a: number;
  readonly d: number;
  readonly e: number;
  readonly u: number;
  readonly p: number;
  readonly nextU: number;
  readonly nextP: number;
  readonly panelU: number;
  readonly panelQ: number;
  /** Distance between consecutive panel vectors, in float64 elements. */
  readonly panelStride: number;
  readonly left: number;
  readonly right: number;
  readonly byteLength: number;
}

function planLayout(n: number, panelSize: number, baseOffset: number): TridiagLayout {
  const up = (x: number, m: number): number => Math.ceil(x / m) * m;
  let lda = up(n, 4);
  if ((lda * 8) % 4096 === 0) lda += 4;
  let offset = up(baseOffset, ALIGN);
  const take = (doubles: number): number => {
    const start = offset;
    offset = up(offset + 8 * doubles, ALIGN);
    return start;
  };
  const a = take(up(n, 4) * lda);
  const vectors = [take(n), take(n), take(n), take(n), take(n), take(n)] as const;
  const panelStride = up(n, 8);
  const panelU = take(panelSize * panelStride);
  const panelQ = take(panelSize * panelStride);
  const left = take(up(n, 4) * 2 * panelSize);
  const right = take(up(n, 4) * 2 * panelSize);
  const [d, e, u, p, nextU, nextP] = vectors;
  return { lda, a, d, e, u, p, nextU, nextP, panelU, panelQ, panelStride, left, right, byteLength: offset };
}

/**
 * All eigenvalues of a symmetric n×n matrix: the WASM counterpart of `symmetricEigenvalues`, bit-identical
 * to it up to order 1055 (the unblocked driver) and equal to rounding above (max|Δλ| ~ 1e-14·max|λ|).
 *
 * @param kernel From `instantiateTridiagKernel` (either build); its memory is grown as needed
 *   (≈ 8·n² bytes + O(n·panelSize) workspace: 8.4 MB for n = 1024, 140 MB for n = 4096).
 * @param matrix n×n row-major float64; only the lower triangle (j ≤ i) is read. Not modified.
 * @param shouldCancel Polled every few milliseconds of work; throws `AnalysisCancelled` when it returns true.
 * @returns The n eigenvalues, ascending, float64.
 * @throws RangeError on a bad order or length; WasmKernelError('WASM_OUT_OF_MEMORY') when the matrix does
 *   not fit; Error if the QL iteration does not converge.
 */
export function symmetricEigenvaluesWasm(kernel: TridiagKernel, matrix: Float64Array, n: number, shouldCancel?: ShouldCancel): Float64Array {
  const { diagonal, subDiagonal } = tridiagonalizeWasm(kernel, matrix, n, { shouldCancel });
  return tridiagonalEigenvalues(diagonal, subDiagonal, { shouldCancel });
}

/**
 * Householder reduction of a symmetric matrix to tridiagonal form on the WASM kernel: the WASM
 * counterpart of `tridiagonalize` (bit-identical when no panel runs, i.e. `panelSize` = 0 or
 * n < `crossover` + `panelSize`; equal to rounding otherwise), but `matrix` is not modified.
 *
 * @throws RangeError on a bad order, length or option; WasmKernelError('WASM_OUT_OF_MEMORY');
 *   `AnalysisCancelled`.
 */
export function tridiagonalizeWasm(kernel: TridiagKernel, matrix: Float64Array, n: number, options: TridiagonalizeWasmOptions = {}): SymmetricTridiagonal {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`tridiagonalizeWasm: bad order ${n}`);
  if (matrix.length !== n * n) throw new RangeError(`tridiagonalizeWasm: matrix has ${matrix.length} values, order ${n} needs ${n * n}`);
  const panelSize = options.panelSize ?? DEFAULT_PANEL_SIZE;
  const crossover = Math.max(options.crossover ?? DEFAULT_CROSSOVER, 2);
  if (!Number.isInteger(panelSize) || panelSize < 0) throw new RangeError(`tridiagonalizeWasm: bad panel size ${panelSize}`);
  if (n === 0) return { diagonal: new Float64Array(0), subDiagonal: new Float64Array(0) };
  const usesPanels = panelSize > 0 && n - panelSize >= crossover;
  const layout = planLayout(n, usesPanels ? panelSize : 0, options.baseOffset ?? 0);
  if (layout.byteLength > WASM_MAX_PAGES * WASM_PAGE_BYTES) {
    throw new WasmKernelError('WASM_OUT_OF_MEMORY', `A ${n}×${n} float64 matrix needs ${layout.byteLength} bytes, over the 4 GiB of wasm32.`);
  }
  const { memory } = kernel;
  ensureMemoryBytes(memory, layout.byteLength);
  const { lda, a } = layout;
  const stored = new Float64Array(memory.buffer, a, n * lda);
  for (let i = 0; i < n; i++) stored.set(matrix.subarray(i * n, i * n + i + 1), i * lda);

  let m = n; // rows/columns 0..m−1 are still to be reduced
  if (usesPanels) {
    while (m - panelSize >= crossover) {
      reducePanel(kernel, layout, m, panelSize, options.shouldCancel);
      m -= panelSize;
    }
  }
  reduceUnblocked(kernel, layout, m, options.shouldCancel);

  // Copies into new (never shared) buffers; e[0] is unused.
  const diagonal = new Float64Array(new Float64Array(memory.buffer, layout.d, n));
  diagonal[0] = stored[0] as number;
  const subDiagonal = new Float64Array(new Float64Array(memory.buffer, layout.e + 8, n - 1));
  return { diagonal, subDiagonal };
}

/**
 * One panel: steps for pivot rows m−1 .. m−b (b = panelSize) against the stale block, then the
 * rank-2b update of the leading (m−b)×(m−b) block, in row chunks between cancel checks.
 */
function reducePanel(kernel: TridiagKernel, layout: TridiagLayout, m: number, b: number, shouldCancel: ShouldCancel | undefined): void {
  const { a, lda, d, e, panelU, panelQ, panelStride, left, right } = layout;
  for (let t = 0; t < b; t++) {
    throwIfCancelled(shouldCancel);
    kernel.panelStep(a, lda, m - 1 - t, t, panelU, panelQ, panelStride, d, e);
  }
  const size = m - b;
  kernel.packPanel(panelU, panelQ, panelStride, b, size, left, right);
  const blocks = Math.ceil(size / 4);
  for (let b0 = 0; b0 < blocks; ) {
    throwIfCancelled(shouldCancel);
    let b1 = b0;
    let tiles = 0;
    while (b1 < blocks && tiles < TILES_PER_CALL) tiles += ++b1; // block row bi holds bi + 1 tiles
    kernel.panelUpdate(a, lda, left, right, 2 * b, b0, b1);
    b0 = b1;
  }
}

/** The unblocked steps on the leading m×m block (the loop of the TS reference), leaving d[1..m), e[1..m). */
function reduceUnblocked(kernel: TridiagKernel, layout: TridiagLayout, m: number, shouldCancel: ShouldCancel | undefined): void {
  if (m < 2) return;
  const { a, lda, d, e } = layout;
  let { u, p, nextU, nextP } = layout;
  let h = kernel.householderRow(a, lda, m - 1, u, d, e);
  if (h > 0) kernel.lowerSymv(a, lda, m - 1, u, p);
  for (let i = m - 1; i >= 1; i--) {
    throwIfCancelled(shouldCancel);
    const last = i - 1; // the block being reflected is rows/columns 0..last
    if (h === 0) {
      if (last >= 1) {
        h = kernel.householderRow(a, lda, last, u, d, e);
        if (h > 0) kernel.lowerSymv(a, lda, last, u, p);
      }
      continue;
    }
    h = kernel.reflectAndNext(a, lda, last, u, p, h, nextU, nextP, d, e);
    [u, nextU] = [nextU, u];
    [p, nextP] = [nextP, p];
  }
}
