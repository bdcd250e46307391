/**
 * Decode the stored bytes of one TF.js float32 weight, exactly as tfjs-core 4.22 `decodeWeight`
 * (`io/io_utils.ts`) does:
 *
 * - plain float32: little-endian IEEE binary32, as stored;
 * - `float16` quantization: IEEE binary16 widened to float32 (exact for every value, subnormals, ±Inf, NaN);
 * - `uint8` / `uint16` quantization: `values[i] = q * scale + min`. tfjs-core evaluates that in JavaScript
 *   numbers, i.e. float64 (a multiply and an add, each rounded; no fused multiply-add), and stores the result
 *   in a Float32Array (rounded to nearest, ties to even). This is the same as the reference fixtures' recipe,
 *   "q·scale + min, computed in float64, then stored float32" (numpy `(q * scale + min).astype(np.float32)`),
 *   so the values here equal tfjs-core's and the references' bit for bit. uint16 values are read
 *   little-endian (tfjs-core uses the platform's byte order, little-endian on every platform it runs on).
 */
import type { DecodeSource } from '../dtype';
import { decodeFloats } from '../dtype';
import { FormatError } from '../formatError';
import type { TfjsDecoder } from './tfjsWeightStorage';

/**
 * Decode a weight's bytes to float32.
 *
 * @param bytes the stored bytes, `n × element width` long (the caller hands them over: a float32 result may view them)
 * @param decoder how they are stored
 * @param source the file and tensor, named in errors
 * @returns n float32 values in stored (row-major) order
 * @throws FormatError `SIZE_MISMATCH` when the length is not a whole number of elements
 */
export function decodeTfjsWeight(bytes: Uint8Array, decoder: TfjsDecoder, source: DecodeSource): Float32Array {
  switch (decoder.kind) {
    case 'float32':
      return decodeFloats(bytes, 'F32', source) as Float32Array;
    case 'float16':
      return decodeFloats(bytes, 'F16', source) as Float32Array;
    case 'affine': {
      const width = decoder.bits / 8;
      if (bytes.length % width !== 0) {
        throw new FormatError('SIZE_MISMATCH', `Cannot decode tensor "${source.tensor}": ${bytes.length} bytes is not a whole number of uint${decoder.bits} values.`, {
          file: source.file,
        });
      }
      const { min, scale } = decoder;
      const out = new Float32Array(bytes.length / width);
      if (width === 1) for (let i = 0; i < out.length; i++) out[i] = (bytes[i] as number) * scale + min;
      else for (let i = 0; i < out.length; i++) out[i] = ((bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8)) * scale + min;
      return out;
    }
  }
}
