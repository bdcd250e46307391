/**
 * Cheap zip checks on a file's first bytes, for the readers' `sniff` (no reads). A zip written front to back
 * starts with the local file header of its first entry (APPNOTE.TXT §4.3.7: signature `PK\x03\x04`, 26 bytes
 * of fields, then the name), so the first entry's name is visible in the first 64 bytes when it is short.
 */

/** Whether `head` starts with a local file header signature, or is an empty archive's EOCD (`PK\x05\x06`). */
export function isZipHead(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/** The first entry's name as far as `head` shows it. */
export interface FirstEntryName {
  readonly name: string;
  /** False when the name continues past the end of `head`. */
  readonly complete: boolean;
}

/** The name of the first entry from its local header in `head`, or null when `head` does not start one. */
export function firstEntryName(head: Uint8Array): FirstEntryName | null {
  if (head.length < 30 || !isZipHead(head) || head[2] !== 3) return null;
  const length = (head[26] as number) | ((head[27] as number) << 8);
  const shown = head.subarray(30, Math.min(head.length, 30 + length));
  return { name: new TextDecoder('utf-8').decode(shown), complete: shown.length === length };
}
