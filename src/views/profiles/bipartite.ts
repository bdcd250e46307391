/**
 * The singular-direction hypergraph as a bipartite drawing (our construction; SCIENCE.md §3: the paper's is not
 * public). Primal: classes (hyperedges) on the left, directions (vertices) on the right, one link per
 * (class, direction) membership. Dual (`dualHypergraph`): directions (now hyperedges) on the left, classes (now
 * vertices) on the right. Directions stay in σ-rank order; classes are ordered by the barycentre of their
 * directions, which removes most crossings (Sugiyama et al. 1981's barycentre heuristic, one pass).
 */
import type { DirectionHypergraph } from '../../analysis/profiles';
import { dualHypergraph } from '../../analysis/profiles';

/** How a direction is used: by every class, by exactly one, or by some. */
export type DirectionKind = 'shared' | 'unique' | 'other';

export interface BipartiteNode {
  /** `class:<label>` or `direction:<k>`. */
  readonly id: string;
  readonly role: 'class' | 'direction';
  /** Class name, or the direction's σ rank as text. */
  readonly label: string;
  /** A class node's index in the class order (its colour and symbol); a unique direction's class index; else null. */
  readonly classIndex: number | null;
  /** A direction node's 0-based index; null for a class. */
  readonly direction: number | null;
  /** A direction node's kind; null for a class. */
  readonly kind: DirectionKind | null;
  /** Number of links drawn at this node. */
  readonly degree: number;
}

export interface BipartiteLink {
  /** Left node id. */
  readonly left: string;
  /** Right node id. */
  readonly right: string;
  readonly classLabel: string;
  readonly direction: number;
  /** The class profile's summed weight on the direction. */
  readonly weight: number;
  /** `weight` over the class's total weight: 0..1, what the link's width shows. */
  readonly share: number;
}

export interface BipartiteGraph {
  readonly mode: 'primal' | 'dual';
  readonly left: readonly BipartiteNode[];
  readonly right: readonly BipartiteNode[];
  readonly links: readonly BipartiteLink[];
  /** Directions of the hypergraph, and how many of them were left out (`maxDirections`). */
  readonly totalDirections: number;
  readonly hiddenDirections: number;
}

export interface BipartiteOptions {
  readonly mode: 'primal' | 'dual';
  /** At most this many directions are drawn: the most used (degree, then total share), in rank order. Default 60. */
  readonly maxDirections?: number;
  /** All class names in their canonical order (gives `classIndex`); default: the hypergraph's edge order. */
  readonly classes?: readonly string[];
  /** Each class's total profile weight (the links' `share` denominator); default: Σ of its hyperedge's weights. */
  readonly classTotals?: ReadonlyMap<string, number>;
}

export const DEFAULT_MAX_DIRECTIONS = 60;

const classId = (label: string) => `class:${label}`;
const directionId = (k: number) => `direction:${k}`;

