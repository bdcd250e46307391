import { useMemo } from 'react';
import { useAppStore } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import {
  selectReferenceLabel,
  selectSelectedReferenceSpectrum,
  selectSelectedResult,
  selectSelectedTensorName,
  selectSpectrumScale,
} from '../../state/selectors';
import { spectrumChart } from './spectrumChart';
import type { SpectrumData } from './spectrumChart';

/**
 * The selected layer's spectrum. `highlightRank` (1 = largest σ; default none) marks one rank, e.g. the singular
 * direction selected in the profile views.
 */
export function SpectrumView({ highlightRank = null }: { highlightRank?: number | null } = {}) {
  const result = useAppStore(selectSelectedResult);
  const name = useAppStore(selectSelectedTensorName);
  const scale = useAppStore(selectSpectrumScale);
  const reference = useAppStore(selectSelectedReferenceSpectrum);
  const referenceLabel = useAppStore(selectReferenceLabel);
  const data = useMemo<SpectrumData | null>(
    () =>
      result?.status === 'ok' && name
        ? {
            singularValues: result.spectrum.singularValues,
            scale,
            label: name,
            reference: reference && referenceLabel ? { singularValues: reference.singularValues, label: referenceLabel } : null,
            highlightRank,
          }
        : null,
    [result, name, scale, reference, referenceLabel, highlightRank],
  );
  const host = useChart(spectrumChart, data);
  return (
    <div
      ref={host}
      className="view view-spectrum"
      aria-label="Singular value spectrum"
      data-ready={data ? 'true' : 'false'}
      data-reference={data?.reference ? 'true' : 'false'}
      data-highlight-rank={data?.highlightRank ?? undefined}
    />
  );
}
