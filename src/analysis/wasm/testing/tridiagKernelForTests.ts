/**
 * The tridiagonalisation kernel for Node tests and benchmarks: builds the kernels if they are missing
 * or stale (`buildKernels` skips the build when its manifest matches, ~0.1 s; a build takes ~6 s), then
 * instantiates kernels/tridiag.ts on a fresh memory. Test-only code (excluded from the core tsconfig).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKernels } from '../../../../scripts/kernels/buildKernels.mjs';
import type { TridiagKernel } from '../tridiagKernel';
import { instantiateTridiagKernel } from '../tridiagKernel';
import { createWasmMemory } from '../wasmMemory';

let built: ReturnType<typeof buildKernels> | undefined;

/** The bytes of tridiag.shared.wasm or tridiag.unshared.wasm, built once per process. */
export async function tridiagKernelBytes(shared: boolean): Promise<Uint8Array<ArrayBuffer>> {
  built ??= buildKernels({ quiet: true });
  const { outputDir } = await built;
  return Uint8Array.from(await readFile(join(outputDir, shared ? 'tridiag.shared.wasm' : 'tridiag.unshared.wasm')));
}

/** A kernel instance on a new memory of its own (unshared by default: one eigen-solve per worker). */
export async function tridiagKernelForTests(shared = false): Promise<TridiagKernel> {
  return instantiateTridiagKernel(await tridiagKernelBytes(shared), createWasmMemory({ shared }));
}
