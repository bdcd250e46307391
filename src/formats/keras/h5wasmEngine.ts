/**
 * The HDF5 engine: h5wasm driven directly, with every call checked. It runs wherever h5wasm is loaded, which
 * in the app is the HDF5 worker (hdf5.worker.ts) and in Node the calling thread.
 *
 * Why the file is read into memory: HDF5 needs random access all over the file (superblock, object headers,
 * B-trees, heaps), and h5wasm reads only through its Emscripten file system. The simplest robust way to
 * give it a dropped file is to hand over the file's bytes as a MEMFS file (`canOwn`: MEMFS keeps the given
 * array, no copy). Datasets stay in the file until a tensor is read; closing the file unlinks it.
 *
 * Why every call is guarded: on a damaged file h5wasm may return a negative id, throw a plain Error
 * ("error - name not defined!", from `throw_error` in hdf5_util.cc), return a negative status while
 * leaving the output buffer unwritten, or trap (out-of-bounds access, `abort()`, stack overflow). The first
 * three become an {@link Hdf5Failure} described by HDF5's own error stack; a trap also marks the engine as
 * poisoned, since HDF5's global state may be inconsistent afterwards. Only a thread that can be terminated
 * also bounds the time a call takes (a damaged global heap can make HDF5 loop forever): hdf5Host.ts.
 */
import { problemFromDiagnostics } from './hdf5Diagnostics';
import type { Hdf5AttributeValue, Hdf5Dataset, Hdf5Object, Hdf5Snapshot, Hdf5TypeClass, SnapshotOptions } from './hdf5Snapshot';
import { HDF5_TYPE_CLASSES, Hdf5Failure, MAX_DATASET_BYTES, matchesAttributeName } from './hdf5Snapshot';
import type { H5Metadata, H5wasmRuntime } from './h5wasmRuntime';
import { loadH5wasm } from './h5wasmRuntime';

/** An HDF5 engine with open files addressed by handle. Calls are synchronous; failures throw Hdf5Failure. */
export interface Hdf5Engine {
  /** Take over `bytes` (the whole file), open it read-only and walk it. */
  open(bytes: Uint8Array, options: SnapshotOptions): { handle: number; snapshot: Hdf5Snapshot };
  /** Read a whole dataset as little-endian element bytes (a fresh array, not a view of wasm memory). */
  read(handle: number, path: string): Uint8Array;
  /** Close the file and free its bytes. Unknown handles are ignored. */
  close(handle: number): void;
  /** Whether the wasm module trapped; a poisoned engine refuses every call (its thread should be replaced). */
  readonly poisoned: boolean;
}

/** Largest attribute read, in bytes (Keras' `model_config` of a large model is a few MB). */
const MAX_ATTRIBUTE_BYTES = 64 * 1024 * 1024;
/**
 * A filtered dataset may expand at most this much: deflate's limit is 1032:1 (RFC 1951 maximal run
 * encoding), so more means a damaged header, not compression.
 */
const MAX_EXPANSION = 1100;
const TYPE_CLASS_STRING = 3;

