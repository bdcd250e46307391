/**
 * HDF5 problems (hdf5Snapshot.ts) as FormatErrors that name the file, say what was being done, and quote
 * HDF5's own diagnosis.
 */
import { FormatError } from '../formatError';
import type { Hdf5Problem } from './hdf5Snapshot';
import { Hdf5Failure } from './hdf5Snapshot';
import type { KerasSource } from './kerasWeights';

/**
 * The FormatError for a failed HDF5 step.
 *
 * @param action what was being done, e.g. `opening it`, `reading dataset /model_weights/dense/dense/kernel:0`
 */
export function hdf5FormatError(problem: Hdf5Problem, source: KerasSource, action: string): FormatError {
  const { file, where } = source;
  switch (problem.reason) {
    case 'truncated':
      return new FormatError(
        'TRUNCATED',
        `${where} is truncated: its HDF5 superblock says the file is ${problem.expectedBytes} bytes long, but it has ${problem.actualBytes}.`,
        { file },
      );
    case 'not-hdf5':
      return new FormatError('BAD_HDF5', `${where} is not an HDF5 file (HDF5 found no file signature).`, { file });
    case 'too-large':
      return new FormatError('TOO_LARGE', `${where} is too large to read here while ${action}: ${problem.detail}.`, { file });
    case 'unsupported-filter':
      return new FormatError('UNSUPPORTED_FEATURE', `${where}: ${problem.detail}, a compression filter this app's HDF5 build does not have.`, {
        file,
        remedy: 'Save the weights again without compression (Keras and h5py write uncompressed datasets by default).',
      });
    case 'timeout':
      return new FormatError('BAD_HDF5', `${where} looks damaged: HDF5 was stopped while ${action} (${problem.detail}; damaged files can make it loop).`, {
        file,
      });
    case 'crashed':
      return new FormatError('BAD_HDF5', `${where} is a damaged HDF5 file: the HDF5 library crashed while ${action} (${problem.detail}).`, { file });
    case 'unavailable':
      return new FormatError('READ_FAILED', `HDF5 support could not be started to read ${where}: ${problem.detail}.`, {
        file,
        remedy: 'Reload the page and try again; if it keeps failing, this browser may block WebAssembly.',
      });
    case 'lost':
    case 'corrupt':
      return new FormatError('BAD_HDF5', `${where} is a damaged HDF5 file: HDF5 failed while ${action}: ${problem.detail}.`, { file });
  }
}

/** `hdf5FormatError` for an Hdf5Failure; anything else is rethrown as is (it is a bug, not a bad file). */
export function toFormatError(error: unknown, source: KerasSource, action: string): unknown {
  return error instanceof Hdf5Failure ? hdf5FormatError(error.problem, source, action) : error;
}
