import type { Model, NamedBlob } from '../model/types';

/**
 * One model format, as the registry sees it (after Netron's `ModelFactory`: a cheap `match`, then `open`).
 * A new format is one folder under `src/formats/` exporting one of these, listed once in `registry.ts`.
 */
export interface FormatReader {
  /** Stable id, also `Model.format`, e.g. `safetensors`. */
  readonly id: string;
  /** Name shown to users. */
  readonly label: string;
  /** File name endings, lowercase with the dot, e.g. `['.safetensors']`. Used when sniffing fails. */
  readonly extensions: readonly string[];
  /** Extra words for the list of supported formats, e.g. `sharded with index.json`. */
  readonly note?: string;
  /**
   * Whether a file is this format, from its first bytes (at most 64; fewer for a shorter file) and its name.
   * Cheap and pure: no reads, never throws. Should accept damaged files of this format when the damage is
   * after the signature, so that `open` can say precisely what is wrong.
   */
  sniff(head: Uint8Array, file: NamedBlob): boolean;
  /**
   * Whether `open` also gets the dropped files no reader claims, after its own: for formats whose data
   * files may have any name (ONNX external data). Such a reader ignores files it does not need.
   */
  readonly acceptsUnclaimedFiles?: boolean;
  /** Whether a file is a companion this reader opens alongside its main files (an index, a manifest). */
  companion?(file: NamedBlob): boolean;
  /**
   * Open main files plus their companions as one model, lazily.
   * @throws FormatError for anything wrong with the files
   */
  open(files: readonly NamedBlob[]): Promise<Model>;
}
