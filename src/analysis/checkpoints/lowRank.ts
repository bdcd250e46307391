/**
 * Low-rank what-if (issue 9): how small a layer could be if it were replaced by a rank-k factorisation, and what
 * that would save. These are the definitions the UI states.
 *
 * - Rank for a fraction q of the energy: the smallest k with Σ_{i≤k} σ_i² ≥ q·Σ_i σ_i² (σ descending), i.e. the
 *   rank of the best rank-k approximation (Eckart–Young) whose squared Frobenius error is at most (1 − q)·‖W‖²_F.
 *   Same definition as the energy rank k@q of SCIENCE.md §2 (`energyRank` in metrics/beyondWw, reused here).
 * - Dense layer (rows = out, cols = in): W (out×in) ≈ U_k·V_kᵀ, applied as two layers in → k → out.
 *   Parameters: dense out·in, factorised k·(in + out). MACs per input vector (per token, per sample): the same
 *   numbers, one multiply-add per weight.
 * - Conv layer (rows = c_out, cols = c_in, kernel kh×kw, groups = 1), treated as its unfold matrix
 *   c_out × (c_in·kh·kw) (SCIENCE.md §1, `unfold`): a k-channel kh×kw conv (c_in → k, same stride and padding)
 *   followed by a 1×1 conv (k → c_out). Parameters: dense c_out·c_in·kh·kw, factorised k·(c_in·kh·kw + c_out).
 *   MACs per output position: the same numbers; per image, times hOut·wOut when the output size is given.
 * - Biases are not counted (the factorised layer keeps the same bias); `matrices` counts repeated matrices (the
 *   slices of a 3-D stack), each factorised separately.
 * - ratio = factorised / dense: below 1 the factorisation is smaller. Break-even: the factorisation is smaller
 *   while k < rows·cols'/(rows + cols') (cols' = cols·kh·kw); `breakEvenRank` is the largest such k.
 * References: Eckart & Young, Psychometrika 1(3), 1936; Jaderberg, Vedaldi & Zisserman, "Speeding up
 * convolutional neural networks with low rank expansions", BMVC 2014; Yang et al., CVPR-W 2020 (SCIENCE.md).
 */
import { energyRank, lowRankCost } from '../metrics/beyondWw';

/**
 * The smallest k whose top-k σ² hold at least `fraction` of Σσ² (0 for an all-zero or empty spectrum).
 *
 * @param sigmaDesc Singular values, ≥ 0 (any order is accepted; they are sorted).
 * @param fraction q in (0, 1], e.g. 0.9 or 0.99.
 * @throws RangeError if fraction is outside (0, 1] or a σ is negative or NaN.
 */
export function rankForEnergy(sigmaDesc: ArrayLike<number>, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`rankForEnergy: fraction ${fraction} is outside (0, 1]`);
  for (let i = 0; i < sigmaDesc.length; i++) {
    const s = sigmaDesc[i] as number;
    if (!(s >= 0)) throw new RangeError(`rankForEnergy: σ[${i}] = ${s} is not ≥ 0`);
  }
  return energyRank(sigmaDesc, fraction);
}

/** Kernel and output size of a conv layer. */
export interface ConvSpatial {
  readonly kh: number;
  readonly kw: number;
  /** Output height; with wOut, MACs are per image instead of per output position. */
  readonly hOut?: number;
  readonly wOut?: number;
}

/** What `factorisationCost` needs of a layer. */
export interface FactorisationInput {
  /** out (dense) or c_out (conv). */
  readonly rows: number;
  /** in (dense) or c_in (conv): input channels, not c_in·kh·kw. */
  readonly cols: number;
  /** Rank of the factorisation, 0 ≤ k ≤ min(rows, cols·kh·kw). */
  readonly k: number;
  /** Present for a conv layer. */
  readonly spatial?: ConvSpatial;
  /** Identical matrices in the layer (a 3-D stack), each factorised at rank k (default 1). */
  readonly matrices?: number;
}

/** Dense vs factorised size and work of one layer. */
export interface FactorisationCost {
  readonly denseParams: number;
  readonly factorParams: number;
  readonly denseMacs: number;
  readonly factorMacs: number;
  /** factorParams / denseParams (NaN for an empty layer). The MAC ratio is the same. */
  readonly ratio: number;
  /** Largest k whose factorisation has fewer parameters than the dense layer (0 when none does). */
  readonly breakEvenRank: number;
  /** What the MAC counts are per. */
  readonly macsPer: 'input vector' | 'output position' | 'image';
}

