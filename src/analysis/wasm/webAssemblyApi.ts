/**
 * The slice of the `WebAssembly` JavaScript API the kernels use, typed here so `src/analysis` keeps
 * typechecking without the DOM library (tsconfig.core.json). The real objects (`WebAssembly.Memory`,
 * `WebAssembly.Module`) satisfy these interfaces structurally, in browsers, workers and Node alike.
 */
import { WasmKernelError } from './wasmKernelError';

/** A `WebAssembly.Memory`. Its `buffer` is a SharedArrayBuffer when it was created with `shared: true`. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `deltaPages` pages of 64 KiB; returns the previous size in pages; throws RangeError past `maximum`. */
  grow(deltaPages: number): number;
}

/**
 * A compiled `WebAssembly.Module` (e.g. from `WebAssembly.compileStreaming(fetch(url))`, or posted to a
 * worker: modules are structured-cloneable), or the bytes of a .wasm file.
 */
export type WasmModuleSource = object | ArrayBuffer | ArrayBufferView;

/** What `WebAssembly.instantiate(module, imports)` resolves to. */
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** The members of the global `WebAssembly` namespace used here. */
export interface WebAssemblyApi {
  readonly Module: abstract new (...args: never[]) => object;
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  readonly LinkError: abstract new (...args: never[]) => Error;
  compile(bytes: ArrayBuffer | ArrayBufferView): Promise<object>;
  instantiate(module: object, imports: Record<string, Record<string, unknown>>): Promise<WasmInstance>;
}

/** The global `WebAssembly`, or `WasmKernelError('WASM_UNSUPPORTED')` when there is none. */
export function webAssemblyApi(): WebAssemblyApi {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) throw new WasmKernelError('WASM_UNSUPPORTED', 'This environment has no WebAssembly.');
  return api;
}

/** Whether `memory` was created with `shared: true` (its buffer is a SharedArrayBuffer). */
export function isSharedMemory(memory: WasmMemory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}
