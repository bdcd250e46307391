/**
 * The bytes of a file given as parts (`safetensorsParts`), chunk by chunk, for writers that are not a `Blob`
 * (the Node CLI writing to disk, a `FileSystemWritableFileStream`). A `BlobLike` part is read one slice at a time,
 * so no more than `chunkBytes` of it is ever in memory; in-memory parts are yielded as they are.
 */
import type { BlobLike } from '../../model/types';
import { partLength, type SafetensorsPart } from './writeSafetensors';

/** Default slice of a `BlobLike` part read at once: 16 MiB. */
export const STREAM_CHUNK_BYTES = 16 * 1024 * 1024;

async function readSlice(part: BlobLike, start: number, end: number): Promise<Uint8Array> {
  const buffer = await part.slice(start, end).arrayBuffer();
  if (buffer.byteLength !== end - start) {
    throw new RangeError(`streamParts: reading bytes ${start}–${end} of a part returned ${buffer.byteLength} bytes; the source file may have changed`);
  }
  return new Uint8Array(buffer);
}

/**
 * Yield the bytes of `parts` in order: `Uint8Array` parts whole, `BlobLike` parts in slices of at most
 * `chunkBytes` (each read only when the consumer asks for the next chunk). Empty parts yield nothing.
 *
 * @param parts what `safetensorsParts` (or `exportLowRank`) returned
 * @param chunkBytes largest slice read from a `BlobLike` part at once (≥ 1; default 16 MiB)
 * @throws RangeError if a slice reads back shorter or longer than asked (the source changed on disk)
 */
export async function* streamParts(parts: readonly SafetensorsPart[], chunkBytes = STREAM_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  if (!(Number.isSafeInteger(chunkBytes) && chunkBytes >= 1)) throw new RangeError(`streamParts: chunkBytes = ${chunkBytes} is not a positive integer`);
  for (const part of parts) {
    if (ArrayBuffer.isView(part)) {
      if (part.byteLength > 0) yield part;
      continue;
    }
    const size = partLength(part);
    for (let start = 0; start < size; start += chunkBytes) yield await readSlice(part, start, Math.min(size, start + chunkBytes));
  }
}
