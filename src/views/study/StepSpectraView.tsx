import { useMemo } from 'react';
import { selectSelectedTensorName } from '../../state/selectors';
import type { AppState } from '../../state/appState';
import { useAppStore, useAppStoreApi } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { ViewActions } from '../shared/viewActions';
import type { SpectraGridData } from './spectraGrid';
import { spectraGrid } from './spectraGrid';
import { curveValueAt, layerSpectra, testAccuracyCurve } from './studyData';

const selectStudy = (s: AppState) => s.study;

/** The test (else the first) accuracy curve of the training log. */
function accuracyCurve(curves: AppState['study']['curves']) {
  return testAccuracyCurve(curves) ?? curves.find((c) => c.fraction) ?? null;
}

/** The selected layer's spectrum at every checkpoint, as small multiples on one scale. */
export function StepSpectraView() {
  const study = useAppStore(selectStudy);
  const { checkpoints, layers, results, current, curves } = study;
  const layer = useAppStore(selectSelectedTensorName);
  const store = useAppStoreApi();
  const data = useMemo<SpectraGridData | null>(() => {
    if (layer === null || !layers.includes(layer)) return null;
    const spectra = layerSpectra({ checkpoints, results }, layer);
    const curve = accuracyCurve(curves);
    return {
      layer,
      spectra,
      current,
      accuracy: spectra.map((s) => (curve && s.step !== null ? curveValueAt(curve, s.step) : null)),
      accuracyLabel: curve ? curve.name.replace(/_/g, ' ') : '',
      onCheckpoint: (i) => void store.getState().setStudyCheckpoint(i),
    };
  }, [checkpoints, layers, results, current, curves, layer, store]);
  const host = useChart(spectraGrid, data);
  const curve = accuracyCurve(curves);
  return (
    <figure className="plot study-spectra" aria-label="One layer's spectrum at every checkpoint">
      <figcaption>
        <span title="σ_i against rank i, log scale, shared by all panels. Faint: the first checkpoint. The vertical line is the 90 %-energy rank k90.">
          {layer ?? 'No layer'}: spectrum at every checkpoint{curve ? ` (with ${curve.name.replace(/_/g, ' ')})` : ''}
        </span>
        <ViewActions panel="step-spectra" name={`step-spectra-${layer ?? 'layer'}`} title={`${layer ?? ''}: spectrum at every checkpoint`} chart />
      </figcaption>
      {layer !== null && !study.layers.includes(layer) ? <p className="hint">{layer} is not in every checkpoint with one shape; pick a matched layer.</p> : null}
      <div ref={host} className="view view-step-spectra" data-testid="study-spectra" data-count={data?.spectra.length ?? 0} />
    </figure>
  );
}
