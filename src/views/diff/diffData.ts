/**
 * What the ΔW views draw and export, derived from the store's diff (issue 9, "Differences between two models").
 * Pure: no DOM, no store. The numbers are the worker's (workers/diffTensors.ts, the CLI's `--diff` columns); this
 * module only picks, orders, labels and bounds them.
 */
import type { DiffLayerResult } from '../../state/slices/diffSlice';

type DiffRecord = DiffLayerResult['record'];

/** A column of the per-layer ΔW table. */
export interface DiffColumn {
  /** The CLI column (`analyze --diff --csv`), or `order` / `name` / `shape`. */
  readonly key: 'order' | 'name' | 'shape' | 'rel_change' | 'delta_stable_rank' | 'delta_energy_rank_90' | 'delta_matrix_rank' | 'subspace_cos2' | 'max_principal_angle_deg';
  readonly label: string;
  /** The definition, for the header's title. */
  readonly title: string;
  readonly numeric: boolean;
}

export const DIFF_COLUMNS: readonly DiffColumn[] = [
  { key: 'order', label: '#', title: 'Position of the weight in model A', numeric: true },
  { key: 'name', label: 'layer', title: 'Tensor name (matched by name and shape in A and B)', numeric: false },
  { key: 'shape', label: 'rows × cols', title: 'The matrix compared, rows × columns (a conv kernel as its unfold matrix c_out × c_in·kh·kw)', numeric: false },
  { key: 'rel_change', label: '‖ΔW‖/‖W_A‖', title: 'Relative change ‖W_B − W_A‖_F / ‖W_A‖_F (1 = a change as large as the weights themselves)', numeric: true },
  { key: 'delta_stable_rank', label: 'ΔW stable rank', title: 'Stable rank of ΔW: Σσᵢ² / σ₁² (1 = one direction carries the change; large = spread out)', numeric: true },
  { key: 'delta_energy_rank_90', label: 'ΔW k@90 %', title: 'The fewest singular directions of ΔW holding 90 % of ‖ΔW‖²_F', numeric: true },
  { key: 'delta_matrix_rank', label: 'ΔW rank > floor', title: 'Singular values of ΔW above the rounding floor max(σ₁(W_A), σ₁(W_B))·max(N, M)·ε of the stored weights', numeric: true },
  {
    key: 'subspace_cos2',
    label: 'subspace cos²',
    title: 'Mean cos² of the principal angles between the top-k left singular subspaces of W_A and W_B: ‖U_Aᵀ U_B‖²_F / k (1 = same subspace, 0 = orthogonal; random k-dim subspaces of ℝᴺ give ≈ k/N)',
    numeric: true,
  },
  { key: 'max_principal_angle_deg', label: 'largest angle', title: 'The largest principal angle between those subspaces, degrees (90° = some top direction of one is orthogonal to all of the other’s)', numeric: true },
];

export type DiffColumnKey = DiffColumn['key'];

/** One layer's row of the ΔW table. */
export interface DiffRow {
  readonly name: string;
  /** Position in model A (the order the results arrived in). */
  readonly order: number;
  readonly rows: number;
  readonly cols: number;
  /** min(rows, cols): the most singular values ΔW can have. */
  readonly m: number;
  /** The k compared (min(k, rows, cols)). */
  readonly k: number;
  readonly values: Readonly<Record<DiffColumnKey, number | string | null>>;
}

