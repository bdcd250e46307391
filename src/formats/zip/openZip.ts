/**
 * A lazy zip reader over a {@link NamedBlob} (PKWARE APPNOTE.TXT 6.3.10): `openZip` reads only the end
 * records and the central directory; entry data is read on demand, as a byte range (stored entries, which is
 * how PyTorch and NumPy's `np.savez` write them) or inflated with a size cap (deflated entries).
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { crc32 } from './crc32';
import { findCentralDirectory } from './findCentralDirectory';
import { inflateRange } from './inflateRange';
import type { ParsedEntry } from './readCentralDirectory';
import { LOCAL_HEADER_BYTES, readCentralDirectory } from './readCentralDirectory';
import type { ByteRange, ZipEntry } from './zipEntry';
import { DEFAULT_MAX_ENTRY_BYTES, MAX_DEFLATE_RATIO, methodName } from './zipEntry';

export type { ByteRange, ZipEntry } from './zipEntry';

const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/** Options of the reads that extract bytes. */
export interface ZipReadOptions {
  /** Refuse entries that extract to more than this many bytes (default 1 GiB). */
  readonly maxBytes?: number;
}

/** An opened zip archive. Every method reads only what it needs. */
export interface ZipArchive {
  readonly file: NamedBlob;
  /** Entries in central directory order. */
  readonly entries: readonly ZipEntry[];
  /** Whether ZIP64 end records were present. */
  readonly zip64: boolean;
  /** The entry named exactly `name`. */
  find(name: string): ZipEntry | undefined;
  /**
   * Absolute byte range of the entry's data in the file, after its local header (whose extra field may pad
   * the data to an alignment: PyTorch aligns stored data to 64 bytes). For a stored entry this range is the
   * content, ready for lazy `slice()` reads. Reads the 30-byte local header once per entry.
   * @throws FormatError `BAD_ZIP` (bad local header, data past the next entry)
   */
  dataRange(entry: ZipEntry): Promise<ByteRange>;
  /**
   * The extracted bytes of an entry, CRC-checked: a slice for stored entries, streamed through inflate with
   * the declared size as a hard cap for deflated ones.
   * @throws FormatError `ZIP_BOMB`, `TOO_LARGE`, `BAD_ZIP`, `UNSUPPORTED_FEATURE` (encryption, other methods)
   */
  read(entry: ZipEntry, options?: ZipReadOptions): Promise<Uint8Array>;
  /** The first `length` extracted bytes (fewer if the entry is shorter), without extracting the rest. Not CRC-checked. */
  readPrefix(entry: ZipEntry, length: number): Promise<Uint8Array>;
}

class LazyZipArchive implements ZipArchive {
  readonly entries: readonly ZipEntry[];
  private readonly parsed: ReadonlyMap<ZipEntry, ParsedEntry>;
  private readonly byName: ReadonlyMap<string, ZipEntry>;
  private readonly ranges = new Map<ZipEntry, Promise<ByteRange>>();

  constructor(
    readonly file: NamedBlob,
    entries: readonly ParsedEntry[],
    readonly zip64: boolean,
  ) {
    const pairs = entries.map((p) => {
      const { nameBytes: _n, limit: _l, ...entry } = p;
      return [Object.freeze(entry) as ZipEntry, p] as const;
    });
    this.entries = pairs.map(([e]) => e);
    this.parsed = new Map(pairs);
    this.byName = new Map(pairs.map(([e]) => [e.name, e]));
  }