/** The bipartite graph of a direction hypergraph (primal) or of its dual. */
export function bipartiteGraph(h: DirectionHypergraph, options: BipartiteOptions): BipartiteGraph {
  const max = Math.max(1, Math.floor(options.maxDirections ?? DEFAULT_MAX_DIRECTIONS));
  const classes = options.classes ?? h.edges.map((e) => e.label);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const totals = new Map(h.edges.map((e) => [e.label, options.classTotals?.get(e.label) ?? e.weights.reduce((s, w) => s + w, 0)]));
  const shareOf = (label: string, weight: number) => {
    const t = totals.get(label) ?? 0;
    return t > 0 ? weight / t : 0;
  };

  // The directions drawn: all, or the `max` most used.
  const strength = new Map<number, number>();
  for (const e of h.edges) e.members.forEach((k, i) => strength.set(k, (strength.get(k) ?? 0) + shareOf(e.label, e.weights[i] ?? 0)));
  let kept = [...h.vertices];
  if (kept.length > max) {
    kept = kept
      .sort((a, b) => (h.degree.get(b) ?? 0) - (h.degree.get(a) ?? 0) || (strength.get(b) ?? 0) - (strength.get(a) ?? 0) || a - b)
      .slice(0, max);
  }
  kept.sort((a, b) => a - b);
  const keptSet = new Set(kept);

  const shared = new Set(h.shared);
  const uniqueTo = new Map<number, string>();
  if (h.edges.length > 1) for (const [label, ks] of h.unique) for (const k of ks) uniqueTo.set(k, label);

  const weightOf = new Map<string, number>();
  for (const e of h.edges) e.members.forEach((k, i) => weightOf.set(`${e.label}\u0000${k}`, e.weights[i] ?? 0));

  // (class, direction) memberships from the primal's edges, or the dual's (the same pairs, grouped by direction).
  const pairs: { label: string; k: number }[] = [];
  if (options.mode === 'primal') {
    for (const e of h.edges) for (const k of e.members) if (keptSet.has(k)) pairs.push({ label: e.label, k });
  } else {
    for (const e of dualHypergraph(h).edges) if (keptSet.has(e.direction)) for (const label of e.members) pairs.push({ label, k: e.direction });
  }
  const degree = new Map<string, number>();
  for (const p of pairs) {
    degree.set(classId(p.label), (degree.get(classId(p.label)) ?? 0) + 1);
    degree.set(directionId(p.k), (degree.get(directionId(p.k)) ?? 0) + 1);
  }

  const directionNodes: BipartiteNode[] = kept.map((k) => {
    const kind: DirectionKind = shared.has(k) ? 'shared' : uniqueTo.has(k) ? 'unique' : 'other';
    const owner = uniqueTo.get(k);
    return {
      id: directionId(k),
      role: 'direction',
      label: String(k + 1),
      classIndex: kind === 'unique' && owner !== undefined ? (classIndex.get(owner) ?? null) : null,
      direction: k,
      kind,
      degree: degree.get(directionId(k)) ?? 0,
    };
  });
  // Barycentre of each class's directions (by position in rank order, weighted by share): its place in its column.
  const position = new Map(kept.map((k, i) => [k, i]));
  const centre = new Map<string, { sum: number; weight: number }>();
  for (const p of pairs) {
    const w = Math.max(1e-9, shareOf(p.label, weightOf.get(`${p.label}\u0000${p.k}`) ?? 0));
    const c = centre.get(p.label) ?? { sum: 0, weight: 0 };
    c.sum += w * (position.get(p.k) ?? 0);
    c.weight += w;
    centre.set(p.label, c);
  }
  const barycentre = (label: string) => {
    const c = centre.get(label);
    return c && c.weight > 0 ? c.sum / c.weight : Infinity;
  };
  const classNodes: BipartiteNode[] = h.edges
    .map((e) => e.label)
    .sort((a, b) => barycentre(a) - barycentre(b) || (classIndex.get(a) ?? 0) - (classIndex.get(b) ?? 0))
    .map((label) => ({ id: classId(label), role: 'class', label, classIndex: classIndex.get(label) ?? null, direction: null, kind: null, degree: degree.get(classId(label)) ?? 0 }));

  const links: BipartiteLink[] = pairs.map((p) => {
    const weight = weightOf.get(`${p.label}\u0000${p.k}`) ?? 0;
    const [left, right] = options.mode === 'primal' ? [classId(p.label), directionId(p.k)] : [directionId(p.k), classId(p.label)];
    return { left, right, classLabel: p.label, direction: p.k, weight, share: shareOf(p.label, weight) };
  });
  return {
    mode: options.mode,
    left: options.mode === 'primal' ? classNodes : directionNodes,
    right: options.mode === 'primal' ? directionNodes : classNodes,
    links,
    totalDirections: h.vertices.length,
    hiddenDirections: h.vertices.length - kept.length,
  };
}

