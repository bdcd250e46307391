import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { firstZipEntryName, hasHdf5Signature, hasZipSignature } from './kerasSignatures';
import type { KerasOpenOptions } from './openKeras';

/**
 * Whether a file is Keras: any HDF5 file (signature at offset 0: Keras never writes a user block, which is
 * what would move the superblock to 512, 1024, …), or a zip named `*.keras` or whose first entry is
 * `model.weights.h5`. An HDF5 file that is not Keras is claimed too, so that it gets a precise error.
 */
export function sniffKeras(head: Uint8Array, file: NamedBlob): boolean {
  if (hasHdf5Signature(head)) return true;
  if (!hasZipSignature(head)) return false;
  return file.name.toLowerCase().endsWith('.keras') || firstZipEntryName(head) === 'model.weights.h5';
}

/**
 * A Keras reader. The reader, the zip reader and h5wasm load on the first `open` (dynamic imports), so the
 * rest of the app does not pay for them.
 */
export function createKerasReader(options: KerasOpenOptions = {}): FormatReader {
  return {
    id: 'keras',
    label: 'Keras',
    extensions: ['.keras', '.h5', '.hdf5'],
    note: 'Keras 2 HDF5 and Keras 3 .keras',
    sniff: sniffKeras,
    open: async (files) => (await import('./openKeras')).openKeras(files, options),
  };
}

/** The Keras reader: Keras 2 `.h5` (`model.save`, `save_weights`), Keras 3 `.weights.h5` and `.keras`. */
export const kerasReader: FormatReader = createKerasReader();
