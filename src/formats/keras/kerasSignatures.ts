/** The magic bytes that tell a Keras file's container: HDF5 or zip. */

/** `\x89HDF\r\n\x1a\n`: the HDF5 superblock signature (HDF5 File Format Specification §II.A). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** `PK\x03\x04`: a zip local file header (APPNOTE.TXT §4.3.7). */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

const startsWith = (head: Uint8Array, signature: readonly number[]) => head.length >= signature.length && signature.every((b, i) => head[i] === b);

/**
 * Whether bytes start with the HDF5 signature. Only offset 0 is checked: the superblock moves to 512, 1024, …
 * only behind a user block, which Keras never writes.
 */
export function hasHdf5Signature(head: Uint8Array): boolean {
  return startsWith(head, HDF5_SIGNATURE);
}

/** Whether bytes start with a zip local file header. */
export function hasZipSignature(head: Uint8Array): boolean {
  return startsWith(head, ZIP_SIGNATURE);
}

/** The name of a zip's first entry, from its local header (name length at byte 26, name from byte 30), if `head` holds it. */
export function firstZipEntryName(head: Uint8Array): string | null {
  if (!hasZipSignature(head) || head.length < 30) return null;
  const length = (head[26] as number) | ((head[27] as number) << 8);
  if (head.length < 30 + length) return null;
  return String.fromCharCode(...head.subarray(30, 30 + length));
}
