/**
 * The user's own labelled images for a probe: a dropped or picked folder with one sub-folder per class (or picked
 * files with a typed class name), decoded by the browser (createImageBitmap), resized on a canvas to the input
 * size, read back as RGBA and normalised by the preprocessing (src/analysis/probeInputs/normalize.ts).
 *
 * Bad files never stop a load: each one that cannot be read or decoded is reported with a reason, and the others
 * go on. Only cancelling (the AbortSignal) stops it, rejecting with the signal's reason (an AbortError).
 *
 * Resizing: 'stretch' (default) scales the whole image to height × width, changing its proportions if they differ
 * (what torchvision's `Resize((h, w))` and Keras' `image_dataset_from_directory` do); 'center-crop' keeps the
 * proportions, scaling the image to cover the target and cutting the overflow evenly from both sides (as
 * `Resize` + `CenterCrop`). Transparent pixels are composited over white, as image viewers show them.
 */
import type { InputPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { checkPreprocessing } from '../../analysis/probeInputs/inputSpec';
import { classesFromPaths, isIgnoredPath, naturalCompare } from '../../analysis/probeInputs/classFolders';
import type { LabelledInputs } from '../../analysis/probeInputs/labelledSet';
import { buildLabelledInputs } from '../../analysis/probeInputs/labelledSet';

/** A file with its path in the drop or pick (`shapes/cat/1.png`), and its class once known. */
export interface PathedFile {
  readonly file: File;
  readonly path: string;
  /** The class, when already decided (typed by the user, or resolved from the folders); else from the path. */
  readonly label?: string;
}

/** How images are fitted to the input size (see the module comment). */
export type ResizeMode = 'stretch' | 'center-crop';

/** The raster size images are decoded to. */
export interface DecodeSize {
  readonly height: number;
  readonly width: number;
  readonly resize: ResizeMode;
}

/** A file that did not become an input, and why, in words. */
export interface InputFailure {
  /** The file's path in the drop. */
  readonly name: string;
  /** E.g. "could not be decoded as an image (image/png, 12 KB: The source image could not be decoded.)". */
  readonly reason: string;
}

/** One decoded image, kept so that a change of normalisation needs no second decode. */
export interface DecodedImage {
  /** The file's path in the drop. */
  readonly name: string;
  readonly className: string;
  /** RGBA, height × width of the {@link DecodeSize} it was decoded at. */
  readonly pixels: Uint8ClampedArray;
  /** A small data URL (fitted in {@link THUMBNAIL_BOX}), or '' where no canvas exists. */
  readonly thumbnail: string;
  /** The image's own size, pixels. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

/** Decodes one file to RGBA at `size`; rejects with a {@link ImageInputError} whose message is the reason. */
export type ImageDecoder = (file: File, size: DecodeSize) => Promise<Omit<DecodedImage, 'name' | 'className'>>;

/** Why one file failed: its message is shown to the user after the file's name. */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
}

export interface LoadOptions {
  readonly signal?: AbortSignal;
  /** Called with (files done, files to do) at the start and after each file. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Default 'stretch'. */
  readonly resize?: ResizeMode;
  /** Replaces the browser decoder (tests). */
  readonly decode?: ImageDecoder;
  /** Files decoded at once; default 4. */
  readonly concurrency?: number;
}

/** The box a thumbnail fits in (aspect kept), pixels: wide enough for a text line to stay readable. */
export const THUMBNAIL_BOX = { width: 192, height: 96 } as const;

/** `files` as one class, e.g. picked files with a typed class name. */
export function labelFiles(files: Iterable<File>, className: string): PathedFile[] {
  const label = className.trim();
  return Array.from(files, (file) => ({ file, path: `${label}/${file.name}`, label }));
}

/** Files of a folder picker (`<input webkitdirectory>`): their paths are webkitRelativePath. */
export function pickedFolderFiles(files: Iterable<File>): PathedFile[] {
  return Array.from(files, (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/**
 * Sort a drop into files with a class (label set; natural order by class, then path), files directly in the
 * dropped root (the user is asked for their class), and system clutter skipped silently (.DS_Store, __MACOSX, …).
 */
export function splitByClass(entries: readonly PathedFile[]): { labelled: PathedFile[]; unlabelled: PathedFile[]; ignored: string[] } {
  const ignored = entries.filter((e) => isIgnoredPath(e.path)).map((e) => e.path);
  const kept = entries.filter((e) => !isIgnoredPath(e.path));
  // Folder classes are resolved over the files without a typed label only.
  const free = kept.filter((e) => e.label === undefined || e.label === '');
  const classes = classesFromPaths(free.map((f) => f.path));
  const fromPaths = new Map(free.map((e, i) => [e, classes[i] ?? null] as const));
  const labelled: PathedFile[] = [];
  const unlabelled: PathedFile[] = [];
  for (const e of kept) {
    const label = e.label || fromPaths.get(e) || null;
    if (label) labelled.push({ ...e, label });
    else unlabelled.push(e);
  }
  labelled.sort((a, b) => naturalCompare(a.label ?? '', b.label ?? '') || naturalCompare(a.path, b.path));
  return { labelled, unlabelled, ignored };
}

/** "12 KB", "3.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** What the file is, for messages: "image/png, 12 KB". */
const describe = (file: File): string => `${file.type || 'unknown type'}, ${formatBytes(file.size)}`;

/** The part of a sw × sh source drawn for `size` (the whole image, or its centred crop of the target's proportions). */
export function sourceRect(sw: number, sh: number, size: DecodeSize): [number, number, number, number] {
  if (size.resize === 'stretch') return [0, 0, sw, sh];
  const target = size.width / size.height;
  if (sw / sh > target) {
    const w = sh * target;
    return [(sw - w) / 2, 0, w, sh];
  }
  const h = sw / target;
  return [0, (sh - h) / 2, sw, h];
}

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A canvas of the given size: a DOM canvas when there is a document (it can make data URLs), else offscreen. */
function makeCanvas(width: number, height: number): { canvas: HTMLCanvasElement | OffscreenCanvas; context: Canvas2D } {
  const canvas = typeof document !== 'undefined' ? Object.assign(document.createElement('canvas'), { width, height }) : new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true }) as Canvas2D | null;
  if (!context) throw new ImageInputError('could not be drawn: this browser gave no 2D canvas');
  return { canvas, context };
}

/**
 * Draw `source` (its rectangle [sx, sy, sw, sh]) into a width × height canvas over white. Shrinks by halves first
 * when the factor exceeds 2, since a single bilinear step would skip source pixels and alias fine lines.
 */
function drawFitted(source: CanvasImageSource, rect: [number, number, number, number], width: number, height: number): Canvas2D {
  let [sx, sy, sw, sh] = rect;
  let current: CanvasImageSource = source;
  while (sw / 2 >= width * 1.0001 && sh / 2 >= height * 1.0001) {
    const w = Math.max(width, Math.round(sw / 2));
    const h = Math.max(height, Math.round(sh / 2));
    const step = makeCanvas(w, h);
    step.context.imageSmoothingQuality = 'high';
    step.context.drawImage(current, sx, sy, sw, sh, 0, 0, w, h);
    current = step.canvas;
    [sx, sy, sw, sh] = [0, 0, w, h];
  }
  const { context } = makeCanvas(width, height);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(current, sx, sy, sw, sh, 0, 0, width, height);
  return context;
}

/** A PNG data URL of a canvas, or '' where only an OffscreenCanvas exists (no synchronous encoder there). */
function dataUrlOf(context: Canvas2D): string {
  const canvas = context.canvas;
  return typeof HTMLCanvasElement !== 'undefined' && canvas instanceof HTMLCanvasElement ? canvas.toDataURL('image/png') : '';
}

/** The browser's decoder: createImageBitmap, then a canvas at the input size and one for the thumbnail. */
export const decodeInBrowser: ImageDecoder = async (file, size) => {
  if (file.size === 0) throw new ImageInputError('is empty (0 bytes)');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    const reason = error instanceof DOMException && error.name === 'NotReadableError' ? 'could not be read' : 'could not be decoded as an image';
    throw new ImageInputError(`${reason} (${describe(file)}: ${messageOf(error)})`);
  }
  try {
    const { width: sw, height: sh } = bitmap;
    if (sw === 0 || sh === 0) throw new ImageInputError(`has no pixels (${sw}×${sh})`);
    const pixels = drawFitted(bitmap, sourceRect(sw, sh, size), size.width, size.height).getImageData(0, 0, size.width, size.height).data;
    const k = Math.min(1, THUMBNAIL_BOX.width / sw, THUMBNAIL_BOX.height / sh);
    const thumbnail = dataUrlOf(drawFitted(bitmap, [0, 0, sw, sh], Math.max(1, Math.round(sw * k)), Math.max(1, Math.round(sh * k))));
    return { pixels, thumbnail, sourceWidth: sw, sourceHeight: sh };
  } finally {
    bitmap.close();
  }
};

/** The signal's reason as an AbortError, if it was aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('Loading the images was cancelled.', 'AbortError');
}

/** Remarks about a decoded set the user should know: enlarged images, distorted proportions. */
export function decodeNotes(images: readonly DecodedImage[], size: DecodeSize): string[] {
  const notes: string[] = [];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const small = images.filter((i) => i.sourceWidth < size.width || i.sourceHeight < size.height).length;
  if (small > 0) notes.push(`${plural(small, 'image')} smaller than ${size.width}×${size.height} ${small === 1 ? 'was' : 'were'} enlarged.`);
  if (size.resize === 'stretch') {
    const target = size.width / size.height;
    const stretched = images.filter((i) => Math.abs(Math.log(i.sourceWidth / i.sourceHeight / target)) > Math.log(1.1)).length;
    if (stretched > 0) {
      notes.push(`${plural(stretched, 'image')} of other proportions ${stretched === 1 ? 'was' : 'were'} stretched to ${size.width}×${size.height}; “center crop” keeps proportions.`);
    }
  }
  return notes;
}

/**
 * Decode labelled files (label set, as {@link splitByClass} returns them) at `size`, a few at a time, keeping
 * their order. Each file that fails becomes an {@link InputFailure}; non-image types are reported without decoding.
 * Rejects only when `signal` aborts.
 */
export async function decodeLabelledImages(
  entries: readonly PathedFile[],
  size: DecodeSize,
  options: Omit<LoadOptions, 'resize'> = {},
): Promise<{ images: DecodedImage[]; failures: InputFailure[]; notes: string[] }> {
  const { signal, onProgress, decode = decodeInBrowser, concurrency = 4 } = options;
  const results: (DecodedImage | InputFailure | undefined)[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  throwIfAborted(signal);
  onProgress?.(0, entries.length);
  const one = async (entry: PathedFile): Promise<DecodedImage | InputFailure> => {
    const { file, path } = entry;
    if (file.type && !file.type.startsWith('image/')) return { name: path, reason: `is not an image (${describe(file)})` };
    try {
      const decoded = await decode(file, size);
      if (decoded.pixels.length !== 4 * size.width * size.height) {
        return { name: path, reason: `was decoded at the wrong size (${decoded.pixels.length / 4} pixels, expected ${size.width}×${size.height})` };
      }
      return { ...decoded, name: path, className: entry.label ?? '' };
    } catch (error) {
      return { name: path, reason: error instanceof ImageInputError ? error.message : `could not be decoded as an image (${describe(file)}: ${messageOf(error)})` };
    }
  };
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      throwIfAborted(signal);
      const i = next++;
      const entry = entries[i];
      if (!entry) continue;
      results[i] = await one(entry);
      done++;
      throwIfAborted(signal);
      onProgress?.(done, entries.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, entries.length)) }, worker));
  const images: DecodedImage[] = [];
  const failures: InputFailure[] = [];
  for (const r of results) {
    if (!r) continue;
    if ('reason' in r) failures.push(r);
    else images.push(r);
  }
  return { images, failures, notes: decodeNotes(images, size) };
}

