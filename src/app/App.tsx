import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { selectModelInfo, selectModelStatus, selectPage, selectSelectedTensorName } from '../state/selectors';
import { LayerList } from '../views/layers/LayerList';
import { LayerDetail } from './LayerDetail';
import { ProgressBar } from './ProgressBar';
import { SettingsBar } from './SettingsBar';
import { ExportMenu } from './ExportMenu';
import { ThemeToggle } from './ThemeToggle';
import { ScanView } from '../views/scan/ScanView';
import { ShortcutsHelp } from './keyboard/ShortcutsHelp';
import { ViewActionsProvider } from '../views/shared/viewActions';
import type { ViewActionRequest } from '../views/shared/viewActions';
import { ChartExport } from './ChartExport';
import { ProbePage } from './ProbePage';
import { CurvesPage } from './CurvesPage';
import { StudyPage } from './study/StudyPage';
import { StudyStepBar } from './study/StudyStepBar';
import { useShortcuts } from './keyboard/useShortcuts';
import { ErrorBanner } from './ErrorBanner';
import type { SampleEntry } from './samples';
import { listSamples } from './samples';
import { droppedFiles, pickedFiles } from './droppedFiles';
import type { DroppedFile } from './droppedFiles';
import { openDrop } from './openDrop';
import { ModelLowRankSection } from './lowrank/ModelLowRankSection';
import { supportedFormatsText } from '../formats/registry';
import { formatCount } from '../views/layers/format';

const selectPendingName = (s: { model: { pendingName: string | null } }) => s.model.pendingName;
const selectSource = (s: { model: { source: { kind: string; id?: string } | null } }) => s.model.source;
const selectRestoreFiles = (s: { restore: { files: readonly string[] | null } }) => s.restore.files;
const selectStudyOpen = (s: { study: { status: string } }) => s.study.status !== 'none' && s.study.status !== 'error';

/** Export and embed buttons for the scan's views. */
const scanActions = ({ panel, name, title, chart }: ViewActionRequest) => <ChartExport name={name} panel={panel} title={title} chart={chart} />;

