/**
 * The parts of a Keras 3 `.keras` file (a zip archive written by `keras.saving.saving_lib`): `metadata.json`,
 * `config.json` and `model.weights.h5` (stored, zip64 headers). Read with the lazy zip reader
 * (`src/formats/zip`): the central directory, then just these three entries, CRC-checked.
 */
import type { NamedBlob } from '../../model/types';
import { FormatError } from '../formatError';
import { openZip } from '../zip/openZip';

export const KERAS_WEIGHTS_ENTRY = 'model.weights.h5';
export const KERAS_CONFIG_ENTRY = 'config.json';
export const KERAS_METADATA_ENTRY = 'metadata.json';

/** Largest JSON entry read. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** The extracted entries. */
export interface KerasArchive {
  readonly weights: Uint8Array;
  readonly config?: string;
  readonly metadata?: string;
}

/**
 * Extract `model.weights.h5`, `config.json` and `metadata.json` from a `.keras` archive.
 *
 * @param maxWeightsBytes largest `model.weights.h5` accepted (it is held in memory whole)
 * @throws FormatError `BAD_STRUCTURE` (no `model.weights.h5`), and the zip reader's `BAD_ZIP`, `TRUNCATED`,
 *   `TOO_LARGE`, `ZIP_BOMB`, `UNSUPPORTED_FEATURE`, `READ_FAILED`
 */
export async function readKerasArchive(file: NamedBlob, maxWeightsBytes: number): Promise<KerasArchive> {
  const zip = await openZip(file);
  const weights = zip.find(KERAS_WEIGHTS_ENTRY);
  if (!weights) {
    const names = zip.entries.slice(0, 10).map((e) => `"${e.name}"`);
    const found = names.length === 0 ? 'no entries' : `only ${names.join(', ')}${zip.entries.length > 10 ? ', …' : ''}`;
    throw new FormatError('BAD_STRUCTURE', `"${file.name}" is a zip archive but holds no ${KERAS_WEIGHTS_ENTRY} (found ${found}), so it is not a Keras 3 model.`, {
      file: file.name,
    });
  }
  const text = async (name: string) => {
    const entry = zip.find(name);
    return entry ? new TextDecoder().decode(await zip.read(entry, { maxBytes: MAX_JSON_BYTES })) : undefined;
  };
  const config = await text(KERAS_CONFIG_ENTRY);
  const metadata = await text(KERAS_METADATA_ENTRY);
  return {
    weights: await zip.read(weights, { maxBytes: maxWeightsBytes }),
    ...(config === undefined ? {} : { config }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}
