import type { NamedBlob } from '../../model/types';
import type { FormatReader } from '../formatReader';
import { firstEntryName, isZipHead } from '../zip/sniffZip';
import { hasNpyMagic } from './parseNpyHeader';

/**
 * Whether the first bytes are an `.npy` array (magic `\x93NUMPY`) or an `.npz` archive (a zip whose first
 * entry, as far as the first bytes show it, is named `*.npy`; a longer name falls back to the `.npz` extension).
 */
export function sniffNumpy(head: Uint8Array): boolean {
  if (hasNpyMagic(head)) return true;
  if (!isZipHead(head)) return false;
  const first = firstEntryName(head);
  return first !== null && first.complete && first.name.toLowerCase().endsWith('.npy');
}

/**
 * The NumPy reader: `.npy` arrays and `.npz` archives (`np.savez`, stored; `np.savez_compressed`, deflated).
 * `open` is loaded on first use (it pulls in the zip reader and fflate).
 */
export const numpyReader: FormatReader = {
  id: 'numpy',
  label: 'NumPy',
  extensions: ['.npy', '.npz'],
  note: 'Fortran-order arrays read in C order',
  sniff: (head: Uint8Array, _file: NamedBlob) => sniffNumpy(head),
  open: async (files) => (await import('./openNumpy')).openNumpy(files),
};
