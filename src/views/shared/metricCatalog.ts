/**
 * The one catalogue of the per-layer metrics the app shows: WeightWatcher's column name (or ours), a short
 * label, its group, its definition with references (SCIENCE.md §2) and a one-line explanation for a student.
 * MetricsPanel, the metric-vs-depth chart, the scan strip and the layer table all read it.
 */

/** The groups of the metrics panel, in display order. */
export const METRIC_GROUPS = ['Power-law fit (WWFit)', 'Norms', 'Marchenko–Pastur fit', 'Randomised ESD', 'Rank'] as const;

export type MetricGroup = (typeof METRIC_GROUPS)[number];

/** A reference range of a metric, e.g. WeightWatcher's well-trained α ∈ [2, 6], with what lies below and above it. */
export interface MetricBand {
  readonly lo: number;
  readonly hi: number;
  /** Describes the band itself, e.g. "WeightWatcher: well trained, 2 ≤ α ≤ 6". */
  readonly label: string;
  /** Names of the values below `lo`, inside, and above `hi` (WW's warnings for α). */
  readonly below: string;
  readonly within: string;
  readonly above: string;
}

/** One metric of a layer. */
export interface MetricSpec {
  /** The column of `LayerReport.columns`: WeightWatcher's name where WW has the metric. */
  readonly column: string;
  /** A short label (axis titles, table headers). */
  readonly label: string;
  readonly group: MetricGroup;
  /** How it is computed, with references (tooltips, table header titles). */
  readonly definition: string;
  /** What it tells you, in one plain sentence for a student (shown next to the value). */
  readonly explanation: string;
  readonly band?: MetricBand;
  /** Whether plotting it per layer (strip, metric vs depth) means something; false for e.g. a seed. */
  readonly perLayer: boolean;
  /**
   * When a stored value means "no value": 'sentinel' — a failed fit stores −1 (WW's convention) in a column that is
   * otherwise ≥ 0; 'alpha' — the column is computed from α, meaningless when the power-law fit failed (α = −1).
   */
  readonly failure?: 'sentinel' | 'alpha';
  /** Values span decades: colour it on a log scale. */
  readonly logScale?: boolean;
}

/** WeightWatcher's α bands (Martin & Mahoney 2021; WW `warning`): α < 2 over-trained, α > 6 under-trained. */
export const ALPHA_BAND: MetricBand = {
  lo: 2,
  hi: 6,
  label: 'WeightWatcher: well trained, 2 ≤ α ≤ 6',
  below: 'over-trained',
  within: 'well-trained',
  above: 'under-trained',
};

