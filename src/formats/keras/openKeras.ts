/**
 * Open a Keras model: a Keras 2 `.h5` (`model.save` / `save_weights`), a Keras 3 `.weights.h5`, or a Keras 3
 * `.keras` archive. The HDF5 file is read into memory whole (HDF5 needs random access, and h5wasm reads
 * only from its in-memory file system) and handed to an HDF5 host (hdf5Host.ts), which walks its groups
 * and datasets once; dataset values are read and converted to floats only when a tensor's `read()` runs.
 */
import type { Model, NamedBlob, TensorRef } from '../../model/types';
import { addByteContext } from '../byteContext';
import { decodeFloats, isFloatDType, unsupportedDtypeReason } from '../dtype';
import { FormatError } from '../formatError';
import { readBytes } from '../readBytes';
import { defaultHdf5Host } from './defaultHdf5Host';
import type { Hdf5Host } from './hdf5Host';
import type { SnapshotOptions } from './hdf5Snapshot';
import { MAX_DATASET_BYTES } from './hdf5Snapshot';
import { KERAS_WEIGHTS_ENTRY, readKerasArchive } from './kerasArchive';
import { parseKerasConfig } from './kerasConfig';
import { toFormatError } from './kerasErrors';
import type { Hdf5Session } from './kerasSession';
import { openHdf5Session } from './kerasSession';
import { hasHdf5Signature, hasZipSignature } from './kerasSignatures';
import { kerasTensorInfo } from './kerasTensorInfo';
import type { KerasLayout, KerasSource } from './kerasWeights';
import { listKerasWeights } from './kerasWeights';

/** Largest file opened: it is held in memory whole (and a typed array of more than 2 GiB is not portable). */
export const MAX_KERAS_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/** What the walk of the HDF5 file collects. */
const SNAPSHOT_OPTIONS: SnapshotOptions = {
  attributeNames: ['layer_names', 'weight_names', 'keras_version', 'backend', 'model_config', 'dtype'],
  maxObjects: 200_000,
  maxDepth: 64,
};

/** Options for tests and tools. */
export interface KerasOpenOptions {
  /** Where HDF5 runs (default: a worker of its own where Web Workers exist, else this thread). */
  readonly host?: Hdf5Host;
}

/** A Keras model, whose HDF5 file stays open in the host until `dispose()` (or garbage collection). */
export interface KerasModel extends Model {
  /** Close the HDF5 file and free its memory. Tensors read afterwards fail with `READ_FAILED`. */
  dispose(): void;
}

const LAYOUT_NAMES: Readonly<Record<KerasLayout, string>> = {
  'keras2-model': 'Keras 2 HDF5 (model.save)',
  'keras2-weights': 'Keras 2 HDF5 (save_weights)',
  keras3: 'Keras 3 weights',
};

/** Closes the HDF5 file of a model that was dropped without `dispose()`. */
const finalizer = new FinalizationRegistry<Hdf5Session>((session) => session.close());

/** Where the HDF5 bytes come from, and the archive's JSON entries. */
interface Loaded {
  readonly weights: Uint8Array;
  readonly config?: string;
  readonly metadata?: string;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** A metadata.json entry's fields (Keras 3: `keras_version`, `date_saved`), as text. */
function archiveMetadata(text: string | undefined): Record<string, string> {
  if (text === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'model_config'));
  } catch {
    // A damaged metadata.json costs only the metadata.
    return {};
  }
}

function tensorRef(info: ReturnType<typeof kerasTensorInfo>, path: string, session: Hdf5Session, source: KerasSource): TensorRef {
  return {
    ...info,
    async read() {
      if (session.closed) throw new FormatError('READ_FAILED', `Cannot read tensor "${info.name}": the model was closed.`, { file: source.file });
      if (info.byteLength > MAX_DATASET_BYTES) throw new FormatError('TOO_LARGE', `Cannot read tensor "${info.name}" of ${source.where}: ${info.unsupported}.`, { file: source.file });
      if (!isFloatDType(info.dtype)) {
        throw new FormatError('UNSUPPORTED_DTYPE', `Cannot read tensor "${info.name}" of ${source.where}: ${info.unsupported ?? unsupportedDtypeReason(info.dtype)}.`, {
          file: source.file,
        });
      }
      let bytes: Uint8Array;
      try {
        bytes = await session.read(path, info.byteLength);
      } catch (error) {
        throw toFormatError(error, source, `reading dataset ${path}`);
      }
      if (bytes.length !== info.byteLength) {
        throw new FormatError('BAD_HDF5', `${source.where}: dataset ${path} gave ${bytes.length} bytes instead of ${info.byteLength}.`, { file: source.file });
      }
      return decodeFloats(bytes, info.dtype, { file: source.file, tensor: info.name });
    },
  };
}

