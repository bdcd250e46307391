/**
 * The one error class of the WASM kernels. Every code is an expected outcome that the caller answers by
 * falling back to the plain-TypeScript path (`src/analysis/linalg`), never a bug.
 */

/** Stable codes, carried across the worker boundary. */
export type WasmKernelErrorCode =
  /** No `WebAssembly`, or the engine rejects the module (e.g. no SIMD128: Safari < 16.4). */
  | 'WASM_UNSUPPORTED'
  /** The module links, but is not the kernel expected (missing or wrong exports). */
  | 'WASM_KERNEL_INVALID'
  /** Shared memory given to the unshared build, or the reverse (`gram.shared.wasm` needs `shared: true`). */
  | 'WASM_MEMORY_MISMATCH'
  /** The matrix does not fit: the layout exceeds 4 GiB, or the memory could not grow (its `maximum`, or the browser). */
  | 'WASM_OUT_OF_MEMORY';

/** The plain form, for `postMessage`. */
export interface WasmKernelErrorPlain {
  readonly name: 'WasmKernelError';
  readonly code: WasmKernelErrorCode;
  readonly message: string;
}

/** A WASM kernel that cannot run here; see {@link WasmKernelErrorCode}. */
export class WasmKernelError extends Error {
  override readonly name = 'WasmKernelError' as const;
  readonly code: WasmKernelErrorCode;

  constructor(code: WasmKernelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** The plain form, for `postMessage` and `JSON.stringify`. */
  toJSON(): WasmKernelErrorPlain {
    return { name: this.name, code: this.code, message: this.message };
  }
}
