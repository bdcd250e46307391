/**
 * One placed GGUF tensor as a lazy {@link TensorRef}: F32, F16, BF16 and F64 decode as plain floats, Q8_0 is
 * dequantized, integers and every other quantization are listed with `unsupported` set. `read()` reads only
 * the tensor's own bytes.
 */
import type { NamedBlob, TensorRef } from '../../model/types';
import { decodeFloats, unsupportedDtypeReason } from '../dtype';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { tensorKind } from '../tensorKind';
import { dequantizeQ8_0 } from './dequantizeQ8_0';
import type { GgufTensorPlacement } from './placeGgufTensors';

/** Why a tensor of this placement cannot be analysed, or null when it can. */
export function ggufUnsupportedReason(p: GgufTensorPlacement): string | null {
  const { type } = p;
  if (type === null) return `GGUF tensor type ${p.info.typeId} is not known to this app`;
  switch (type.decoding) {
    case 'float':
    case 'Q8_0':
      return null;
    case 'integer':
      return unsupportedDtypeReason(type.name);
    case 'unsupported':
      return `GGUF ${type.name} quantization is not yet supported${type.removed ? ' (a layout ggml has since removed)' : ''}`;
  }
}

/** The `encoding` text of a dequantized type. */
const Q8_0_ENCODING = 'Q8_0 dequantized: d·q per 32-block (f16 scale d, int8 q)';

/**
 * The TensorRef of one placed tensor of `file`.
 *
 * - dtype: the ggml type's (`F32` for Q8_0, whose values decode to float32; `UNKNOWN` for other quantizations).
 * - shape: row-major (ggml's ne reversed; see placeGgufTensors.ts); kind by rank, 4-D kernels OIHW by ggml convention.
 * - byteLength: the stored bytes (quantized blocks included).
 */
export function ggufTensorRef(file: NamedBlob, p: GgufTensorPlacement): TensorRef {
  const { info, type, shape, size, start, byteLength } = p;
  const unsupported = ggufUnsupportedReason(p);
  const kind = tensorKind(shape);
  const source = { file: file.name, tensor: info.name };
  return {
    name: info.name,
    dtype: type?.dtype ?? 'UNKNOWN',
    shape,
    size,
    kind,
    // ggml conv kernels are ne = [kw, kh, c_in, c_out], so the reversed shape is (c_out, c_in, kh, kw).
    ...(kind === 'conv2d' ? { layout: 'OIHW' as const, layoutSource: 'convention' as const } : {}),
    file: file.name,
    byteLength,
    ...(unsupported === null ? {} : { unsupported }),
    ...(type?.decoding === 'Q8_0' ? { encoding: Q8_0_ENCODING } : {}),
    async read() {
      if (unsupported !== null || type === null) {
        throw new FormatError('UNSUPPORTED_DTYPE', `Tensor "${info.name}" in "${file.name}" cannot be read: ${unsupported}.`, {
          file: file.name,
          remedy: 'Convert the model to GGUF with F16, BF16, F32 or Q8_0 weights (llama.cpp convert_hf_to_gguf.py --outtype f16) and open that.',
        });
      }
      const bytes = await readBytes(file, start, start + byteLength);
      return type.decoding === 'Q8_0' ? dequantizeQ8_0(bytes, size) : decodeFloats(bytes, type.dtype, source);
    },
  };
}
