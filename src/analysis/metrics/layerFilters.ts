/**
 * WeightWatcher's default layer filters (WW 0.7.5.5 `WWLayerIterator.layer_supported`, defaults of
 * `analyze()`: min_evals = 10, max_evals = 15000, max_N = 50000; fixtures README, "Default filters").
 * With pooling on (WW's default), a layer is skipped when
 *   min_evals > 0 and M·rf < min_evals, or max_evals > 0 and M·rf > max_evals, or N > max_N,
 * where N, M, rf are WW's (see `wwGeometry`). A value of 0 switches the evals filters off, as WW's
 * truthiness test does.
 */
import type { WwGeometry } from './wwEigenvalues';

/** WW's `DEFAULT_MIN_EVALS`, `DEFAULT_MAX_EVALS`, `DEFAULT_MAX_N`. */
export const WW_DEFAULT_FILTERS: WwLayerFilters = { minEvals: 10, maxEvals: 15000, maxN: 50000 };

/** Adjustable filter limits. */
export interface WwLayerFilters {
  readonly minEvals: number;
  readonly maxEvals: number;
  readonly maxN: number;
}

/** Why WW would skip a layer, or null when it analyses it. */
export function wwSkipReason(geometry: Pick<WwGeometry, 'N' | 'M' | 'rf'>, filters: Partial<WwLayerFilters> = {}): string | null {
  const { minEvals, maxEvals, maxN } = { ...WW_DEFAULT_FILTERS, ...filters };
  const { N, M, rf } = geometry;
  const evals = M * rf;
  if (minEvals && evals < minEvals) return `M·rf = ${evals} < min_evals = ${minEvals}`;
  if (maxEvals && evals > maxEvals) return `M·rf = ${evals} > max_evals = ${maxEvals}`;
  if (N > maxN) return `N = ${N} > max_N = ${maxN}`;
  return null;
}
