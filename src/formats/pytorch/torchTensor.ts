/**
 * One checkpoint tensor as a lazy {@link TensorRef}. Its bytes are elements [storage_offset, last] of the
 * storage file `<archive>/data/<key>`, where last = storage_offset + Σ (size[j] − 1)·stride[j]: a stored
 * (uncompressed) zip entry is read as exactly that byte range, a deflated one is inflated (capped at its
 * declared size) and sliced. Non-contiguous views (e.g. a saved `weight.t()`) are gathered into C order;
 * big-endian archives (`byteorder` = `big`) are byte-swapped. 4-D tensors are conv kernels in PyTorch's
 * (c_out, c_in, kh, kw) = OIHW layout, by convention.
 */
import type { TensorRef } from '../../model/types';
import { decodeFloats, isFloatDType, unsupportedDtypeReason } from '../dtype';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { tensorKind } from '../tensorKind';
import { gatherStrided, isContiguous } from '../numpy/gatherStrided';
import { swapBytes } from '../numpy/npyDtype';
import type { ZipArchive, ZipEntry } from '../zip/openZip';
import type { TensorValue } from './pickleValue';

/** Largest tensor a strided view may expand to (contiguous tensors are bounded by their storage already). */
export const MAX_VIEW_BYTES = 1024 * 1024 * 1024;

/** Where a tensor's storage is. */
export interface TensorPlace {
  readonly zip: ZipArchive;
  /** The storage's zip entry, `<archive>/data/<key>`. */
  readonly entry: ZipEntry;
  /** Whether the archive's `byteorder` record says `big`. */
  readonly bigEndian: boolean;
}

/**
 * A lazy tensor over its storage.
 *
 * @throws FormatError `OFFSETS_OUT_OF_BOUNDS` when the view reaches past the end of its storage
 */
export function torchTensor(name: string, tensor: TensorValue, place: TensorPlace): TensorRef {
  const { zip, entry, bigEndian } = place;
  const file = zip.file.name;
  const { shape, stride, storageOffset, element } = tensor;
  const width = element.itemSize;
  const size = shape.reduce((a, b) => a * b, 1);
  const lastElement = storageOffset + shape.reduce((sum, d, j) => sum + (d - 1) * (stride[j] as number), 0);
  const spanStart = storageOffset * width;
  const spanEnd = size === 0 ? spanStart : (lastElement + 1) * width;
  if (size > 0 && !(spanEnd <= entry.uncompressedSize)) {
    throw new FormatError(
      'OFFSETS_OUT_OF_BOUNDS',
      `Tensor "${name}" in "${file}" reaches byte ${spanEnd} of its storage "${entry.name}", which has ${entry.uncompressedSize} bytes.`,
      { file },
    );
  }
  const contiguous = isContiguous(shape, stride);
  const kind = tensorKind(shape);
  // A view can repeat storage elements (stride 0, as `expand` makes): gathering must not balloon past a cap.
  const unsupported = !isFloatDType(element.dtype)
    ? unsupportedDtypeReason(element.torchName)
    : size * width > MAX_VIEW_BYTES
      ? `a strided view of ${size} elements, larger than the ${MAX_VIEW_BYTES} bytes read at once`
      : undefined;
  const notes = [
    ...(contiguous ? [] : [`strided view (stride ${stride.join(', ')}), gathered into C order on read`]),
    ...(bigEndian && width > 1 ? ['big-endian, byte-swapped on read'] : []),
  ];

  const span = async (): Promise<Uint8Array> => {
    if (size === 0) return new Uint8Array(0);
    if (entry.method === 0) {
      const { start } = await zip.dataRange(entry);
      return readBytes(zip.file, start + spanStart, start + spanEnd);
    }
    return (await zip.read(entry)).subarray(spanStart, spanEnd);
  };

  return {
    name,
    dtype: element.dtype,
    shape,
    size,
    kind,
    ...(kind === 'conv2d' ? { layout: 'OIHW' as const, layoutSource: 'convention' as const } : {}),
    file,
    byteLength: size * width,
    ...(unsupported === undefined ? {} : { unsupported }),
    ...(notes.length > 0 ? { encoding: notes.join('; ') } : {}),
    async read() {
      if (unsupported !== undefined) throw new FormatError('UNSUPPORTED_DTYPE', `Tensor "${name}" in "${file}" cannot be read: ${unsupported}.`, { file });
      let bytes = await span();
      if (!contiguous) bytes = gatherStrided(bytes, shape, stride, width);
      else if (entry.method !== 0) bytes = bytes.slice();
      if (bigEndian && width > 1) bytes = swapBytes(bytes, width);
      return decodeFloats(bytes, element.dtype, { file, tensor: name });
    },
  };
}
