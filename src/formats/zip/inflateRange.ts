/**
 * Stream-inflate a raw DEFLATE range (RFC 1951) of a file with fflate's `Inflate`, never holding more than
 * the declared output: compressed bytes are read 1 MiB at a time and pushed 16 KiB at a time (at most
 * ~16.5 MB of output per push at DEFLATE's 1032:1 maximum), and the stream is abandoned as soon as it
 * produces more than it declared (a zip bomb) or, for a prefix read, as soon as enough bytes are out.
 */
import { Inflate } from 'fflate';
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';

const READ_BYTES = 1024 * 1024;
const PUSH_BYTES = 16 * 1024;

/** What to inflate and how much to expect. */
export interface InflateRequest {
  /** Absolute range of the compressed data. */
  readonly start: number;
  readonly end: number;
  /** The declared extracted size: producing more is a zip bomb, producing less a damaged entry. */
  readonly expectedBytes: number;
  /** Stop once this many bytes are out (a prefix read; ≤ expectedBytes). */
  readonly stopAfter?: number;
  /** The entry's name, for messages. */
  readonly entry: string;
}

/**
 * Inflate `[start, end)` of `file`. The caller has checked `expectedBytes` against its own limits.
 *
 * @returns exactly `stopAfter ?? expectedBytes` bytes
 * @throws FormatError `ZIP_BOMB` (the stream expands past its declared size), `BAD_ZIP` (invalid DEFLATE data,
 *   or fewer bytes than declared), `READ_FAILED`
 */
export async function inflateRange(file: NamedBlob, request: InflateRequest): Promise<Uint8Array> {
  const { start, end, expectedBytes, entry } = request;
  const want = Math.min(request.stopAfter ?? expectedBytes, expectedBytes);
  const out = new Uint8Array(want);
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    const room = want - Math.min(produced, want);
    if (room > 0) out.set(chunk.length <= room ? chunk : chunk.subarray(0, room), produced);
    produced += chunk.length;
  });
  const where = `entry "${entry}" of "${file.name}"`;
  for (let readAt = start; readAt < end || readAt === start; readAt += READ_BYTES) {
    const readEnd = Math.min(end, readAt + READ_BYTES);
    const compressed = await readBytes(file, readAt, readEnd);
    for (let at = 0; at < compressed.length || at === 0; at += PUSH_BYTES) {
      const last = readEnd === end && at + PUSH_BYTES >= compressed.length;
      try {
        inflater.push(compressed.subarray(at, at + PUSH_BYTES), last);
      } catch (cause) {
        const why = cause instanceof Error ? cause.message : String(cause);
        throw new FormatError('BAD_ZIP', `The compressed data of ${where} is damaged (${why}).`, { file: file.name, cause });
      }
      if (produced > expectedBytes) {
        throw new FormatError('ZIP_BOMB', `Entry "${entry}" of "${file.name}" expands past the ${expectedBytes} bytes it declares; reading stopped.`, {
          file: file.name,
        });
      }
      if (request.stopAfter !== undefined && produced >= want) return out;
    }
  }
  if (produced !== expectedBytes) {
    throw new FormatError('BAD_ZIP', `The compressed data of ${where} inflates to ${produced} bytes, but its header declares ${expectedBytes}.`, { file: file.name });
  }
  return out;
}