/** Every metric, in panel order. */
export const METRIC_CATALOGUE: readonly MetricSpec[] = [
  // Power-law fit of the ESD tail (SCIENCE.md §2; Clauset, Shalizi & Newman 2009).
  {
    column: 'alpha',
    label: 'α',
    group: 'Power-law fit (WWFit)',
    definition: 'Power-law exponent of the ESD tail: continuous MLE with KS-selected xmin (Clauset et al. 2009; WW alpha)',
    explanation: 'How heavy the tail of the eigenvalue distribution is: 2–6 is typical of well-trained layers, below 2 over-trained, above 6 under-trained.',
    band: ALPHA_BAND,
    perLayer: true,
    failure: 'sentinel',
  },
  {
    column: 'D',
    label: 'D',
    group: 'Power-law fit (WWFit)',
    definition: 'Kolmogorov–Smirnov distance of the fit at the chosen xmin (WW D)',
    explanation: 'How well the power law fits the tail: the largest gap between fitted and observed distributions (0 = perfect; large = trust α less).',
    perLayer: true,
    failure: 'sentinel',
  },
  {
    column: 'xmin',
    label: 'xmin',
    group: 'Power-law fit (WWFit)',
    definition: 'Start of the fitted tail (WW xmin)',
    explanation: 'Where the fitted tail starts: α describes the eigenvalues from here up.',
    perLayer: true,
    failure: 'sentinel',
    logScale: true,
  },
  {
    column: 'num_pl_spikes',
    label: 'tail size',
    group: 'Power-law fit (WWFit)',
    definition: 'Eigenvalues ≥ xmin (WW num_pl_spikes)',
    explanation: 'How many eigenvalues the power law was fitted to: few means α rests on little data.',
    perLayer: true,
    failure: 'sentinel',
  },
  {
    column: 'sigma',
    label: 'σ(α)',
    group: 'Power-law fit (WWFit)',
    definition: 'Standard error of α: (α − 1)/√n_tail (WW sigma)',
    explanation: 'The statistical uncertainty of α: it shrinks as the fitted tail grows.',
    perLayer: true,
    failure: 'sentinel',
  },
  // Norms of the ESD (SCIENCE.md §2, "Norm metrics"; Martin & Mahoney 2021).
  {
    column: 'alpha_weighted',
    label: 'α̂',
    group: 'Norms',
    definition: 'α·log10 λ_max (WW alpha_weighted; Martin & Mahoney 2021)',
    explanation: 'α weighted by the size of the largest eigenvalue; averaged over layers, lower values tend to go with better models of one architecture.',
    perLayer: true,
    failure: 'alpha',
  },
  {
    column: 'log_spectral_norm',
    label: 'log10 λ_max',
    group: 'Norms',
    definition: 'log10 of the largest eigenvalue (WW log_spectral_norm)',
    explanation: 'How strongly the layer can stretch an input at most (its largest eigenvalue λ_max = σ_max²), on a log scale.',
    perLayer: true,
  },
  {
    column: 'log_norm',
    label: 'log10 Σλ',
    group: 'Norms',
    definition: 'log10 of the squared Frobenius norm of the analysed λ (WW log_norm)',
    explanation: 'How large the weights are overall (the sum of all eigenvalues, i.e. of the squared weights), on a log scale.',
    perLayer: true,
  },
  {
    column: 'log_alpha_norm',
    label: 'log10 Σλ^α',
    group: 'Norms',
    definition: 'log10 Σ λ_i^α, the log Schatten α-norm (WW log_alpha_norm; Martin & Mahoney 2021)',
    explanation: 'Like α̂, a size measure that combines the eigenvalues with α; averaged over layers it compares models (lower tends to be better).',
    perLayer: true,
    failure: 'alpha',
  },
  {
    column: 'stable_rank',
    label: 'stable rank',
    group: 'Norms',
    definition: 'Σλ / λ_max (WW stable_rank)',
    explanation: 'Roughly how many directions are as strong as the strongest one: small means a few directions dominate.',
    perLayer: true,
  },
  {
    column: 'entropy',
    label: 'entropy',
    group: 'Norms',
    definition: 'Matrix entropy −Σp ln p / ln(rank), p = λ/Σλ (WW entropy)',
    explanation: 'How evenly the energy is spread over the directions: 1 = perfectly even, lower = concentrated in fewer directions.',
    perLayer: true,
  },
  // Marchenko–Pastur fit of the bulk (SCIENCE.md §2, "Marchenko–Pastur fit").
  {
    column: 'sigma_mp',
    label: 'σ_MP',
    group: 'Marchenko–Pastur fit',
    definition: 'Fitted MP scale, on λ rescaled to mean 1 (WW sigma_mp)',
    explanation: 'The noise level of the random-matrix model fitted to the bulk: about 1 for a random layer, smaller when energy has moved into spikes.',
    perLayer: true,
    failure: 'sentinel',
  },
  {
    column: 'num_spikes',
    label: 'spikes',
    group: 'Marchenko–Pastur fit',
    definition: 'Eigenvalues above the bulk edge + Tracy–Widom margin (WW num_spikes)',
    explanation: 'How many eigenvalues stand out above the random-noise bulk: directions that carry learned structure.',
    perLayer: true,
    failure: 'sentinel',
  },
  {
    column: 'mp_softrank',
    label: 'MP soft rank',
    group: 'Marchenko–Pastur fit',
    definition: 'bulk_max / λ_max (WW mp_softrank)',
    explanation: 'The noise bulk’s edge relative to the largest eigenvalue: near 1 random-like, near 0 one strong spike dominates.',
    perLayer: true,
    failure: 'sentinel',
  },
  {
    column: 'bulk_max',
    label: 'bulk edge',
    group: 'Marchenko–Pastur fit',
    definition: 'Upper MP bulk edge, in λ units (WW bulk_max)',
    explanation: 'Where the random-like bulk of eigenvalues ends: those above it (plus a margin) count as spikes.',
    perLayer: true,
    failure: 'sentinel',
    logScale: true,
  },
  // Randomised ESD and correlation traps (SCIENCE.md §2, "Randomised ESD").
  {
    column: 'rand_distance',
    label: 'JS distance',
    group: 'Randomised ESD',
    definition: 'Jensen–Shannon distance between the ESD and that of the shuffled layer (WW rand_distance)',
    explanation: 'How far the eigenvalues are from those of the same weights shuffled: 0 = looks random, larger = more learned structure.',
    perLayer: true,
  },
  {
    column: 'ww_softrank',
    label: 'soft rank',
    group: 'Randomised ESD',
    definition: 'λ_max of the shuffled layer / λ_max (WW ww_softrank)',
    explanation: 'The shuffled layer’s largest eigenvalue relative to the real one: well below 1 means a strong direction that shuffling destroys.',
    perLayer: true,
  },
  {
    column: 'rand_num_spikes',
    label: 'correlation traps',
    group: 'Randomised ESD',
    definition: 'MP spikes of the shuffled layer’s ESD (WW rand_num_spikes)',
    explanation: 'Spikes that survive shuffling come from a few unusually large weights, not learned correlations: WeightWatcher flags them as a possible training problem.',
    perLayer: true,
  },
  {
    column: 'randomize_seed',
    label: 'seed',
    group: 'Randomised ESD',
    definition: 'Seed of the shuffle',
    explanation: 'The random seed of the shuffle, so that the numbers can be reproduced.',
    perLayer: false,
  },
  // Rank (SCIENCE.md §2, "Beyond WW" and detX).
  {
    column: 'matrix_rank',
    label: 'rank',
    group: 'Rank',
    definition: 'σ > σ_max·N·ε (WW matrix_rank)',
    explanation: 'How many singular values are numerically non-zero: the number of independent directions the layer has.',
    perLayer: true,
  },
  {
    column: 'effective_rank',
    label: 'effective rank',
    group: 'Rank',
    definition: 'exp(entropy of σ/Σσ) (Roy & Vetterli 2007)',
    explanation: 'A smooth count of the directions the layer really uses: 1 when one dominates, the full rank when all are equal.',
    perLayer: true,
  },
  {
    column: 'energy_rank_90',
    label: 'k@90 %',
    group: 'Rank',
    definition: 'Smallest k with Σ_{i≤k} σ² ≥ 0.9·Σσ²',
    explanation: 'How many of the strongest directions hold 90 % of the layer’s energy (Σσ²).',
    perLayer: true,
  },
  {
    column: 'energy_rank_99',
    label: 'k@99 %',
    group: 'Rank',
    definition: 'Smallest k with Σ_{i≤k} σ² ≥ 0.99·Σσ²',
    explanation: 'How many of the strongest directions hold 99 % of the layer’s energy (Σσ²).',
    perLayer: true,
  },
  {
    column: 'condition_number',
    label: 'σ₁/σ_min',
    group: 'Rank',
    definition: 'Condition number σ_max/σ_min of the analysed singular values (∞ when σ_min = 0)',
    explanation: 'The strongest direction over the weakest: large values mean some input directions are almost ignored.',
    perLayer: true,
    logScale: true,
  },
  {
    column: 'lowrank_ratio_90',
    label: 'rank-k@90 % cost',
    group: 'Rank',
    definition: 'Parameters of a rank-k@90 % factorisation, k(m+n), over mn (Yang et al. 2020)',
    explanation: 'The cost of a rank-k@90 % factorisation relative to the dense layer: below 1 it saves parameters.',
    perLayer: true,
  },
  {
    column: 'detX_num',
    label: 'detX',
    group: 'Rank',
    definition: 'Eigenvalues kept by the detX condition (WW detX_num)',
    explanation: 'A candidate rank for truncation: how many of the largest eigenvalues (rescaled to mean 1) keep their product at or above 1.',
    perLayer: true,
  },
];

