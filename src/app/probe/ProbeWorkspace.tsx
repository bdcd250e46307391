import type { ReactNode } from 'react';
import type { AppState } from '../../state/appState';
import { selectSelectedTensorName } from '../../state/selectors';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { LayerList } from '../../views/layers/LayerList';

const selectStatus = (s: AppState) => s.probe.status;
const selectModel = (s: AppState) => s.probe.model;

/**
 * The frame of the pages that run the model (probes, curve circuits): the layer list, the selected layer's header
 * with what the page measures, the probe worker's opening state and, for a weights-only file, why nothing can run.
 */
export function ProbeWorkspace({ label, page, facts, notRunnableTestId, children }: { label: string; page: 'probe' | 'curves'; facts: string; notRunnableTestId: string; children: ReactNode }) {
  const store = useAppStoreApi();
  const layer = useAppStore(selectSelectedTensorName);
  const status = useAppStore(selectStatus);
  const model = useAppStore(selectModel);
  return (
    <main className="workspace" aria-label={label} data-page={page}>
      <aside className="sidebar" aria-label="Layers">
        <LayerList />
      </aside>
      <div className={`detail ${page}-page`}>
        <header className="layer-header">
          <button type="button" className="button small back" onClick={() => store.getState().showScan()} title="Back to the whole-model scan (Esc)">
            ← Whole model
          </button>
          <h2>{layer ?? 'No layer selected'}</h2>
          <span className="facts">{facts}</span>
        </header>
        {status === 'opening' ? <p className="hint">Opening the model in the probe worker…</p> : null}
        {model && !model.runnable ? (
          <p className="hint" role="status" data-testid={notRunnableTestId}>
            {model.reason ?? 'weights only: probes need a runnable model'}. The spectra and metrics of the other pages still work.
          </p>
        ) : null}
        {children}
      </div>
    </main>
  );
}
