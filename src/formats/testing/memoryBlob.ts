/**
 * In-memory BlobLikes for tests: a plain byte array, a huge virtual file, and a wrapper that records every
 * byte range actually read (to prove that readers read only headers and single tensors).
 */
import type { BlobLike, NamedBlob } from '../../model/types';

/** Blob.slice argument rules (File API §3.3.1): negative offsets count from the end; the result is clamped. */
function clampRange(size: number, start = 0, end = size): [number, number] {
  const s = start < 0 ? Math.max(size + start, 0) : Math.min(start, size);
  const e = end < 0 ? Math.max(size + end, 0) : Math.min(end, size);
  return [s, Math.max(s, e)];
}

/**
 * A BlobLike of `size` bytes whose content is produced on demand by `bytesAt(start, end)`. `onRead` hears
 * every range whose bytes are requested (at `arrayBuffer()` time, like a real File).
 */
export function lazyBlob(size: number, bytesAt: (start: number, end: number) => Uint8Array, onRead?: (start: number, end: number) => void): BlobLike {
  const view = (offset: number, length: number): BlobLike => ({
    size: length,
    slice(start?: number, end?: number) {
      const [s, e] = clampRange(length, start, end);
      return view(offset + s, e - s);
    },
    async arrayBuffer() {
      onRead?.(offset, offset + length);
      const bytes = bytesAt(offset, offset + length);
      return bytes.slice().buffer as ArrayBuffer;
    },
  });
  return view(0, size);
}

/** A BlobLike over bytes in memory. */
export function memoryBlob(bytes: Uint8Array, onRead?: (start: number, end: number) => void): BlobLike {
  return lazyBlob(bytes.length, (s, e) => bytes.subarray(s, e), onRead);
}

/** A named in-memory file. */
export function namedFile(name: string, bytes: Uint8Array | string, onRead?: (start: number, end: number) => void): NamedBlob {
  return { name, blob: memoryBlob(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, onRead) };
}

/** A file that records what was read: `ranges` in order, and the total `bytesRead`. */
export interface CountingFile extends NamedBlob {
  readonly ranges: [number, number][];
  bytesRead(): number;
}

/** Wrap bytes (or a huge virtual file given by `size` and `bytesAt`) as a file that records its reads. */
export function countingFile(name: string, bytes: Uint8Array, virtual?: { size: number }): CountingFile {
  const ranges: [number, number][] = [];
  const record = (s: number, e: number) => ranges.push([s, e]);
  const size = virtual?.size ?? bytes.length;
  // Beyond `bytes`, a virtual file reads as zeros.
  const bytesAt = (s: number, e: number) => {
    const out = new Uint8Array(e - s);
    if (s < bytes.length) out.set(bytes.subarray(s, Math.min(e, bytes.length)));
    return out;
  };
  return { name, blob: lazyBlob(size, bytesAt, record), ranges, bytesRead: () => ranges.reduce((n, [s, e]) => n + e - s, 0) };
}

/** A file whose every read fails, as a File does after it was deleted or changed on disk. */
export function failingFile(name: string, size: number): NamedBlob {
  const failing: BlobLike = {
    size,
    slice: () => failing,
    arrayBuffer: () => Promise.reject(new Error('NotReadableError: the file could not be read')),
  };
  return { name, blob: failing };
}
