import { useEffect } from 'react';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import type { AppState } from '../../state/appState';
import type { CurvePanel } from '../curves/CurveResults';
import { CurveResults } from '../curves/CurveResults';

const selectStatus = (s: AppState) => s.curves.status;
const selectModel = (s: AppState) => s.probe.model;
const selectError = (s: AppState) => s.curves.error;
const selectFiles = (s: AppState) => s.probe.files;
const selectLayer = (s: AppState) => s.selection.tensor;

/** A curve view in an embed: the stimuli of the link are generated and run here, then one view is shown. */
export function CurvesEmbed({ panel }: { panel: CurvePanel }) {
  const store = useAppStoreApi();
  const status = useAppStore(selectStatus);
  const model = useAppStore(selectModel);
  const error = useAppStore(selectError);
  const files = useAppStore(selectFiles);
  const layer = useAppStore(selectLayer);
  useEffect(() => {
    void store.getState().openProbeModel();
  }, [store, files]);
  useEffect(() => {
    if (model?.runnable && layer !== null && store.getState().curves.status === 'idle') void store.getState().runCurves();
  }, [store, model, layer]);
  if (model && !model.runnable) return <p className="hint">{model.reason}</p>;
  if (error) return <p className="error-text" role="alert">Stimuli failed [{error.code}]: {error.message}</p>;
  if (status !== 'done') return <p className="hint">Running the stimuli through the model…</p>;
  return <CurveResults only={panel} />;
}
