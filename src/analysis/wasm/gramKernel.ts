/**
 * Instantiating the Gram kernel (kernels/gram.ts, built by `node scripts/kernels/buildKernels.mjs` into
 * src/analysis/wasm/generated/gram.{shared,unshared}.wasm) on a given memory.
 *
 * DOM-free: the caller supplies the module or its bytes, so the same code runs in Vitest (bytes from
 * `fs`), in a Vite module worker (`import url from '…/gram.shared.wasm?url'` then
 * `WebAssembly.compileStreaming(fetch(url))`) and on the main thread. The module is ~2 KB; compile it
 * once and post the `WebAssembly.Module` with the shared memory to each worker.
 */
import type { WasmMemory, WasmModuleSource } from './webAssemblyApi';
import { instantiateKernel } from './instantiateKernel';

/**
 * The kernel's exports (all addresses are byte offsets into `memory`; see kernels/gram.ts for the layout).
 * Calls never allocate and never touch memory outside the offsets given, so instances in several
 * workers may run at once on one shared memory as long as their packed buffers and block rows differ.
 */
export interface GramKernel {
  /** The memory the instance works in. */
  readonly memory: WasmMemory;
  /** Whether `memory` is shared (the instance comes from `gram.shared.wasm`). */
  readonly shared: boolean;
  /** Pack Gram indices [g0, nPad) at depths [k0, k0 + kb) of a float32 matrix into float64 blocks. */
  packF32(a: number, indexStride: number, depthStride: number, n: number, k0: number, kb: number, g0: number, nPad: number, p: number): void;
  /** Same as `packF32`, for a float64 matrix. */
  packF64(a: number, indexStride: number, depthStride: number, n: number, k0: number, kb: number, g0: number, nPad: number, p: number): void;
  /** C[block rows b0..b1) (+)= one packed panel (upper block triangle); `accumulate` 0 overwrites. */
  gramPanel(p: number, kb: number, b0: number, b1: number, nPad: number, c: number, accumulate: number): void;
}

const EXPORTS = ['packF32', 'packF64', 'gramPanel'] as const;

type KernelFunction = (...args: number[]) => void;

/**
 * Instantiate the Gram kernel on `memory`.
 *
 * @param source The compiled module or the .wasm bytes; `gram.shared.wasm` for a shared memory,
 *   `gram.unshared.wasm` otherwise.
 * @param memory From `createWasmMemory`; in a worker pool, the one memory every worker received.
 * @throws WasmKernelError: 'WASM_UNSUPPORTED' (no WebAssembly or no SIMD128), 'WASM_MEMORY_MISMATCH'
 *   (shared memory with the unshared build or the reverse), 'WASM_KERNEL_INVALID' (not this kernel).
 */
export async function instantiateGramKernel(source: WasmModuleSource, memory: WasmMemory): Promise<GramKernel> {
  const { shared, exports } = await instantiateKernel(source, memory, { title: 'Gram', file: 'gram' }, EXPORTS);
  return { memory, shared, packF32: exports.packF32 as KernelFunction, packF64: exports.packF64 as KernelFunction, gramPanel: exports.gramPanel as KernelFunction };
}
