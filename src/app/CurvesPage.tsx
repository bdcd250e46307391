import { useEffect, useMemo } from 'react';
import type { AppState } from '../state/appState';
import { selectSelectedTensorName } from '../state/selectors';
import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { LayerList } from '../views/layers/LayerList';
import { StimulusPanel } from './curves/StimulusPanel';
import { CurveResults } from './curves/CurveResults';

const selectCurves = (s: AppState) => s.curves;
const selectProbe = (s: AppState) => s.probe;

/**
 * Curve circuits, live (issue 8; SCIENCE.md §4; Cammarata et al., Distill 2020/2021): synthetic curves, lines and
 * angles swept through every orientation, and how each unit of the selected layer responds at the image centre.
 */
export function CurvesPage() {
  const store = useAppStoreApi();
  const curves = useAppStore(selectCurves);
  const probe = useAppStore(selectProbe);
  const layer = useAppStore(selectSelectedTensorName);
  useEffect(() => {
    void store.getState().openProbeModel();
  }, [store, probe.files]);

  const { options } = curves;
  const canvas = { width: probe.preprocessing.width, height: probe.preprocessing.height };
  const probeLayer = useMemo(() => {
    if (!layer || !probe.model) return null;
    const byScanName = Object.fromEntries(Object.entries(probe.names).map(([from, to]) => [to, from]));
    return probe.model.layers.find((l) => l.tensor === (byScanName[layer] ?? layer)) ?? null;
  }, [layer, probe.model, probe.names]);
  const running = curves.status === 'running';

  return (
    <main className="workspace" aria-label="Curve circuits" data-page="curves">
      <aside className="sidebar" aria-label="Layers">
        <LayerList />
      </aside>
      <div className="detail curves-page">
        <header className="layer-header">
          <button type="button" className="button small back" onClick={() => store.getState().showScan()} title="Back to the whole-model scan (Esc)">
            ← Whole model
          </button>
          <h2>{layer ?? 'No layer selected'}</h2>
          <span className="facts">curve circuits: how each unit responds to curves, lines and angles at every orientation (Distill “Curve Detectors”, SCIENCE.md §4)</span>
        </header>
        {probe.status === 'opening' ? <p className="hint">Opening the model in the probe worker…</p> : null}
        {probe.model && !probe.model.runnable ? (
          <p className="hint" role="status" data-testid="curves-not-runnable">
            {probe.model.reason ?? 'weights only: probes need a runnable model'}. The spectra and metrics of the other pages still work.
          </p>
        ) : null}
        {probe.model?.runnable ? (
          <>
            <StimulusPanel options={options} canvas={canvas} onChange={(change) => store.getState().setCurveOptions(change)} disabled={running} />
            <div className="probe-run" role="group" aria-label="Run the stimuli">
              <button type="button" className="button primary" disabled={running || !probeLayer} onClick={() => void store.getState().runCurves()} data-testid="curves-run">
                Run the stimuli through {layer ?? 'the layer'}
              </button>
              {running && curves.progress ? (
                <span className="progress-text" aria-live="polite">
                  <progress max={curves.progress.total} value={curves.progress.done} aria-label="Stimulus progress" /> {curves.progress.stage} ({curves.progress.done}/{curves.progress.total}){' '}
                  <button type="button" className="button small" onClick={() => store.getState().cancelCurves()} data-testid="curves-cancel">
                    Cancel
                  </button>
                </span>
              ) : curves.status === 'cancelled' ? (
                <span className="hint">Cancelled.</span>
              ) : null}
            </div>
          </>
        ) : null}
        {layer && probe.model?.runnable && !probeLayer ? <p className="hint">This layer cannot be probed: choose a conv or dense layer on the left.</p> : null}
        {curves.error ? (
          <p className="error-text" role="alert" data-testid="curves-error" data-error-code={curves.error.code}>
            Stimuli failed [{curves.error.code}]: {curves.error.message}
            {curves.error.remedy ? ` ${curves.error.remedy}` : ''}
          </p>
        ) : null}
        <CurveResults />
      </div>
    </main>
  );
}
