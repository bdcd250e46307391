import type { LayerReport } from '../../analysis/metrics/layerReport';
import { formatNumber } from '../shared/chart';
import { ALPHA_BAND, METRICS_BY_GROUP } from '../shared/metricCatalog';

function show(value: number | string | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return formatNumber(value);
}

/**
 * The selected layer's metrics, grouped as in the metric catalogue: each with its label, its value, and a one-line
 * explanation for a student underneath; the definition and WeightWatcher column are in the label's title.
 */
export function MetricsPanel({ report }: { report: LayerReport }) {
  const c = report.columns;
  const warning = typeof c.warning === 'string' ? c.warning : '';
  return (
    <section className="metrics" aria-label="Layer metrics">
      <p className="metrics-definition">
        <span className="label">definition</span> {report.definition}
        {warning ? (
          <span className={`badge badge-${warning}`} title={`WeightWatcher: α < ${ALPHA_BAND.lo} over-trained, α > ${ALPHA_BAND.hi} under-trained`}>
            {warning}
          </span>
        ) : null}
        {report.wwSkipped ? <span className="badge badge-skipped" title="WeightWatcher's default filters would not analyse this layer">WW skips: {report.wwSkipped}</span> : null}
      </p>
      {report.approximations.length ? <p className="hint">{report.approximations.join(' · ')}</p> : null}
      <div className="metric-groups">
        {METRICS_BY_GROUP.map((g) => {
          const present = g.metrics.filter((m) => c[m.column] !== undefined);
          if (present.length === 0) return null;
          return (
            <dl key={g.name} className="metric-group" aria-label={g.name}>
              <h3>{g.name}</h3>
              {present.map((m) => (
                <div key={m.column} data-column={m.column}>
                  <dt title={`${m.definition}. Column: ${m.column}`}>
                    <span className="metric-label">{m.label}</span>
                    <span className="metric-explanation">{m.explanation}</span>
                  </dt>
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
