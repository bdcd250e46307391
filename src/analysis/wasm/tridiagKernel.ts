/**
 * Instantiating the tridiagonalisation kernel (kernels/tridiag.ts, built by
 * `node scripts/kernels/buildKernels.mjs` into src/analysis/wasm/generated/tridiag.{shared,unshared}.wasm)
 * on a given memory.
 *
 * DOM-free, like gramKernel.ts: the caller supplies the module or its bytes (from `fs` in Vitest, from
 * `WebAssembly.compileStreaming(fetch(url))` in a Vite worker, with
 * `import url from '…/generated/tridiag.unshared.wasm?url'`). The module is ~4 KB.
 */
import type { WasmMemory, WasmModuleSource } from './webAssemblyApi';
import { instantiateKernel } from './instantiateKernel';

/**
 * The kernel's exports. Addresses are byte offsets into `memory`; `lda` is the row stride of A in
 * float64 elements (even). See kernels/tridiag.ts for the method; `tridiagonalizeWasm` drives them.
 * Calls never allocate and touch only the regions given, so one instance per thread may work on its
 * own region of a shared memory.
 */
export interface TridiagKernel {
  /** The memory the instance works in. */
  readonly memory: WasmMemory;
  /** Whether `memory` is shared (the instance comes from `tridiag.shared.wasm`). */
  readonly shared: boolean;
  /** Householder vector of row i ≥ 1 into u; sets d[i], e[i]; returns h (0: row already reduced). */
  householderRow(a: number, lda: number, i: number, u: number, d: number, e: number): number;
  /** p[0..size) = S·u for the leading size×size block, lower triangle. */
  lowerSymv(a: number, lda: number, size: number, u: number, p: number): void;
  /** One unblocked step on block 0..last (last ≥ 0); returns the next h. */
  reflectAndNext(a: number, lda: number, last: number, u: number, p: number, h: number, nextU: number, nextP: number, d: number, e: number): number;
  /** Step t of a panel, pivot row i ≥ 1; returns h. */
  panelStep(a: number, lda: number, i: number, t: number, panelU: number, panelQ: number, panelStride: number, d: number, e: number): number;
  /** Pack `steps` panel vector pairs, indices [0, size), for `panelUpdate`. */
  packPanel(panelU: number, panelQ: number, panelStride: number, steps: number, size: number, left: number, right: number): void;
  /** Rank-2·steps update (depth = 2·steps) of block rows [b0, b1) (4 rows each) of the lower triangle. */
  panelUpdate(a: number, lda: number, left: number, right: number, depth: number, b0: number, b1: number): void;
}

const EXPORTS = ['householderRow', 'lowerSymv', 'reflectAndNext', 'panelStep', 'packPanel', 'panelUpdate'] as const;

/**
 * Instantiate the tridiagonalisation kernel on `memory`.
 *
 * @param source The compiled module or the .wasm bytes; `tridiag.shared.wasm` for a shared memory,
 *   `tridiag.unshared.wasm` otherwise.
 * @param memory From `createWasmMemory` (it is grown on demand by `tridiagonalizeWasm`).
 * @throws WasmKernelError: 'WASM_UNSUPPORTED' (no WebAssembly or no SIMD128), 'WASM_MEMORY_MISMATCH'
 *   (shared memory with the unshared build or the reverse), 'WASM_KERNEL_INVALID' (not this kernel).
 */
export async function instantiateTridiagKernel(source: WasmModuleSource, memory: WasmMemory): Promise<TridiagKernel> {
  const { shared, exports } = await instantiateKernel(source, memory, { title: 'tridiagonalisation', file: 'tridiag' }, EXPORTS);
  return {
    memory,
    shared,
    householderRow: exports.householderRow,
    lowerSymv: exports.lowerSymv,
    reflectAndNext: exports.reflectAndNext,
    panelStep: exports.panelStep,
    packPanel: exports.packPanel,
    panelUpdate: exports.panelUpdate,
  };
}
