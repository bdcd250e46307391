/**
 * The ggml tensor types a GGUF tensor info may name (`enum ggml_type` in ggml/include/ggml.h; block sizes and
 * bytes per block as in ggml.c `type_traits` and gguf-py `GGML_QUANT_SIZES`). A tensor of `n` elements of a
 * type with blocks of `blockSize` elements and `typeSize` bytes takes `n / blockSize · typeSize` bytes, and
 * its first dimension ne[0] must be a multiple of `blockSize` (gguf.cpp refuses other files).
 *
 * Ids 4 and 5 (Q4_2, Q4_3) were removed before GGUF existed. Ids 31–33 (Q4_0_4_4, Q4_0_4_8, Q4_0_8_8) and
 * 36–38 (IQ4_NL_4_4, …) were written into GGUF files for a while and have since been removed from ggml in
 * favour of repacking at load time; their sizes are those of Q4_0 and IQ4_NL blocks. Q8_1 takes 36 bytes
 * (ggml-common.h: half d, half s, 32 int8), although gguf-py's table still says 40; no GGUF file stores it.
 */
import type { DType } from '../../model/types';

/** How this app turns a type's bytes into floats, if it can. */
export type GgmlDecoding =
  /** Plain little-endian floats, decoded by `decodeFloats` (dtype.ts). */
  | 'float'
  /** Blocks of one f16 scale d and 32 int8 q: value = d·q (ggml `dequantize_row_q8_0`). */
  | 'Q8_0'
  /** Integers: listed, not analysed. */
  | 'integer'
  /** A quantization this app does not decode: listed, not analysed. */
  | 'unsupported';

/** One ggml tensor type. */
export interface GgmlType {
  /** The `ggml_type` value stored in a tensor info. */
  readonly id: number;
  /** ggml's name, upper case as gguf-py spells it, e.g. `Q4_K`. */
  readonly name: string;
  /** Elements per block (1 for plain types). */
  readonly blockSize: number;
  /** Bytes per block. */
  readonly typeSize: number;
  /** The TensorInfo dtype: the float type values decode to, the integer type, or `UNKNOWN`. */
  readonly dtype: DType;
  readonly decoding: GgmlDecoding;
  /** Set for types ggml has dropped: files with them no longer load in llama.cpp. */
  readonly removed?: true;
}

/** ggml's super-block size of the K-quants and most IQ types. */
const QK_K = 256;

const plain = (id: number, name: string, typeSize: number, dtype: DType, decoding: GgmlDecoding): GgmlType => ({
  id,
  name,
  blockSize: 1,
  typeSize,
  dtype,
  decoding,
});
const quant = (id: number, name: string, blockSize: number, typeSize: number, removed = false): GgmlType => ({
  id,
  name,
  blockSize,
  typeSize,
  dtype: 'UNKNOWN',
  decoding: 'unsupported',
  ...(removed ? { removed: true as const } : {}),
});

/** Every ggml type this app knows, by id. The byte counts spell out each block struct of ggml-common.h. */
const TYPES: readonly GgmlType[] = [
  plain(0, 'F32', 4, 'F32', 'float'),
  plain(1, 'F16', 2, 'F16', 'float'),
  quant(2, 'Q4_0', 32, 2 + 16),
  quant(3, 'Q4_1', 32, 2 + 2 + 16),
  quant(6, 'Q5_0', 32, 2 + 4 + 16),
  quant(7, 'Q5_1', 32, 2 + 2 + 4 + 16),
  // Decoded values are float32 (ggml computes float(d)·q in float), hence dtype F32.
  { id: 8, name: 'Q8_0', blockSize: 32, typeSize: 2 + 32, dtype: 'F32', decoding: 'Q8_0' },
  quant(9, 'Q8_1', 32, 2 + 2 + 32),
  quant(10, 'Q2_K', QK_K, 2 + 2 + QK_K / 16 + QK_K / 4),
  quant(11, 'Q3_K', QK_K, 2 + QK_K / 4 + QK_K / 8 + 12),
  quant(12, 'Q4_K', QK_K, 2 + 2 + QK_K / 2 + 12),
  quant(13, 'Q5_K', QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12),
  quant(14, 'Q6_K', QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16),
  quant(15, 'Q8_K', QK_K, 4 + QK_K + QK_K / 8),
  quant(16, 'IQ2_XXS', QK_K, 2 + QK_K / 4),
  quant(17, 'IQ2_XS', QK_K, 2 + QK_K / 4 + QK_K / 32),
  quant(18, 'IQ3_XXS', QK_K, 2 + QK_K / 4 + QK_K / 8),
  quant(19, 'IQ1_S', QK_K, 2 + QK_K / 8 + QK_K / 16),
  quant(20, 'IQ4_NL', 32, 2 + 16),
  quant(21, 'IQ3_S', QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4),
  quant(22, 'IQ2_S', QK_K, 2 + QK_K / 4 + QK_K / 16),
  quant(23, 'IQ4_XS', QK_K, 2 + 2 + QK_K / 2 + QK_K / 64),
  plain(24, 'I8', 1, 'I8', 'integer'),
  plain(25, 'I16', 2, 'I16', 'integer'),
  plain(26, 'I32', 4, 'I32', 'integer'),
  plain(27, 'I64', 8, 'I64', 'integer'),
  plain(28, 'F64', 8, 'F64', 'float'),
  quant(29, 'IQ1_M', QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32),
  plain(30, 'BF16', 2, 'BF16', 'float'),
  quant(31, 'Q4_0_4_4', 32, 2 + 16, true),
  quant(32, 'Q4_0_4_8', 32, 2 + 16, true),
  quant(33, 'Q4_0_8_8', 32, 2 + 16, true),
  quant(34, 'TQ1_0', QK_K, 2 + 4 * 13),
  quant(35, 'TQ2_0', QK_K, 2 + 64),
  quant(36, 'IQ4_NL_4_4', 32, 2 + 16, true),
  quant(37, 'IQ4_NL_4_8', 32, 2 + 16, true),
  quant(38, 'IQ4_NL_8_8', 32, 2 + 16, true),
  quant(39, 'MXFP4', 32, 1 + 16),
  quant(40, 'NVFP4', 64, 4 + 32),
  quant(41, 'Q1_0', 128, 2 + 16),
];

const BY_ID: ReadonlyMap<number, GgmlType> = new Map(TYPES.map((t) => [t.id, t]));

/** The ggml type with this id, or `null` for an id this app does not know (a newer ggml, or a damaged file). */
export function ggmlType(id: number): GgmlType | null {
  return BY_ID.get(id) ?? null;
}

/** Every known ggml type, in id order. */
export function ggmlTypes(): readonly GgmlType[] {
  return TYPES;
}
