/**
 * The format registry (after Netron's `view.ModelFactoryService`): each format is listed once; a dropped set
 * of files is matched by magic bytes first and file extension second, then opened by that one reader.
 */
import type { Model, NamedBlob } from '../model/types';
import { addByteContext, asciiBytes, hexBytes } from './byteContext';
import { FormatError } from './formatError';
import type { FormatReader } from './formatReader';
import { readBytes } from './readBytes';
import { safetensorsReader } from './safetensors/safetensorsReader';
import { onnxReader } from './onnx/onnxReader';
import { kerasReader } from './keras/kerasReader';
import { numpyReader } from './numpy/numpyReader';
import { pytorchReader } from './pytorch/pytorchReader';
import { ggufReader } from './gguf/ggufReader';
import { tfjsReader } from './tfjs/tfjsReader';

export type { FormatReader } from './formatReader';

/**
 * Every registered reader, tried in this order. To add a format, append its reader here; a large one can
 * keep its parser out of the main bundle with `open: async (files) => (await import('./onnx/openOnnx')).openOnnx(files)`.
 */
export const FORMAT_READERS: readonly FormatReader[] = [safetensorsReader, onnxReader, kerasReader, numpyReader, pytorchReader, ggufReader, tfjsReader];

/** How many leading bytes are read from each file for sniffing. */
export const SNIFF_BYTES = 64;

/** The supported formats as one line for the UI, e.g. `safetensors (.safetensors, sharded with index.json)`. */
export function supportedFormatsText(readers: readonly FormatReader[] = FORMAT_READERS): string {
  return readers.map((r) => `${r.label} (${[...r.extensions, ...(r.note ? [r.note] : [])].join(', ')})`).join('; ');
}

/** Settle every promise, then throw the first failure in input order. */
async function allInOrder<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

/** The role of one dropped file. */
type Role = { kind: 'main' | 'companion'; reader: FormatReader } | { kind: 'unknown' };

/** Companion by name first, then magic bytes, then extension (which lets a damaged file get a precise error). */
function roleOf(file: NamedBlob, head: Uint8Array, readers: readonly FormatReader[]): Role {
  const companionOf = readers.find((r) => r.companion?.(file) === true);
  if (companionOf) return { kind: 'companion', reader: companionOf };
  const lower = file.name.toLowerCase();
  const reader = readers.find((r) => r.sniff(head, file)) ?? readers.find((r) => r.extensions.some((ext) => lower.endsWith(ext)));
  return reader ? { kind: 'main', reader } : { kind: 'unknown' };
}

function unknownFormat(files: readonly NamedBlob[], heads: readonly Uint8Array[], readers: readonly FormatReader[]): FormatError {
  const file = files[0] as NamedBlob;
  const head = (heads[0] as Uint8Array).subarray(0, 16);
  const looks = head.length === 0 ? 'It is empty (0 bytes).' : `It starts with ${hexBytes(head)} |${asciiBytes(head)}|.`;
  const who = files.length === 1 ? `"${file.name}" is not` : `None of ${files.map((f) => `"${f.name}"`).join(', ')} is`;
  return new FormatError(
    'UNKNOWN_FORMAT',
    `${who} a model file this app can read. Tried: ${supportedFormatsText(readers)}. ${looks}`,
    { file: file.name, remedy: `Open a model in a supported format: ${supportedFormatsText(readers)}.` },
  );
}

async function openUnchecked(files: readonly NamedBlob[], readers: readonly FormatReader[]): Promise<Model> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const heads = await allInOrder(files.map((f) => readBytes(f, 0, Math.min(SNIFF_BYTES, f.blob.size))));
  const roles = files.map((f, i) => roleOf(f, heads[i] as Uint8Array, readers));
  const mainReaders = [...new Set(roles.flatMap((r) => (r.kind === 'main' ? [r.reader] : [])))];
  if (mainReaders.length > 1) {
    const described = files.flatMap((f, i) => {
      const role = roles[i] as Role;
      return role.kind === 'main' ? [`"${f.name}" (${role.reader.label})`] : [];
    });
    throw new FormatError('MULTIPLE_MODELS', `Files of different formats were dropped together: ${described.join(', ')}.`, {
      file: files[0]?.name ?? '',
    });
  }
  // With no main file, a lone companion still goes to its reader, which can say which files are missing.
  const reader = mainReaders[0] ?? roles.flatMap((r) => (r.kind === 'companion' ? [r.reader] : []))[0];
  if (!reader) throw unknownFormat(files, heads, readers);
  // The reader gets its own files. Files no reader claims (a README or config.json dropped with the
  // weights) are left out, unless the reader takes data files under any name (ONNX external data).
  const own = files.filter((_, i) => roles[i]?.kind !== 'unknown' && (roles[i] as { reader?: FormatReader }).reader === reader);
  const unclaimed = reader.acceptsUnclaimedFiles ? files.filter((_, i) => roles[i]?.kind === 'unknown') : [];
  return reader.open([...own, ...unclaimed]);
}

/**
 * Open a model from dropped or fetched files: read the first 64 bytes of each, take each companion file
 * (e.g. `model.safetensors.index.json`) to its reader, pick the reader whose `sniff` matches the other files
 * (or, failing that, whose extension they carry), and open them together. Only headers are read.
 *
 * @param files one model file, or every file of a sharded model (other files are ignored when a model is found)
 * @param readers the registry to use (tests pass their own)
 * @throws FormatError `UNKNOWN_FORMAT` (lists the formats tried and the first bytes), `NO_FILES`,
 *   `MULTIPLE_MODELS`, `READ_FAILED`, or the chosen reader's error; each with the file's first and last
 *   16 bytes as `context`
 */
export async function openModel(files: readonly NamedBlob[], readers: readonly FormatReader[] = FORMAT_READERS): Promise<Model> {
  try {
    return await openUnchecked(files, readers);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
