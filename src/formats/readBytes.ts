import type { NamedBlob } from '../model/types';
import { FormatError } from './formatError';

/**
 * Read bytes [start, end) of a file: `blob.slice(start, end).arrayBuffer()`, so only that range is loaded
 * (a `File` slice reads from disk on demand; this is what keeps a 7 GB model as quick to open as a 7 MB one).
 *
 * @param file the file and its name (the name goes into errors)
 * @param start first byte offset, inclusive
 * @param end last byte offset, exclusive; `0 ≤ start ≤ end ≤ file.blob.size`
 * @returns a fresh Uint8Array of exactly `end − start` bytes
 * @throws FormatError `READ_FAILED` when the read fails or returns another length (the file changed on disk)
 * @throws RangeError when the range is invalid: that is a bug in the caller, who must validate offsets first
 */
export async function readBytes(file: NamedBlob, start: number, end: number): Promise<Uint8Array> {
  const size = file.blob.size;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > size) {
    throw new RangeError(`readBytes(${file.name}): invalid range [${start}, ${end}) of a ${size}-byte file`);
  }
  if (start === end) return new Uint8Array(0);
  let buffer: ArrayBuffer;
  try {
    buffer = await file.blob.slice(start, end).arrayBuffer();
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new FormatError('READ_FAILED', `Could not read bytes ${start}–${end} of "${file.name}": ${why}`, { file: file.name, cause });
  }
  if (buffer.byteLength !== end - start) {
    throw new FormatError(
      'READ_FAILED',
      `Reading bytes ${start}–${end} of "${file.name}" returned ${buffer.byteLength} bytes instead of ${end - start}; the file may have changed since it was opened.`,
      { file: file.name },
    );
  }
  return new Uint8Array(buffer);
}
