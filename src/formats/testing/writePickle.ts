/**
 * A tiny pickle assembler for tests and fixtures: one method per opcode (CPython Lib/pickle.py), chained,
 * so that a test can write exactly the bytes `torch.save` writes, or hostile ones no writer would.
 *
 * @example new PickleWriter().proto(2).global('os', 'system').str('echo hi').tuple1().reduce().stop().bytes()
 */
const utf8 = new TextEncoder();

export class PickleWriter {
  private out = new Uint8Array(256);
  private length = 0;

  /** Append raw bytes. */
  raw(bytes: ArrayLike<number>): this {
    if (this.length + bytes.length > this.out.length) {
      const grown = new Uint8Array(Math.max(this.out.length * 2, this.length + bytes.length));
      grown.set(this.out.subarray(0, this.length));
      this.out = grown;
    }
    for (let i = 0; i < bytes.length; i++) this.out[this.length + i] = (bytes[i] as number) & 0xff;
    this.length += bytes.length;
    return this;
  }
  private u32(n: number): this {
    return this.raw([n, n >>> 8, n >>> 16, n >>> 24]);
  }
  private u64(n: number): this {
    return this.u32(n % 2 ** 32).u32(Math.floor(n / 2 ** 32));
  }

  proto(version: number): this {
    return this.raw([0x80, version]);
  }
  frame(length: number): this {
    return this.raw([0x95]).u64(length);
  }
  stop(): this {
    return this.raw([0x2e]);
  }
  mark(): this {
    return this.raw([0x28]);
  }
  none(): this {
    return this.raw([0x4e]);
  }
  bool(value: boolean): this {
    return this.raw([value ? 0x88 : 0x89]);
  }
  /** BININT1 / BININT2 / BININT, or LONG1 beyond 32 bits, as pickle chooses. */
  int(n: number | bigint): this {
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 256) return this.raw([0x4b, n]);
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 65536) return this.raw([0x4d, n, n >>> 8]);
    if (typeof n === 'number' && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31) return this.raw([0x4a]).u32(n >>> 0);
    // LONG1: little-endian two's complement, as few bytes as hold the sign.
    let v = BigInt(n);
    const bytes: number[] = [];
    for (;;) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
      const last = bytes[bytes.length - 1] as number;
      if ((v === 0n && !(last & 0x80)) || (v === -1n && last & 0x80)) break;
    }
    return this.raw([0x8a, bytes.length, ...bytes]);
  }
  float(x: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, false);
    return this.raw([0x47]).raw(b);
  }
  /** SHORT_BINUNICODE when short and the protocol allows (≥ 4), else BINUNICODE. */
  str(text: string, short = false): this {
    const b = utf8.encode(text);
    if (short && b.length < 256) return this.raw([0x8c, b.length]).raw(b);
    return this.raw([0x58]).u32(b.length).raw(b);
  }
  binBytes(b: Uint8Array): this {
    return this.raw([0x42]).u32(b.length).raw(b);
  }
  emptyDict(): this {
    return this.raw([0x7d]);
  }
  emptyList(): this {
    return this.raw([0x5d]);
  }
  emptyTuple(): this {
    return this.raw([0x29]);
  }
  tuple(): this {
    return this.raw([0x74]);
  }
  tuple1(): this {
    return this.raw([0x85]);
  }
  tuple2(): this {
    return this.raw([0x86]);
  }
  tuple3(): this {
    return this.raw([0x87]);
  }
  list(): this {
    return this.raw([0x6c]);
  }
  dict(): this {
    return this.raw([0x64]);
  }
  append(): this {
    return this.raw([0x61]);
  }
  appends(): this {
    return this.raw([0x65]);
  }
  setitem(): this {
    return this.raw([0x73]);
  }
  setitems(): this {
    return this.raw([0x75]);
  }
  /** BINPUT below 256, else LONG_BINPUT. */
  put(index: number): this {
    return index < 256 ? this.raw([0x71, index]) : this.raw([0x72]).u32(index);
  }
  /** BINGET below 256, else LONG_BINGET. */
  get(index: number): this {
    return index < 256 ? this.raw([0x68, index]) : this.raw([0x6a]).u32(index);
  }
  memoize(): this {
    return this.raw([0x94]);
  }
  /** GLOBAL `module\nname\n`. */
  global(module: string, name: string): this {
    return this.raw([0x63]).raw(utf8.encode(`${module}\n${name}\n`));
  }
  /** STACK_GLOBAL of the two strings pushed before it (protocol ≥ 4). */
  stackGlobal(module: string, name: string): this {
    return this.str(module, true).str(name, true).raw([0x93]);
  }
  reduce(): this {
    return this.raw([0x52]);
  }
  build(): this {
    return this.raw([0x62]);
  }
  newobj(): this {
    return this.raw([0x81]);
  }
  binpersid(): this {
    return this.raw([0x51]);
  }
  pop(): this {
    return this.raw([0x30]);
  }

  bytes(): Uint8Array {
    return this.out.slice(0, this.length);
  }
}
