/**
 * Decode an ONNX ModelProto (onnx.proto, `message ModelProto`) with protobufjs, turning every decoder failure
 * into a {@link FormatError}. Protobuf has no index and no random access, so the whole `.onnx` file is held in
 * memory; `bytes` fields (raw_data, packed arrays) decode to views of that buffer, never copies.
 */
import { Reader } from 'protobufjs/light';
import { FormatError } from '../formatError';
import type { Int64, ModelMessage } from './onnxSchema';
import { onnxTypes } from './onnxSchema';

/**
 * Largest `.onnx` file accepted: protobuf messages are limited to 2 GiB (protobuf's `kDefaultTotalBytesLimit`,
 * and the reason ONNX has external data); larger weights belong in external data files.
 */
export const MAX_ONNX_BYTES = 2 ** 31 - 1;

/**
 * An int64 field as a JavaScript number, or `null` when it is not a safe integer (|v| > 2^53 − 1).
 * protobufjs returns a plain number, or a Long with 32-bit `low`/`high` halves when long.js is present.
 */
export function int64ToNumber(value: Int64 | null | undefined): number | null {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  const high = value.unsigned ? value.high >>> 0 : value.high | 0;
  const n = high * 2 ** 32 + (value.low >>> 0);
  return Number.isSafeInteger(n) ? n : null;
}

/** What went wrong, in words, from a protobufjs exception. */
function describeDecodeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/max depth/i.test(text)) return `messages are nested more than ${Reader.recursionLimit} deep`;
  if (/index out of range/i.test(text)) return `a length runs past the end of its enclosing message (${text})`;
  if (/wire type/i.test(text)) return `a field has an invalid wire type (${text})`;
  return text;
}

/**
 * Decode the bytes of a `.onnx` file into a ModelProto.
 *
 * Unknown fields are kept as raw views (`discardUnknown = false`) because TensorProto's numeric arrays written
 * without `packed` encoding arrive that way (see onnxSchema.ts).
 *
 * @param bytes the whole file
 * @param file the file name, for errors
 * @throws FormatError `TRUNCATED` when a field of the top-level message runs past the end of the file,
 *   `BAD_PROTOBUF` for any other malformed protobuf (bad length, bad wire type, nesting over 100 deep)
 */
export function decodeOnnxModel(bytes: Uint8Array, file: string): ModelMessage {
  const reader = Reader.create(bytes);
  reader.discardUnknown = false;
  try {
    return onnxTypes().ModelProto.decode(reader) as unknown as ModelMessage;
  } catch (cause) {
    // Nested decoders narrow `reader.len` to their message's end and restore it on success only, so an
    // out-of-range failure with `len` still at the file's end happened in a top-level field: the file ends early.
    const text = cause instanceof Error ? cause.message : String(cause);
    if (/index out of range/i.test(text) && reader.len === bytes.length) {
      throw new FormatError(
        'TRUNCATED',
        `"${file}" is truncated: a top-level field of its ONNX ModelProto runs past the end of the file (${bytes.length} bytes; decoding stopped at byte ${reader.pos}).`,
        { file, cause },
      );
    }
    throw new FormatError(
      'BAD_PROTOBUF',
      `"${file}" is not a valid ONNX protobuf: ${describeDecodeError(cause)}; decoding stopped at byte ${reader.pos} of ${bytes.length}.`,
      { file, cause },
    );
  }
}
