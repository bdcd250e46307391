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
import { webAssemblyApi } from './webAssemblyApi';
import { WasmKernelError } from './wasmKernelError';

/**
 * WebAssembly memory never shrinks: after a layer that needed more than this, the kernel is re-instantiated
 * on a fresh memory (before the next layer, in `prepare`) so the big one can be garbage-collected.
 */
export const KEEP_MEMORY_BYTES = 256 * 2 ** 20;

/**
 * A backend over instantiated kernels (without the tridiagonal one, the eigen-solve stays in TypeScript).
 * @param renew makes fresh kernels on fresh memory; without it, memory is kept however large it grew
 */
export function wasmLinalg(
  kernel: GramKernel,
  tridiag?: TridiagKernel,
  renew?: () => Promise<{ gram: GramKernel; tridiag?: TridiagKernel }>,
  keepMemoryBytes = KEEP_MEMORY_BYTES,
): LinalgBackend {
  let current: { gram: GramKernel; tridiag?: TridiagKernel } = { gram: kernel, ...(tridiag ? { tridiag } : {}) };
  const oversized = () => current.gram.memory.buffer.byteLength > keepMemoryBytes || (current.tridiag?.memory.buffer.byteLength ?? 0) > keepMemoryBytes;
  return {
    name: 'wasm-simd128 f64',
    gram: (data, rows, cols, shouldCancel) => gramWasm(current.gram, data, rows, cols, shouldCancel ? { shouldCancel } : {}),
    ...(tridiag
      ? { symmetricEigenvalues: (matrix: Float64Array, n: number, shouldCancel?: ShouldCancel) => symmetricEigenvaluesWasm(current.tridiag ?? tridiag, matrix, n, shouldCancel) }
      : {}),
    async prepare() {
      if (renew && oversized()) current = await renew();
    },
  };
}

/**
 * Instantiate the unshared kernels (one thread, a memory of their own each) from compiled modules or bytes.
 * @throws WasmKernelError when WebAssembly or SIMD128 is unavailable; callers fall back to `TYPESCRIPT_LINALG`
 */
export async function loadWasmLinalg(gram: WasmModuleSource, tridiag?: WasmModuleSource): Promise<LinalgBackend> {
  const api = webAssemblyApi();
  // Compile once; fresh instances on fresh memory are then cheap.
  const compile = async (source: WasmModuleSource) => (source instanceof ArrayBuffer || ArrayBuffer.isView(source) ? api.compile(source) : source);
  const gramModule = await compile(gram).catch((cause: unknown) => {
    throw new WasmKernelError('WASM_UNSUPPORTED', 'This WebAssembly engine cannot compile the Gram kernel (it needs SIMD128).', { cause });
  });
  const tridiagModule = tridiag ? await compile(tridiag) : undefined;
  const fresh = async () => ({
    gram: await instantiateGramKernel(gramModule, createWasmMemory({ shared: false })),
    ...(tridiagModule ? { tridiag: await instantiateTridiagKernel(tridiagModule, createWasmMemory({ shared: false })) } : {}),
  });
  const first = await fresh();
  return wasmLinalg(first.gram, first.tridiag, fresh);
}
