import { useMemo } from 'react';
import { esdHistogram } from '../../analysis/spectra/esdHistogram';
import { mpDensityCurve, powerLawDensityCurve } from '../../analysis/metrics/fitCurves';
import { useAppStore } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { selectReferenceLabel, selectSelectedReferenceSpectrum, selectSelectedResult, selectSelectedTensorName } from '../../state/selectors';
import { esdChart } from './esdChart';
import type { EsdData } from './esdChart';

/** Bins for an ESD of n eigenvalues: enough to see the shape, few enough to be stable. */
export function esdBinCount(n: number): number {
  return Math.max(8, Math.min(80, Math.round(2 * Math.sqrt(n))));
}

/** λ = scale·σ²: the eigenvalues as the metrics analysed them (½σ² for WeightWatcher's pooled conv). */
const eigenvalues = (sv: Float64Array, scale: number) => sv.map((s) => scale * s * s);

/** "λ = σ²" or "λ = ½σ²" for the plot title. */
export function eigenvalueLabel(scale: number): string {
  if (Math.abs(scale - 1) < 1e-12) return 'λ = σ²';
  if (Math.abs(scale - 0.5) < 1e-12) return 'λ = ½σ²';
  return `λ = ${scale.toPrecision(3)}·σ²`;
}

export function EsdView() {
  const result = useAppStore(selectSelectedResult);
  const name = useAppStore(selectSelectedTensorName);
  const reference = useAppStore(selectSelectedReferenceSpectrum);
  const referenceLabel = useAppStore(selectReferenceLabel);
  const data = useMemo<EsdData | null>(() => {
    if (result?.status !== 'ok' || !name) return null;
    const { report } = result;
    const scale = report.evalScale;
    const sv = result.spectrum.singularValues;
    const bins = esdBinCount(sv.length);
    const ref = reference && referenceLabel ? { ...esdHistogram(eigenvalues(reference.singularValues, scale), { bins }), label: referenceLabel } : null;
    const pl = powerLawDensityCurve(report.powerLaw);
    const mp = report.mp ? mpDensityCurve(report.mp) : null;
    return {
      ...esdHistogram(eigenvalues(sv, scale), { bins }),
      label: name,
      reference: ref,
      powerLaw: pl ? { ...pl, alpha: report.powerLaw.alpha, xmin: report.powerLaw.xmin } : null,
      mp: mp && report.mp ? { ...mp, bulkMin: report.mp.bulkMin, bulkMax: report.mp.bulkMax } : null,
    };
  }, [result, name, reference, referenceLabel]);
  const host = useChart(esdChart, data);
  return <div ref={host} className="view view-esd" aria-label="Empirical spectral density with the power-law and Marchenko–Pastur fits" data-ready={data ? 'true' : 'false'} />;
}
