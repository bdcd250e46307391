/**
 * Open NumPy arrays as a lazy {@link Model}: `.npy` files (one array each, named after the file) and `.npz`
 * archives (numpy `savez` / `savez_compressed`: a zip of `<name>.npy` entries, one array each, named after
 * the entry). Only headers are read when opening; stored `.npz` entries are read as byte ranges, deflated
 * ones are inflated on `read()` with their declared size as a cap.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import type { ZipArchive, ZipEntry } from '../zip/openZip';
import { openZip } from '../zip/openZip';
import { isZipHead } from '../zip/sniffZip';
import { parseDescr } from './npyDtype';
import { npyTensor } from './npyTensor';
import type { NpyHeader, NpySource } from './parseNpyHeader';
import { NPY_PRELUDE_BYTES, npyHeaderEnd, parseNpyHeader } from './parseNpyHeader';

/** Most arrays read from one `.npz` (opening reads every array's header). */
export const MAX_NPZ_ARRAYS = 100_000;

/** Read and parse a header through `prefix(n)`, which returns the first n bytes (fewer if there are fewer). */
async function readHeader(prefix: (n: number) => Promise<Uint8Array>, source: NpySource): Promise<NpyHeader> {
  const end = npyHeaderEnd(await prefix(NPY_PRELUDE_BYTES), source);
  return parseNpyHeader(await prefix(end), source);
}

/** The data size a header implies, checked against what is there. */
function dataBytes(header: NpyHeader, available: number, source: NpySource): { itemSize: number | null; byteLength: number } {
  const dtype = parseDescr(header.descr);
  const follows = available - header.dataOffset;
  if (dtype.itemSize === null) return { itemSize: null, byteLength: Math.max(0, follows) };
  const byteLength = header.shape.reduce((a, b) => a * b, 1) * dtype.itemSize;
  if (!(byteLength <= follows)) {
    throw new FormatError(
      'TRUNCATED',
      `${source.where} declares shape (${header.shape.join(', ')}) of ${header.descr}, ${byteLength} bytes of data, but only ${Math.max(0, follows)} follow its header.`,
      { file: source.file },
    );
  }
  return { itemSize: dtype.itemSize, byteLength };
}

async function openNpy(file: NamedBlob): Promise<TensorRef[]> {
  const source = { file: file.name, where: `"${file.name}"` };
  const size = file.blob.size;
  const header = await readHeader((n) => readBytes(file, 0, Math.min(n, size)), source);
  const { byteLength } = dataBytes(header, size, source);
  const start = header.dataOffset;
  const name = file.name.replace(/\.npy$/i, '');
  return [npyTensor({ name, file: file.name, header, dtype: parseDescr(header.descr), byteLength, readData: () => readBytes(file, start, start + byteLength) })];
}

async function npzTensor(zip: ZipArchive, entry: ZipEntry): Promise<TensorRef> {
  const file = zip.file;
  const source = { file: file.name, where: `Entry "${entry.name}" of "${file.name}"` };
  const header = await readHeader((n) => zip.readPrefix(entry, n), source);
  const { byteLength } = dataBytes(header, entry.uncompressedSize, source);
  const from = header.dataOffset;
  const readData =
    entry.method === 0
      ? async () => {
          const { start } = await zip.dataRange(entry);
          return readBytes(file, start + from, start + from + byteLength);
        }
      : async () => (await zip.read(entry)).subarray(from, from + byteLength);
  return npyTensor({ name: entry.name.slice(0, -'.npy'.length), file: file.name, header, dtype: parseDescr(header.descr), byteLength, readData });
}

async function openNpz(file: NamedBlob): Promise<TensorRef[]> {
  const zip = await openZip(file);
  const arrays = zip.entries.filter((e) => e.name.toLowerCase().endsWith('.npy') && !e.name.endsWith('/'));
  if (arrays.length === 0) {
    const found = zip.entries.length === 0 ? 'it is empty' : `it holds ${zip.entries.slice(0, 3).map((e) => `"${e.name}"`).join(', ')}${zip.entries.length > 3 ? ', …' : ''}`;
    throw new FormatError('BAD_STRUCTURE', `"${file.name}" is a zip archive but not a NumPy .npz: it has no .npy entries (${found}).`, { file: file.name });
  }
  if (arrays.length > MAX_NPZ_ARRAYS) {
    throw new FormatError('TOO_LARGE', `"${file.name}" holds ${arrays.length} arrays; at most ${MAX_NPZ_ARRAYS} are read (each needs its header read).`, { file: file.name });
  }
  const tensors: TensorRef[] = [];
  for (const entry of arrays) tensors.push(await npzTensor(zip, entry));
  return tensors;
}

/** `.npz` by name, or by the zip signature for files named otherwise. */
async function isNpz(file: NamedBlob): Promise<boolean> {
  const lower = file.name.toLowerCase();
  if (lower.endsWith('.npz')) return true;
  if (lower.endsWith('.npy')) return false;
  return isZipHead(await readBytes(file, 0, Math.min(4, file.blob.size)));
}

async function openUnchecked(files: readonly NamedBlob[]): Promise<Model> {
  const first = files[0];
  if (!first) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const tensors: TensorRef[] = [];
  const home = new Map<string, string>();
  for (const file of files) {
    for (const t of (await isNpz(file)) ? await openNpz(file) : await openNpy(file)) {
      const earlier = home.get(t.name);
      if (earlier !== undefined) {
        throw new FormatError('DUPLICATE_TENSOR', `Array "${t.name}" is stored twice: in "${earlier}" and in "${t.file}".`, { file: t.file });
      }
      home.set(t.name, t.file);
      tensors.push(t);
    }
  }
  return {
    format: 'numpy',
    name: files.length === 1 ? first.name : `${first.name} and ${files.length - 1} more`,
    files: files.map((f) => ({ name: f.name, size: f.blob.size })),
    tensors,
    metadata: {},
  };
}

/**
 * Open `.npy` and `.npz` files as one model: each `.npy` file is one array named after the file (`w1.npy` →
 * `w1`); each `.npz` entry `<key>.npy` is one array named `<key>` (other entries are ignored). Reads only the
 * headers (at most the last 64 KiB and the central directory of an `.npz`, and each array's header).
 *
 * @throws FormatError `NO_FILES`, `TRUNCATED`, `BAD_STRUCTURE`, `UNSUPPORTED_VERSION`, `HEADER_TOO_LARGE`,
 *   `TOO_LARGE`, `DUPLICATE_TENSOR` (the same name in two files), the zip errors (`BAD_ZIP`, `ZIP_BOMB`, …),
 *   `READ_FAILED`; each with the file's first and last 16 bytes as `context`
 */
export async function openNumpy(files: readonly NamedBlob[]): Promise<Model> {
  try {
    return await openUnchecked(files);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
