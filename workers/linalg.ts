/**
 * The linear-algebra backend of this worker: the WASM SIMD128 kernels when the browser can run them, else the
 * plain-TypeScript float64 route. Loaded once, on first use; a failure is logged and falls back, never fatal.
 */
import gramWasmUrl from '../src/analysis/wasm/generated/gram.unshared.wasm?url';
import tridiagWasmUrl from '../src/analysis/wasm/generated/tridiag.unshared.wasm?url';
import type { LinalgBackend } from '../src/analysis/linalg/linalgBackend';
import { TYPESCRIPT_LINALG } from '../src/analysis/linalg/linalgBackend';
import { loadWasmLinalg } from '../src/analysis/wasm/wasmLinalg';

let wasm: Promise<LinalgBackend> | null = null;

async function load(): Promise<LinalgBackend> {
  try {
    const [gram, tridiag] = await Promise.all([gramWasmUrl, tridiagWasmUrl].map(async (url) => WebAssembly.compile(await (await fetch(url)).arrayBuffer())));
    return await loadWasmLinalg(gram as WebAssembly.Module, tridiag);
  } catch (error) {
    console.warn('WASM SIMD kernels unavailable; using the plain-TypeScript float64 route.', error);
    return TYPESCRIPT_LINALG;
  }
}

/** This worker's backend: WASM where it loads, unless the TypeScript route is asked for (settings.linalg). */
export function workerLinalg(forceTypescript: boolean): Promise<LinalgBackend> {
  if (forceTypescript) return Promise.resolve(TYPESCRIPT_LINALG);
  wasm ??= load();
  return wasm;
}
