import { useEffect } from 'react';
import type { AppState } from '../state/appState';
import { selectSelectedTensorName } from '../state/selectors';
import { selectedProbeLayerName } from '../state/slices/probeSlice';
import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { ProbeWorkspace } from './probe/ProbeWorkspace';
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
  const probeLayer = useAppStore(selectedProbeLayerName);
  const running = curves.status === 'running';

  return (
    <ProbeWorkspace
      label="Curve circuits"
      page="curves"
      facts="curve circuits: how each unit responds to curves, lines and angles at every orientation (Distill “Curve Detectors”, SCIENCE.md §4)"
      notRunnableTestId="curves-not-runnable"
    >
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
    </ProbeWorkspace>
  );
}
