/**
 * What the class × direction heatmap draws, built from the class profiles and their direction hypergraph
 * (`src/analysis/profiles`). Directions are the hypergraph's 0-based indices k (σ rank k + 1); the views label
 * them by rank, as the spectrum's x axis does.
 */
import type { ClassProfile, DirectionHypergraph } from '../../analysis/profiles';

/** One column: a direction influential for at least one class. */
export interface HeatmapColumn {
  /** 0-based direction index (into σ and the profiles' weights). */
  readonly direction: number;
  /** Its σ rank, 1 = largest: what the views print as "direction k". */
  readonly rank: number;
  /** σ of the direction, or null when σ is not given or too short. */
  readonly sigma: number | null;
  /** In every class's hyperedge (a generic feature). */
  readonly shared: boolean;
  /** The one class whose hyperedge alone contains it (a discriminative feature), else null. */
  readonly uniqueTo: string | null;
  /** Index of `uniqueTo` among the rows (its colour and symbol), else null. */
  readonly uniqueRow: number | null;
  /** Number of classes using it. */
  readonly degree: number;
}

/** One row: a class. */
export interface HeatmapRow {
  readonly label: string;
  /** Number of inputs of the class. */
  readonly count: number;
  /** Σ of the class profile's weights (= its number of inputs with any influential direction). */
  readonly total: number;
}

/** One cell: a class's weight on a direction. */
export interface HeatmapCell {
  readonly row: number;
  readonly column: number;
  /** The class profile's summed weight on the direction. */
  readonly weight: number;
  /** `weight / total` of the row: the class's share of its influence on this direction, 0..1. */
  readonly share: number;
  /** Whether the direction is in the class's hyperedge. */
  readonly member: boolean;
}

export interface HeatmapData {
  readonly rows: readonly HeatmapRow[];
  readonly columns: readonly HeatmapColumn[];
  /** rows × columns, row-major. */
  readonly cells: readonly HeatmapCell[];
  /** The largest share of any cell (0 when there is none): the top of the colour scale. */
  readonly maxShare: number;
}

/**
 * The heatmap's rows (every class, in the profiles' order), columns (the hypergraph's vertices, by increasing
 * index = σ rank) and cells (share of each class's total weight, 0..1).
 * @param profiles class profiles, all of one length (rank)
 * @param hypergraph `directionHypergraph(profiles)`
 * @param sigma the layer's singular values, descending (optional: for the columns' σ)
 */
export function heatmapData(profiles: readonly ClassProfile[], hypergraph: DirectionHypergraph, sigma?: ArrayLike<number>): HeatmapData {
  const rows: HeatmapRow[] = profiles.map((p) => ({ label: p.label, count: p.count, total: sum(p.weights) }));
  const rowOf = new Map(profiles.map((p, i) => [p.label, i]));
  const shared = new Set(hypergraph.shared);
  const uniqueTo = new Map<number, string>();
  // A direction in only one hyperedge when there is a single class is also "shared by all": call it shared.
  if (hypergraph.edges.length > 1) for (const [label, ks] of hypergraph.unique) for (const k of ks) uniqueTo.set(k, label);
  const members = profiles.map((p) => new Set(hypergraph.edges.find((e) => e.label === p.label)?.members ?? []));
  const directions = [...new Set(hypergraph.vertices)].sort((a, b) => a - b);
  const columns: HeatmapColumn[] = directions.map((k) => {
    const label = uniqueTo.get(k) ?? null;
    const s = sigma && k < sigma.length ? (sigma[k] as number) : null;
    return {
      direction: k,
      rank: k + 1,
      sigma: s,
      shared: shared.has(k),
      uniqueTo: label,
      uniqueRow: label === null ? null : (rowOf.get(label) ?? null),
      degree: hypergraph.degree.get(k) ?? 0,
    };
  });
  const cells: HeatmapCell[] = [];
  let maxShare = 0;
  profiles.forEach((p, r) => {
    const total = (rows[r] as HeatmapRow).total;
    columns.forEach((col, c) => {
      const weight = p.weights[col.direction] ?? 0;
      const share = total > 0 ? weight / total : 0;
      if (share > maxShare) maxShare = share;
      cells.push({ row: r, column: c, weight, share, member: (members[r] as Set<number>).has(col.direction) });
    });
  });
  return { rows, columns, cells, maxShare };
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] as number);
  return s;
}

/** What a heatmap shows, in words (the SVG's accessible name). */
export function heatmapSummary(d: HeatmapData): string {
  const shared = d.columns.filter((c) => c.shared).length;
  const unique = d.columns.filter((c) => c.uniqueTo !== null).length;
  const n = d.columns.length;
  return (
    `Influence of ${n} singular direction${n === 1 ? '' : 's'} on ${d.rows.length} class${d.rows.length === 1 ? '' : 'es'}: ` +
    `${shared} shared by all classes, ${unique} unique to one class`
  );
}

/** The heatmap's height in px for `rows` classes: ~26 px a row up to 16 rows, then denser, and two legend rows; 190 … 580. */
export function heatmapHeight(rows: number): number {
  return Math.round(Math.min(580, Math.max(190, 44 + Math.min(rows * 26, 420) + 90)));
}
