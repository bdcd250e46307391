/**
 * Open PyTorch checkpoints (`torch.save` zip format, PyTorch ≥ 1.6; torch/serialization.py `_save`) as a lazy
 * {@link Model}. The archive holds `<root>/data.pkl` (the pickled object, tensors as persistent ids),
 * `<root>/data/<key>` (one stored entry per storage, 64-byte aligned), `<root>/byteorder` (`little` or `big`;
 * absent before PyTorch 1.10, meaning little) and `<root>/version`. Only the zip directory, `data.pkl` and
 * those small records are read when opening. TorchScript archives (`torch.jit.save`: `constants.pkl`,
 * `code/`) are read the same way, their module objects walked as data.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import type { ZipArchive } from '../zip/openZip';
import { openZip } from '../zip/openZip';
import { collectTorchTensors } from './collectTorchTensors';
import { isPickleHead, LEGACY_MAGIC } from './sniffPytorch';
import { torchTensor } from './torchTensor';
import { unpickle } from './unpickle';

/** Largest `data.pkl` read (a 70B-parameter checkpoint's is well under 1 MiB). */
export const MAX_DATA_PKL_BYTES = 64 * 1024 * 1024;

/** One opened checkpoint file. */
interface Checkpoint {
  readonly tensors: TensorRef[];
  readonly metadata: Record<string, string>;
}

/** Refuse pickles that are not zip archives: pre-1.6 `torch.save` files, or other Python pickles. */
async function refuseLegacy(file: NamedBlob): Promise<void> {
  const head = await readBytes(file, 0, Math.min(16, file.blob.size));
  if (!isPickleHead(head)) return;
  const legacy = LEGACY_MAGIC.every((b, i) => head[i] === b);
  throw new FormatError(
    'LEGACY_FORMAT',
    legacy
      ? `"${file.name}" is a legacy PyTorch checkpoint (the pre-1.6 torch.save format, which starts with magic number 0x1950a86a20f9469cfc6c): its tensors are interleaved with pickles, which this app does not read.`
      : `"${file.name}" is a bare Python pickle, not a zip-format PyTorch checkpoint (a very old torch.save file, or another library's pickle).`,
    { file: file.name },
  );
}

/** A small text record of the archive, or null when absent. */
async function readRecord(zip: ZipArchive, name: string): Promise<string | null> {
  const entry = zip.find(name);
  return entry ? new TextDecoder().decode(await zip.read(entry, { maxBytes: 1024 })).trim() : null;
}

async function openCheckpoint(file: NamedBlob): Promise<Checkpoint> {
  await refuseLegacy(file);
  const zip = await openZip(file);
  const pickleEntry = zip.entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (!pickleEntry) {
    const shown = zip.entries.slice(0, 4).map((e) => `"${e.name}"`).join(', ');
    throw new FormatError('BAD_STRUCTURE', `"${file.name}" is a zip archive but not a PyTorch checkpoint: it has no <archive>/data.pkl (it holds ${shown || 'nothing'}).`, {
      file: file.name,
    });
  }
  const root = pickleEntry.name.slice(0, -'/data.pkl'.length);
  const torchScript = zip.entries.some((e) => e.name === `${root}/constants.pkl` || e.name.startsWith(`${root}/code/`));
  const byteorder = (await readRecord(zip, `${root}/byteorder`)) ?? 'little';
  if (byteorder !== 'little' && byteorder !== 'big') {
    throw new FormatError('BAD_STRUCTURE', `"${file.name}" says its byte order is ${JSON.stringify(byteorder.slice(0, 20))}, not little or big.`, { file: file.name });
  }
  const version = await readRecord(zip, `${root}/version`);
  const value = unpickle(await zip.read(pickleEntry, { maxBytes: MAX_DATA_PKL_BYTES }), { file: file.name, torchScript });
  const found = collectTorchTensors(value, file.name);
  const tensors = found.tensors.map(({ name, tensor }) => {
    const entry = zip.find(`${root}/data/${tensor.storage.key}`);
    if (!entry) {
      throw new FormatError('BAD_STRUCTURE', `Tensor "${name}" in "${file.name}" uses storage "${root}/data/${tensor.storage.key}", which the archive does not hold.`, {
        file: file.name,
      });
    }
    return torchTensor(name, tensor, { zip, entry, bigEndian: byteorder === 'big' });
  });
  const metadata: Record<string, string> = { archive: root, byteorder };
  if (version !== null) metadata.version = version.slice(0, 32);
  if (torchScript) metadata.torchscript = 'true';
  if (found.skipped.length > 0) metadata.skipped = found.skipped.slice(0, 20).join(', ') + (found.skipped.length > 20 ? ', …' : '');
  return { tensors, metadata };
}

/** `model-00001-of-00003.bin` → `model`; other names stay as they are. */
function displayName(files: readonly NamedBlob[]): string {
  const first = files[0]?.name ?? '';
  if (files.length === 1) return first;
  return /^(.+)-\d+-of-\d+\.[A-Za-z]+$/.exec(first)?.[1] ?? `${first} and ${files.length - 1} more`;
}

async function openUnchecked(files: readonly NamedBlob[]): Promise<Model> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  const tensors: TensorRef[] = [];
  const home = new Map<string, string>();
  const metadata: Record<string, string> = {};
  for (const file of files) {
    const checkpoint = await openCheckpoint(file);
    for (const t of checkpoint.tensors) {
      const earlier = home.get(t.name);
      if (earlier !== undefined) {
        throw new FormatError('DUPLICATE_TENSOR', `Tensor "${t.name}" is stored twice: in "${earlier}" and in "${t.file}".`, { file: t.file });
      }
      home.set(t.name, t.file);
      tensors.push(t);
    }
    for (const [k, v] of Object.entries(checkpoint.metadata)) if (!(k in metadata)) metadata[k] = v;
  }
  return { format: 'pytorch', name: displayName(files), files: files.map((f) => ({ name: f.name, size: f.blob.size })), tensors, metadata };
}

/**
 * Open one PyTorch checkpoint, or the shards of one (e.g. `pytorch_model-0000k-of-0000N.bin`) as one model.
 *
 * - Tensors: every tensor reachable from the pickled object, named by its dotted path (`conv1.weight`,
 *   `model.fc.bias`); top-level optimizer / scheduler state is skipped and listed in `metadata.skipped`.
 * - dtype from the storage type (`torch.FloatStorage` → F32, …); integer, bool, complex and quantized
 *   tensors are listed as unsupported.
 * - Metadata: `archive` (the root folder), `byteorder`, `version`, `torchscript`, `skipped`.
 *
 * @throws FormatError `LEGACY_FORMAT` (pre-1.6 or bare pickles), `PICKLE_FORBIDDEN` (the pickle names code
 *   outside the allow-list, e.g. `os.system`), `BAD_PICKLE`, `BAD_STRUCTURE`, `OFFSETS_OUT_OF_BOUNDS`,
 *   `DUPLICATE_TENSOR`, `TOO_LARGE`, `UNSUPPORTED_VERSION`, the zip errors (`BAD_ZIP`, `ZIP_BOMB`,
 *   `TRUNCATED`, …), `READ_FAILED`; each with the file's first and last 16 bytes as `context`
 */
export async function openPytorch(files: readonly NamedBlob[]): Promise<Model> {
  try {
    return await openUnchecked(files);
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
