/**
 * The format-neutral description of one zip entry, and the limits every zip read obeys.
 * Field names follow PKWARE's APPNOTE.TXT (6.3.10) §4.3.12 (central directory file header).
 */

/** One file in a zip archive, as its central directory describes it (ZIP64 values already applied). */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, decoded as UTF-8. */
  readonly name: string;
  /** Compression method (APPNOTE §4.4.5): 0 stored, 8 deflate; other values are listed but cannot be read. */
  readonly method: number;
  /** Bytes of (compressed) data in the archive. */
  readonly compressedSize: number;
  /** Bytes once extracted. */
  readonly uncompressedSize: number;
  /** Offset of the entry's local file header from the start of the file. */
  readonly localHeaderOffset: number;
  /** CRC-32 of the extracted bytes. */
  readonly crc32: number;
  /** General purpose flag bit 0: the entry is encrypted (never readable here). */
  readonly encrypted: boolean;
}

/** Absolute byte range `[start, end)` of an entry's data within the zip file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Largest central directory read (64 MiB: ~1.4 million entries with short names). */
export const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;

/** Most entries an archive may list (a torch checkpoint of a 70B model has ~1,000). */
export const MAX_ZIP_ENTRIES = 1_000_000;

/** Default cap on the bytes one entry may extract to: 1 GiB. Callers reading larger entries pass their own. */
export const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

/**
 * The most DEFLATE can expand: 258 bytes from a 2-bit match code, i.e. 1032:1 (zlib technical details,
 * "Maximum compression factor"). An entry declaring more than this (plus a little for block headers)
 * cannot be honest.
 */
export const MAX_DEFLATE_RATIO = 1032;

/** Compression method names for messages (APPNOTE §4.4.5). */
export function methodName(method: number): string {
  const names: Readonly<Record<number, string>> = { 0: 'stored', 8: 'deflate', 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd' };
  return names[method] ?? `method ${method}`;
}