/** The user's labelled images, ready for the probe. */
export interface LoadedImages extends LabelledInputs {
  /** One per example: a small PNG data URL. */
  readonly thumbnails: readonly string[];
  /** Files that did not decode, with reasons. */
  readonly failures: readonly InputFailure[];
  /** Files directly in the dropped root: not in a class folder, so not in the batch. Ask for their class. */
  readonly unlabelled: readonly PathedFile[];
  /** System files skipped silently (.DS_Store, __MACOSX/…). */
  readonly ignored: readonly string[];
  /** Things worth knowing (enlarged or stretched images). */
  readonly notes: readonly string[];
  /** The decoded images: normalise them again with {@link buildLabelledInputs} when only the normalisation changes. */
  readonly images: readonly DecodedImage[];
  readonly size: DecodeSize;
}

/**
 * Everything from a drop or pick to a normalised batch: class = the first folder under the dropped root
 * (`shapes/cat/1.png` → `cat`), or the label a file already has; files in the root come back in `unlabelled`.
 * Decodes at p.height × p.width (resize mode in `options`, 'stretch' by default). Bad files are listed in
 * `failures`, never thrown. Rejects when `p` is unusable (checkPreprocessing) or when `signal` aborts.
 */
export async function loadLabelledImages(files: readonly PathedFile[], p: InputPreprocessing, options: LoadOptions = {}): Promise<LoadedImages> {
  const problems = checkPreprocessing(p);
  if (problems.length > 0) throw new RangeError(`The input settings are not usable: ${problems.join(' ')}`);
  const size: DecodeSize = { height: p.height, width: p.width, resize: options.resize ?? 'stretch' };
  const { labelled, unlabelled, ignored } = splitByClass(files);
  const { images, failures, notes } = await decodeLabelledImages(labelled, size, options);
  return { ...buildLabelledInputs(images, p), thumbnails: images.map((i) => i.thumbnail), failures, unlabelled, ignored, notes, images, size };
}
