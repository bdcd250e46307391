/**
 * A forward-only cursor over the header of a GGUF file that reads the file in growing chunks. The header of
 * a large model holds the tokenizer (e.g. 151,936 token strings, scores and merges: several MB), so it is
 * neither read in one piece nor held whole: each refill keeps only the unread rest of the buffer, and skipped
 * ranges (fixed-size arrays, long strings) are never read at all.
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';

/** Chunk sizes of a {@link GgufCursor}. */
export interface GgufCursorOptions {
  /** Bytes of the first read (the header of a small model fits). Default 64 KiB. */
  readonly firstChunkBytes?: number;
  /** Each refill reads twice the previous chunk, up to this. Default 8 MiB. */
  readonly maxChunkBytes?: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads little-endian fields one after the other from `file`, starting at byte 0.
 *
 * Use: `await cursor.need(n, what)` makes the next `n` bytes available (or throws `TRUNCATED` naming `what`),
 * after which the synchronous `u8`…`f64` and `bytes` read them. `need` resolves without reading when the
 * bytes are already buffered, so parsing a long array costs one read per chunk, not one per element.
 */
export class GgufCursor {
  readonly file: NamedBlob;
  /** Size of the file in bytes. */
  readonly size: number;
  private buffer = new Uint8Array(0);
  private view = new DataView(this.buffer.buffer);
  /** File offset of `buffer[0]`. */
  private bufferStart = 0;
  /** File offset of the next byte to read. */
  private pos = 0;
  private nextChunk: number;
  private readonly maxChunk: number;

  constructor(file: NamedBlob, options: GgufCursorOptions = {}) {
    this.file = file;
    this.size = file.blob.size;
    this.nextChunk = Math.max(1, options.firstChunkBytes ?? 64 * 1024);
    this.maxChunk = Math.max(this.nextChunk, options.maxChunkBytes ?? 8 * 1024 * 1024);
  }

  /** File offset of the next byte to read. */
  get position(): number {
    return this.pos;
  }

  /** Bytes left in the file after the position. */
  get remaining(): number {
    return this.size - this.pos;
  }

  /** The error for a field that runs past the end of the file. */
  truncated(what: string, bytes: number): FormatError {
    return new FormatError(
      'TRUNCATED',
      `"${this.file.name}" ends inside ${what}: ${bytes} bytes are needed at byte ${this.pos}, but the file is ${this.size} bytes long.`,
      { file: this.file.name },
    );
  }

  /** Whether the next `n` bytes are buffered (then `need(n)` would not read). */
  has(n: number): boolean {
    return this.pos >= this.bufferStart && this.pos + n <= this.bufferStart + this.buffer.length;
  }

  /**
   * Make the next `n` bytes available for the synchronous readers.
   *
   * @param what the field, named in the error, e.g. `the key of metadata entry 3`
   * @throws FormatError `TRUNCATED` when the file ends first; `READ_FAILED`
   */
  async need(n: number, what: string): Promise<void> {
    if (this.has(n)) return;
    if (n > this.remaining) throw this.truncated(what, n);
    const bufferEnd = this.bufferStart + this.buffer.length;
    const keep = this.pos < bufferEnd ? this.buffer.subarray(this.pos - this.bufferStart) : new Uint8Array(0);
    const readStart = this.pos + keep.length;
    const readEnd = Math.min(this.size, Math.max(this.pos + n, readStart + this.nextChunk));
    const fresh = await readBytes(this.file, readStart, readEnd);
    const joined = new Uint8Array(keep.length + fresh.length);
    joined.set(keep);
    joined.set(fresh, keep.length);
    this.buffer = joined;
    this.view = new DataView(joined.buffer);
    this.bufferStart = this.pos;
    this.nextChunk = Math.min(this.nextChunk * 2, this.maxChunk);
  }

  /**
   * Move past `n` bytes without reading them (a skipped range costs nothing).
   *
   * @throws FormatError `TRUNCATED` when fewer than `n` bytes are left
   */
  skip(n: number, what: string): void {
    if (n > this.remaining) throw this.truncated(what, n);
    this.pos += n;
  }

  /** Byte offset of the position in `buffer` (callers have checked `has`). */
  private take(n: number): number {
    const at = this.pos - this.bufferStart;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  i8(): number {
    return this.view.getInt8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.take(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.take(8), true);
  }
  f32(): number {
    return this.view.getFloat32(this.take(4), true);
  }
  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  /** The next `n` bytes decoded as UTF-8 (invalid sequences become U+FFFD, as ggml does not validate them). */
  utf8(n: number): string {
    const at = this.take(n);
    return UTF8.decode(this.buffer.subarray(at, at + n));
  }
}
