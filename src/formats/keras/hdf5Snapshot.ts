/**
 * What the HDF5 engine reports about a file, as plain structured-clone-safe data: the groups and datasets
 * reached from the root with the few attributes asked for (a "snapshot"), and, when something goes wrong,
 * an {@link Hdf5Problem}. The snapshot is all the Keras logic (kerasWeights.ts) ever sees, so that logic is
 * pure and runs on whichever side of the HDF5 worker boundary it likes.
 */

/** Largest dataset read, in bytes: h5wasm's wasm heap is 2 GiB at most and also holds HDF5's own buffers. */
export const MAX_DATASET_BYTES = 1024 * 1024 * 1024;

/** HDF5 datatype classes (H5Tpublic.h, `H5T_class_t`, values 0–10), by name. */
export const HDF5_TYPE_CLASSES = ['integer', 'float', 'time', 'string', 'bitfield', 'opaque', 'compound', 'reference', 'enum', 'vlen', 'array'] as const;

/** One of {@link HDF5_TYPE_CLASSES}, or `unknown` for a value outside the list. */
export type Hdf5TypeClass = (typeof HDF5_TYPE_CLASSES)[number] | 'unknown';

/** An attribute value: text, a list of texts, or `null` when the attribute exists but is not text. */
export type Hdf5AttributeValue = string | readonly string[] | null;

/** A group and the requested attributes it has. */
export interface Hdf5Group {
  readonly kind: 'group';
  /** Absolute path, e.g. `/model_weights/conv2d`. The root is `/`. */
  readonly path: string;
  readonly attributes: Readonly<Record<string, Hdf5AttributeValue>>;
}

/** A dataset: its element type and shape as HDF5 describes them, and the requested attributes. */
export interface Hdf5Dataset {
  readonly kind: 'dataset';
  readonly path: string;
  readonly attributes: Readonly<Record<string, Hdf5AttributeValue>>;
  readonly typeClass: Hdf5TypeClass;
  /** Bytes per element as stored (`H5Tget_size`). */
  readonly elementBytes: number;
  /** For integers: whether signed. */
  readonly signed: boolean;
  /** Whether the stored byte order is little-endian; reads always return little-endian bytes. */
  readonly littleEndian: boolean;
  /** The dimensions, `[]` for a scalar, `null` for an empty (H5S_NULL) dataspace. */
  readonly shape: readonly number[] | null;
}

/** A group or a dataset (other objects, such as named datatypes and dangling links, are left out). */
export type Hdf5Object = Hdf5Group | Hdf5Dataset;

/** Everything reached from the root, depth first, children in the order HDF5 lists them (by name). */
export interface Hdf5Snapshot {
  readonly objects: readonly Hdf5Object[];
}

/** What the walk collects and how far it may go. */
export interface SnapshotOptions {
  /**
   * Attribute names to read. A name also matches itself followed by digits (`layer_names0`, `layer_names1`):
   * Keras splits attributes over 64 KB that way (`save_attributes_to_hdf5_group`).
   */
  readonly attributeNames: readonly string[];
  /** Stop (with `too-large`) after this many objects: a file with hard-link cycles is otherwise endless. */
  readonly maxObjects: number;
  /** Do not descend below this depth. */
  readonly maxDepth: number;
}

/** Why an HDF5 operation failed. */
export type Hdf5ProblemReason =
  /** No HDF5 signature. */
  | 'not-hdf5'
  /** The superblock says the file is longer than it is (`expectedBytes`, `actualBytes`). */
  | 'truncated'
  /** HDF5 reported an error: a damaged file. */
  | 'corrupt'
  /** The HDF5 library trapped (out-of-bounds access, abort, stack overflow); the engine was discarded. */
  | 'crashed'
  /** HDF5 did not finish in time (a damaged file can make it loop); the engine was discarded. */
  | 'timeout'
  /** More objects, or a bigger dataset, than the engine will handle. */
  | 'too-large'
  /** The dataset is compressed with a filter this HDF5 build lacks. */
  | 'unsupported-filter'
  /** The engine holding this file was restarted (after another file crashed it): reopen and retry. */
  | 'lost'
  /** h5wasm could not be loaded at all (no WebAssembly, out of memory): nothing to do with the file. */
  | 'unavailable';

/** A failed HDF5 operation, as data. */
export interface Hdf5Problem {
  readonly reason: Hdf5ProblemReason;
  /** One line, e.g. HDF5's own error message (`bad object header version number`). */
  readonly detail: string;
  readonly expectedBytes?: number;
  readonly actualBytes?: number;
}

/** A thrown {@link Hdf5Problem}. The Keras reader turns it into a FormatError naming the file. */
export class Hdf5Failure extends Error {
  override readonly name = 'Hdf5Failure' as const;
  readonly problem: Hdf5Problem;
  constructor(problem: Hdf5Problem) {
    super(`${problem.reason}: ${problem.detail}`);
    this.problem = problem;
  }
}

/** Whether an attribute `name` matches a requested name (itself, or itself followed by digits). */
export function matchesAttributeName(name: string, requested: readonly string[]): boolean {
  return requested.some((r) => name === r || (name.startsWith(r) && /^\d+$/.test(name.slice(r.length))));
}
