/**
 * The singular-direction hypergraph of a layer: OUR construction, not the paper's. Praggastis et al.
 * (arXiv 2208.06894) draw hypergraphs of SVD neurons, but their exact construction is not public
 * (SCIENCE.md §3), so this one is ours and must be labelled so in the UI:
 * - vertices = singular directions k of the layer (those in at least one hyperedge);
 * - one hyperedge per class with at least one input = the directions of its class profile whose summed
 *   influence weight exceeds `minWeight` (0: every direction the class ever used);
 * - the dual swaps the roles: one hyperedge per direction, over the classes that use it, which shows
 *   which directions separate which classes.
 * Reads: `shared` (in every class's edge: generic features) and `unique` (in exactly one: discriminative).
 */
import type { ClassProfile } from './classProfiles';

/** One hyperedge: a class and the directions of its profile. */
export interface ClassHyperedge {
  readonly label: string;
  /** Directions with weight > minWeight, ascending. */
  readonly members: readonly number[];
  /** The class profile's weight of each member, same order. */
  readonly weights: readonly number[];
}

/** Directions as vertices, classes as hyperedges. */
export interface DirectionHypergraph {
  /** Directions in any hyperedge, ascending. */
  readonly vertices: readonly number[];
  /** One per class with count > 0, in the order of the profiles. */
  readonly edges: readonly ClassHyperedge[];
  /** Directions in every edge, ascending (empty when there are no edges). */
  readonly shared: readonly number[];
  /** For each edge's label: its directions in no other edge, ascending. */
  readonly unique: ReadonlyMap<string, readonly number[]>;
  /** For each vertex (ascending): the number of edges containing it. */
  readonly degree: ReadonlyMap<number, number>;
}

/** The dual hypergraph: classes as vertices, one hyperedge per direction. */
export interface DualHypergraph {
  /** Edge labels of the direction hypergraph, in its edge order. */
  readonly vertices: readonly string[];
  /** One per direction (ascending): the classes whose edge contains it, in vertex order. */
  readonly edges: readonly { readonly direction: number; readonly members: readonly string[] }[];
}

/**
 * The direction hypergraph of some class profiles (see the file comment: our construction).
 *
 * @param profiles Class profiles (`classProfiles`), all of the same length; classes with count 0 get no edge.
 * @param minWeight A direction belongs to a class's edge when its summed weight is > minWeight (≥ 0).
 * @throws RangeError for a negative or NaN minWeight, profiles of different lengths, or two edges with
 *   the same label (`unique` is keyed by label).
 */
export function directionHypergraph(profiles: readonly ClassProfile[], minWeight = 0): DirectionHypergraph {
  if (!(minWeight >= 0)) throw new RangeError(`directionHypergraph: minWeight must be ≥ 0, got ${minWeight}`);
  const rank = profiles[0]?.weights.length ?? 0;
  const edges: ClassHyperedge[] = [];
  const labels = new Set<string>();
  for (const profile of profiles) {
    if (profile.weights.length !== rank) {
      throw new RangeError(`directionHypergraph: profile '${profile.label}' has ${profile.weights.length} directions, expected ${rank}`);
    }
    if (profile.count <= 0) continue;
    if (labels.has(profile.label)) throw new RangeError(`directionHypergraph: two classes are labelled '${profile.label}'`);
    labels.add(profile.label);
    const members: number[] = [];
    const weights: number[] = [];
    profile.weights.forEach((w, k) => {
      if (w > minWeight) {
        members.push(k);
        weights.push(w);
      }
    });
    edges.push({ label: profile.label, members, weights });
  }

  const counts = new Uint32Array(rank);
  for (const edge of edges) for (const k of edge.members) counts[k] = (counts[k] as number) + 1;
  const vertices: number[] = [];
  const shared: number[] = [];
  const degree = new Map<number, number>();
  counts.forEach((d, k) => {
    if (d === 0) return;
    vertices.push(k);
    degree.set(k, d);
    if (d === edges.length) shared.push(k);
  });
  const unique = new Map<string, readonly number[]>(edges.map((edge) => [edge.label, edge.members.filter((k) => counts[k] === 1)]));
  return { vertices, edges, shared, unique, degree };
}

/** The dual of a direction hypergraph: classes as vertices, one hyperedge per direction over its classes. */
export function dualHypergraph(h: DirectionHypergraph): DualHypergraph {
  const byDirection = new Map<number, string[]>(h.vertices.map((k) => [k, []]));
  for (const edge of h.edges) for (const k of edge.members) byDirection.get(k)?.push(edge.label);
  return {
    vertices: h.edges.map((edge) => edge.label),
    edges: h.vertices.map((direction) => ({ direction, members: byDirection.get(direction) ?? [] })),
  };
}

/**
 * The inputs that drive one direction hardest: the `count` inputs with the largest |aggregate| on it.
 *
 * @param aggregates N × rank row-major (`projectAggregateBatch`'s output).
 * @param n Number of inputs N.
 * @param rank Number of directions.
 * @param direction The direction k, in [0, rank).
 * @param count How many to return (at most n).
 * @returns Input indices by decreasing |aggregates[i·rank + k]|, ties by increasing index.
 * @throws RangeError for mismatched lengths, a direction outside [0, rank), a negative count or a NaN value.
 */
export function topInputs(aggregates: Float64Array, n: number, rank: number, direction: number, count: number): number[] {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(rank) || rank < 0) throw new RangeError(`topInputs: bad shape ${n}×${rank}`);
  if (aggregates.length !== n * rank) throw new RangeError(`topInputs: ${aggregates.length} aggregates, ${n} inputs × ${rank} directions needs ${n * rank}`);
  if (!Number.isInteger(direction) || direction < 0 || direction >= rank) throw new RangeError(`topInputs: direction ${direction} outside [0, ${rank})`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`topInputs: count must be an integer ≥ 0, got ${count}`);
  const magnitude = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = aggregates[i * rank + direction] as number;
    if (Number.isNaN(v)) throw new RangeError(`topInputs: the aggregate of input ${i} on direction ${direction} is NaN`);
    magnitude[i] = Math.abs(v);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => compareDesc(magnitude[a] as number, magnitude[b] as number) || a - b);
  return order.slice(0, Math.min(count, n));
}

/** Descending order that also handles +∞ (where `b − a` would be NaN). */
function compareDesc(a: number, b: number): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
