/**
 * CRC-32 as zip uses it (APPNOTE.TXT §4.4.7: the IEEE 802.3 polynomial 0xEDB88320 in reflected form, initial
 * value and final XOR 0xFFFFFFFF), table-driven, one table of 256 words built on first use.
 */

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table === null) {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    table = t;
  }
  return table;
}

/**
 * Continue a CRC-32 over more bytes: `crc32(b, crc32(a)) === crc32(concat(a, b))`.
 *
 * @param bytes the next bytes
 * @param previous the CRC of the bytes before (0 to start)
 * @returns the CRC as an unsigned 32-bit integer
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const t = crcTable();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
