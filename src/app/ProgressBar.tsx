import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { selectAnalysis } from '../state/selectors';
import type { LayerResult } from '../state/resultTypes';
import type { AppState } from '../state/appState';

/** Worker milliseconds by stage, summed over the analysed layers. */
function stageTotals(results: Readonly<Record<string, LayerResult>>): { read: number; svd: number; metrics: number } {
  let read = 0;
  let svd = 0;
  let metrics = 0;
  for (const r of Object.values(results)) {
    if (r.status !== 'ok') continue;
    read += r.readMs;
    metrics += r.metricsMs;
    svd += r.ms - r.readMs - r.metricsMs;
  }
  return { read: Math.round(read), svd: Math.round(svd), metrics: Math.round(metrics) };
}

const selectStudyProgress = (s: AppState) => (s.study.status === 'running' || s.study.status === 'done' ? s.study : null);

/** A study's progress: checkpoints done of all, the layer in hand, Cancel; then how long the study took. */
function StudyProgress({ study }: { study: AppState['study'] }) {
  const store = useAppStoreApi();
  if (study.status === 'done') {
    return (
      <div className="progress" data-state="done" data-study="done" aria-live="polite">
        <span className="progress-text" data-study-ms={study.totalMs ?? undefined}>
          {study.checkpoints.length} checkpoints × {study.layers.length} layers analysed{study.totalMs !== null ? ` in ${(study.totalMs / 1000).toFixed(2)} s` : ''}
        </span>
      </div>
    );
  }
  const p = study.progress;
  const done = study.checkpoints.filter((c) => c.status === 'done').length;
  const total = study.checkpoints.length;
  const fraction = total > 0 ? Math.min(1, (done + (p && p.total > 0 ? p.done / p.total : 0)) / total) : 0;
  return (
    <div className="progress" data-state="running" data-study="running" aria-live="polite">
      <progress max={1} value={fraction} aria-label="Study progress" />
      <span className="progress-text">
        {done} / {total} checkpoints{p ? ` · ${study.checkpoints[p.checkpoint]?.name ?? ''} · ${p.done} / ${p.total} layers` : ''}
      </span>
      <button type="button" className="button" onClick={() => store.getState().cancelStudy()}>
        Cancel
      </button>
    </div>
  );
}

/** Scan progress with a Cancel button; visible while a scan runs (a study's while it runs). */
export function ProgressBar() {
  const study = useAppStore(selectStudyProgress);
  return study ? <StudyProgress study={study} /> : <ScanProgressBar />;
}

function ScanProgressBar() {
  const analysis = useAppStore(selectAnalysis);
  const store = useAppStoreApi();
  const p = analysis.progress;
  const running = analysis.status === 'running';
  const stages = stageTotals(analysis.results);
  const fraction = p && p.total > 0 ? Math.min(1, (p.done + p.fraction) / p.total) : 0;
  return (
    <div className="progress" data-state={analysis.status} aria-live="polite">
      {running ? (
        <>
          <progress max={1} value={fraction} aria-label="Analysis progress" />
          <span className="progress-text">
            {p ? `${p.done} / ${p.total} layers` : 'starting'}
            {p?.tensor ? ` · ${p.tensor}` : ''}
          </span>
          <button type="button" className="button" onClick={() => store.getState().cancelAnalysis()}>
            Cancel
          </button>
        </>
      ) : analysis.status === 'cancelled' ? (
        <>
          <span className="progress-text">
            Cancelled after {Object.keys(analysis.results).length} layers.
          </span>
          <button type="button" className="button" onClick={() => void store.getState().startAnalysis()}>
            Resume
          </button>
        </>
      ) : analysis.status === 'done' && analysis.totalMs !== null ? (
        <span
          className="progress-text"
          data-first-ms={analysis.firstResultMs ?? undefined}
          data-first-at={analysis.firstResultAt ?? undefined}
          data-total-ms={analysis.totalMs}
          data-read-ms={stages.read}
          data-svd-ms={stages.svd}
          data-metrics-ms={stages.metrics}
          title={`Worker time by stage, summed over layers (workers run in parallel): reading ${(stages.read / 1000).toFixed(2)} s, singular values ${(stages.svd / 1000).toFixed(2)} s, metrics and fits ${(stages.metrics / 1000).toFixed(2)} s`}
        >
          {Object.keys(analysis.results).length} layers analysed in {(analysis.totalMs / 1000).toFixed(2)} s (first spectrum after{' '}
          {((analysis.firstResultMs ?? 0) / 1000).toFixed(2)} s)
        </span>
      ) : analysis.status === 'error' && analysis.error ? (
        <span className="progress-text error-text">
          Analysis failed: {analysis.error.code}: {analysis.error.message}
        </span>
      ) : null}
    </div>
  );
}
