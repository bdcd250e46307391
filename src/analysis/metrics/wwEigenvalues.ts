/**
 * From a pooled singular-value spectrum (`LayerSpectrum`, raw σ of the stored weights) to the eigenvalues
 * WeightWatcher analyses, and the N, M, rf, Q it reports (SCIENCE.md §1 conv definition 1 and §2; fixtures
 * README, "How WeightWatcher was fed"; WW 0.7.5.5 `WWLayer.set_weight_matrices`, `conv2D_Wmats`,
 * `apply_normalize_Wmats`, `combined_eigenvalues`).
 *
 * - dense: λ = σ², N = max(rows, cols), M = min(rows, cols), rf = 1.
 * - conv (`ww-pooled`): WW's `conv2d_norm` multiplies each kernel slice by √(1/2) in pooled mode, so λ = ½σ²
 *   and the singular values it reports (sv_max, sv_min) are σ/√2. rf = kh·kw.
 *   N and M follow WW's slice loop literally (kernel given as OIHW, channels last, as for PyTorch/ONNX):
 *   when c_out + c_in ≥ kh + kw, N = c_out and M = c_in, and for c_out < c_in the loop swaps N and M once per
 *   slice — so the swap sticks only for an odd kh·kw (1×1, 3×3: N = c_in, M = c_out), and for an even kh·kw
 *   WW reports N = c_out < M = c_in. When c_out + c_in < kh + kw WW takes the other branch and reports
 *   N = c_out, M = c_in. Without the kernel size the first branch is assumed (true for every real conv
 *   layer with c_out + c_in ≥ kh + kw).
 * - stack (`stack-pooled`) and the conv definitions WW does not have (`unfold`, `operator`): λ = σ², N = max,
 *   M = min, rf = matrix count (WW's formulas, not WW parity).
 * num_evals = rf·min(c_out, c_in) for all (every σ of every matrix is kept).
 */

import type { SpectrumDefinition } from '../spectra/layerSpectrum';

/** The spectrum fields this module reads; `LayerSpectrum` (src/analysis/spectra/layerSpectrum.ts) has them. */
export interface PooledSpectrum {
  readonly definition: SpectrumDefinition;
  readonly rows: number;
  readonly cols: number;
  readonly matrixCount: number;
  /** σ of all matrices pooled, descending (raw, unscaled). */
  readonly singularValues: Float64Array;
}

/** Whether WeightWatcher has this definition (dense and its pooled conv slices). */
export function isWwDefinition(definition: SpectrumDefinition): boolean {
  return definition === 'dense' || definition === 'ww-pooled';
}

/** WW's shape bookkeeping for one layer. */
export interface WwGeometry {
  readonly N: number;
  readonly M: number;
  readonly rf: number;
  /** N / M as WW reports it (−1 when M = 0). */
  readonly Q: number;
  /** WW's layer type. */
  readonly layer_type: 'dense' | 'conv2d' | 'stack';
}

/** The eigenvalues WW analyses, with its geometry. */
export interface WwEigenvalues extends WwGeometry {
  /** λ ascending (WW sorts its pooled eigenvalues). */
  readonly evals: Float64Array;
  /** Factor applied to σ before squaring (√½ for conv, 1 otherwise): WW's reported σ are σ·svScale. */
  readonly svScale: number;
  /** Factor applied to σ² (½ for conv, 1 otherwise). */
  readonly lambdaScale: number;
}

/** Options: the conv kernel's spatial size, needed only for WW's rare c_out + c_in < kh + kw branch. */
export interface WwGeometryOptions {
  readonly kernelSize?: readonly [number, number];
}

/** WW's N, M, rf, Q for a spectrum. */
export function wwGeometry(spectrum: Omit<PooledSpectrum, 'singularValues'>, options: WwGeometryOptions = {}): WwGeometry {
  const { rows, cols, matrixCount, definition } = spectrum;
  if (definition === 'ww-pooled') {
    const rf = matrixCount;
    const [kh, kw] = options.kernelSize ?? [0, 0];
    let N = rows;
    let M = cols;
    const channelsBranch = options.kernelSize === undefined || rows + cols >= kh + kw;
    if (channelsBranch && rows < cols && rf % 2 === 1) [N, M] = [cols, rows];
    return { N, M, rf, Q: M > 0 ? N / M : -1, layer_type: 'conv2d' };
  }
  const N = Math.max(rows, cols);
  const M = Math.min(rows, cols);
  const rf = definition === 'dense' ? 1 : matrixCount;
  const layerType = definition === 'dense' ? 'dense' : definition === 'stack-pooled' ? 'stack' : 'conv2d';
  return { N, M, rf, Q: M > 0 ? N / M : -1, layer_type: layerType };
}

/** Factor WW applies to σ for a spectrum definition (√½ for pooled conv: `conv2d_norm`). */
export function wwSingularValueScale(definition: PooledSpectrum['definition']): number {
  return definition === 'ww-pooled' ? Math.SQRT1_2 : 1;
}

/** The λ array WW analyses for this spectrum (ascending), with N, M, rf, Q. */
export function wwEigenvalues(spectrum: PooledSpectrum, options: WwGeometryOptions = {}): WwEigenvalues {
  const svScale = wwSingularValueScale(spectrum.definition);
  const lambdaScale = spectrum.definition === 'ww-pooled' ? 0.5 : 1;
  const sv = spectrum.singularValues;
  const n = sv.length;
  const evals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = sv[i] as number;
    evals[i] = lambdaScale * (s * s);
  }
  evals.sort();
  return { ...wwGeometry(spectrum, options), evals, svScale, lambdaScale };
}
