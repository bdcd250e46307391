import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { openSafetensors } from './openSafetensors';
import { isSafetensorsIndexName } from './parseShardName';

/**
 * Whether the first bytes look like safetensors (spec: u64 little-endian header length N, then the JSON
 * header): at least 9 bytes, 2 ≤ N < 2^48 (the top two bytes zero, which rules out text, whose bytes are
 * never zero), and byte 8 is `{`. N is not compared with the file size, so that a truncated file is still
 * recognised and gets the specific `TRUNCATED` error.
 */
export function sniffSafetensors(head: Uint8Array): boolean {
  if (head.length < 9 || head[8] !== 0x7b || head[6] !== 0 || head[7] !== 0) return false;
  const length = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  return length >= 2n;
}

/** The safetensors reader: single files and sharded sets with or without `*.safetensors.index.json`. */
export const safetensorsReader: FormatReader = {
  id: 'safetensors',
  label: 'safetensors',
  extensions: ['.safetensors'],
  note: 'sharded with index.json',
  sniff: (head) => sniffSafetensors(head),
  companion: (file: NamedBlob) => isSafetensorsIndexName(file.name),
  open: openSafetensors,
};
