import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';

/**
 * Whether the first bytes are a GGUF file: the magic `GGUF` (u32 0x46554747 little-endian) at offset 0.
 * The version is not checked, so that version 1 or big-endian files reach `open` and get a precise error.
 */
export function sniffGguf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x47 && head[1] === 0x47 && head[2] === 0x55 && head[3] === 0x46;
}

/**
 * The GGUF reader (llama.cpp / ggml): `.gguf` files, versions 2 and 3, single or split with `gguf-split`.
 * F32, F16, BF16, F64 and Q8_0 tensors are analysed; other quantizations are listed as not yet supported.
 * `open` (openGguf.ts) is loaded on first use.
 */
export const ggufReader: FormatReader = {
  id: 'gguf',
  label: 'GGUF',
  extensions: ['.gguf'],
  note: 'F32, F16, BF16 and Q8_0 weights',
  sniff: (head: Uint8Array, _file: NamedBlob) => sniffGguf(head),
  open: async (files) => (await import('./openGguf')).openGguf(files),
};
