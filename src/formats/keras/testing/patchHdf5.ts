/**
 * Byte-level edits of HDF5 files built with h5wasm, for what its write API cannot make: a float16 dataset
 * (h5wasm writes 4- and 8-byte floats only) and a global heap that makes HDF5 loop forever. Each edit
 * finds its target by pattern and throws if the file does not look as expected.
 *
 * Layouts used (HDF5 File Format Specification, version 3.0):
 * - Datatype message, version 1, class 1 (floating point), §IV.A.2.d: class and version, 3 bytes of bit
 *   fields (byte order, padding, mantissa normalisation; sign location), size (u32), then bit offset (u16),
 *   precision (u16), exponent location, exponent size, mantissa location, mantissa size (u8 each), bias (u32).
 * - Data layout message, version 3, contiguous class, §IV.A.2.i: version, class, address (8), size (8).
 * - Global heap collection, §III.E: `GCOL`, version, 3 reserved, collection size (8); then objects: index
 *   (u16), reference count (u16), 4 reserved, object size (8), data padded to 8 bytes.
 */

/** An IEEE binary32 little-endian datatype message body, as h5wasm writes it (H5T_NATIVE_FLOAT). */
const FLOAT32_TYPE = [0x11, 0x20, 0x1f, 0x00, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0];
/** The same message for IEEE binary16: size 2, precision 16, exponent at 10 (5 bits), mantissa 10 bits, bias 15. */
const FLOAT16_TYPE = [0x11, 0x20, 0x0f, 0x00, 2, 0, 0, 0, 0, 0, 16, 0, 10, 5, 0, 10, 15, 0, 0, 0];

/** Offsets where `pattern` occurs in `bytes`. */
function occurrences(bytes: Uint8Array, pattern: readonly number[]): number[] {
  const found: number[] = [];
  for (let i = 0; i + pattern.length <= bytes.length; i++) if (pattern.every((b, k) => bytes[i + k] === b)) found.push(i);
  return found;
}

/**
 * Turn the file's only float32 dataset (contiguous, `count` elements) into a float16 dataset holding the
 * little-endian binary16 words `halfBits`.
 */
export function float32DatasetToFloat16(file: Uint8Array, count: number, halfBits: Uint16Array): Uint8Array {
  const out = file.slice();
  const view = new DataView(out.buffer);
  const types = occurrences(out, FLOAT32_TYPE);
  if (types.length !== 1) throw new Error(`expected one float32 datatype message, found ${types.length}`);
  out.set(FLOAT16_TYPE, types[0] as number);
  const layouts: number[] = [];
  for (let i = 0; i + 18 <= out.length; i++) {
    if (out[i] === 3 && out[i + 1] === 1 && view.getBigUint64(i + 10, true) === BigInt(4 * count)) layouts.push(i);
  }
  if (layouts.length !== 1) throw new Error(`expected one contiguous layout of ${4 * count} bytes, found ${layouts.length}`);
  const at = layouts[0] as number;
  view.setBigUint64(at + 10, BigInt(2 * count), true);
  const address = Number(view.getBigUint64(at + 2, true));
  out.set(new Uint8Array(halfBits.buffer, halfBits.byteOffset, 2 * count), address);
  return out;
}

/**
 * Make the first object of the first global heap collection claim 2^64 − 16 bytes: HDF5 then computes the
 * next object's position as `begin + 16 + size`, which wraps to `begin`, and parses the same object forever
 * (found by the fuzz test). Any variable-length string attribute lives in such a collection.
 */
export function loopingGlobalHeap(file: Uint8Array): Uint8Array {
  const out = file.slice();
  const at = occurrences(out, [0x47, 0x43, 0x4f, 0x4c])[0]; // "GCOL"
  if (at === undefined) throw new Error('no global heap collection in this file');
  new DataView(out.buffer).setBigUint64(at + 24, 2n ** 64n - 16n, true);
  return out;
}
