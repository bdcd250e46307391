/**
 * Creating and growing the WebAssembly.Memory the kernels work in.
 *
 * One memory serves every worker of a pool: created once with `shared: true` (needs cross-origin
 * isolation in browsers), posted to each worker, and passed to `instantiateGramKernel` there. Only one
 * thread (the one that writes the input) grows it; growth is visible to all instances at once, but
 * JavaScript views must be re-created from `memory.buffer` afterwards, which the functions here do.
 */
import type { WasmMemory } from './webAssemblyApi';
import { webAssemblyApi } from './webAssemblyApi';
import { WasmKernelError } from './wasmKernelError';

/** Bytes per WebAssembly page. */
export const WASM_PAGE_BYTES = 65_536;

/** The largest memory the kernels declare (wasm32: 65536 pages = 4 GiB). */
export const WASM_MAX_PAGES = 65_536;

export interface WasmMemoryOptions {
  /** `true` for the multi-worker build (`gram.shared.wasm`), `false` for `gram.unshared.wasm`. */
  readonly shared: boolean;
  /** Initial size in pages (default 1; grown on demand by {@link ensureMemoryBytes}). */
  readonly initialPages?: number;
  /**
   * Maximum size in pages (default {@link WASM_MAX_PAGES}). A shared memory cannot grow past it.
   * 64-bit browsers only reserve address space for it; lower it on 32-bit devices.
   */
  readonly maximumPages?: number;
}

/** A new `WebAssembly.Memory` for the kernels. */
export function createWasmMemory(options: WasmMemoryOptions): WasmMemory {
  const initial = options.initialPages ?? 1;
  const maximum = options.maximumPages ?? WASM_MAX_PAGES;
  if (!Number.isInteger(initial) || !Number.isInteger(maximum) || initial < 1 || maximum < initial || maximum > WASM_MAX_PAGES) {
    throw new RangeError(`createWasmMemory: bad page counts initial ${initial}, maximum ${maximum}`);
  }
  const api = webAssemblyApi();
  try {
    return new api.Memory({ initial, maximum, shared: options.shared });
  } catch (cause) {
    const why = options.shared ? ' (a shared memory needs a cross-origin isolated page)' : '';
    throw new WasmKernelError('WASM_OUT_OF_MEMORY', `Could not create a ${initial}-page WebAssembly memory${why}.`, { cause });
  }
}

/**
 * Grow `memory` to at least `byteLength` bytes (never shrinks).
 * @throws WasmKernelError('WASM_OUT_OF_MEMORY') when the memory's maximum or the engine refuses.
 */
export function ensureMemoryBytes(memory: WasmMemory, byteLength: number): void {
  const have = memory.buffer.byteLength;
  if (byteLength <= have) return;
  const pages = Math.ceil((byteLength - have) / WASM_PAGE_BYTES);
  try {
    memory.grow(pages);
  } catch (cause) {
    throw new WasmKernelError(
      'WASM_OUT_OF_MEMORY',
      `Could not grow the WebAssembly memory from ${have / WASM_PAGE_BYTES} to ${have / WASM_PAGE_BYTES + pages} pages (${formatMiB(byteLength)} needed).`,
      { cause },
    );
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
