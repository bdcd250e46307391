import { useMemo } from 'react';
import { esdHistogram } from '../../analysis/spectra/esdHistogram';
import { useAppStore } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { selectReferenceLabel, selectSelectedReferenceSpectrum, selectSelectedResult, selectSelectedTensorName } from '../../state/selectors';
import { esdChart } from './esdChart';
import type { EsdData } from './esdChart';

/** Bins for an ESD of n eigenvalues: enough to see the shape, few enough to be stable. */
export function esdBinCount(n: number): number {
  return Math.max(8, Math.min(80, Math.round(2 * Math.sqrt(n))));
}

const squares = (sv: Float64Array) => sv.map((s) => s * s);

export function EsdView() {
  const result = useAppStore(selectSelectedResult);
  const name = useAppStore(selectSelectedTensorName);
  const reference = useAppStore(selectSelectedReferenceSpectrum);
  const referenceLabel = useAppStore(selectReferenceLabel);
  const data = useMemo<EsdData | null>(() => {
    if (result?.status !== 'ok' || !name) return null;
    const sv = result.spectrum.singularValues;
    const bins = esdBinCount(sv.length);
    const ref = reference && referenceLabel ? { ...esdHistogram(squares(reference.singularValues), { bins }), label: referenceLabel } : null;
    return { ...esdHistogram(squares(sv), { bins }), label: name, reference: ref };
  }, [result, name, reference, referenceLabel]);
  const host = useChart(esdChart, data);
  return <div ref={host} className="view view-esd" aria-label="Empirical spectral density" data-ready={data ? 'true' : 'false'} />;
}
