/**
 * Where each tensor of a GGUF file lies, and whether that makes sense (the checks of gguf.cpp
 * `gguf_init_from_file_impl`, relaxed where harmless): ne[0] a multiple of the type's block size, offsets
 * multiples of the alignment, data within the file, no two tensors sharing bytes. Unlike gguf.cpp, gaps
 * between tensors and tensors out of offset order are accepted.
 *
 * Shapes are reported row-major: ggml's ne lists dimensions innermost first (ne[0] varies fastest), so the
 * shape is ne reversed. A PyTorch Linear weight [out, in] is stored with ne = [in, out] and reads as
 * [out, in] again; a conv kernel ne = [kw, kh, c_in, c_out] reads as [c_out, c_in, kh, kw] (OIHW).
 */
import { FormatError } from '../formatError';
import type { GgmlType } from './ggmlTypes';
import { ggmlType } from './ggmlTypes';
import type { GgufHeader, GgufTensorInfo } from './parseGgufHeader';

/** One tensor with its place in the file. */
export interface GgufTensorPlacement {
  readonly info: GgufTensorInfo;
  /** The ggml type, or null for an id this app does not know. */
  readonly type: GgmlType | null;
  /** Row-major shape: `ne` reversed. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** File offset of the first data byte. */
  readonly start: number;
  /**
   * Bytes of data: `size / blockSize · typeSize`; for a type this app does not know, the bytes up to the
   * next tensor or the end of the file (an upper bound).
   */
  readonly byteLength: number;
}

/** Element count of `ne`, refusing counts beyond exact integer arithmetic. */
function elementCount(info: GgufTensorInfo, file: string): number {
  let size = 1;
  for (const d of info.ne) size *= d;
  if (!Number.isSafeInteger(size)) {
    throw new FormatError('TOO_LARGE', `Tensor "${info.name}" in "${file}" declares ne = [${info.ne.join(', ')}]: more elements than any file holds.`, { file });
  }
  return size;
}

/** Placement of one tensor of a known type (byte length from the block layout), checked against the file. */
function placeKnown(info: GgufTensorInfo, type: GgmlType, size: number, start: number, fileSize: number, file: string): number {
  const innermost = info.ne[0] ?? 1;
  if (innermost % type.blockSize !== 0) {
    throw new FormatError(
      'BAD_HEADER_ENTRY',
      `Tensor "${info.name}" in "${file}" is ${type.name} with ne[0] = ${innermost}, which is not a multiple of its block size ${type.blockSize}.`,
      { file },
    );
  }
  const byteLength = (size / type.blockSize) * type.typeSize;
  if (start + byteLength > fileSize) {
    throw new FormatError(
      'OFFSETS_OUT_OF_BOUNDS',
      `Tensor "${info.name}" in "${file}" (${type.name}, ${byteLength} bytes) would end at byte ${start + byteLength}, but the file is ${fileSize} bytes long.`,
      { file },
    );
  }
  return byteLength;
}

/** Refuse two tensors sharing bytes: in offset order, each non-empty tensor must start after the previous ends. */
function checkOverlaps(placements: readonly GgufTensorPlacement[], file: string): void {
  const ordered = placements.filter((p) => p.byteLength > 0).sort((a, b) => a.start - b.start);
  let previous: GgufTensorPlacement | null = null;
  for (const p of ordered) {
    if (previous !== null && p.start < previous.start + previous.byteLength) {
      throw new FormatError(
        'OFFSETS_OVERLAP',
        `Tensors "${previous.info.name}" (bytes ${previous.start}–${previous.start + previous.byteLength}) and "${p.info.name}" (from byte ${p.start}) in "${file}" share bytes.`,
        { file },
      );
    }
    if (previous === null || p.start + p.byteLength > previous.start + previous.byteLength) previous = p;
  }
}

/**
 * Place every tensor of a parsed header in its file.
 *
 * @param header the parsed header
 * @param file the file name, for errors
 * @param fileSize the file's size in bytes
 * @returns one placement per tensor, in header order
 * @throws FormatError `TOO_LARGE` (an element count beyond 2^53), `BAD_HEADER_ENTRY` (ne[0] not a multiple of
 *   the block size, an offset not a multiple of the alignment), `OFFSETS_OUT_OF_BOUNDS`, `OFFSETS_OVERLAP`
 */
export function placeGgufTensors(header: GgufHeader, file: string, fileSize: number): GgufTensorPlacement[] {
  const draft = header.tensors.map((info) => {
    if (info.offset % header.alignment !== 0) {
      throw new FormatError(
        'BAD_HEADER_ENTRY',
        `Tensor "${info.name}" in "${file}" starts at data offset ${info.offset}, which is not a multiple of the alignment ${header.alignment}.`,
        { file },
      );
    }
    const start = header.dataStart + info.offset;
    if (start > fileSize) {
      throw new FormatError('OFFSETS_OUT_OF_BOUNDS', `Tensor "${info.name}" in "${file}" starts at byte ${start}, but the file is ${fileSize} bytes long.`, { file });
    }
    const type = ggmlType(info.typeId);
    const size = elementCount(info, file);
    const byteLength = type === null ? null : placeKnown(info, type, size, start, fileSize, file);
    return { info, type, shape: [...info.ne].reverse(), size, start, byteLength };
  });
  const starts = draft.map((d) => d.start).sort((a, b) => a - b);
  const placements = draft.map((d): GgufTensorPlacement => {
    if (d.byteLength !== null) return { ...d, byteLength: d.byteLength };
    // An unknown type's bytes run to the next tensor (or the end of the file): all that can be said of them.
    const next = starts.find((s) => s > d.start) ?? fileSize;
    return { ...d, byteLength: next - d.start };
  });
  checkOverlaps(placements, file);
  return placements;
}
