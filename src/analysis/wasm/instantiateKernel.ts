/**
 * The one way a kernel is instantiated: compile the bytes (or take a compiled module), link it to a memory,
 * and check its function exports, with coded errors a caller can fall back on.
 */
import { WasmKernelError } from './wasmKernelError';
import type { WasmMemory, WasmModuleSource } from './webAssemblyApi';
import { isSharedMemory, webAssemblyApi } from './webAssemblyApi';

/** A kernel's description for its error messages: e.g. `{ title: 'Gram', file: 'gram' }`. */
export interface KernelName {
  readonly title: string;
  readonly file: string;
}

/**
 * The kernel's function exports, checked to exist, plus whether its memory is shared.
 * @throws WasmKernelError: 'WASM_UNSUPPORTED' (no WebAssembly or no SIMD128), 'WASM_MEMORY_MISMATCH'
 *   (shared memory with the unshared build or the reverse), 'WASM_KERNEL_INVALID' (an export is missing)
 */
export async function instantiateKernel<F extends string>(
  source: WasmModuleSource,
  memory: WasmMemory,
  name: KernelName,
  functions: readonly F[],
): Promise<{ readonly shared: boolean; readonly exports: Record<F, (...args: number[]) => number> }> {
  const api = webAssemblyApi();
  let module: object;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    try {
      module = await api.compile(source);
    } catch (cause) {
      throw new WasmKernelError('WASM_UNSUPPORTED', `This WebAssembly engine cannot compile the ${name.title} kernel (it needs SIMD128).`, { cause });
    }
  } else {
    module = source;
  }
  const shared = isSharedMemory(memory);
  let exports: Record<string, unknown>;
  try {
    ({ exports } = await api.instantiate(module, { env: { memory } }));
  } catch (cause) {
    if (cause instanceof api.LinkError) {
      const variant = shared ? 'shared' : 'unshared';
      throw new WasmKernelError('WASM_MEMORY_MISMATCH', `The ${name.title} kernel does not accept this ${variant} memory: use ${name.file}.${variant}.wasm.`, { cause });
    }
    throw cause;
  }
  for (const f of functions) {
    if (typeof exports[f] !== 'function') throw new WasmKernelError('WASM_KERNEL_INVALID', `The ${name.title} kernel module has no function export "${f}".`);
  }
  // Checked just above: wasm functions taking numbers.
  return { shared, exports: exports as Record<F, (...args: number[]) => number> };
}
