/**
 * Cheap recognition of PyTorch files from their first bytes. Zip-format checkpoints (PyTorch ≥ 1.6) start
 * with the local header of `<archive>/data.pkl`, the first record `torch.save` writes (TorchScript archives,
 * `torch.jit.save`, start with their first storage, `<archive>/data/0`). Legacy files
 * (before 1.6) start with a protocol-2 pickle of the magic number 0x1950a86a20f9469cfc6c
 * (torch/serialization.py `MAGIC_NUMBER`): `\x80\x02` PROTO 2, `\x8a\x0a` LONG1 of 10 bytes, then the number
 * little-endian. They are claimed too, so that opening them says `LEGACY_FORMAT` rather than "unknown".
 */
import { firstEntryName } from '../zip/sniffZip';

/** PROTO 2, LONG1 10, then 0x1950a86a20f9469cfc6c little-endian. */
export const LEGACY_MAGIC = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]);

/** Opcodes that can follow PROTO at the start of a pickle: FRAME, `}` `]` `)` `(`, LONG1, GLOBAL, SHORT_BINUNICODE, `K`, `X`, `N`. */
const PICKLE_SECOND_OPS = new Set([0x95, 0x7d, 0x5d, 0x29, 0x28, 0x8a, 0x63, 0x8c, 0x4b, 0x58, 0x4e]);

/** Whether `head` starts like a pickle of protocol 2–5: `\x80`, the protocol, and a plausible first opcode. */
export function isPickleHead(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x80 && (head[1] as number) >= 2 && (head[1] as number) <= 5 && PICKLE_SECOND_OPS.has(head[2] as number);
}

/** Whether the first bytes are a zip-format PyTorch checkpoint, a legacy one, or a bare pickle. */
export function sniffPytorch(head: Uint8Array): boolean {
  if (isPickleHead(head)) return true;
  const first = firstEntryName(head);
  return first !== null && first.complete && /^[^/]+\/data(?:\.pkl|\/\d+)$/.test(first.name);
}
