/**
 * ONNX external data (onnx.proto, `TensorProto.external_data`; docs/ExternalData.md): a tensor with
 * `data_location = EXTERNAL` keeps its raw little-endian bytes in another file, described by key/value pairs:
 *
 *   location  (required) path of the data file, relative to the directory of the `.onnx` file
 *   offset    (optional) byte offset of the data in that file, a decimal integer string; default 0
 *   length    (optional) number of bytes, a decimal integer string; default: the tensor's size, or the rest
 *             of the file when the size is unknown
 *   checksum  (optional) SHA-1 of the data; not checked here
 *
 * Dropped files carry only their base names, so `location` matches a dropped file by its full text first and
 * by its last path component second.
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import type { StringStringEntryMessage } from './onnxSchema';

/** Where one tensor's bytes live outside the `.onnx` file. */
export interface ExternalLocation {
  /** The dropped file that holds the bytes. */
  readonly file: NamedBlob;
  /** `location` as written in the model. */
  readonly location: string;
  readonly offset: number;
  readonly length: number;
}

/** The last component of a POSIX (or Windows) path: what a dropped file is called. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1);
}

/** Find the dropped file that `location` names. */
export function findDataFile(location: string, files: readonly NamedBlob[]): NamedBlob | undefined {
  return files.find((f) => f.name === location) ?? files.find((f) => f.name === baseName(location));
}

function parseCount(text: string | undefined, key: string, tensor: string, modelFile: string): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const value = /^\d{1,16}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value)) {
    throw new FormatError(
      'BAD_STRUCTURE',
      `Tensor "${tensor}" in "${modelFile}" has external data ${key} "${text.slice(0, 40)}", which is not a non-negative integer.`,
      { file: modelFile },
    );
  }
  return value;
}

/**
 * Resolve a tensor's `external_data` entries to a dropped file and a byte range inside it.
 *
 * @param entries the TensorProto's `external_data`
 * @param expectedLength the tensor's byte size when its dtype is fixed-width, else `null`
 * @param files every dropped file (the `.onnx` included)
 * @throws FormatError `BAD_STRUCTURE` (no location; offset or length not an integer), `MISSING_COMPANION`
 *   (naming the data file that was not dropped), `OFFSETS_OUT_OF_BOUNDS` (the range passes the data file's end)
 */
export function resolveExternalData(
  entries: readonly StringStringEntryMessage[],
  tensor: string,
  modelFile: string,
  expectedLength: number | null,
  files: readonly NamedBlob[],
): ExternalLocation {
  const value = (key: string) => entries.find((e) => e.key === key)?.value;
  const location = value('location');
  if (location === undefined || location === '') {
    throw new FormatError('BAD_STRUCTURE', `Tensor "${tensor}" in "${modelFile}" is marked as external data but names no location.`, { file: modelFile });
  }
  const offset = parseCount(value('offset'), 'offset', tensor, modelFile) ?? 0;
  const statedLength = parseCount(value('length'), 'length', tensor, modelFile);
  const file = findDataFile(location, files);
  if (!file) {
    throw new FormatError(
      'MISSING_COMPANION',
      `Tensor "${tensor}" in "${modelFile}" keeps its data in the external file "${location}", which was not dropped with the model. Drop "${baseName(location)}" together with "${modelFile}".`,
      { file: modelFile, remedy: `Drop "${baseName(location)}" (the model's external data file) together with "${modelFile}".` },
    );
  }
  const size = file.blob.size;
  const length = statedLength ?? expectedLength ?? Math.max(0, size - offset);
  if (offset + length > size) {
    throw new FormatError(
      'OFFSETS_OUT_OF_BOUNDS',
      `Tensor "${tensor}" in "${modelFile}" needs bytes ${offset}–${offset + length} of "${file.name}", but that file has only ${size} bytes (truncated, or a different version of the data file?).`,
      { file: file.name },
    );
  }
  return { file, location, offset, length };
}
