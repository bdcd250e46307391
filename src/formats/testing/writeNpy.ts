/**
 * A small `.npy` / `.npz` writer for tests and fixtures, after numpy `lib.format.write_array` (NEP 1): magic,
 * version, header length, the header dict padded with spaces and a newline to a multiple of 64 bytes, then
 * the raw data. `.npz` = a zip of `<key>.npy` entries (stored as `np.savez` writes them, or deflated as
 * `np.savez_compressed` does).
 */
import type { ZipEntryToWrite } from './writeZip';
import { writeZip } from './writeZip';

/** One array to write. */
export interface NpyToWrite {
  /** dtype string, e.g. `<f4`. */
  readonly descr: string;
  readonly shape: readonly number[];
  /** Raw element bytes, already in the byte order and memory order the header states. */
  readonly data: Uint8Array;
  readonly fortranOrder?: boolean;
  /** Format version 1 (default), 2 or 3. */
  readonly version?: 1 | 2 | 3;
  /** Replace the header dict text entirely (hostile headers). */
  readonly headerText?: string;
}

/** The header dict as numpy writes it: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. */
export function npyHeaderText(descr: string, shape: readonly number[], fortranOrder = false): string {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
}

/** Bytes of one `.npy` file. */
export function writeNpy(array: NpyToWrite): Uint8Array {
  const version = array.version ?? 1;
  const prefix = version === 1 ? 10 : 12;
  const encoder = new TextEncoder();
  const text = encoder.encode(array.headerText ?? npyHeaderText(array.descr, array.shape, array.fortranOrder));
  const padded = Math.ceil((prefix + text.length + 1) / 64) * 64 - prefix;
  const header = new Uint8Array(padded).fill(0x20);
  header.set(text);
  header[padded - 1] = 0x0a;
  const out = new Uint8Array(prefix + header.length + array.data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  out.set(array.data, prefix + header.length);
  return out;
}

/** Bytes of an `.npz` holding `arrays` as `<key>.npy`, stored or (compressed) deflated. */
export function writeNpz(arrays: Readonly<Record<string, NpyToWrite>>, options: { compressed?: boolean } = {}): Uint8Array {
  const entries: ZipEntryToWrite[] = Object.entries(arrays).map(([key, array]) => ({
    name: `${key}.npy`,
    data: writeNpy(array),
    method: options.compressed ? 8 : 0,
  }));
  return writeZip(entries);
}

/** Little-endian bytes of float32 values (`<f4`). */
export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** Little-endian bytes of float64 values (`<f8`). */
export function f64Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}