/** Whether a thrown value is a trap (or anything but h5wasm's own `throw_error`, which throws plain Errors). */
function isTrap(error: unknown): boolean {
  return !(error instanceof Error) || error.name !== 'Error';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function typeClass(code: number): Hdf5TypeClass {
  return HDF5_TYPE_CLASSES[code] ?? 'unknown';
}

/** `parent/name` as an absolute HDF5 path. */
function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function createEngine({ module, stderr }: H5wasmRuntime): Hdf5Engine {
  const files = new Map<number, { fileId: bigint; fsPath: string; byteLength: number }>();
  const decoder = new TextDecoder();
  let nextHandle = 1;
  let poisoned = false;

  /** Run one h5wasm call; turn anything it throws into an Hdf5Failure described by HDF5's stderr. */
  function call<T>(what: string, fn: () => T): T {
    if (poisoned) {
      throw new Hdf5Failure({ reason: 'crashed', detail: 'the HDF5 engine crashed on an earlier file and cannot be used again in this thread' });
    }
    stderr.clear();
    try {
      return fn();
    } catch (error) {
      if (error instanceof Hdf5Failure) throw error;
      if (isTrap(error)) {
        poisoned = true;
        throw new Hdf5Failure({ reason: 'crashed', detail: `${what}: ${messageOf(error)}` });
      }
      throw new Hdf5Failure(problemFromDiagnostics(stderr.text(), { reason: 'corrupt', detail: `${what}: ${messageOf(error)}` }));
    }
  }

  /** Fail with HDF5's description of the call that just returned a failure value. */
  function failed(detail: string): Hdf5Failure {
    return new Hdf5Failure(problemFromDiagnostics(stderr.text(), { reason: 'corrupt', detail }));
  }

  /** A NUL-terminated UTF-8 string at `pointer` in wasm memory, at most MAX_ATTRIBUTE_BYTES long. */
  function cString(pointer: number): string {
    const heap = module.HEAPU8;
    const region = heap.subarray(pointer, Math.min(heap.length, pointer + MAX_ATTRIBUTE_BYTES));
    const end = region.indexOf(0);
    return decoder.decode(end < 0 ? region : region.subarray(0, end));
  }

  /** A fixed-length string: cut at the first NUL; space-padded strings (Fortran) also lose trailing spaces. */
  function fixedString(bytes: Uint8Array, strpad: number | undefined): string {
    const end = bytes.indexOf(0);
    const text = decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
    return strpad === 2 ? text.replace(/ +$/, '') : text;
  }

  /**
   * A text attribute (fixed or variable length, scalar or 1-D), `[]` when it has no elements whatever its
   * type (Keras 2 writes an empty `weight_names` as a float64 array of shape (0,)), else `null`.
   */
  function readTextAttribute(fileId: bigint, path: string, name: string): Hdf5AttributeValue {
    const what = `attribute "${name}" of ${path}`;
    const meta = call(what, () => module.get_attribute_metadata(fileId, path, name));
    if (meta.shape !== null && meta.shape.length > 0 && meta.total_size === 0) return [];
    if (meta.type !== TYPE_CLASS_STRING || meta.shape === null) return null;
    const count = meta.total_size;
    const width = meta.vlen ? 4 : meta.size;
    const bytes = count * width;
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_ATTRIBUTE_BYTES || width <= 0) {
      throw new Hdf5Failure({ reason: 'corrupt', detail: `${what} declares ${count} strings of ${meta.size} bytes` });
    }
    const pointer = call(what, () => module._malloc(Math.max(1, bytes)));
    if (pointer === 0) throw new Hdf5Failure({ reason: 'too-large', detail: `out of memory reading ${what}` });
    let read = false;
    try {
      module.HEAPU8.fill(0, pointer, pointer + bytes);
      if (call(what, () => module.get_attribute_data(fileId, path, name, BigInt(pointer))) < 0) throw failed(`HDF5 could not read ${what}`);
      read = true;
      const heap = module.HEAPU8;
      const view = new DataView(heap.buffer, heap.byteOffset + pointer, bytes);
      const strings: string[] = [];
      for (let i = 0; i < count; i++) {
        if (meta.vlen) {
          const at = view.getUint32(4 * i, true);
          strings.push(at === 0 ? '' : cString(at));
        } else {
          strings.push(fixedString(heap.subarray(pointer + i * width, pointer + (i + 1) * width), meta.strpad));
        }
      }
      return meta.shape.length === 0 ? (strings[0] ?? '') : strings;
    } finally {
      if (read && meta.vlen) call(what, () => module.reclaim_vlen_memory(fileId, path, name, BigInt(pointer)));
      module._free(pointer);
    }
  }

  function readAttributes(fileId: bigint, path: string, wanted: readonly string[]): Record<string, Hdf5AttributeValue> {
    const names = call(`attributes of ${path}`, () => module.get_attribute_names(fileId, path));
    const attributes: Record<string, Hdf5AttributeValue> = {};
    for (const name of names) if (matchesAttributeName(name, wanted)) attributes[name] = readTextAttribute(fileId, path, name);
    return attributes;
  }

  function dataset(path: string, meta: H5Metadata, attributes: Record<string, Hdf5AttributeValue>): Hdf5Dataset {
    return {
      kind: 'dataset',
      path,
      attributes,
      typeClass: meta.vlen ? 'vlen' : typeClass(meta.type),
      elementBytes: meta.size,
      signed: meta.signed,
      littleEndian: meta.littleEndian,
      shape: meta.shape === null ? null : [...meta.shape],
    };
  }

  /** Depth-first walk from the root: groups and datasets, with the wanted attributes. */
  function walk(fileId: bigint, options: SnapshotOptions): Hdf5Snapshot {
    const objects: Hdf5Object[] = [];
    const stack: { path: string; depth: number }[] = [{ path: '/', depth: 0 }];
    let visited = 0;
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const { path, depth } = next;
      if (++visited > options.maxObjects) {
        throw new Hdf5Failure({ reason: 'too-large', detail: `the file holds more than ${options.maxObjects} HDF5 objects` });
      }
      const type = call(`object ${path}`, () => module.get_type(fileId, path));
      if (type === module.H5G_GROUP) {
        objects.push({ kind: 'group', path, attributes: readAttributes(fileId, path, options.attributeNames) });
        if (depth >= options.maxDepth) continue;
        const names = call(`group ${path}`, () => module.get_names(fileId, path, false));
        for (let i = names.length - 1; i >= 0; i--) stack.push({ path: childPath(path, names[i] as string), depth: depth + 1 });
      } else if (type === module.H5G_DATASET) {
        const meta = call(`dataset ${path}`, () => module.get_dataset_metadata(fileId, path));
        objects.push(dataset(path, meta, readAttributes(fileId, path, options.attributeNames)));
      }
      // Anything else (a named datatype, a dangling soft link, an external link) is not a weight.
    }
    return { objects };
  }

  /** Close an HDF5 file id and remove its MEMFS file, whatever state they are in. */
  function release(fileId: bigint | null, fsPath: string): void {
    if (fileId !== null && !poisoned) {
      try {
        module.close_file(fileId);
      } catch {
        // Closing a damaged file may fail; its bytes are released below regardless.
      }
    }
    // HDF5 keeps a descriptor open while objects of a damaged file stay open; close it so MEMFS frees the bytes.
    for (const stream of module.FS.streams) {
      if (stream && stream.path === fsPath) {
        try {
          module.FS.close(stream);
        } catch {
          // Already closed.
        }
      }
    }
    try {
      module.FS.unlink(fsPath);
    } catch {
      // Already gone.
    }
  }

  return {
    get poisoned() {
      return poisoned;
    },

    open(bytes, options) {
      const handle = nextHandle++;
      const fsPath = `/mri-${handle}.h5`;
      call('writing the file to memory', () => module.FS.writeFile(fsPath, bytes, { canOwn: true }));
      let fileId: bigint | null = null;
      try {
        const id = call('opening the file', () => module.open(fsPath, module.H5F_ACC_RDONLY, false, -1, -1));
        if (id < 0n) throw failed('HDF5 could not open the file');
        fileId = id;
        const snapshot = walk(id, options);
        files.set(handle, { fileId: id, fsPath, byteLength: bytes.length });
        return { handle, snapshot };
      } catch (error) {
        release(fileId, fsPath);
        throw error;
      }
    },

    read(handle, path) {
      const file = files.get(handle);
      if (!file) throw new Hdf5Failure({ reason: 'lost', detail: `no open file with handle ${handle}` });
      const what = `dataset ${path}`;
      const meta = call(what, () => module.get_dataset_metadata(file.fileId, path));
      const bytes = meta.size * meta.total_size;
      if (meta.vlen || meta.shape === null || !Number.isSafeInteger(bytes) || bytes < 0) {
        throw new Hdf5Failure({ reason: 'corrupt', detail: `${what} has no fixed-size elements to read` });
      }
      if (bytes > MAX_DATASET_BYTES) throw new Hdf5Failure({ reason: 'too-large', detail: `${what} holds ${bytes} bytes` });
      const filters = call(what, () => module.get_dataset_filters(file.fileId, path));
      const limit = filters.length === 0 ? file.byteLength : file.byteLength * MAX_EXPANSION;
      if (bytes > limit) {
        const stored = filters.length === 0 ? 'uncompressed' : `compressed with ${filters.map((f) => f.name || `filter ${f.id}`).join(' + ')}`;
        throw new Hdf5Failure({ reason: 'corrupt', detail: `${what} declares ${bytes} bytes, ${stored}, in a ${file.byteLength}-byte file` });
      }
      const pointer = call(what, () => module._malloc(Math.max(1, bytes)));
      if (pointer === 0) throw new Hdf5Failure({ reason: 'too-large', detail: `out of memory reading ${what} (${bytes} bytes)` });
      try {
        const status = call(what, () => module.get_dataset_data(file.fileId, path, null, null, null, BigInt(pointer)));
        if (status < 0) {
          const failure = failed(`HDF5 could not read ${what}`);
          const names = filters.map((f) => `${f.name || 'unnamed'} (id ${f.id})`).join(', ');
          if (failure.problem.reason === 'unsupported-filter' && names) throw new Hdf5Failure({ ...failure.problem, detail: `${what} uses filter ${names}` });
          throw failure;
        }
        return module.HEAPU8.slice(pointer, pointer + bytes);
      } finally {
        if (!poisoned) module._free(pointer);
      }
    },

    close(handle) {
      const file = files.get(handle);
      if (!file) return;
      files.delete(handle);
      release(file.fileId, file.fsPath);
    },
  };
}

let engine: Promise<Hdf5Engine> | null = null;

/** This thread's engine (h5wasm is one module instance per thread, so there is one engine per thread). */
export function h5wasmEngine(): Promise<Hdf5Engine> {
  if (engine === null) {
    const loading = loadH5wasm().then(createEngine);
    engine = loading;
    loading.catch(() => {
      if (engine === loading) engine = null;
    });
  }
  return engine;
}
