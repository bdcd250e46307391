/**
 * A labelled input set: images with class names → the batch the probe runs, the label of each example and the
 * class list. Labels index `classes`; classes are in natural order (`0`…`9` as numbers), unless an order is given
 * (the stroke sample's classes follow its output units).
 */
import type { InputPreprocessing } from './inputSpec';
import type { InputBatch } from './normalize';
import { toBatch } from './normalize';
import { naturalCompare } from './classFolders';

/** What the probe needs to run and to group its results by class. */
export interface LabelledInputs {
  /** Class names; label i ↔ classes[i]. */
  readonly classes: readonly string[];
  /** One per example, indices into `classes`. */
  readonly labels: readonly number[];
  /** One per example: a file path or a generated name, for tooltips and exports. */
  readonly names: readonly string[];
  /** N examples in the model's layout (see {@link InputBatch}). */
  readonly batch: InputBatch;
}

/** One image ready for normalisation: RGBA pixels already resized to the preprocessing's height × width. */
export interface LabelledImage {
  readonly name: string;
  readonly className: string;
  /** Row-major RGBA, 0..255 scale. */
  readonly pixels: ArrayLike<number>;
}

/**
 * The class list of `images`: `order` first (those it names that occur, or all of it when `keepAll`), then any other
 * class in natural order.
 */
export function classList(images: readonly { readonly className: string }[], order: readonly string[] = [], keepAll = false): string[] {
  const present = new Set(images.map((i) => i.className));
  const head = order.filter((c) => keepAll || present.has(c));
  const rest = [...present].filter((c) => !head.includes(c)).sort(naturalCompare);
  return [...head, ...rest];
}

/**
 * Normalise every image by `p` (see toModelTensor) into one batch, in the given order, with its labels.
 * `classOrder` fixes the label of named classes (e.g. a model's output units); other classes follow in natural order.
 */
export function buildLabelledInputs(images: readonly LabelledImage[], p: InputPreprocessing, classOrder: readonly string[] = []): LabelledInputs {
  const classes = classList(images, classOrder, true);
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    classes,
    labels: images.map((i) => index.get(i.className) ?? -1),
    names: images.map((i) => i.name),
    batch: toBatch(
      images.map((i) => i.pixels),
      p,
    ),
  };
}

/** Examples per class, in `classes` order. */
export function countPerClass(inputs: Pick<LabelledInputs, 'classes' | 'labels'>): number[] {
  const counts = new Array<number>(inputs.classes.length).fill(0);
  for (const l of inputs.labels) if (l >= 0 && l < counts.length) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}
