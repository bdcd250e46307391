/**
 * The one error class of `src/formats` (STYLE.md §3, "Errors"): a stable `code`, the file concerned, a
 * message that says what is wrong, a one-line remedy, and (after Netron's `view.js`) the file's first and
 * last 16 bytes in hex as `context`. Errors cross the worker boundary as plain objects (`toJSON()`) and are
 * rebuilt with `FormatError.fromPlain()`, as comlink does for thrown values.
 */

/** Stable error codes. The UI and tests match on these, never on message text. */
export const FORMAT_ERROR_CODES = [
  'NO_FILES',
  'READ_FAILED',
  'TRUNCATED',
  'HEADER_TOO_LARGE',
  'BAD_HEADER_JSON',
  'BAD_HEADER_ENTRY',
  'SIZE_MISMATCH',
  'OFFSETS_OUT_OF_BOUNDS',
  'OFFSETS_OVERLAP',
  'UNSUPPORTED_DTYPE',
  'UNKNOWN_FORMAT',
  'MULTIPLE_MODELS',
  'MISSING_SHARD',
  'DUPLICATE_TENSOR',
  'BAD_INDEX',
  'INDEX_MISMATCH',
  // Container and encoding errors shared by the other readers.
  'BAD_STRUCTURE',
  'UNSUPPORTED_VERSION',
  'UNSUPPORTED_FEATURE',
  'MISSING_COMPANION',
  'TOO_LARGE',
  'BAD_ZIP',
  'ZIP_BOMB',
  'BAD_PROTOBUF',
  'BAD_PICKLE',
  'PICKLE_FORBIDDEN',
  'LEGACY_FORMAT',
  'BAD_HDF5',
] as const;

/** One of {@link FORMAT_ERROR_CODES}. */
export type FormatErrorCode = (typeof FORMAT_ERROR_CODES)[number];

/** What the user can do about each kind of failure, unless the thrower gives a more specific remedy. */
const DEFAULT_REMEDY: Readonly<Record<FormatErrorCode, string>> = {
  NO_FILES: 'Drop a model file onto the page, or use Open model….',
  READ_FAILED: 'Open the file again; if it is on a network drive or was changed since, copy it to a local disk first.',
  TRUNCATED: 'The file is incomplete (an interrupted download or copy?): download or export it again.',
  HEADER_TOO_LARGE: 'The header length is implausible, so the file is corrupt or not this format: export or download it again.',
  BAD_HEADER_JSON: 'The header is damaged or the file is not this format: export or download it again.',
  BAD_HEADER_ENTRY: 'The writer produced an invalid tensor entry: re-export the model with an up-to-date library.',
  SIZE_MISMATCH: 'The header disagrees with itself: re-export the model with an up-to-date library.',
  OFFSETS_OUT_OF_BOUNDS: 'The file is shorter than its header says (truncated?): download or export it again.',
  OFFSETS_OVERLAP: 'The file is corrupt (two tensors share bytes): re-export the model.',
  UNSUPPORTED_DTYPE: 'Convert the tensor to F32, F16, BF16 or F64 (e.g. in PyTorch: tensor.float()) and save again.',
  UNKNOWN_FORMAT: 'Open a supported model file (see the list of formats), or drop all files of a sharded model together.',
  MULTIPLE_MODELS: 'Open one model at a time: drop a single file, or all shards of one sharded model (with its index .json).',
  MISSING_SHARD: 'Drop all shards of the model together (select every *-0000k-of-0000N file and the index .json).',
  DUPLICATE_TENSOR: 'The shards belong to different models or were written twice: drop the shards of one model only.',
  BAD_INDEX: 'The index .json is damaged: download it again, or drop just the shard files without it.',
  INDEX_MISMATCH: 'The index .json does not match these shards: drop the index that came with them, or leave it out.',
  BAD_STRUCTURE: 'The file is damaged or not what its name says: export or download it again.',
  UNSUPPORTED_VERSION: 'Re-save the model with a current version of the library that wrote it.',
  UNSUPPORTED_FEATURE: 'Convert the model to safetensors or ONNX with float weights and open that instead.',
  MISSING_COMPANION: 'Drop the model file together with the files it refers to (weights shards, external data).',
  TOO_LARGE: 'The file declares a size this browser cannot hold: check that it is not corrupt, or split the model.',
  BAD_ZIP: 'The archive is damaged (an interrupted download?): download or export it again.',
  ZIP_BOMB: 'The archive expands to far more than it holds, which real model files never do: do not open it.',
  BAD_PROTOBUF: 'The protobuf is damaged or truncated: export or download the model again.',
  BAD_PICKLE: 'The pickle inside the file is damaged: save the checkpoint again with torch.save.',
  PICKLE_FORBIDDEN: 'The pickle asks to run code, which this app never does: save a plain state_dict (or safetensors) instead.',
  LEGACY_FORMAT: 'Re-save the checkpoint with a current PyTorch (torch.save uses the zip format since 1.6), or convert it to safetensors.',
  BAD_HDF5: 'The HDF5 file is damaged or not a Keras weights file: save it again with model.save_weights / model.save.',
};

