/**
 * A small zip writer for tests and fixtures (APPNOTE.TXT 6.3.10): stored or deflated entries (raw DEFLATE by
 * fflate), optional alignment of stored data through a padding extra field (as PyTorch's miniz does, 64-byte
 * aligned, header id 0x4246 "FB"), optional ZIP64 records throughout, and overrides that make hostile archives
 * (declared sizes that lie, wrong CRCs). Deterministic: every entry gets the same DOS date.
 */
import { deflateSync } from 'fflate';
import { crc32 } from '../zip/crc32';

/** One entry to write. */
export interface ZipEntryToWrite {
  readonly name: string;
  readonly data: Uint8Array;
  /** 0 stored (default) or 8 deflate. */
  readonly method?: 0 | 8;
  /** Pad the local header's extra field so that the data starts at a multiple of this many bytes. */
  readonly align?: number;
  /** Declare this uncompressed size instead of the true one (zip bombs, damaged archives). */
  readonly declaredSize?: number;
  /** Write this CRC-32 instead of the true one. */
  readonly crc32?: number;
}

/** Options of {@link writeZip}. */
export interface ZipWriteOptions {
  /** Write ZIP64 extra fields, a ZIP64 end record and locator, with 0xFFFF… in the 16/32-bit fields (as large archives must). */
  readonly zip64?: boolean;
  readonly comment?: string;
}

const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;
const MAX32 = 0xffffffff;

/** Growable little-endian byte sink. */
class Sink {
  private bytes = new Uint8Array(1024);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  u16(v: number): this {
    this.room(2);
    new DataView(this.bytes.buffer).setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    new DataView(this.bytes.buffer).setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  u64(v: number): this {
    return this.u32(v % 0x1_0000_0000).u32(Math.floor(v / 0x1_0000_0000));
  }
  raw(b: Uint8Array): this {
    this.room(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
    return this;
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Build a zip archive holding `entries` in order. */
export function writeZip(entries: readonly ZipEntryToWrite[], options: ZipWriteOptions = {}): Uint8Array {
  const zip64 = options.zip64 ?? false;
  const out = new Sink();
  const central = new Sink();
  const encoder = new TextEncoder();
  for (const entry of entries) {
    const method = entry.method ?? 0;
    const name = encoder.encode(entry.name);
    const data = method === 8 ? deflateSync(entry.data) : entry.data;
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.crc32 ?? crc32(entry.data);
    const offset = out.length;
    const localZip64 = zip64 ? new Sink().u16(1).u16(16).u64(size).u64(data.length).done() : new Uint8Array(0);
    let padding: Uint8Array = new Uint8Array(0);
    if (entry.align !== undefined) {
      const unpadded = offset + 30 + name.length + localZip64.length + 4;
      const pad = (entry.align - (unpadded % entry.align)) % entry.align;
      padding = new Sink().u16(0x4246).u16(pad).raw(new Uint8Array(pad)).done();
    }
    out.u32(0x04034b50).u16(zip64 ? 45 : 20).u16(0x0800).u16(method).u16(0).u16(DOS_DATE).u32(crc);
    out.u32(zip64 ? MAX32 : data.length).u32(zip64 ? MAX32 : size).u16(name.length).u16(localZip64.length + padding.length);
    out.raw(name).raw(localZip64).raw(padding).raw(data);
    const centralZip64 = zip64 ? new Sink().u16(1).u16(24).u64(size).u64(data.length).u64(offset).done() : new Uint8Array(0);
    central.u32(0x02014b50).u16(zip64 ? 45 : 20).u16(zip64 ? 45 : 20).u16(0x0800).u16(method).u16(0).u16(DOS_DATE).u32(crc);
    central.u32(zip64 ? MAX32 : data.length).u32(zip64 ? MAX32 : size).u16(name.length).u16(centralZip64.length).u16(0);
    central.u16(0).u16(0).u32(0).u32(zip64 ? MAX32 : offset).raw(name).raw(centralZip64);
  }
  const cdOffset = out.length;
  const cd = central.done();
  out.raw(cd);
  if (zip64) {
    const recordOffset = out.length;
    out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(entries.length).u64(entries.length).u64(cd.length).u64(cdOffset);
    out.u32(0x07064b50).u32(0).u64(recordOffset).u32(1);
  }
  const comment = encoder.encode(options.comment ?? '');
  const count = zip64 ? 0xffff : entries.length;
  out.u32(0x06054b50).u16(0).u16(0).u16(count).u16(count).u32(zip64 ? MAX32 : cd.length).u32(zip64 ? MAX32 : cdOffset).u16(comment.length).raw(comment);
  return out.done();
}
