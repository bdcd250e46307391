/**
 * Test helpers for WeightWatcher parity: the reference rows' shape, the tolerance policy of
 * shared/fixtures/README.md ("Tolerances to test against"), and a deviation table for reports.
 */
import type { WwLayerRow } from '../layerMetrics';

/** One layer of a `ww_<key>.json` / `ww_<key>_mpfit.json` fixture. */
export interface WwReferenceLayer extends Record<string, unknown> {
  readonly name: string;
  readonly shape: number[];
  readonly ww_shape: number[];
  readonly layer_type: string;
}

/** A `ww_<key>.json` fixture. */
export interface WwReference {
  readonly n_tensors: number;
  readonly n_candidates: number;
  readonly n_analyzed: number;
  readonly not_analyzed: string[];
  readonly layers: WwReferenceLayer[];
  readonly analyze_seconds: number;
}

/** Columns compared exactly. */
export const EXACT_COLUMNS = ['N', 'M', 'rf', 'num_evals', 'Q', 'num_pl_spikes', 'matrix_rank', 'rank_loss', 'weak_rank_loss', 'warning', 'status', 'layer_type'] as const;
/** Columns compared with the dense / conv relative tolerance. */
export const RELATIVE_COLUMNS = ['alpha', 'xmin', 'xmax', 'D', 'sigma', 'stable_rank', 'spectral_norm', 'norm', 'lambda_max', 'sv_max', 'entropy'] as const;
/** log10 metrics and α̂: the relative tolerance, or an absolute 1e-6 (README: λ_max ≈ 1 magnifies rounding). */
export const LOG_COLUMNS = ['log_spectral_norm', 'log_norm', 'alpha_weighted', 'log_alpha_norm'] as const;
/** MP-fit columns: relative 1e-3 (num_spikes: ±1). */
export const MP_COLUMNS = ['sigma_mp', 'bulk_max', 'bulk_min', 'mp_softrank'] as const;

/** README tolerances: dense 1e-9, conv 1e-5. */
export function relativeTolerance(layerType: string): number {
  return layerType === 'conv2d' ? 1e-5 : 1e-9;
}

/** |a − e| / |e| (absolute when e = 0); 0 when both are the same number, ∞ when one is NaN. */
export function relativeDeviation(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Infinity;
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

/** A failed comparison. */
export interface ParityMismatch {
  readonly layer: string;
  readonly column: string;
  readonly actual: unknown;
  readonly expected: unknown;
  readonly deviation: number;
  readonly tolerance: string;
}

/** Largest relative deviation per column, over layers (filled by `compareRow`). */
export type DeviationTable = Map<string, number>;

/**
 * Compare one computed row with a reference row under the README tolerances; records the relative deviation
 * of every numeric column in `table` and returns the mismatches.
 */
export function compareRow(name: string, actual: WwLayerRow, expected: WwReferenceLayer, table: DeviationTable, withMp: boolean): ParityMismatch[] {
  const out: ParityMismatch[] = [];
  const rel = relativeTolerance(expected.layer_type);
  const value = (column: string): unknown => (actual as unknown as Record<string, unknown>)[column];
  const record = (column: string, deviation: number): void => {
    table.set(column, Math.max(table.get(column) ?? 0, deviation));
  };
  for (const column of EXACT_COLUMNS) {
    const a = value(column);
    const e = expected[column];
    if (typeof a === 'number' && typeof e === 'number') record(column, relativeDeviation(a, e));
    if (a !== e) out.push({ layer: name, column, actual: a, expected: e, deviation: NaN, tolerance: 'exact' });
  }
  for (const column of RELATIVE_COLUMNS) {
    const a = value(column) as number;
    const e = expected[column] as number;
    const d = relativeDeviation(a, e);
    record(column, d);
    if (!(d <= rel)) out.push({ layer: name, column, actual: a, expected: e, deviation: d, tolerance: `rel ${rel}` });
  }
  for (const column of LOG_COLUMNS) {
    const a = value(column) as number;
    const e = expected[column] as number;
    const d = relativeDeviation(a, e);
    record(column, d);
    if (!(d <= rel || Math.abs(a - e) <= 1e-6)) out.push({ layer: name, column, actual: a, expected: e, deviation: d, tolerance: `rel ${rel} or abs 1e-6` });
  }
  // sv_min: singular-value tolerances apply to σ ≥ 1e-3·σ_max; below that an absolute 1e-8·σ_max.
  const svMin = actual.sv_min;
  const svMinRef = expected.sv_min as number;
  const svMaxRef = expected.sv_max as number;
  const dMin = relativeDeviation(svMin, svMinRef);
  const large = svMinRef >= 1e-3 * svMaxRef;
  if (large) record('sv_min', dMin);
  else record('sv_min<1e-3·max (abs/sv_max)', Math.abs(svMin - svMinRef) / svMaxRef);
  const svOk = large ? dMin <= rel : Math.abs(svMin - svMinRef) <= 1e-8 * svMaxRef;
  if (!svOk) out.push({ layer: name, column: 'sv_min', actual: svMin, expected: svMinRef, deviation: dMin, tolerance: 'σ tolerance' });
  if (withMp) {
    for (const column of MP_COLUMNS) {
      const a = value(column) as number;
      const e = expected[column] as number;
      const d = relativeDeviation(a, e);
      record(column, d);
      if (!(d <= 1e-3)) out.push({ layer: name, column, actual: a, expected: e, deviation: d, tolerance: 'rel 1e-3' });
    }
    const spikes = actual.num_spikes ?? NaN;
    const spikesRef = expected.num_spikes as number;
    record('num_spikes', relativeDeviation(spikes, spikesRef));
    if (!(Math.abs(spikes - spikesRef) <= 1)) out.push({ layer: name, column: 'num_spikes', actual: spikes, expected: spikesRef, deviation: NaN, tolerance: '±1' });
    const ws = actual.W_scale ?? NaN;
    const dws = relativeDeviation(ws, expected.W_scale as number);
    record('W_scale', dws);
    if (!(dws <= rel)) out.push({ layer: name, column: 'W_scale', actual: ws, expected: expected.W_scale, deviation: dws, tolerance: `rel ${rel}` });
  }
  return out;
}

/** The table as one line per column, for the test log. */
export function formatDeviations(title: string, table: DeviationTable): string {
  const lines = [...table.entries()].map(([column, d]) => `  ${column.padEnd(18)} ${d === 0 ? '0' : d.toExponential(2)}`);
  return `${title}\n${lines.join('\n')}\n`;
}
