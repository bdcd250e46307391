/**
 * The reference implementation of WW's power-law fit curves: the definition evaluated literally, O(n²)
 * (SCIENCE.md §2; WW 0.7.5.5 `WWFit.fit_power_law`). For each candidate the tail sum of logs is
 * accumulated from the top (the order the fast suffix sums use) and every KS term is evaluated.
 */
import type { PowerLawCurves } from '../powerLawFit';
import { ksTerm } from '../powerLawFit';
import { log } from '../../math/elementary';

/** α, D, σ for every candidate xmin of ascending x > 0. */
export function naivePowerLawCurves(x: Float64Array): PowerLawCurves {
  const n = x.length;
  const candidates = Math.max(n - 1, 0);
  const alphas = new Float64Array(candidates);
  const Ds = new Float64Array(candidates);
  const sigmas = new Float64Array(candidates);
  for (let i = 0; i < candidates; i++) {
    const tail = n - i;
    let logSum = 0;
    for (let j = n - 1; j >= i; j--) logSum += log(x[j] as number);
    const alpha = 1 + tail / (logSum - tail * log(x[i] as number));
    alphas[i] = alpha;
    let d = 1;
    if (alpha > 1) {
      d = 0;
      for (let k = 0; k < tail; k++) {
        const t = ksTerm(x, i, k, 1 - alpha, tail);
        if (t > d) d = t;
      }
    }
    Ds[i] = d;
    sigmas[i] = (alpha - 1) / Math.sqrt(tail);
  }
  return { xmins: x.slice(0, candidates), alphas, Ds, sigmas };
}
