/**
 * One-dimensional Nelder–Mead minimisation with the defaults of `scipy.optimize.fmin` (Nelder & Mead,
 * Computer Journal 7, 1965; the variant and constants of SciPy's `_minimize_neldermead`: reflection 1,
 * expansion 2, contraction ½, shrink ½, first simplex {x0, 1.05·x0} (or {0, 0.00025}), stop when the simplex
 * spans ≤ xatol and its values differ by ≤ fatol, at most 200 iterations and 200 evaluations).
 * WeightWatcher's MP fit polishes its grid search with it (`scipy.optimize.brute`'s default `finish=fmin`).
 */

/** Options; the defaults are fmin's. */
export interface NelderMeadOptions {
  readonly xatol?: number;
  readonly fatol?: number;
  readonly maxIterations?: number;
  readonly maxEvaluations?: number;
}

/** The minimiser found and its value. */
export interface NelderMeadResult {
  readonly x: number;
  readonly fx: number;
  readonly iterations: number;
  readonly evaluations: number;
}

/** Minimise f from x0 (a local search). */
export function nelderMead1d(f: (x: number) => number, x0: number, options: NelderMeadOptions = {}): NelderMeadResult {
  const xatol = options.xatol ?? 1e-4;
  const fatol = options.fatol ?? 1e-4;
  const maxIterations = options.maxIterations ?? 200;
  const maxEvaluations = options.maxEvaluations ?? 200;
  let evaluations = 0;
  const evaluate = (x: number): number => {
    evaluations++;
    return f(x);
  };
  // Simplex: two vertices, kept sorted so that s0 has the lower value (a stable two-element argsort).
  let s0 = x0;
  let s1 = x0 !== 0 ? 1.05 * x0 : 0.00025;
  let f0 = evaluate(s0);
  let f1 = evaluate(s1);
  const sort = (): void => {
    if (f1 < f0 || (Number.isNaN(f0) && !Number.isNaN(f1))) {
      [s0, s1] = [s1, s0];
      [f0, f1] = [f1, f0];
    }
  };
  sort();
  let iterations = 1;
  while (evaluations < maxEvaluations && iterations < maxIterations) {
    if (Math.abs(s1 - s0) <= xatol && Math.abs(f0 - f1) <= fatol) break;
    const xbar = s0; // centroid of all vertices but the worst
    const xr = 2 * xbar - s1;
    const fxr = evaluate(xr);
    if (fxr < f0) {
      const xe = 3 * xbar - 2 * s1;
      const fxe = evaluate(xe);
      if (fxe < fxr) [s1, f1] = [xe, fxe];
      else [s1, f1] = [xr, fxr];
    } else {
      // (SciPy's "accept xr if better than the second-worst vertex" cannot happen in 1-D: that vertex is the best.)
      let shrink = false;
      if (fxr < f1) {
        const xc = 1.5 * xbar - 0.5 * s1;
        const fxc = evaluate(xc);
        if (fxc <= fxr) [s1, f1] = [xc, fxc];
        else shrink = true;
      } else {
        const xcc = 0.5 * xbar + 0.5 * s1;
        const fxcc = evaluate(xcc);
        if (fxcc < f1) [s1, f1] = [xcc, fxcc];
        else shrink = true;
      }
      if (shrink) {
        s1 = s0 + 0.5 * (s1 - s0);
        f1 = evaluate(s1);
      }
    }
    iterations++;
    sort();
  }
  return { x: s0, fx: Math.min(f0, f1), iterations, evaluations };
}
