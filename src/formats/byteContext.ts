import type { NamedBlob } from '../model/types';
import { FormatError } from './formatError';
import { readBytes } from './readBytes';

/** How many leading and trailing bytes an error shows (Netron's `view.js` shows 16 of each). */
const CONTEXT_BYTES = 16;

/** Bytes as lowercase two-digit hex separated by spaces, e.g. `08 00 7b`. */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Bytes as printable ASCII, with `.` for anything else (the right-hand column of a hex dump). */
export function asciiBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

/**
 * A one-line description of a file's size and first and last 16 bytes, for `FormatError.context`,
 * e.g. `48 bytes; first 16: 28 00 … 7b 22; last 16: …`. Reads at most 32 bytes.
 *
 * @throws FormatError `READ_FAILED` when the file cannot be read
 */
export async function readByteContext(file: NamedBlob): Promise<string> {
  const size = file.blob.size;
  const head = await readBytes(file, 0, Math.min(CONTEXT_BYTES, size));
  const tail = await readBytes(file, Math.max(0, size - CONTEXT_BYTES), size);
  return `${size} bytes; first ${head.length}: ${hexBytes(head)} |${asciiBytes(head)}|; last ${tail.length}: ${hexBytes(tail)} |${asciiBytes(tail)}|`;
}

/**
 * Add byte context to a FormatError about one of `files` that has none yet; anything else is returned
 * unchanged. Used by the registry and the readers' `open` so every error about a file shows its bytes.
 */
export async function addByteContext(error: unknown, files: readonly NamedBlob[]): Promise<unknown> {
  if (!(error instanceof FormatError) || error.context !== undefined) return error;
  const file = files.find((f) => f.name === error.file);
  if (!file) return error;
  try {
    return error.withContext(await readByteContext(file));
  } catch {
    // An unreadable file already explains itself; report the original error without context.
    return error;
  }
}
