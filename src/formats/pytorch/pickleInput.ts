/**
 * The byte cursor of the safe unpickler: little-endian integers, length-prefixed byte runs and
 * newline-terminated text arguments (CPython Lib/pickle.py), every read bounds-checked so that a length
 * field larger than the data ends in `BAD_PICKLE` instead of a huge allocation.
 */
import { FormatError } from '../formatError';

const latin1 = new TextDecoder('latin1');

/** Longest text argument (GLOBAL module and name lines, protocol-0 integers) accepted. */
const MAX_LINE = 4096;

export class PickleInput {
  /** Offset of the next unread byte. */
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly data: Uint8Array,
    readonly file: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** A `BAD_PICKLE` error naming the file and the current offset. */
  bad(message: string): FormatError {
    return new FormatError('BAD_PICKLE', `The pickle in "${this.file}" is damaged: ${message} (at byte ${this.pos}).`, { file: this.file });
  }

  /** Claim the next `n` bytes and return their offset. */
  private need(n: number): number {
    if (!(n >= 0 && this.pos + n <= this.data.length)) throw this.bad(`it ends inside an opcode's argument (${n} more bytes wanted)`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.data[this.need(1)] as number;
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  /** A u64 as a number (exact below 2^53; larger values fail every later bounds check). */
  u64(): number {
    const at = this.need(8);
    return this.view.getUint32(at + 4, true) * 0x1_0000_0000 + this.view.getUint32(at, true);
  }
  /** BINFLOAT's argument: a big-endian IEEE binary64. */
  f64(): number {
    return this.view.getFloat64(this.need(8), false);
  }
  /** The next `n` bytes, as a view. */
  bytes(n: number): Uint8Array {
    const at = this.need(n);
    return this.data.subarray(at, at + n);
  }
  /** A newline-terminated text argument, without the newline. */
  line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0 || end - this.pos > MAX_LINE) throw this.bad('a text argument has no end of line');
    const text = latin1.decode(this.data.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
}
