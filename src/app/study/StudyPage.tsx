import type { AppState } from '../../state/appState';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { ViewActionsProvider } from '../../views/shared/viewActions';
import type { ViewActionRequest } from '../../views/shared/viewActions';
import { StepMetricView } from '../../views/study/StepMetricView';
import { StepSpectraView } from '../../views/study/StepSpectraView';
import { studyRecords } from './studyRecords';
import { toCsv } from '../../../workers/layerRecords';
import { ChartExport } from '../ChartExport';
import { download } from '../download';
import { CheckpointTable } from './CheckpointTable';
import { DiffPanel } from './DiffPanel';
import './study.css';

const selectStudy = (s: AppState) => s.study;
const studyActions = ({ panel, name, title, chart }: ViewActionRequest) => <ChartExport name={name} panel={panel} title={title} chart={chart} />;

/** The file name stem of a study's exports. */
const stemOf = (title: string) => title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'study';

/**
 * A study of several checkpoints (issue 9): its progress, metric against step, the selected layer's spectra across
 * steps, the checkpoints with their (editable) steps, and what could not be compared.
 */
export function StudyPage() {
  const study = useAppStore(selectStudy);
  const store = useAppStoreApi();
  const done = study.checkpoints.filter((c) => c.status === 'done').length;
  const records = () => studyRecords(study);
  return (
    <main className="workspace study-page" aria-label="Training steps" data-page="study" data-study={study.status}>
      <section className="study-summary">
        <h2>{study.title}</h2>
        <p>
          {study.checkpoints.length} checkpoints · {study.layers.length} layers in every one · {done} of {study.checkpoints.length} analysed
          {study.status === 'running' && study.progress ? ` · analysing ${study.checkpoints[study.progress.checkpoint]?.name ?? ''} (${study.progress.done}/${study.progress.total})` : ''}
        </p>
        <span className="study-export">
          <button type="button" className="button small" disabled={done === 0} data-testid="study-export-csv" onClick={() => download(`${stemOf(study.title)}-steps.csv`, toCsv(records()), 'text/csv')}>
            CSV
          </button>
          <button
            type="button"
            className="button small"
            disabled={done === 0}
            data-testid="study-export-json"
            onClick={() =>
              download(
                `${stemOf(study.title)}-steps.json`,
                `${JSON.stringify({ checkpoints: study.checkpoints.map((c) => ({ name: c.name, step: c.step, parsed_step: c.parsedStep })), mismatches: study.mismatches, records: records() }, null, 1)}\n`,
                'application/json',
              )
            }
          >
            JSON
          </button>
          {study.status === 'running' ? (
            <button type="button" className="button small" onClick={() => store.getState().cancelStudy()}>
              Cancel
            </button>
          ) : study.status === 'cancelled' ? (
            <button type="button" className="button small" onClick={() => void store.getState().resumeStudy()}>
              Resume
            </button>
          ) : null}
        </span>
      </section>
      <ViewActionsProvider value={studyActions}>
        <StepMetricView />
        <StepSpectraView />
      </ViewActionsProvider>
      <DiffPanel />
      <CheckpointTable />
      {study.mismatches.length > 0 || study.failed.length > 0 ? (
        <section className="study-mismatches" data-testid="study-mismatches">
          <h3>Not compared</h3>
          <ul>
            {study.failed.map((f) => (
              <li key={`f-${f.name}`}>
                <strong>{f.name}</strong> could not be opened: {f.error.message}
                {f.error.remedy ? ` ${f.error.remedy}` : ''}
              </li>
            ))}
            {study.mismatches.map((m) => (
              <li key={`m-${m.name}`}>
                <strong>{m.name}</strong>: {m.detail}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