const BY_COLUMN = new Map(METRIC_CATALOGUE.map((m) => [m.column, m]));

/** The catalogue entry of a column, or undefined for columns it does not describe (e.g. WW's N, Q). */
export function metricSpec(column: string): MetricSpec | undefined {
  return BY_COLUMN.get(column);
}

/** The catalogue grouped as the metrics panel shows it (empty groups dropped). */
export const METRICS_BY_GROUP: readonly { readonly name: MetricGroup; readonly metrics: readonly MetricSpec[] }[] = METRIC_GROUPS.map((name) => ({
  name,
  metrics: METRIC_CATALOGUE.filter((m) => m.group === name),
})).filter((g) => g.metrics.length > 0);

/** The metrics one can plot per layer (strip, metric vs depth), in catalogue order. */
export const SCAN_METRICS: readonly MetricSpec[] = METRIC_CATALOGUE.filter((m) => m.perLayer);

/** The scan metric to use for `column`: its catalogue entry when plottable, else α. */
export function scanMetricSpec(column: string): MetricSpec {
  const spec = metricSpec(column);
  return spec?.perLayer ? spec : (METRIC_CATALOGUE[0] as MetricSpec);
}

/**
 * The value of a metric for one layer, or null when it has none: absent, not a number, NaN, a failed fit's −1
 * (`failure: 'sentinel'`) or a column computed from a failed α (`failure: 'alpha'`). ±∞ is kept (e.g. the condition
 * number of a singular matrix); callers that need a finite value test for it.
 */
