/**
 * Parse a zip central directory (APPNOTE.TXT 6.3.10 §4.3.12) into {@link ZipEntry}s, applying the ZIP64
 * extended information extra field (§4.5.3, header id 0x0001), which holds, in this order and only when the
 * 32-bit field is 0xFFFFFFFF: uncompressed size, compressed size, local header offset (8 bytes each).
 * Every entry must lie before the central directory and no two may share bytes (overlapping entries are a
 * zip-bomb technique).
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import type { CentralDirectoryLocation } from './findCentralDirectory';
import { CENTRAL_HEADER_BYTES, readU64 } from './findCentralDirectory';
import type { ZipEntry } from './zipEntry';

const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
/** Bytes of a local file header before its name (§4.3.7). */
export const LOCAL_HEADER_BYTES = 30;
const ZIP64_EXTRA_ID = 0x0001;
const MAX32 = 0xffffffff;

/** A parsed entry plus what the archive needs to check its local header later. */
export interface ParsedEntry extends ZipEntry {
  /** Length of the name in bytes (the local header repeats it). */
  readonly nameBytes: number;
  /** Where the next entry (or the central directory) starts: this entry's data must end by then. */
  readonly limit: number;
}

const utf8 = new TextDecoder('utf-8');

function badZip(file: NamedBlob, message: string): FormatError {
  return new FormatError('BAD_ZIP', `"${file.name}" is not a readable zip archive: ${message}.`, { file: file.name });
}

/** Apply the ZIP64 extra field to the 32-bit values that are 0xFFFFFFFF. */
function applyZip64(
  file: NamedBlob,
  name: string,
  extra: DataView,
  fields: { uncompressedSize: number; compressedSize: number; localHeaderOffset: number },
): void {
  const wanted = (['uncompressedSize', 'compressedSize', 'localHeaderOffset'] as const).filter((k) => fields[k] === MAX32);
  if (wanted.length === 0) return;
  for (let at = 0; at + 4 <= extra.byteLength; ) {
    const id = extra.getUint16(at, true);
    const size = extra.getUint16(at + 2, true);
    if (at + 4 + size > extra.byteLength) break;
    if (id === ZIP64_EXTRA_ID) {
      if (size < 8 * wanted.length) throw badZip(file, `entry "${name}" has a ZIP64 field too short for its ${wanted.length} 64-bit values`);
      wanted.forEach((k, i) => (fields[k] = readU64(extra, at + 4 + 8 * i)));
      return;
    }
    at += 4 + size;
  }
  throw badZip(file, `entry "${name}" has a 32-bit size or offset of 0xFFFFFFFF but no ZIP64 extra field`);
}

/**
 * Parse `bytes`, the whole central directory.
 *
 * @param location where it is (from findCentralDirectory), for the entry count and the end of entry data
 * @returns entries in central directory order
 * @throws FormatError `BAD_ZIP` for a bad signature, fields running past the directory, entries past the
 *   central directory, duplicate names, or overlapping entries
 */
export function readCentralDirectory(file: NamedBlob, bytes: Uint8Array, location: CentralDirectoryLocation): ParsedEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw: Omit<ParsedEntry, 'limit'>[] = [];
  const names = new Set<string>();
  let pos = 0;
  for (let i = 0; i < location.entryCount; i++) {
    if (pos + CENTRAL_HEADER_BYTES > bytes.length || view.getUint32(pos, true) !== CENTRAL_HEADER_SIGNATURE) {
      throw badZip(file, `central directory header ${i + 1} of ${location.entryCount} (at byte ${location.offset + pos}) is missing or damaged`);
    }
    const nameBytes = view.getUint16(pos + 28, true);
    const extraBytes = view.getUint16(pos + 30, true);
    const commentBytes = view.getUint16(pos + 32, true);
    const next = pos + CENTRAL_HEADER_BYTES + nameBytes + extraBytes + commentBytes;
    if (next > bytes.length) throw badZip(file, `central directory header ${i + 1} runs past the end of the central directory`);
    const nameStart = pos + CENTRAL_HEADER_BYTES;
    const name = utf8.decode(bytes.subarray(nameStart, nameStart + nameBytes));
    const fields = { uncompressedSize: view.getUint32(pos + 24, true), compressedSize: view.getUint32(pos + 20, true), localHeaderOffset: view.getUint32(pos + 42, true) };
    applyZip64(file, name, new DataView(bytes.buffer, bytes.byteOffset + nameStart + nameBytes, extraBytes), fields);
    if (names.has(name)) throw badZip(file, `two entries are named "${name}"`);
    names.add(name);
    raw.push({
      name,
      method: view.getUint16(pos + 10, true),
      crc32: view.getUint32(pos + 16, true),
      encrypted: (view.getUint16(pos + 8, true) & 1) !== 0,
      nameBytes,
      ...fields,
    });
    pos = next;
  }
  // Each entry is a local header (≥ 30 bytes + name) then its data, all before the central directory.
  const byOffset = raw.map((e, i) => [e.localHeaderOffset, i] as const).sort((a, b) => a[0] - b[0]);
  const limits = new Array<number>(raw.length);
  byOffset.forEach(([offset, i], k) => {
    const entry = raw[i] as Omit<ParsedEntry, 'limit'>;
    const limit = k + 1 < byOffset.length ? (byOffset[k + 1] as readonly [number, number])[0] : location.offset;
    if (!(offset + LOCAL_HEADER_BYTES + entry.nameBytes + entry.compressedSize <= limit)) {
      const what = k + 1 < byOffset.length ? `overlaps the next entry at byte ${limit}` : `runs past the start of the central directory at byte ${limit}`;
      throw badZip(file, `entry "${entry.name}" (${entry.compressedSize} bytes at byte ${offset}) ${what}`);
    }
    limits[i] = limit;
  });
  return raw.map((e, i) => ({ ...e, limit: limits[i] as number }));
}
