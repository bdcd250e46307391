/**
 * The WASM SIMD128 linear-algebra backend: the Gram matrix by the AssemblyScript kernel (float64 accumulation,
 * bit-identical to the TypeScript Gram) and the Householder tridiagonalisation by the second kernel
 * (bit-identical to the TypeScript solver up to order 1055, within ~1e-14 above), then the TypeScript QL.
 */
import type { LinalgBackend } from '../linalg/linalgBackend';
import type { GramKernel } from './gramKernel';
import { instantiateGramKernel } from './gramKernel';
import { gramWasm } from './gramWasm';
import type { TridiagKernel } from './tridiagKernel';
import { instantiateTridiagKernel } from './tridiagKernel';
import { symmetricEigenvaluesWasm } from './tridiagWasm';
import type { ShouldCancel } from '../cancel';
import { createWasmMemory } from './wasmMemory';
import type { WasmModuleSource } from './webAssemblyApi';

/** A backend over instantiated kernels (without the tridiagonal one, the eigen-solve stays in TypeScript). */
export function wasmLinalg(kernel: GramKernel, tridiag?: TridiagKernel): LinalgBackend {
  return {
    name: 'wasm-simd128 f64',
    gram: (data, rows, cols, shouldCancel) => gramWasm(kernel, data, rows, cols, shouldCancel ? { shouldCancel } : {}),
    ...(tridiag ? { symmetricEigenvalues: (matrix: Float64Array, n: number, shouldCancel?: ShouldCancel) => symmetricEigenvaluesWasm(tridiag, matrix, n, shouldCancel) } : {}),
  };
}

/**
 * Instantiate the unshared kernels (one thread, a memory of their own each) from compiled modules or bytes.
 * @throws WasmKernelError when WebAssembly or SIMD128 is unavailable; callers fall back to `TYPESCRIPT_LINALG`
 */
export async function loadWasmLinalg(gram: WasmModuleSource, tridiag?: WasmModuleSource): Promise<LinalgBackend> {
  const gramKernel = await instantiateGramKernel(gram, createWasmMemory({ shared: false }));
  const tridiagKernel = tridiag ? await instantiateTridiagKernel(tridiag, createWasmMemory({ shared: false })) : undefined;
  return wasmLinalg(gramKernel, tridiagKernel);
}