/** The application shell: header, drop target, progress, layer list and the selected layer. */
export function App() {
  const store = useAppStoreApi();
  const info = useAppStore(selectModelInfo);
  const status = useAppStore(selectModelStatus);
  const pendingName = useAppStore(selectPendingName);
  const source = useAppStore(selectSource);
  const restoreFiles = useAppStore(selectRestoreFiles);
  const page = useAppStore(selectPage);
  const selected = useAppStore(selectSelectedTensorName);
  const studyOpen = useAppStore(selectStudyOpen);
  const [helpOpen, setHelpOpen] = useState(false);
  useShortcuts(store, { open: helpOpen, setOpen: setHelpOpen });
  const [samples, setSamples] = useState<SampleEntry[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    listSamples().then(setSamples, (error: unknown) => console.error(error));
  }, []);

  const openFileArray = useCallback((files: readonly DroppedFile[]) => void openDrop(store, files), [store]);

  // Drag and drop anywhere on the page.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      void droppedFiles(e.dataTransfer).then((files) => openFileArray(files));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openFileArray]);

  const params = info ? info.tensors.reduce((a, t) => a + t.size, 0) : 0;
  return (
    <div className="app" data-model-state={status}>
      <header className="app-header">
        <h1>
          Artificial <span className="accent">MRI</span>
        </h1>
        <div className="model-name" data-testid="model-name">
          {status === 'opening' ? `Opening ${pendingName ?? ''}…` : info ? `${info.name} · ${info.format} · ${info.tensors.length} tensors · ${formatCount(params)} parameters` : 'No model open'}
        </div>
        <div className="actions">
          {samples.length > 0 ? (
            <label className="sample-picker">
              Sample{' '}
              <select
                value={source?.kind === 'sample' ? (source.id ?? '') : ''}
                onChange={(e) => e.target.value && void store.getState().openSample(e.target.value, { showStudy: true })}
              >
                {source?.kind !== 'sample' ? <option value="">(your file)</option> : null}
                {samples.map((s) => (
                  <option key={s.id} value={s.id} title={s.description}>
                    {s.title}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {samples
            .filter((s) => s.study && !(source?.kind === 'sample' && source.id === s.id))
            .map((s) => (
              <button key={s.id} type="button" className="button" data-testid={`open-study-${s.id}`} title={s.description} onClick={() => void store.getState().openSample(s.id, { showStudy: true })}>
                Training run: {s.title.split(':')[0]}
              </button>
            ))}
          <ThemeToggle />
          <button type="button" className="button" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
            ?
          </button>
          <button type="button" className="button primary" onClick={() => input.current?.click()}>
            Open model…
          </button>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            data-testid="file-input"
            onChange={(e: ChangeEvent<HTMLInputElement>) => {
              openFileArray(pickedFiles(Array.from(e.target.files ?? [])));
              e.target.value = '';
            }}
          />
        </div>
      </header>
      <ErrorBanner />
      {restoreFiles ? (
        <p className="restore-hint" role="status" data-testid="restore-hint">
          This link was made on a local file, which never leaves its owner’s machine: drop {restoreFiles.map((n) => `“${n}”`).join(', ')} here to
          restore the view.
        </p>
      ) : null}
      <div className="toolbar">
        {info ? (
          <nav className="page-tabs" aria-label="Views">
            {studyOpen ? (
              <button
                type="button"
                className={`tab${page === 'study' ? ' active' : ''}`}
                aria-current={page === 'study' ? 'page' : undefined}
                data-testid="tab-study"
                onClick={() => store.getState().showStudy()}
                title="Every layer's metrics against training step, across the study's checkpoints"
              >
                Training steps
              </button>
            ) : null}
            <button type="button" className={`tab${page === 'scan' ? ' active' : ''}`} aria-current={page === 'scan' ? 'page' : undefined} data-testid="tab-scan" onClick={() => store.getState().showScan()} title="The whole model (Esc)">
              Whole model
            </button>
            <button
              type="button"
              className={`tab${page === 'layer' ? ' active' : ''}`}
              aria-current={page === 'layer' ? 'page' : undefined}
              data-testid="tab-layer"
              disabled={selected === null}
              onClick={() => selected && store.getState().openLayer(selected)}
              title="The selected layer (Enter)"
            >
              Layer{selected ? `: ${selected}` : ''}
            </button>
            <button
              type="button"
              className={`tab${page === 'probe' ? ' active' : ''}`}
              aria-current={page === 'probe' ? 'page' : undefined}
              data-testid="tab-probe"
              disabled={selected === null}
              onClick={() => {
                if (selected) store.getState().openLayer(selected);
                store.getState().showProbe();
              }}
              title="Which singular directions of the selected layer each input class relies on (activation probes)"
            >
              Directions at work
            </button>
            <button
              type="button"
              className={`tab${page === 'curves' ? ' active' : ''}`}
              aria-current={page === 'curves' ? 'page' : undefined}
              data-testid="tab-curves"
              disabled={selected === null}
              onClick={() => {
                if (selected) store.getState().openLayer(selected);
                store.getState().showCurves();
              }}
              title="How the selected layer's units respond to curves, lines and angles at every orientation (curve circuits)"
            >
              Curve circuits
            </button>
          </nav>
        ) : null}
        <ProgressBar />
        {info ? <SettingsBar /> : null}
        {info ? <ExportMenu /> : null}
      </div>
      {studyOpen ? <StudyStepBar /> : null}
      {info && page === 'study' && studyOpen ? (
        <StudyPage />
      ) : info && page === 'curves' ? (
        <CurvesPage />
      ) : info && page === 'probe' ? (
        <ProbePage />
      ) : info && page === 'scan' ? (
        <main className="workspace scan-page" aria-label="Whole-model scan" data-page="scan">
          <ViewActionsProvider value={scanActions}>
            <ScanView />
            <ModelLowRankSection />
          </ViewActionsProvider>
        </main>
      ) : (
        <main className="workspace" aria-label={info ? 'Layer view' : 'No model'} data-page={info ? 'layer' : 'none'}>
          <aside className="sidebar" aria-label="Layers">
            {info ? <LayerList /> : <p className="hint">Drop a model file anywhere, or use Open. Formats: {supportedFormatsText()}.</p>}
          </aside>
          <div className="detail">{info ? <LayerDetail /> : null}</div>
        </main>
      )}
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <footer className="app-footer" title={`Formats: ${supportedFormatsText()}`}>
        Everything runs in this tab: files you open are read locally and never uploaded. Drop a model (with its shards or data
        files, or its folder) anywhere on the page; press ? for keyboard shortcuts.
      </footer>
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop to scan: the file stays on this machine</div>
        </div>
      ) : null}
    </div>
  );
}
