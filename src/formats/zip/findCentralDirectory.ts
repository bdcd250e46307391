/**
 * Locate a zip archive's central directory from its end (APPNOTE.TXT 6.3.10): the End Of Central Directory
 * record (§4.3.16, 22 bytes + a comment of at most 65,535 bytes, so it lies in the last 65,557 bytes), and,
 * when there is one, the ZIP64 end of central directory locator (§4.3.15, the 20 bytes before it) pointing
 * to the ZIP64 end of central directory record (§4.3.14), whose 64-bit fields replace the 16/32-bit ones.
 * PyTorch (miniz) and Python's zipfile write ZIP64 records for large archives.
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { MAX_CENTRAL_DIRECTORY_BYTES, MAX_ZIP_ENTRIES } from './zipEntry';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_EOCD_BYTES = 56;
/** Bytes of one central directory header before its variable fields (§4.3.12). */
export const CENTRAL_HEADER_BYTES = 46;

/** Where the central directory is. */
export interface CentralDirectoryLocation {
  /** Number of entries. */
  readonly entryCount: number;
  /** Offset of the first central directory header. */
  readonly offset: number;
  /** Bytes of central directory. */
  readonly size: number;
  /** Whether ZIP64 records were used. */
  readonly zip64: boolean;
}

/** A little-endian u64 as a number (exact below 2^53; larger values stay larger and fail every bounds check). */
export function readU64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * 0x1_0000_0000 + view.getUint32(at, true);
}

/** Offset of the EOCD record inside `tail`: the last one whose comment ends exactly at the end, else the last that fits. */
function findEocd(tail: Uint8Array): number {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let loose = -1;
  for (let p = tail.length - EOCD_BYTES; p >= 0; p--) {
    if (view.getUint32(p, true) !== EOCD_SIGNATURE) continue;
    const end = p + EOCD_BYTES + view.getUint16(p + 20, true);
    if (end === tail.length) return p;
    if (end <= tail.length && loose < 0) loose = p;
  }
  return loose;
}

function badZip(file: NamedBlob, message: string): FormatError {
  return new FormatError('BAD_ZIP', `"${file.name}" is not a readable zip archive: ${message}.`, { file: file.name });
}

/** No EOCD: a file that starts like a zip was cut short; anything else is not a zip. */
async function missingEnd(file: NamedBlob): Promise<FormatError> {
  const head = await readBytes(file, 0, Math.min(4, file.blob.size));
  const startsLikeZip = head.length === 4 && new DataView(head.buffer).getUint32(0, true) === LOCAL_HEADER_SIGNATURE;
  if (startsLikeZip) {
    return new FormatError('TRUNCATED', `"${file.name}" starts like a zip archive but its end (the central directory) is missing: the file is cut short.`, {
      file: file.name,
    });
  }
  return badZip(file, 'no end-of-central-directory record was found in its last 64 KiB');
}

/** Read the ZIP64 EOCD record the locator points to. */
async function readZip64(file: NamedBlob, recordOffset: number, eocdAbsolute: number): Promise<CentralDirectoryLocation> {
  if (!(recordOffset + ZIP64_EOCD_BYTES <= eocdAbsolute - ZIP64_LOCATOR_BYTES)) {
    throw badZip(file, `its ZIP64 locator points to byte ${recordOffset}, outside the archive`);
  }
  const record = await readBytes(file, recordOffset, recordOffset + ZIP64_EOCD_BYTES);
  const view = new DataView(record.buffer);
  if (view.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) throw badZip(file, `no ZIP64 end-of-central-directory record at byte ${recordOffset}`);
  if (view.getUint32(16, true) !== 0 || view.getUint32(20, true) !== 0 || readU64(view, 24) !== readU64(view, 32)) {
    throw new FormatError('UNSUPPORTED_FEATURE', `"${file.name}" is a multi-part (spanned) zip archive, which cannot be read.`, { file: file.name });
  }
  return { entryCount: readU64(view, 32), size: readU64(view, 40), offset: readU64(view, 48), zip64: true };
}

/**
 * Find and validate the central directory's position. Reads the last ≤ 65,577 bytes (and, for ZIP64, the
 * 56-byte ZIP64 record).
 *
 * @throws FormatError `TRUNCATED` (starts like a zip, end missing), `BAD_ZIP` (no EOCD, counts or offsets that
 *   do not fit), `UNSUPPORTED_FEATURE` (spanned archives), `TOO_LARGE` (a central directory over 64 MiB or
 *   over a million entries)
 */
export async function findCentralDirectory(file: NamedBlob): Promise<CentralDirectoryLocation> {
  const size = file.blob.size;
  if (size < EOCD_BYTES) throw await missingEnd(file);
  const tailStart = Math.max(0, size - (EOCD_BYTES + 0xffff + ZIP64_LOCATOR_BYTES));
  const tail = await readBytes(file, tailStart, size);
  const p = findEocd(tail);
  if (p < 0) throw await missingEnd(file);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const eocdAbsolute = tailStart + p;
  const disk = view.getUint16(p + 4, true);
  const cdDisk = view.getUint16(p + 6, true);
  const onDisk = view.getUint16(p + 8, true);
  let location: CentralDirectoryLocation = {
    entryCount: view.getUint16(p + 10, true),
    size: view.getUint32(p + 12, true),
    offset: view.getUint32(p + 16, true),
    zip64: false,
  };
  let cdLimit = eocdAbsolute;
  const hasLocator = p >= ZIP64_LOCATOR_BYTES && view.getUint32(p - ZIP64_LOCATOR_BYTES, true) === ZIP64_LOCATOR_SIGNATURE;
  if (hasLocator) {
    const recordOffset = readU64(view, p - ZIP64_LOCATOR_BYTES + 8);
    location = await readZip64(file, recordOffset, eocdAbsolute);
    cdLimit = recordOffset;
  } else if ((disk !== 0 && disk !== 0xffff) || (cdDisk !== 0 && cdDisk !== 0xffff) || onDisk !== location.entryCount) {
    throw new FormatError('UNSUPPORTED_FEATURE', `"${file.name}" is a multi-part (spanned) zip archive, which cannot be read.`, { file: file.name });
  }
  const { entryCount, offset, size: cdSize } = location;
  if (!(offset + cdSize <= cdLimit)) {
    throw badZip(file, `its central directory (bytes ${offset}–${offset + cdSize}) runs past the end-of-central-directory record at byte ${cdLimit}`);
  }
  if (entryCount * CENTRAL_HEADER_BYTES > cdSize) {
    throw badZip(file, `it declares ${entryCount} entries, but its ${cdSize}-byte central directory can hold at most ${Math.floor(cdSize / CENTRAL_HEADER_BYTES)}`);
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES || entryCount > MAX_ZIP_ENTRIES) {
    throw new FormatError(
      'TOO_LARGE',
      `"${file.name}" lists ${entryCount} entries in a ${cdSize}-byte central directory; at most ${MAX_ZIP_ENTRIES} entries and ${MAX_CENTRAL_DIRECTORY_BYTES} bytes are read.`,
      { file: file.name },
    );
  }
  return location;
}
