/**
 * How much a model's outputs change when some of its layers are replaced by their rank-k truncation (issue 9,
 * low-rank what-if on a running model). For each input n, y = its output before and ŷ = after (the same `width`
 * values each, e.g. a classifier's logits or probabilities):
 *
 * - Relative change r_n = ‖ŷ − y‖₂ / ‖y‖₂ (0 when both are 0; +∞ when only y is 0); reported per input, as the mean
 *   and the largest over inputs (inputs with r = +∞ count in the largest, not in the mean).
 * - Top-1 agreement: the fraction of inputs whose largest output is the same unit before and after (argmax, the
 *   first index on ties). Only for width ≥ 2.
 * - Accuracy before → after: the fraction of inputs whose argmax is their class label, when labels are given and
 *   the width equals the class count (the outputs are then taken to be the classes in label order).
 * - KL divergence in nats, per input and its mean, only for width ≥ 2, with the definition chosen by what the
 *   outputs look like:
 *   - 'probabilities' (every value in [0, 1] and every row summing to 1 ± 10⁻³, e.g. after a softmax layer):
 *     KL(y ‖ ŷ) = Σ_j y_j · ln(y_j / ŷ_j), terms with y_j = 0 left out, ŷ_j floored at 10⁻¹²;
 *   - 'logits' (anything else): KL(softmax(y) ‖ softmax(ŷ)) = Σ_j p_j · (ln p_j − ln q_j), p = softmax(y),
 *     q = softmax(ŷ), from log-softmax (log-sum-exp with the row maximum subtracted).
 *   The kind is decided on the outputs before (the model as it runs) and applies to both.
 * KL(P ‖ Q) measures what is lost when the truncated model's distribution Q stands in for the original P (Kullback &
 * Leibler, Ann. Math. Statist. 22(1), 1951); it is 0 exactly when the two distributions agree.
 */

/** What kind of values the outputs are, which decides the KL definition (see the file comment). */
export type OutputKind = 'probabilities' | 'logits';

export interface OutputChangeOptions {
  /** Class index of each input (as many as inputs); used for accuracy when `classCount` equals the width. */
  readonly labels?: readonly number[];
  /** The number of classes the labels index. */
  readonly classCount?: number;
}

export interface OutputChange {
  /** Inputs compared. */
  readonly n: number;
  /** Values per input. */
  readonly width: number;
  /** r_n = ‖ŷ − y‖ / ‖y‖ per input (length n). */
  readonly relativeChange: Float64Array;
  /** Mean of the finite r_n (NaN when there are none). */
  readonly meanRelativeChange: number;
  /** Largest r_n (0 for no inputs). */
  readonly maxRelativeChange: number;
  /** Per input, whether argmax is unchanged; null for width < 2. */
  readonly top1Same: readonly boolean[] | null;
  /** Fraction of inputs with the same argmax; null for width < 2 or no inputs. */
  readonly top1Agreement: number | null;
  /** Fraction of inputs whose argmax is their label, before and after; null when labels do not apply. */
  readonly accuracy: { readonly before: number; readonly after: number } | null;
  readonly outputKind: OutputKind;
  /** Per input KL in nats (length n); null for width < 2. */
  readonly kl: Float64Array | null;
  /** Mean KL in nats; null for width < 2 or no inputs. */
  readonly meanKl: number | null;
  /** The KL computed, as text: 'KL(y ‖ ŷ)' for probabilities, 'KL(softmax(y) ‖ softmax(ŷ))' for logits; null with `kl`. */
  readonly klDefinition: string | null;
}

/** Tolerance on a row's sum for it to count as a probability vector. */
const SUM_TOLERANCE = 1e-3;
/** Floor of ŷ_j in KL(y ‖ ŷ) for probabilities: a zero where y is not gives a large, finite divergence. */
const PROBABILITY_FLOOR = 1e-12;

type Values = Float32Array | Float64Array;

/** The index of the largest value of row i (the first on ties; NaN never wins). */
function argmax(v: Values, i: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if ((v[i * width + j] as number) > (v[i * width + best] as number)) best = j;
  return best;
}

/** Whether every row is a probability vector: values in [0, 1], sum 1 ± SUM_TOLERANCE. */
function looksLikeProbabilities(v: Values, n: number, width: number): boolean {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const x = v[i * width + j] as number;
      if (!(x >= 0 && x <= 1)) return false;
      sum += x;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) return false;
  }
  return true;
}

