/**
 * One NumPy array as a lazy {@link TensorRef}. Choices (documented for users in the reader's note):
 * - `fortran_order: True` arrays keep their logical shape; `read()` returns the values in C (row-major)
 *   order, gathered from the column-major bytes, and `encoding` says so.
 * - Big-endian floats (`>f4`, `>f8`, `>f2`) are byte-swapped on read; `encoding` says so.
 * - Other dtypes (integers, bool, complex, strings, objects, structured) are listed with `unsupported` set.
 * - 4-D arrays get layout OIHW with layoutSource `convention`: an `.npy` carries no layout, and arrays of conv
 *   kernels are most often saved from PyTorch.
 */
import type { TensorRef } from '../../model/types';
import { decodeFloats } from '../dtype';
import { FormatError } from '../formatError';
import { tensorKind } from '../tensorKind';
import type { NpyDtype } from './npyDtype';
import { fortranToC } from './gatherStrided';
import { swapBytes } from './npyDtype';
import type { NpyHeader } from './parseNpyHeader';

/** What {@link npyTensor} needs to know. */
export interface NpyTensorSource {
  /** Tensor name (the entry or file name without `.npy`). */
  readonly name: string;
  /** The file the bytes live in. */
  readonly file: string;
  readonly header: NpyHeader;
  readonly dtype: NpyDtype;
  /** Bytes of data (prod(shape) × item size), or the bytes that follow the header for sizeless dtypes. */
  readonly byteLength: number;
  /** Reads exactly `byteLength` bytes of data. */
  readonly readData: () => Promise<Uint8Array>;
}

/** A lazy tensor for one array. */
export function npyTensor(source: NpyTensorSource): TensorRef {
  const { name, file, header, dtype, byteLength, readData } = source;
  const { shape, fortranOrder } = header;
  const kind = tensorKind(shape);
  const notes = [
    ...(fortranOrder && shape.length > 1 ? ['stored in Fortran (column-major) order, read in C order'] : []),
    ...(dtype.bigEndian ? ['big-endian, byte-swapped on read'] : []),
  ];
  const unsupported = dtype.unsupported;
  return {
    name,
    dtype: dtype.dtype,
    shape,
    size: shape.reduce((a, b) => a * b, 1),
    kind,
    ...(kind === 'conv2d' ? { layout: 'OIHW' as const, layoutSource: 'convention' as const } : {}),
    file,
    byteLength,
    ...(unsupported === undefined ? {} : { unsupported }),
    ...(notes.length > 0 ? { encoding: notes.join('; ') } : {}),
    async read() {
      if (unsupported !== undefined) {
        throw new FormatError('UNSUPPORTED_DTYPE', `Array "${name}" in "${file}" cannot be read: ${unsupported}.`, { file });
      }
      const width = dtype.itemSize as number;
      let bytes = await readData();
      if (dtype.bigEndian) bytes = swapBytes(bytes, width);
      if (fortranOrder) bytes = fortranToC(bytes, shape, width);
      return decodeFloats(bytes, dtype.dtype, { file, tensor: name });
    },
  };
}
