/**
 * The low-rank what-if of the whole model (issue 9): for every layer with one matrix (dense, or conv under the
 * `unfold` definition) the ranks keeping 90 % and 99 % of its energy Σσ², and what rank-k factorisations at those
 * ranks would cost against dense; summed over the model by `modelTotals`, keeping a layer dense where its
 * factorisation would be larger (what a compressor would do). Layers whose spectrum pools several matrices (WW's
 * conv definition) are listed apart, with why.
 */
import type { FactorisationCost, ModelTotals } from '../../analysis/checkpoints';
import { modelTotals } from '../../analysis/checkpoints';
import type { TruncationGeometry } from './lowRankData';
import { lowRankSummary, truncationGeometry } from './lowRankData';

/** What the whole-model what-if needs of one analysed layer. */
export interface LowRankLayerInput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layout?: 'OIHW' | 'HWIO';
  readonly spectrum: { readonly definition: string; readonly matrixCount: number; readonly rows: number; readonly cols: number; readonly singularValues: Float64Array };
}

export interface LowRankLayerRow {
  readonly name: string;
  readonly geometry: TruncationGeometry;
  readonly rank: number;
  readonly k90: number;
  readonly k99: number;
  readonly at90: FactorisationCost;
  readonly at99: FactorisationCost;
}

export interface ModelLowRank {
  readonly rows: readonly LowRankLayerRow[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly totals90: ModelTotals;
  readonly totals99: ModelTotals;
}

export function modelLowRank(layers: readonly LowRankLayerInput[]): ModelLowRank {
  const rows: LowRankLayerRow[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const layer of layers) {
    const s = layer.spectrum;
    const geometry = truncationGeometry(s.definition, s.matrixCount, s.rows, s.cols, layer.shape, layer.layout);
    if ('reason' in geometry) {
      skipped.push({ name: layer.name, reason: geometry.reason });
      continue;
    }
    if (s.singularValues.length === 0) continue;
    const base = lowRankSummary(s.singularValues, geometry, 1);
    rows.push({
      name: layer.name,
      geometry,
      rank: s.singularValues.length,
      k90: base.k90,
      k99: base.k99,
      at90: lowRankSummary(s.singularValues, geometry, base.k90).cost,
      at99: lowRankSummary(s.singularValues, geometry, base.k99).cost,
    });
  }
  return {
    rows,
    skipped,
    totals90: modelTotals(
      rows.map((r) => r.at90),
      { keepDenseWhenLarger: true },
    ),
    totals99: modelTotals(
      rows.map((r) => r.at99),
      { keepDenseWhenLarger: true },
    ),
  };
}
