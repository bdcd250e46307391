/**
 * Where each weight of a TF.js weights group lies in the concatenation of the group's shards (tfjs-core
 * `decodeWeights`: weights back to back in manifest order, each `size × element width` bytes; a string
 * weight is `size` elements of a 4-byte little-endian length followed by that many bytes). Only string
 * weights need bytes read to be located, and only their length prefixes are read.
 */
import { shapeSize } from '../../model/types';
import { FormatError } from '../formatError';
import type { ShardSpan } from './shardSpan';
import type { ManifestEntry, ManifestGroup } from './tfjsManifest';
import type { TfjsWeightStorage } from './tfjsWeightStorage';
import { tfjsWeightStorage } from './tfjsWeightStorage';

/** One weight with its place in its group's bytes. */
export interface LocatedWeight {
  readonly entry: ManifestEntry;
  readonly group: ManifestGroup;
  readonly span: ShardSpan;
  readonly storage: TfjsWeightStorage;
  /** Number of elements (product of the shape). */
  readonly size: number;
  /** Byte range [start, end) in the group's span; `null` when it cannot be located. */
  readonly range: { readonly start: number; readonly end: number } | null;
  /** Why the weight cannot be located (an earlier weight of the group has an unknown size). */
  readonly lost?: string;
}

/** Bytes read at a time while walking a string weight's length prefixes. */
const STRING_CHUNK_BYTES = 64 * 1024;

/** Where errors about a group point: the JSON file, and the group's shard names for messages. */
export interface GroupSource {
  readonly jsonFile: string;
}

function shardNames(span: ShardSpan): string {
  return span.files.map((f) => `"${f.name}"`).join(', ');
}

function pastTheEnd(group: ManifestGroup, span: ShardSpan, entry: ManifestEntry, start: number, end: number, source: GroupSource): FormatError {
  const last = span.files.at(-1);
  const holds = span.files.length === 1 ? `its shard ${shardNames(span)} holds` : `its ${span.files.length} shards ${shardNames(span)} hold`;
  return new FormatError(
    'TRUNCATED',
    `Weights group ${group.index + 1} of "${source.jsonFile}" needs at least ${end} bytes, but ${holds} ${span.size}: weight "${entry.name}" (bytes ${start}–${end} of the group) runs past the end.`,
    { file: last?.name ?? source.jsonFile },
  );
}

/** Byte length of a string weight of `count` elements starting at `start`, or the offset at which it runs past the end. */
async function stringByteLength(span: ShardSpan, start: number, count: number): Promise<{ end: number; complete: boolean }> {
  let window: Uint8Array = new Uint8Array(0);
  let windowStart = 0;
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 4 > span.size) return { end: at + 4, complete: false };
    if (at < windowStart || at + 4 > windowStart + window.length) {
      windowStart = at;
      window = await span.read(at, Math.min(span.size, at + STRING_CHUNK_BYTES));
    }
    const o = at - windowStart;
    const length = ((window[o] as number) | ((window[o + 1] as number) << 8) | ((window[o + 2] as number) << 16) | ((window[o + 3] as number) << 24)) >>> 0;
    at += 4 + length;
    if (at > span.size) return { end: at, complete: false };
  }
  return { end: at, complete: true };
}

/**
 * Locate every weight of one group in its span.
 *
 * @param group the manifest group
 * @param span the concatenation of its shard files, in `paths` order
 * @param source names for errors
 * @returns one entry per manifest weight, in order; weights after one of unknown size have `range: null`
 * @throws FormatError `TOO_LARGE` when a weight's element count or byte size is not a safe integer;
 *   `TRUNCATED` when a weight runs past the end of the group's shards (naming the weight, the bytes needed
 *   and the bytes present); `READ_FAILED` while reading string length prefixes
 */
export async function locateGroupWeights(group: ManifestGroup, span: ShardSpan, source: GroupSource): Promise<LocatedWeight[]> {
  const located: LocatedWeight[] = [];
  let offset = 0;
  let lost: string | null = null;
  for (const entry of group.weights) {
    const storage = tfjsWeightStorage(entry);
    const size = shapeSize(entry.shape);
    const width = storage.width;
    // Fixed-width weights only; a string weight's size is walked below, an unknown one is never located.
    const bytes = typeof width === 'number' ? size * width : 0;
    if (!Number.isSafeInteger(size) || !Number.isSafeInteger(bytes)) {
      throw new FormatError(
        'TOO_LARGE',
        `Weight "${entry.name}" in "${source.jsonFile}" has shape [${entry.shape.join(', ')}]: ${size} elements, more than any file or browser can hold.`,
        { file: source.jsonFile },
      );
    }
    const base = { entry, group, span, storage, size };
    if (lost !== null || width === null) {
      located.push(lost === null ? { ...base, range: null } : { ...base, range: null, lost });
      lost ??= `its bytes cannot be located: it follows weight "${entry.name}" in its group, whose size is unknown (${storage.unsupported ?? 'unknown storage'})`;
      continue;
    }
    let end: number;
    if (width === 'string') {
      const walked = await stringByteLength(span, offset, size);
      if (!walked.complete) throw pastTheEnd(group, span, entry, offset, walked.end, source);
      end = walked.end;
    } else end = offset + bytes;
    if (end > span.size) throw pastTheEnd(group, span, entry, offset, end, source);
    located.push({ ...base, range: { start: offset, end } });
    offset = end;
  }
  return located;
}