export function metricValue(columns: Readonly<Record<string, number | string>>, column: string): number | null {
  const v = columns[column];
  if (typeof v !== 'number' || Number.isNaN(v)) return null;
  const failure = metricSpec(column)?.failure;
  if (failure === 'sentinel' && v < 0) return null;
  if (failure === 'alpha') {
    const alpha = columns.alpha;
    if (typeof alpha !== 'number' || !(alpha >= 0)) return null;
  }
  return v;
}

/** Where `value` lies with respect to a band: 'below', 'within' or 'above'. */
export function bandOf(band: MetricBand, value: number): 'below' | 'within' | 'above' {
  return value < band.lo ? 'below' : value > band.hi ? 'above' : 'within';
}

/** Short definitions of the other columns of a report (WW's details row), for table headers. */
const OTHER_COLUMNS: Readonly<Record<string, { label?: string; definition: string }>> = {
  layer_type: { definition: 'How WeightWatcher classifies the layer (WW layer_type)' },
  N: { definition: 'Larger dimension of the layer’s matrices (WW N)' },
  M: { definition: 'Smaller dimension of the layer’s matrices (WW M)' },
  rf: { definition: 'Matrices pooled into the ESD: kh·kw for a pooled conv, 1 for a dense layer (WW rf)' },
  Q: { definition: 'Aspect ratio N/M (WW Q)' },
  num_evals: { definition: 'Eigenvalues analysed (WW num_evals)' },
  xmax: { definition: 'Largest eigenvalue of the power-law fit (WW xmax)' },
  norm: { definition: 'Σλ, the squared Frobenius norm of the analysed λ (WW norm)' },
  spectral_norm: { definition: 'λ_max, the largest eigenvalue (WW spectral_norm)' },
  lambda_max: { definition: 'λ_max, the largest eigenvalue' },
  rank_loss: { definition: 'Singular values below the rank tolerance, summed over the layer’s matrices (WW rank_loss)' },
  weak_rank_loss: { definition: 'Eigenvalues below 1e-6 (WW weak_rank_loss)' },
  sv_max: { definition: 'Largest singular value (WW sv_max)' },
  sv_min: { definition: 'Smallest singular value (WW sv_min)' },
  warning: { definition: 'WeightWatcher’s warning from α: over-trained (α < 2) or under-trained (α > 6)' },
  fit_status: { label: 'fit', definition: 'Status of the power-law fit (WW status: success or failed)' },
  bulk_min: { definition: 'Lower MP bulk edge, in λ units (WW bulk_min)' },
  W_scale: { definition: 'Scale of the MP fit: λ′ = λ·W_scale² has mean 1 (WW W_scale)' },
  max_rand_eval: { definition: 'Largest eigenvalue over the shuffles of the layer (WW max_rand_eval)' },
  ww_maxdist: { definition: 'λ_max − λ_max of the shuffled layer (WW ww_maxdist)' },
};

/** A column's short label: the catalogue's, or the column name. */
export function columnLabel(column: string): string {
  return metricSpec(column)?.label ?? OTHER_COLUMNS[column]?.label ?? column;
}

/** A column's definition for a tooltip: the catalogue's, a short one for WW's other columns, or its name. */
export function columnDefinition(column: string): string {
  const spec = metricSpec(column);
  if (spec) return `${spec.definition}. ${spec.explanation}`;
  return OTHER_COLUMNS[column]?.definition ?? `Column ${column}`;
}