async function openUnchecked(files: readonly NamedBlob[], host: Hdf5Host): Promise<KerasModel> {
  if (files.length === 0) throw new FormatError('NO_FILES', 'No files were given to open.', { file: '' });
  if (files.length > 1) {
    throw new FormatError('MULTIPLE_MODELS', `A Keras model is one file; ${files.map((f) => `"${f.name}"`).join(', ')} were dropped together.`, {
      file: files[1]?.name ?? '',
    });
  }
  const file = files[0] as NamedBlob;
  const size = file.blob.size;
  if (size > MAX_KERAS_FILE_BYTES) {
    throw new FormatError(
      'TOO_LARGE',
      `"${file.name}" is ${sizeText(size)}. HDF5 needs random access to the whole file, so it is read into memory, and this reader takes at most 2 GiB.`,
      { file: file.name, remedy: 'Convert the model to safetensors (read lazily, any size), or save a smaller model.' },
    );
  }
  const head = await readBytes(file, 0, Math.min(8, size));
  const archive = hasZipSignature(head) || (!hasHdf5Signature(head) && file.name.toLowerCase().endsWith('.keras'));
  const source: KerasSource = { file: file.name, where: archive ? `${KERAS_WEIGHTS_ENTRY} in "${file.name}"` : `"${file.name}"` };
  // Reading afresh each time: the bytes are handed over to the host (and a restarted host needs them again).
  const load = async (): Promise<Loaded> => (archive ? readKerasArchive(file, MAX_KERAS_FILE_BYTES) : { weights: await readBytes(file, 0, size) });
  let loaded: Loaded | null = null;
  let session: Hdf5Session;
  try {
    session = await openHdf5Session(
      host,
      async () => {
        const fresh = await load();
        loaded ??= fresh;
        return fresh.weights;
      },
      SNAPSHOT_OPTIONS,
    );
  } catch (error) {
    throw toFormatError(error, source, 'opening it');
  }
  try {
    const first = loaded as Loaded | null;
    const rootConfig = session.snapshot.objects.find((o) => o.path === '/')?.attributes.model_config;
    const classes = parseKerasConfig(first?.config ?? (typeof rootConfig === 'string' ? rootConfig : undefined));
    const listing = listKerasWeights(session.snapshot, classes, source);
    const tensors = listing.weights.map((w) => tensorRef(kerasTensorInfo(w, source), w.dataset.path, session, source));
    const { model_config: _config, ...attributes } = listing.attributes;
    const metadata: Record<string, string> = {
      ...archiveMetadata(first?.metadata),
      ...attributes,
      keras_format: archive ? 'Keras 3 .keras' : LAYOUT_NAMES[listing.layout],
      ...(classes?.modelClass ? { model_class: classes.modelClass } : {}),
    };
    const model: KerasModel = {
      format: 'keras',
      name: file.name,
      files: [{ name: file.name, size }],
      tensors,
      metadata,
      dispose: () => {
        finalizer.unregister(session);
        session.close();
      },
    };
    finalizer.register(model, session, session);
    return model;
  } catch (error) {
    session.close();
    throw error;
  }
}

/**
 * Open one Keras file lazily: its HDF5 structure is walked once; tensor values are read on demand.
 *
 * - Tensors: Keras 2 in `layer_names` / `weight_names` order, named as stored (`conv2d/kernel:0`); Keras 3 in
 *   the config's layer order, named by path without the leading `layers/` (`conv2d/vars/0`). `op` is the
 *   owning layer's class from `model_config` / `config.json` when known; 4-D kernels are HWIO.
 * - Metadata: `keras_format`, `keras_version`, `backend`, `model_class`, and Keras 3's `date_saved`.
 *
 * @param files exactly one `.h5` / `.hdf5` / `.weights.h5` / `.keras` file
 * @throws FormatError `BAD_HDF5` (damaged or not HDF5: HDF5's message quoted), `TRUNCATED`, `BAD_STRUCTURE`
 *   (HDF5 without Keras weights, or `layer_names` pointing nowhere), `TOO_LARGE` (over 2 GiB, or over
 *   200,000 HDF5 objects), `UNSUPPORTED_FEATURE` (a compression filter h5wasm lacks), `BAD_ZIP`,
 *   `MULTIPLE_MODELS`, `READ_FAILED`; each with the file's first and last 16 bytes as `context`
 */
export async function openKeras(files: readonly NamedBlob[], options: KerasOpenOptions = {}): Promise<KerasModel> {
  try {
    return await openUnchecked(files, options.host ?? defaultHdf5Host());
  } catch (error) {
    throw await addByteContext(error, files);
  }
}
