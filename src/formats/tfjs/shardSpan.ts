/**
 * The bytes of one TF.js weights group: its shard files concatenated in manifest order (tfjs-core
 * `CompositeArrayBuffer`), read lazily: a read touches only the shards (and the byte ranges of them) that
 * the requested range overlaps, through `Blob.slice`.
 */
import type { NamedBlob } from '../../model/types';
import { readBytes } from '../readBytes';

/** A virtual concatenation of files. */
export interface ShardSpan {
  readonly files: readonly NamedBlob[];
  /** Total size in bytes. */
  readonly size: number;
  /** The file holding byte `offset` (the last file for `offset = size`), or `null` for a span of no files. */
  fileAt(offset: number): NamedBlob | null;
  /** Bytes [start, end) of the concatenation, 0 ≤ start ≤ end ≤ size, as one fresh array. */
  read(start: number, end: number): Promise<Uint8Array>;
}

/**
 * The span of `files`, in order.
 *
 * @throws FormatError `READ_FAILED` from `read`; RangeError from `read` for a range outside the span (a bug:
 *   callers check ranges first)
 */
export function shardSpan(files: readonly NamedBlob[]): ShardSpan {
  const starts: number[] = [];
  let size = 0;
  for (const f of files) {
    starts.push(size);
    size += f.blob.size;
  }
  /** Index of the file holding byte `offset` (< size): the last whose start is ≤ offset, which skips empty files. */
  const indexAt = (offset: number): number => {
    let lo = 0;
    let hi = files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    files,
    size,
    fileAt: (offset) => (files.length === 0 ? null : (files[indexAt(Math.min(offset, Math.max(0, size - 1)))] as NamedBlob)),
    async read(start, end) {
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > size) {
        throw new RangeError(`shardSpan: invalid range [${start}, ${end}) of ${size} bytes`);
      }
      if (start === end) return new Uint8Array(0);
      const pieces: Promise<Uint8Array>[] = [];
      for (let i = indexAt(start); i < files.length && (starts[i] as number) < end; i++) {
        const file = files[i] as NamedBlob;
        const from = Math.max(start, starts[i] as number) - (starts[i] as number);
        const to = Math.min(end, (starts[i] as number) + file.blob.size) - (starts[i] as number);
        if (to > from) pieces.push(readBytes(file, from, to));
      }
      const parts = await Promise.all(pieces);
      if (parts.length === 1) return parts[0] as Uint8Array;
      const out = new Uint8Array(end - start);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
  };
}
