/**
 * The Gram kernel for Node tests and benchmarks: builds it from kernels/gram.ts if it is missing or
 * stale (`buildKernels` skips the build when its manifest matches, ~0.1 s; a build takes ~3 s), then
 * instantiates it on a fresh memory. Test-only code (excluded from the core tsconfig).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildKernels } from '../../../../scripts/kernels/buildKernels.mjs';
import type { GramKernel } from '../gramKernel';
import { instantiateGramKernel } from '../gramKernel';
import { createWasmMemory } from '../wasmMemory';

let built: ReturnType<typeof buildKernels> | undefined;

/** The bytes of gram.shared.wasm or gram.unshared.wasm, built once per process. */
export async function gramKernelBytes(shared: boolean): Promise<Uint8Array<ArrayBuffer>> {
  built ??= buildKernels({ quiet: true });
  const { outputDir } = await built;
  return Uint8Array.from(await readFile(join(outputDir, shared ? 'gram.shared.wasm' : 'gram.unshared.wasm')));
}

/** A kernel instance on a new memory of its own (shared by default, as in the worker pool). */
export async function gramKernelForTests(shared = true): Promise<GramKernel> {
  return instantiateGramKernel(await gramKernelBytes(shared), createWasmMemory({ shared }));
}
