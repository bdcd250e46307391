/**
 * WeightWatcher's detX constraint (SCIENCE.md §2, "detX"; WW 0.7.5.5 `detX_constraint`, `rescale_eigenvalues`
 * and `apply_detX`; Martin & Mahoney's "trace-log condition" det X = 1 on the tail of the ESD).
 * Rescale λ to mean 1 (λ' = λ·n/Σλ); from the top down, find the first index idx (n−1, n−2, …, 1) where the
 * product of λ'[idx …] drops below 1; detX_num = n − idx eigenvalues are kept. If it never drops, WW keeps all
 * n and leaves idx at 1. Fewer than two eigenvalues, or all equal: 0 and 0, as in WW.
 * The product is tested as Σ ln λ' < 0, which cannot overflow (WW's `np.prod` can).
 */
import { pairwiseSum } from './numpySum';
import { log } from '../math/elementary';

/** WW's detX columns plus the index. */
export interface DetX {
  readonly detX_num: number;
  /** Index into the ascending eigenvalues of the smallest one kept. */
  readonly detX_idx: number;
  /** λ at detX_idx, in the original units (WW `detX_val`). */
  readonly detX_val: number;
  /** λ' at detX_idx, rescaled to mean 1 (WW `detX_val_unrescaled`, named the other way round there). */
  readonly detX_val_unrescaled: number;
}

/** detX of an ESD. @param evalsAscending λ sorted ascending. */
export function detX(evalsAscending: Float64Array): DetX {
  const n = evalsAscending.length;
  if (n < 2 || !((evalsAscending[0] as number) < (evalsAscending[n - 1] as number))) {
    return { detX_num: 0, detX_idx: 0, detX_val: evalsAscending[0] ?? NaN, detX_val_unrescaled: NaN };
  }
  const scale = n / pairwiseSum(evalsAscending);
  let num = n;
  let idx = 1;
  let logProduct = 0;
  for (let i = n - 1; i >= 1; i--) {
    logProduct += log((evalsAscending[i] as number) * scale);
    if (logProduct < 0) {
      num = n - i;
      idx = i;
      break;
    }
  }
  const value = evalsAscending[idx] as number;
  return { detX_num: num, detX_idx: idx, detX_val: value, detX_val_unrescaled: value * scale };
}
