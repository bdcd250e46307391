/**
 * Loading h5wasm (HDF5 2.x compiled to WebAssembly, `usnistgov/h5wasm`), once per thread, on demand.
 *
 * - **No network.** h5wasm's ESM build (`h5wasm` → `dist/esm/hdf5_hl.js`) embeds its ~3 MB wasm binary in
 *   the JavaScript (Emscripten `SINGLE_FILE`), so the same import works in Node, in a Vite-bundled module
 *   worker and offline: there is no `.wasm` file to fetch and no `locateFile` to configure.
 * - **Only when needed.** It is imported with `await import('h5wasm')`, so its ~4 MB of JavaScript is a
 *   separate chunk that loads the first time an HDF5 file is opened, never for other formats.
 * - **`ready` awaited once.** Importing h5wasm starts instantiating the module; {@link loadH5wasm} caches the
 *   promise of the instantiated module, so every caller in the thread shares one instance.
 * - **Quiet, and informative.** HDF5's default error handler prints an error stack to stderr for every failed
 *   call. stderr (fd 2) is pointed at an Emscripten character device that collects the text instead, and
 *   hdf5Diagnostics.ts turns it into the detail of the error the user sees.
 *
 * The types below declare just the parts of h5wasm's low-level module (`hdf5_util.cc`, bound with embind)
 * that the engine calls, so `src/formats` typechecks without h5wasm's DOM-flavoured declarations.
 */

/** The h5wasm metadata of a datatype + dataspace (`get_abstractDS_metadata` in hdf5_util.cc). */
export interface H5Metadata {
  /** HDF5 type class, `H5T_class_t` (0 integer, 1 float, 3 string, 5 opaque, …). */
  readonly type: number;
  /** Bytes per element; for variable-length strings the size of a pointer. */
  readonly size: number;
  /** Number of elements (`H5Sget_simple_extent_npoints`). */
  readonly total_size: number;
  readonly signed: boolean;
  readonly littleEndian: boolean;
  readonly vlen: boolean;
  /** String padding, `H5T_str_t`: 0 null-terminated, 1 null-padded, 2 space-padded. */
  readonly strpad?: number;
  /** Dimensions; `null` for an H5S_NULL dataspace. */
  readonly shape: readonly number[] | null;
}

/** One filter of a dataset's pipeline (`get_dataset_filters`). */
export interface H5Filter {
  readonly id: number;
  readonly name: string;
}

/** The slice of an Emscripten file system the engine uses (MEMFS files, devices, streams). */
export interface EmscriptenFs {
  writeFile(path: string, data: Uint8Array, options?: { canOwn?: boolean }): void;
  unlink(path: string): void;
  makedev(major: number, minor: number): number;
  registerDevice(device: number, streamOps: EmscriptenDeviceOps): void;
  mkdev(path: string, device: number): void;
  open(path: string, flags: string): { readonly fd: number };
  close(stream: object): void;
  readonly streams: readonly ({ readonly fd: number; readonly path?: string } | null | undefined)[];
}

/** Stream operations of an Emscripten character device. */
export interface EmscriptenDeviceOps {
  open(stream: unknown): void;
  close(stream: unknown): void;
  read(stream: unknown, buffer: Uint8Array, offset: number, length: number): number;
  write(stream: unknown, buffer: Uint8Array, offset: number, length: number): number;
}

/** The low-level h5wasm module (what `h5wasm.ready` resolves to): embind functions over HDF5. */
export interface H5Module {
  readonly FS: EmscriptenFs;
  readonly HEAPU8: Uint8Array;
  readonly H5F_ACC_RDONLY: number;
  readonly H5G_GROUP: number;
  readonly H5G_DATASET: number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  /** `H5Fopen`; a negative id on failure. */
  open(path: string, mode: number, trackOrder: boolean, libverLow: number, libverHigh: number): bigint;
  close_file(fileId: bigint): number;
  /** `H5Gget_objinfo(…, follow_link = true)` type (H5G_GROUP, H5G_DATASET, …), or −1 when nothing is there. */
  get_type(fileId: bigint, path: string): number;
  /** Names of the links in a group. */
  get_names(fileId: bigint, path: string, recursive: boolean): string[];
  get_attribute_names(fileId: bigint, path: string): string[];
  get_attribute_metadata(fileId: bigint, path: string, name: string): H5Metadata;
  /** `H5Aread` into wasm memory at `pointer`; negative on failure. */
  get_attribute_data(fileId: bigint, path: string, name: string, pointer: bigint): number;
  /** Free the strings `H5Aread` allocated for a variable-length attribute read to `pointer`. */
  reclaim_vlen_memory(fileId: bigint, path: string, name: string, pointer: bigint): number;
  get_dataset_metadata(fileId: bigint, path: string): H5Metadata;
  get_dataset_filters(fileId: bigint, path: string): H5Filter[];
  /** `H5Dread` of the whole dataset, as little-endian elements, into wasm memory at `pointer`; negative on failure. */
  get_dataset_data(fileId: bigint, path: string, count: null, offset: null, strides: null, pointer: bigint): number;
}

/** What HDF5 printed to stderr since the last `clear()`. */
export interface Stderr {
  clear(): void;
  text(): string;
}

/** The loaded runtime: the module and its captured stderr. */
export interface H5wasmRuntime {
  readonly module: H5Module;
  readonly stderr: Stderr;
}

/** Keep at most this much stderr text per call (an error stack is ~2 KB). */
const MAX_STDERR_CHARS = 64 * 1024;

/** Point fd 2 at a character device that collects what is written (fd 2 is reused: FS.open takes the lowest free fd). */
function captureStderr(fs: EmscriptenFs): Stderr {
  let text = '';
  const decoder = new TextDecoder();
  const device = fs.makedev(64, 0);
  fs.registerDevice(device, {
    open: () => undefined,
    close: () => undefined,
    read: () => 0,
    write: (_stream, buffer, offset, length) => {
      if (text.length < MAX_STDERR_CHARS) text += decoder.decode(buffer.subarray(offset, offset + length));
      return length;
    },
  });
  fs.mkdev('/dev/mri-stderr', device);
  const stderr = fs.streams[2];
  if (stderr) fs.close(stderr);
  fs.open('/dev/mri-stderr', 'w');
  return {
    clear: () => {
      text = '';
    },
    text: () => text,
  };
}

let loading: Promise<H5wasmRuntime> | null = null;

/**
 * The h5wasm runtime of this thread, loaded on first use (dynamic import, then `ready`).
 * A failed load is not cached, so a later call tries again.
 */
export function loadH5wasm(): Promise<H5wasmRuntime> {
  if (loading === null) {
    const attempt = (async () => {
      const library = (await import('h5wasm')) as unknown as { readonly ready: Promise<unknown> };
      const module = (await library.ready) as H5Module;
      return { module, stderr: captureStderr(module.FS) };
    })();
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = null;
    });
  }
  return loading;
}