/** ln softmax of row i, as float64. */
function logSoftmax(v: Values, i: number, width: number): Float64Array {
  let max = -Infinity;
  for (let j = 0; j < width; j++) max = Math.max(max, v[i * width + j] as number);
  let sum = 0;
  for (let j = 0; j < width; j++) sum += Math.exp((v[i * width + j] as number) - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(width);
  for (let j = 0; j < width; j++) out[j] = (v[i * width + j] as number) - lse;
  return out;
}

/** KL of row i in nats, by the definition of `kind`. */
function klOf(before: Values, after: Values, i: number, width: number, kind: OutputKind): number {
  let kl = 0;
  if (kind === 'probabilities') {
    for (let j = 0; j < width; j++) {
      const p = before[i * width + j] as number;
      if (p > 0) kl += p * Math.log(p / Math.max(after[i * width + j] as number, PROBABILITY_FLOOR));
    }
  } else {
    const lp = logSoftmax(before, i, width);
    const lq = logSoftmax(after, i, width);
    for (let j = 0; j < width; j++) kl += Math.exp(lp[j] as number) * ((lp[j] as number) - (lq[j] as number));
  }
  // Rounding can leave −1e-17 for identical rows; KL is ≥ 0.
  return Math.max(0, kl);
}

/**
 * The change between two sets of outputs (definitions in the file comment).
 *
 * @param before n × width row-major: each input's output before (the model as it runs)
 * @param after n × width row-major: the same inputs after the change
 * @param width values per input (≥ 1)
 * @throws RangeError when the lengths differ or are not a multiple of width, or width is not a positive integer
 */
export function outputChange(before: Values, after: Values, width: number, options: OutputChangeOptions = {}): OutputChange {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`outputChange: width must be a positive integer, got ${width}`);
  if (before.length !== after.length || before.length % width !== 0) {
    throw new RangeError(`outputChange: ${before.length} values before and ${after.length} after do not make rows of ${width}`);
  }
  const n = before.length / width;
  const relativeChange = new Float64Array(n);
  let finiteSum = 0;
  let finiteCount = 0;
  let maxRelativeChange = 0;
  for (let i = 0; i < n; i++) {
    let diff = 0;
    let norm = 0;
    for (let j = 0; j < width; j++) {
      const y = before[i * width + j] as number;
      diff += ((after[i * width + j] as number) - y) ** 2;
      norm += y * y;
    }
    const r = norm > 0 ? Math.sqrt(diff / norm) : diff > 0 ? Infinity : 0;
    relativeChange[i] = r;
    maxRelativeChange = Math.max(maxRelativeChange, r);
    if (Number.isFinite(r)) {
      finiteSum += r;
      finiteCount++;
    }
  }
  const outputKind: OutputKind = looksLikeProbabilities(before, n, width) ? 'probabilities' : 'logits';
  const base = { n, width, relativeChange, meanRelativeChange: finiteCount > 0 ? finiteSum / finiteCount : NaN, maxRelativeChange, outputKind };
  if (width < 2) return { ...base, top1Same: null, top1Agreement: null, accuracy: null, kl: null, meanKl: null, klDefinition: null };

  const top1Same: boolean[] = [];
  const kl = new Float64Array(n);
  const { labels, classCount } = options;
  const scoreLabels = labels !== undefined && labels.length === n && classCount === width;
  let rightBefore = 0;
  let rightAfter = 0;
  let klSum = 0;
  for (let i = 0; i < n; i++) {
    const a = argmax(before, i, width);
    const b = argmax(after, i, width);
    top1Same.push(a === b);
    if (scoreLabels) {
      if (a === labels[i]) rightBefore++;
      if (b === labels[i]) rightAfter++;
    }
    kl[i] = klOf(before, after, i, width, outputKind);
    klSum += kl[i] as number;
  }
  return {
    ...base,
    top1Same,
    top1Agreement: n > 0 ? top1Same.filter(Boolean).length / n : null,
    accuracy: scoreLabels && n > 0 ? { before: rightBefore / n, after: rightAfter / n } : null,
    kl,
    meanKl: n > 0 ? klSum / n : null,
    klDefinition: outputKind === 'probabilities' ? 'KL(y ‖ ŷ)' : 'KL(softmax(y) ‖ softmax(ŷ))',
  };
}
