/**
 * The CLI's linear-algebra backend: the same WASM SIMD kernels (Gram, tridiagonalisation) the app's workers use (built by
 * `npm ci` / `npm run prepare`; built here if missing), or the plain-TypeScript route if it cannot load.
 * Both give bit-identical Gram matrices, so the CLI and the app print identical numbers either way.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { TYPESCRIPT_LINALG } from '../src/analysis/linalg/linalgBackend';
import { loadWasmLinalg } from '../src/analysis/wasm/wasmLinalg';
import { buildKernels } from '../scripts/kernels/buildKernels.mjs';

/** The WASM backend, or TypeScript with a note on stderr when the kernel cannot be built or loaded. */
export async function cliLinalg(useWasm: boolean, warn: (text: string) => void): Promise<LinalgBackend> {
  if (!useWasm) return TYPESCRIPT_LINALG;
  try {
    const { outputDir } = await buildKernels({ quiet: true });
    const read = async (file: string) => new Uint8Array(await readFile(join(outputDir, file)));
    return await loadWasmLinalg(await read('gram.unshared.wasm'), await read('tridiag.unshared.wasm'));
  } catch (error) {
    warn(`WASM SIMD kernels unavailable (${error instanceof Error ? error.message : String(error)}); using the plain-TypeScript float64 route.\n`);
    return TYPESCRIPT_LINALG;
  }
}
