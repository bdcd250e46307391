/**
 * Matching the layers of several checkpoints of one architecture (issue 9: "layers are matched by name and
 * shape (mismatches listed)"). A tensor is comparable across the study when every checkpoint has a tensor of
 * that exact name with the same shape as stored; everything else is listed with the reason, so the UI can say
 * why a layer is missing from the per-step plots.
 */

/** What matching needs of a tensor: its stored name and shape. */
export interface NamedShape {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Why a tensor name is not comparable across all checkpoints. */
export interface LayerMismatch {
  readonly name: string;
  /** 'missing': absent from some checkpoints; 'shape': present in all, with different shapes. */
  readonly kind: 'missing' | 'shape';
  /** One line for the UI, e.g. `missing from #3 (step_300.safetensors); present in 4 of 5`. */
  readonly detail: string;
}

/** The result of `matchLayers`. */
export interface LayerMatch {
  /** Tensors present in every checkpoint with one shape, in the first checkpoint's order. */
  readonly matched: readonly NamedShape[];
  /** Names that are not, in order of first appearance (first checkpoint, then new names of later ones). */
  readonly mismatches: readonly LayerMismatch[];
}

/**
 * The tensors every checkpoint shares by name and shape, and the ones it does not.
 *
 * @param checkpoints One tensor list per checkpoint, in study order.
 * @param labels Optional names of the checkpoints for `detail` (e.g. file names); `#1`, `#2`, … are always shown.
 * @throws RangeError if a checkpoint lists one name twice, or `labels` is given with another length.
 */
export function matchLayers(checkpoints: readonly (readonly NamedShape[])[], labels?: readonly string[]): LayerMatch {
  if (labels !== undefined && labels.length !== checkpoints.length) {
    throw new RangeError(`matchLayers: ${labels.length} labels for ${checkpoints.length} checkpoints`);
  }
  const byName = checkpoints.map((tensors, c) => {
    const map = new Map<string, readonly number[]>();
    for (const { name, shape } of tensors) {
      if (map.has(name)) throw new RangeError(`matchLayers: checkpoint ${checkpointLabel(c, labels)} lists '${name}' twice`);
      map.set(name, shape);
    }
    return map;
  });
  const order: string[] = [];
  const seen = new Set<string>();
  for (const tensors of checkpoints) {
    for (const { name } of tensors) {
      if (!seen.has(name)) {
        seen.add(name);
        order.push(name);
      }
    }
  }

  const matched: NamedShape[] = [];
  const mismatches: LayerMismatch[] = [];
  for (const name of order) {
    const shapes = byName.map((map) => map.get(name));
    const absent = shapes.flatMap((shape, c) => (shape === undefined ? [c] : []));
    if (absent.length > 0) {
      const present = checkpoints.length - absent.length;
      mismatches.push({
        name,
        kind: 'missing',
        detail: `missing from ${list(absent, labels)}; present in ${present} of ${checkpoints.length}${shapeSummary(shapes, labels)}`,
      });
      continue;
    }
    const groups = groupByShape(shapes as readonly (readonly number[])[]);
    if (groups.length > 1) {
      mismatches.push({
        name,
        kind: 'shape',
        detail: `shapes differ: ${groups.map((g) => `${formatShape(g.shape)} in ${list(g.members, labels)}`).join('; ')}`,
      });
      continue;
    }
    matched.push({ name, shape: shapes[0] as readonly number[] });
  }
  return { matched, mismatches };
}

/** Checkpoints grouped by identical shape, in order of first appearance. */
function groupByShape(shapes: readonly (readonly number[] | undefined)[]): { shape: readonly number[]; members: number[] }[] {
  const groups: { shape: readonly number[]; members: number[] }[] = [];
  shapes.forEach((shape, c) => {
    if (shape === undefined) return;
    const group = groups.find((g) => sameShape(g.shape, shape));
    if (group) group.members.push(c);
    else groups.push({ shape, members: [c] });
  });
  return groups;
}

/** For a partly missing tensor whose present copies also disagree in shape, say so too. */
function shapeSummary(shapes: readonly (readonly number[] | undefined)[], labels: readonly string[] | undefined): string {
  const groups = groupByShape(shapes);
  if (groups.length <= 1) return '';
  return `, with different shapes: ${groups.map((g) => `${formatShape(g.shape)} in ${list(g.members, labels)}`).join('; ')}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** `#2 (name)`, or `#2` without labels (1-based, as the UI counts). */
function checkpointLabel(c: number, labels: readonly string[] | undefined): string {
  const label = labels?.[c];
  return label === undefined ? `#${c + 1}` : `#${c + 1} (${label})`;
}

/** Checkpoint indices as text; long runs of unlabelled indices are shortened to ranges (`#1–#4, #7`). */
function list(indices: readonly number[], labels: readonly string[] | undefined): string {
  if (labels !== undefined) {
    const shown = indices.slice(0, 5).map((c) => checkpointLabel(c, labels));
    return indices.length > 5 ? `${shown.join(', ')} and ${indices.length - 5} more` : shown.join(', ');
  }
  const ranges: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && (indices[j + 1] as number) === (indices[j] as number) + 1) j++;
    const from = indices[i] as number;
    const to = indices[j] as number;
    ranges.push(from === to ? `#${from + 1}` : `#${from + 1}–#${to + 1}`);
    i = j + 1;
  }
  return ranges.join(', ');
}
