/**
 * Open one safetensors file lazily: read the 8-byte length and the N-byte JSON header (nothing else), and
 * give each tensor a `read()` that slices only its own bytes (safetensors spec: offsets relative to byte
 * 8 + N). Netron's `safetensors.Reader` does the same with a sub-stream per tensor. `storedBytes()` hands out
 * that range itself, unread, for exports that copy a tensor unchanged.
 */
import type { ConvLayout, LayoutSource, NamedBlob, TensorRef } from '../../model/types';
import { shapeSize } from '../../model/types';
import { decodeFloats, isFloatDType, unsupportedDtypeReason } from '../dtype';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { tensorKind } from '../tensorKind';
import type { SafetensorsEntry } from './parseSafetensorsHeader';
import { parseSafetensorsHeader, readHeaderLength } from './parseSafetensorsHeader';

/** One opened safetensors file. */
export interface SafetensorsFile {
  readonly file: NamedBlob;
  /** N, the JSON header's length in bytes; the data region starts at byte 8 + N. */
  readonly headerLength: number;
  /** The `__metadata__` strings (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Lazy tensors in data-offset order, each with `file` = this file's name. */
  readonly tensors: readonly TensorRef[];
}

/** Options of {@link readSafetensors}. */
export interface ReadSafetensorsOptions {
  /** Conv layout stated elsewhere (e.g. a shard index's metadata), used when the file's own metadata has none. */
  readonly layoutHint?: ConvLayout;
}

/** The `conv_layout` metadata value as a ConvLayout, if it is one (`OIHW` or `HWIO`, any case). */
export function parseConvLayout(value: string | undefined): ConvLayout | undefined {
  const upper = value?.toUpperCase();
  return upper === 'OIHW' || upper === 'HWIO' ? upper : undefined;
}

function tensorRef(file: NamedBlob, dataStart: number, entry: SafetensorsEntry, layout: ConvLayout, layoutSource: LayoutSource): TensorRef {
  const { name, dtype, shape, begin, end } = entry;
  const kind = tensorKind(shape);
  const unsupported = isFloatDType(dtype) ? undefined : unsupportedDtypeReason(entry.storedDtype);
  return {
    name,
    dtype,
    shape,
    size: shapeSize(shape),
    kind,
    ...(kind === 'conv2d' ? { layout, layoutSource } : {}),
    file: file.name,
    byteLength: end - begin,
    ...(unsupported === undefined ? {} : { unsupported }),
    async read() {
      if (unsupported !== undefined) {
        throw new FormatError('UNSUPPORTED_DTYPE', `Tensor "${name}" in "${file.name}" cannot be read: ${unsupported}.`, { file: file.name });
      }
      const bytes = await readBytes(file, dataStart + begin, dataStart + end);
      return decodeFloats(bytes, dtype, { file: file.name, tensor: name });
    },
    // The file's own byte range: an export copies it as is (any dtype, BF16 stays BF16) without reading it.
    storedBytes: () => ({ dtype: entry.storedDtype, bytes: file.blob.slice(dataStart + begin, dataStart + end) }),
  };
}

/**
 * Open one safetensors file. Reads exactly bytes [0, 8 + N): the length field and the JSON header.
 *
 * Conv kernels (4-D) take `__metadata__.conv_layout` (`OIHW` or `HWIO`, layoutSource `file`), else
 * `options.layoutHint` (also `file`), else `OIHW` with layoutSource `convention`: safetensors files
 * overwhelmingly come from PyTorch, whose kernels are (c_out, c_in, kh, kw).
 *
 * Tensors with other dtypes (integers, FP8, names this app does not know) are listed with `unsupported` set;
 * their `read()` rejects with FormatError `UNSUPPORTED_DTYPE`.
 *
 * @throws FormatError `TRUNCATED`, `HEADER_TOO_LARGE`, `BAD_HEADER_JSON`, `BAD_HEADER_ENTRY`, `SIZE_MISMATCH`,
 *   `OFFSETS_OUT_OF_BOUNDS`, `OFFSETS_OVERLAP`, `READ_FAILED`
 */
export async function readSafetensors(file: NamedBlob, options: ReadSafetensorsOptions = {}): Promise<SafetensorsFile> {
  const source = { file: file.name, fileSize: file.blob.size };
  const prefix = await readBytes(file, 0, Math.min(8, source.fileSize));
  const headerLength = readHeaderLength(prefix, source);
  const header = parseSafetensorsHeader(await readBytes(file, 8, 8 + headerLength), source);
  const stated = parseConvLayout(header.metadata.conv_layout) ?? options.layoutHint;
  const layout = stated ?? 'OIHW';
  const layoutSource: LayoutSource = stated === undefined ? 'convention' : 'file';
  const dataStart = 8 + headerLength;
  return {
    file,
    headerLength,
    metadata: header.metadata,
    tensors: header.entries.map((entry) => tensorRef(file, dataStart, entry, layout, layoutSource)),
  };
}
