import type { LayerReport } from '../../analysis/metrics/layerReport';
import { formatNumber } from '../shared/chart';

/** One metric: the WeightWatcher column it shows (or ours), a label, and how it is defined. */
interface MetricSpec {
  readonly column: string;
  readonly label: string;
  readonly title: string;
}

const GROUPS: readonly { readonly name: string; readonly metrics: readonly MetricSpec[] }[] = [
  {
    name: 'Power-law fit (WWFit)',
    metrics: [
      { column: 'alpha', label: 'α', title: 'Power-law exponent of the ESD tail: continuous MLE with KS-selected xmin (Clauset et al. 2009; WW alpha)' },
      { column: 'D', label: 'D', title: 'Kolmogorov–Smirnov distance of the fit at the chosen xmin (WW D)' },
      { column: 'xmin', label: 'xmin', title: 'Start of the fitted tail (WW xmin)' },
      { column: 'num_pl_spikes', label: 'tail size', title: 'Eigenvalues ≥ xmin (WW num_pl_spikes)' },
      { column: 'sigma', label: 'σ(α)', title: 'Standard error of α: (α − 1)/√n_tail (WW sigma)' },
    ],
  },
  {
    name: 'Norms',
    metrics: [
      { column: 'alpha_weighted', label: 'α̂', title: 'α·log10 λ_max (WW alpha_weighted)' },
      { column: 'log_spectral_norm', label: 'log10 λ_max', title: 'log10 of the largest eigenvalue (WW log_spectral_norm)' },
      { column: 'log_norm', label: 'log10 Σλ', title: 'log10 of the squared Frobenius norm of the analysed λ (WW log_norm)' },
      { column: 'log_alpha_norm', label: 'log10 Σλ^α', title: 'WW log_alpha_norm' },
      { column: 'stable_rank', label: 'stable rank', title: 'Σλ / λ_max (WW stable_rank)' },
      { column: 'entropy', label: 'entropy', title: 'Matrix entropy −Σp ln p / ln(rank), p = λ/Σλ (WW entropy)' },
    ],
  },
  {
    name: 'Marchenko–Pastur fit',
    metrics: [
      { column: 'sigma_mp', label: 'σ_MP', title: 'Fitted MP scale, on λ rescaled to mean 1 (WW sigma_mp)' },
      { column: 'num_spikes', label: 'spikes', title: 'Eigenvalues above the bulk edge + Tracy–Widom margin (WW num_spikes)' },
      { column: 'mp_softrank', label: 'MP soft rank', title: 'bulk_max / λ_max (WW mp_softrank)' },
      { column: 'bulk_max', label: 'bulk edge', title: 'Upper MP bulk edge, in λ units (WW bulk_max)' },
    ],
  },
  {
    name: 'Randomised ESD',
    metrics: [
      { column: 'rand_distance', label: 'JS distance', title: 'Jensen–Shannon distance between the ESD and that of the shuffled layer (WW rand_distance)' },
      { column: 'ww_softrank', label: 'soft rank', title: 'λ_max of the shuffled layer / λ_max (WW ww_softrank)' },
      { column: 'rand_num_spikes', label: 'correlation traps', title: 'MP spikes of the shuffled layer’s ESD (WW rand_num_spikes)' },
      { column: 'randomize_seed', label: 'seed', title: 'Seed of the shuffle' },
    ],
  },
  {
    name: 'Rank',
    metrics: [
      { column: 'matrix_rank', label: 'rank', title: 'σ > σ_max·N·ε (WW matrix_rank)' },
      { column: 'effective_rank', label: 'effective rank', title: 'exp(entropy of σ/Σσ) (Roy & Vetterli 2007)' },
      { column: 'energy_rank_90', label: 'k@90 %', title: 'Smallest k with Σ_{i≤k} σ² ≥ 0.9·Σσ²' },
      { column: 'energy_rank_99', label: 'k@99 %', title: 'Smallest k with Σ_{i≤k} σ² ≥ 0.99·Σσ²' },
      { column: 'condition_number', label: 'σ₁/σ_min', title: 'Condition number' },
      { column: 'lowrank_ratio_90', label: 'rank-k@90 % cost', title: 'Parameters of a rank-k@90 % factorisation, k(m+n), over mn' },
      { column: 'detX_num', label: 'detX', title: 'Eigenvalues kept by the detX condition (WW detX_num)' },
    ],
  },
];

function show(value: number | string | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return formatNumber(value);
}

/** The selected layer's metrics, grouped, each labelled with its WeightWatcher column and definition. */
export function MetricsPanel({ report }: { report: LayerReport }) {
  const c = report.columns;
  const warning = typeof c.warning === 'string' ? c.warning : '';
  return (
    <section className="metrics" aria-label="Layer metrics">
      <p className="metrics-definition">
        <span className="label">definition</span> {report.definition}
        {warning ? <span className={`badge badge-${warning}`} title="WeightWatcher: α < 2 over-trained, α > 6 under-trained">{warning}</span> : null}
        {report.wwSkipped ? <span className="badge badge-skipped" title="WeightWatcher's default filters would not analyse this layer">WW skips: {report.wwSkipped}</span> : null}
      </p>
      {report.approximations.length ? <p className="hint">{report.approximations.join(' · ')}</p> : null}
      <div className="metric-groups">
        {GROUPS.map((g) => {
          const present = g.metrics.filter((m) => c[m.column] !== undefined);
          if (present.length === 0) return null;
          return (
            <dl key={g.name} className="metric-group" aria-label={g.name}>
              <h3>{g.name}</h3>
              {present.map((m) => (
                <div key={m.column} data-column={m.column}>
                  <dt title={`${m.title}. Column: ${m.column}`}>{m.label}</dt>
                  <dd data-value={String(c[m.column])}>{show(c[m.column])}</dd>
                </div>
              ))}
            </dl>
          );
        })}
      </div>
    </section>
  );
}