  find(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  private own(entry: ZipEntry): ParsedEntry {
    const parsed = this.parsed.get(entry);
    if (!parsed) throw new RangeError(`zip entry "${entry.name}" is not from "${this.file.name}"`);
    return parsed;
  }

  dataRange(entry: ZipEntry): Promise<ByteRange> {
    const parsed = this.own(entry);
    let range = this.ranges.get(entry);
    if (!range) {
      range = this.readLocalHeader(parsed);
      this.ranges.set(entry, range);
      // A failed read is not cached, so a later call can retry (e.g. after a transient READ_FAILED).
      range.catch(() => this.ranges.delete(entry));
    }
    return range;
  }

  private async readLocalHeader(entry: ParsedEntry): Promise<ByteRange> {
    const at = entry.localHeaderOffset;
    const header = await readBytes(this.file, at, at + LOCAL_HEADER_BYTES);
    const view = new DataView(header.buffer);
    if (view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE) throw this.bad(`entry "${entry.name}" has no local header at byte ${at}`);
    const start = at + LOCAL_HEADER_BYTES + view.getUint16(26, true) + view.getUint16(28, true);
    const end = start + entry.compressedSize;
    if (end > entry.limit) throw this.bad(`the data of entry "${entry.name}" (bytes ${start}–${end}) runs into the next entry at byte ${entry.limit}`);
    return { start, end };
  }

  private bad(message: string): FormatError {
    return new FormatError('BAD_ZIP', `"${this.file.name}" is not a readable zip archive: ${message}.`, { file: this.file.name });
  }

  /** Refuse what can never be read, before reading anything. */
  private checkReadable(entry: ZipEntry, maxBytes: number): void {
    const where = `entry "${entry.name}" of "${this.file.name}"`;
    if (entry.encrypted) throw new FormatError('UNSUPPORTED_FEATURE', `The ${where} is encrypted.`, { file: this.file.name, remedy: 'Save the archive without a password.' });
    if (entry.method !== 0 && entry.method !== 8) {
      throw new FormatError('UNSUPPORTED_FEATURE', `The ${where} is compressed with ${methodName(entry.method)}; only stored and deflate entries can be read.`, {
        file: this.file.name,
        remedy: 'Re-create the archive with standard (deflate) compression or none.',
      });
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw this.bad(`stored entry "${entry.name}" declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize}`);
    }
    if (entry.method === 8 && entry.uncompressedSize > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw new FormatError('ZIP_BOMB', `The ${where} declares ${entry.uncompressedSize} bytes from ${entry.compressedSize} compressed bytes, more than DEFLATE can expand to.`, {
        file: this.file.name,
      });
    }
    if (entry.uncompressedSize > maxBytes) {
      throw new FormatError('TOO_LARGE', `The ${where} extracts to ${entry.uncompressedSize} bytes; at most ${maxBytes} are read at once.`, { file: this.file.name });
    }
  }

  async read(entry: ZipEntry, options: ZipReadOptions = {}): Promise<Uint8Array> {
    this.own(entry);
    this.checkReadable(entry, options.maxBytes ?? DEFAULT_MAX_ENTRY_BYTES);
    const { start, end } = await this.dataRange(entry);
    const bytes =
      entry.method === 0 ? await readBytes(this.file, start, end) : await inflateRange(this.file, { start, end, expectedBytes: entry.uncompressedSize, entry: entry.name });
    if (crc32(bytes) !== entry.crc32) throw this.bad(`entry "${entry.name}" fails its CRC-32 check (its bytes are damaged)`);
    return bytes;
  }

  async readPrefix(entry: ZipEntry, length: number): Promise<Uint8Array> {
    this.own(entry);
    const n = Math.max(0, Math.min(length, entry.uncompressedSize));
    this.checkReadable(entry, Number.MAX_SAFE_INTEGER);
    const { start, end } = await this.dataRange(entry);
    if (entry.method === 0) return readBytes(this.file, start, start + n);
    return inflateRange(this.file, { start, end, expectedBytes: entry.uncompressedSize, stopAfter: n, entry: entry.name });
  }
}

/**
 * Open a zip archive lazily: read its end records and central directory (at most the last 64 KiB plus the
 * directory itself), nothing else.
 *
 * @example
 *   const zip = await openZip(file);
 *   const entry = zip.find('archive/data.pkl');
 *   const pickle = entry && (await zip.read(entry, { maxBytes: 64 << 20 }));
 * @throws FormatError `TRUNCATED`, `BAD_ZIP`, `TOO_LARGE`, `UNSUPPORTED_FEATURE` (spanned archives), `READ_FAILED`
 */
export async function openZip(file: NamedBlob): Promise<ZipArchive> {
  const location = await findCentralDirectory(file);
  const directory = await readBytes(file, location.offset, location.offset + location.size);
  return new LazyZipArchive(file, readCentralDirectory(file, directory, location), location.zip64);
}