/** A record field as a finite number, else null. */
export function recordNumber(record: DiffRecord, key: string): number | null {
  const v = record[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The table's rows, in `layers` order (names without a result are left out). */
export function diffRows(results: Readonly<Record<string, DiffLayerResult>>, layers: readonly string[]): DiffRow[] {
  return layers.flatMap((name, order) => {
    const r = results[name];
    if (!r) return [];
    const num = (key: string) => recordNumber(r.record, key);
    return [
      {
        name,
        order,
        rows: r.rows,
        cols: r.cols,
        m: Math.min(r.rows, r.cols),
        k: num('subspace_k') ?? r.angles.length,
        values: {
          order: order + 1,
          name,
          shape: `${r.rows} × ${r.cols}`,
          rel_change: num('rel_change'),
          delta_stable_rank: num('delta_stable_rank'),
          delta_energy_rank_90: num('delta_energy_rank_90'),
          delta_matrix_rank: num('delta_matrix_rank'),
          subspace_cos2: num('subspace_cos2'),
          max_principal_angle_deg: num('max_principal_angle_deg'),
        },
      },
    ];
  });
}

export type SortDirection = 'ascending' | 'descending';

/** Rows sorted by a column; missing values last in either direction, ties in model order. */
export function sortDiffRows(rows: readonly DiffRow[], column: DiffColumnKey, direction: SortDirection): DiffRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const sortKey = (r: DiffRow): number | string | null => (column === 'shape' ? r.rows * r.cols : r.values[column]);
  return [...rows].sort((p, q) => {
    const a = sortKey(p);
    const b = sortKey(q);
    if (a === null || b === null) return a === b ? p.order - q.order : a === null ? 1 : -1;
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return c !== 0 ? sign * c : p.order - q.order;
  });
}

/**
 * What random subspaces would give: for U_A, U_B independent uniformly random k-dim subspaces of ℝᴺ,
 * E‖U_Aᵀ U_B‖²_F = k²/N, so the mean cos² is k/N (N = the dimension the left singular vectors live in: rows).
 */
export function randomCos2(k: number, n: number): number {
  return n > 0 ? Math.min(1, k / n) : NaN;
}

/**
 * The storage precision the rounding floor was computed for: diffTensors uses
 * floor = max(σ₁(W_A), σ₁(W_B))·max(N, M)·ε with ε = 2⁻²³ (float32 or narrower) or 2⁻⁵² (both 64-bit).
 */
export function floorPrecision(result: Pick<DiffLayerResult, 'floor' | 'sigmaA' | 'sigmaB' | 'rows' | 'cols'>): 'float32' | 'float64' {
  const scale = Math.max(result.sigmaA[0] ?? 0, result.sigmaB[0] ?? 0) * Math.max(result.rows, result.cols);
  if (!(scale > 0) || !(result.floor > 0)) return 'float32';
  // ε = floor / scale is 2⁻²³ ≈ 1.2e-7 or 2⁻⁵² ≈ 2.2e-16: split at their geometric middle.
  return result.floor / scale < 2 ** -37.5 ? 'float64' : 'float32';
}

/** A checkpoint's short label: "step 900", else its name without a model extension. */
export function checkpointLabel(checkpoint: { readonly name: string; readonly step: number | null }): string {
  return checkpoint.step !== null ? `step ${checkpoint.step}` : checkpoint.name.replace(/\.(safetensors|onnx|json|bin|pt|pth)$/i, '');
}

/** The file name stem of a diff's exports: `<a>-vs-<b>-delta` with the names' extensions dropped. */
export function diffFileStem(a: string, b: string): string {
  const clean = (name: string) =>
    name
      .replace(/\.(safetensors|onnx|json|bin|pt|pth)$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'model';
  return `${clean(a)}-vs-${clean(b)}-delta`;
}

/**
 * The diff as records, one per layer in model order: `a`, `b` (checkpoint names), then the CLI's record, so the
 * columns match `npm run analyze -- --diff a b --csv` with the pair in front.
 */
export function diffRecords(a: string, b: string, results: Readonly<Record<string, DiffLayerResult>>, layers: readonly string[]): DiffRecord[] {
  return layers.flatMap((name) => {
    const r = results[name];
    return r ? [{ a, b, ...r.record }] : [];
  });
}

/** The y range of the ΔW spectrum chart (log scale): every positive σ drawn and the floor, with some room. */
export function deltaSpectrumDomain(series: readonly ArrayLike<number>[], floor: number): [number, number] {
  let max = 0;
  let minPositive = Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i] as number;
      if (!(v > 0) || !Number.isFinite(v)) continue;
      if (v > max) max = v;
      if (v < minPositive) minPositive = v;
    }
  }
  if (floor > 0 && Number.isFinite(floor)) {
    max = Math.max(max, floor);
    minPositive = Math.min(minPositive, floor);
  }
  if (!(max > 0)) return [0.1, 1];
  // Keep at most 12 decades: σ of an unchanged layer's ΔW can be exact zeros or 1e-30-sized noise.
  const lo = Math.max(Math.min(minPositive, max / 10) / 2, max * 1e-12);
  return [lo, max * 2];
}

/** The powers of ten in `domain` when there are at least two (thinned to about one per 28 px of `heightPx`), else null. */
export function decadeTicks(domain: readonly [number, number], heightPx: number): number[] | null {
  const lo = Math.ceil(Math.log10(Math.min(domain[0], domain[1])) - 1e-9);
  const hi = Math.floor(Math.log10(Math.max(domain[0], domain[1])) + 1e-9);
  if (!(hi - lo >= 1)) return null;
  const every = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(2, Math.floor(heightPx / 28))));
  const out: number[] = [];
  for (let e = hi; e >= lo; e -= every) out.push(10 ** e);
  return out;
}

/** A decade's label: plain from 0.001 to 1000, else 1e−4 / 1e5. */
export function decadeLabel(value: number): string {
  const e = Math.round(Math.log10(value));
  return e >= -3 && e <= 3 ? String(Number(value.toPrecision(1))) : `1e${e < 0 ? '−' : ''}${Math.abs(e)}`;
}

/** Principal angles (radians, ascending) in degrees. */
export function anglesDegrees(angles: ArrayLike<number>): number[] {
  return Array.from(angles, (t) => (t * 180) / Math.PI);
}

/** A number for a table cell or a caption: integers as is, others to 3 significant digits (— for none). */
export function formatDiffValue(key: DiffColumnKey, v: number | string | null): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (key === 'max_principal_angle_deg') return `${v.toFixed(1)}°`;
  if (Number.isInteger(v)) return String(v);
  if (key === 'subspace_cos2') return v.toFixed(3);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(2).replace('e+', 'e');
  return v.toPrecision(3);
}