/** A node placed on its column. */
export interface PlacedNode extends BipartiteNode {
  readonly side: 'left' | 'right';
  readonly x: number;
  readonly y: number;
  /** Radius in px; nodes of one column never overlap (2r < the spacing). */
  readonly r: number;
  /** Whether its label is drawn (columns too dense for every label show every n-th). */
  readonly showLabel: boolean;
}

export interface PlacedLink extends BipartiteLink {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Stroke width in px, ∝ share (the largest link gets `MAX_LINK_PX`). */
  readonly width: number;
}

export interface BipartiteLayout {
  readonly nodes: readonly PlacedNode[];
  readonly links: readonly PlacedLink[];
  /** The columns' x and the vertical extent of the nodes' band. */
  readonly leftX: number;
  readonly rightX: number;
  readonly top: number;
  readonly bottom: number;
}

export interface LayoutMargins {
  readonly top: number;
  readonly bottom: number;
  /** Room for the left column's labels (left of its nodes) and the right column's (right of its nodes), px. */
  readonly leftLabel: number;
  readonly rightLabel: number;
}

const MAX_NODE_R = 9;
const MIN_NODE_R = 1.5;
const MIN_LINK_PX = 0.6;
export const MAX_LINK_PX = 6;
/** A column shows every label when its nodes are at least this far apart (px); every n-th otherwise. */
const LABEL_STEP_PX = 12;

/**
 * Place a bipartite graph in a `width` × `height` px box: each column's nodes evenly spaced over the band between
 * the margins (centred when few), radius ≤ 0.38 × spacing so none overlap, links as (x0, y0) → (x1, y1).
 */
export function bipartiteLayout(graph: BipartiteGraph, size: { readonly width: number; readonly height: number }, margins: LayoutMargins): BipartiteLayout {
  const leftX = Math.min(size.width / 2 - 20, margins.leftLabel + MAX_NODE_R + 4);
  const rightX = Math.max(size.width / 2 + 20, size.width - margins.rightLabel - MAX_NODE_R - 4);
  const top = margins.top;
  const bottom = Math.max(top + 1, size.height - margins.bottom);
  const place = (nodes: readonly BipartiteNode[], side: 'left' | 'right', x: number): PlacedNode[] => {
    const n = nodes.length;
    const step = n > 0 ? (bottom - top) / n : 0;
    // Few nodes: no wider than 3 radii apart's worth of room, centred in the band.
    const used = Math.min(step, 44);
    const start = top + ((bottom - top) - used * n) / 2;
    const r = Math.max(MIN_NODE_R, Math.min(MAX_NODE_R, used * 0.38));
    const every = Math.max(1, Math.ceil(LABEL_STEP_PX / Math.max(used, 1e-9)));
    return nodes.map((node, i) => ({ ...node, side, x, y: start + used * (i + 0.5), r: Math.min(r, used * 0.45), showLabel: i % every === 0 }));
  };
  const left = place(graph.left, 'left', leftX);
  const right = place(graph.right, 'right', rightX);
  const at = new Map([...left, ...right].map((n) => [n.id, n]));
  const maxShare = graph.links.reduce((m, l) => Math.max(m, l.share), 0);
  const links: PlacedLink[] = graph.links.flatMap((l) => {
    const a = at.get(l.left);
    const b = at.get(l.right);
    if (!a || !b) return [];
    const width = maxShare > 0 ? MIN_LINK_PX + (MAX_LINK_PX - MIN_LINK_PX) * (l.share / maxShare) : MIN_LINK_PX;
    return [{ ...l, x0: a.x + a.r, y0: a.y, x1: b.x - b.r, y1: b.y, width }];
  });
  return { nodes: [...left, ...right], links, leftX, rightX, top, bottom };
}

/** A height (px) at which a graph's denser column gets ~22 px per node (less past 40 nodes): 260 … 1000. */
export function bipartiteHeight(graph: BipartiteGraph): number {
  const n = Math.max(graph.left.length, graph.right.length);
  return Math.round(Math.min(1000, Math.max(260, n * 22 + 110)));
}