/**
 * Parameters and multiply-accumulates of a layer, dense vs rank-k factorised (definitions in the file comment).
 *
 * @throws RangeError on non-integer or negative sizes, k above min(rows, cols·kh·kw), or only one of hOut/wOut.
 */
export function factorisationCost(layer: FactorisationInput): FactorisationCost {
  const { rows, cols, k, spatial, matrices = 1 } = layer;
  checkCount('rows', rows);
  checkCount('cols', cols);
  checkCount('k', k);
  checkCount('matrices', matrices);
  let kernel = 1;
  let positions = 1;
  let macsPer: FactorisationCost['macsPer'] = 'input vector';
  if (spatial) {
    checkCount('kh', spatial.kh);
    checkCount('kw', spatial.kw);
    kernel = spatial.kh * spatial.kw;
    macsPer = 'output position';
    if ((spatial.hOut === undefined) !== (spatial.wOut === undefined)) {
      throw new RangeError('factorisationCost: give both hOut and wOut, or neither');
    }
    if (spatial.hOut !== undefined && spatial.wOut !== undefined) {
      checkCount('hOut', spatial.hOut);
      checkCount('wOut', spatial.wOut);
      positions = spatial.hOut * spatial.wOut;
      macsPer = 'image';
    }
  }
  const unfoldedCols = cols * kernel;
  if (k > Math.min(rows, unfoldedCols)) {
    throw new RangeError(`factorisationCost: rank ${k} exceeds min(${rows}, ${unfoldedCols}), the most a ${rows}×${unfoldedCols} matrix has`);
  }
  // The parameter counts are those of the per-matrix metric (metrics/beyondWw) on the unfold matrix.
  const { dense: denseParams, lowRank: factorParams, ratio } = lowRankCost(rows, unfoldedCols, k, matrices);
  const sum = rows + unfoldedCols;
  return {
    denseParams,
    factorParams,
    denseMacs: denseParams * positions,
    factorMacs: factorParams * positions,
    ratio,
    breakEvenRank: sum > 0 ? Math.max(0, Math.ceil((rows * unfoldedCols) / sum) - 1) : 0,
    macsPer,
  };
}

/** Options for `modelTotals`. */
export interface ModelTotalsOptions {
  /** Count a layer as dense when its factorisation would be larger (ratio ≥ 1). Default false: sum as given. */
  readonly keepDenseWhenLarger?: boolean;
}

/** Sums over the layers of a model. */
export interface ModelTotals {
  readonly layers: number;
  readonly denseParams: number;
  readonly factorParams: number;
  readonly denseMacs: number;
  readonly factorMacs: number;
  /** factorParams / denseParams (NaN when there are no parameters). */
  readonly ratio: number;
  /** factorMacs / denseMacs (NaN when there are no MACs). */
  readonly macRatio: number;
  /**
   * Whether the MAC sums mean "per forward pass": false when a conv layer has no output size (its MACs are per
   * output position, so the sum mixes units). Dense layers count once per input vector (per token or sample).
   */
  readonly macsComplete: boolean;
  /** Layers whose factorisation was replaced by the dense layer (`keepDenseWhenLarger`). */
  readonly keptDense: number;
}

/**
 * Totals of `factorisationCost` results, for the "whole model" line of the what-if table.
 */
export function modelTotals(layers: readonly FactorisationCost[], options: ModelTotalsOptions = {}): ModelTotals {
  let denseParams = 0;
  let factorParams = 0;
  let denseMacs = 0;
  let factorMacs = 0;
  let keptDense = 0;
  let macsComplete = true;
  for (const layer of layers) {
    const keep = options.keepDenseWhenLarger === true && layer.factorParams >= layer.denseParams;
    if (keep) keptDense++;
    denseParams += layer.denseParams;
    denseMacs += layer.denseMacs;
    factorParams += keep ? layer.denseParams : layer.factorParams;
    factorMacs += keep ? layer.denseMacs : layer.factorMacs;
    if (layer.macsPer === 'output position') macsComplete = false;
  }
  return {
    layers: layers.length,
    denseParams,
    factorParams,
    denseMacs,
    factorMacs,
    ratio: denseParams > 0 ? factorParams / denseParams : NaN,
    macRatio: denseMacs > 0 ? factorMacs / denseMacs : NaN,
    macsComplete,
    keptDense,
  };
}

function checkCount(label: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`factorisationCost: ${label} = ${value} is not a non-negative integer`);
}
