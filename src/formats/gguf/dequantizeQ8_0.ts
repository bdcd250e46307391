/**
 * ggml's Q8_0 quantization (ggml-common.h `block_q8_0`, ggml-quants.c `dequantize_row_q8_0`): blocks of 32
 * values, each stored as one IEEE binary16 scale d followed by 32 signed bytes q, 34 bytes per block; the
 * value is x = d·q. ggml computes float(d)·q in float32; the product of an 11-bit significand and an 8-bit
 * integer is exact in float64, so rounding it once to float32 gives ggml's float32 result bit for bit.
 */
import { float16BitsToNumber } from '../dtype';

/** Values per Q8_0 block. */
export const Q8_0_BLOCK = 32;
/** Bytes per Q8_0 block: a 2-byte scale and 32 int8 quants. */
export const Q8_0_BLOCK_BYTES = 2 + Q8_0_BLOCK;

/**
 * Dequantize Q8_0 blocks to float32.
 *
 * @param bytes `count / 32` blocks of 34 bytes
 * @param count number of values, a multiple of 32
 * @returns `count` float32 values, block after block
 * @throws RangeError when `count` is not a multiple of 32 or `bytes` has another length (the caller checks
 *   sizes against the header first, so this is a bug)
 */
export function dequantizeQ8_0(bytes: Uint8Array, count: number): Float32Array {
  const blocks = count / Q8_0_BLOCK;
  if (!Number.isInteger(blocks) || bytes.length !== blocks * Q8_0_BLOCK_BYTES) {
    throw new RangeError(`dequantizeQ8_0: ${bytes.length} bytes are not the Q8_0 blocks of ${count} values`);
  }
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q8_0_BLOCK_BYTES;
    const d = float16BitsToNumber((bytes[at] as number) | ((bytes[at + 1] as number) << 8));
    const base = b * Q8_0_BLOCK;
    for (let j = 0; j < Q8_0_BLOCK; j++) {
      // Sign-extend the byte: (q << 24) >> 24 maps 128…255 to −128…−1.
      const q = ((bytes[at + 2 + j] as number) << 24) >> 24;
      out[base + j] = d * q;
    }
  }
  return out;
}