/** The plain, structured-clone-safe form of a {@link FormatError}. */
export interface FormatErrorPlain {
  readonly name: 'FormatError';
  readonly code: FormatErrorCode;
  readonly message: string;
  /** The file concerned ('' when no single file is). */
  readonly file: string;
  /** One line: what the user can do. */
  readonly remedy: string;
  /** Extra detail, e.g. the file's size and first and last 16 bytes in hex. */
  readonly context?: string;
}

/** Options of the {@link FormatError} constructor. */
export interface FormatErrorOptions {
  /** The file concerned ('' when no single file is). */
  readonly file: string;
  /** Overrides the code's default remedy. */
  readonly remedy?: string;
  readonly context?: string;
  /** The underlying exception, if any (kept as `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * A model file that cannot be read as claimed. Expected outcome of opening a bad file, never a bug:
 * readers throw only this (bugs surface as other exceptions, which the fuzz tests look for).
 *
 * @example new FormatError('TRUNCATED', '"a.safetensors" is 5 bytes long; …', { file: 'a.safetensors' })
 */
export class FormatError extends Error {
  override readonly name = 'FormatError' as const;
  readonly code: FormatErrorCode;
  readonly file: string;
  readonly remedy: string;
  readonly context?: string;

  constructor(code: FormatErrorCode, message: string, options: FormatErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.file = options.file;
    this.remedy = options.remedy ?? DEFAULT_REMEDY[code];
    if (options.context !== undefined) this.context = options.context;
  }

  /** A copy of this error with `context` set (errors are immutable once thrown). */
  withContext(context: string): FormatError {
    return new FormatError(this.code, this.message, { file: this.file, remedy: this.remedy, context, cause: this.cause });
  }

  /** The plain form, for `postMessage` and `JSON.stringify`. */
  toJSON(): FormatErrorPlain {
    const plain = { name: 'FormatError' as const, code: this.code, message: this.message, file: this.file, remedy: this.remedy };
    return this.context === undefined ? plain : { ...plain, context: this.context };
  }

  /** Rebuild an error from its plain form (e.g. on the main thread, from a worker's message). */
  static fromPlain(plain: FormatErrorPlain): FormatError {
    const options = { file: plain.file, remedy: plain.remedy };
    return new FormatError(plain.code, plain.message, plain.context === undefined ? options : { ...options, context: plain.context });
  }
}

/** Whether `value` is a {@link FormatErrorPlain} (a guard for data that crossed a worker boundary). */
export function isFormatErrorPlain(value: unknown): value is FormatErrorPlain {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.name === 'FormatError' &&
    typeof v.code === 'string' &&
    (FORMAT_ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === 'string' &&
    typeof v.file === 'string' &&
    typeof v.remedy === 'string' &&
    (v.context === undefined || typeof v.context === 'string')
  );
}

/** The default one-line remedy for a code (what the UI shows when nothing more specific is known). */
export function defaultRemedy(code: FormatErrorCode): string {
  return DEFAULT_REMEDY[code];
}
