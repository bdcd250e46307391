/**
 * The WASM SIMD128 linear-algebra backend: the Gram matrix by the AssemblyScript kernel (float64 accumulation,
 * bit-identical to the TypeScript Gram), the eigen-solve by the plain-TS float64 solver.
 */
import type { LinalgBackend } from '../linalg/linalgBackend';
import type { GramKernel } from './gramKernel';
import { instantiateGramKernel } from './gramKernel';
import { gramWasm } from './gramWasm';
import { createWasmMemory } from './wasmMemory';
import type { WasmModuleSource } from './webAssemblyApi';

/** A backend over an instantiated Gram kernel. */
export function wasmLinalg(kernel: GramKernel): LinalgBackend {
  return { name: 'wasm-simd128 f64', gram: (data, rows, cols, shouldCancel) => gramWasm(kernel, data, rows, cols, shouldCancel ? { shouldCancel } : {}) };
}

/**
 * Instantiate the unshared Gram kernel (one thread, a memory of its own) from its compiled module or bytes.
 * @throws WasmKernelError when WebAssembly or SIMD128 is unavailable; callers fall back to `TYPESCRIPT_LINALG`
 */
export async function loadWasmLinalg(source: WasmModuleSource): Promise<LinalgBackend> {
  return wasmLinalg(await instantiateGramKernel(source, createWasmMemory({ shared: false })));
}
