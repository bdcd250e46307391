import { useMemo } from 'react';
import { useAppStore } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { selectSelectedResult, selectSelectedTensorName, selectSpectrumScale } from '../../state/selectors';
import { spectrumChart } from './spectrumChart';
import type { SpectrumData } from './spectrumChart';

export function SpectrumView() {
  const result = useAppStore(selectSelectedResult);
  const name = useAppStore(selectSelectedTensorName);
  const scale = useAppStore(selectSpectrumScale);
  const data = useMemo<SpectrumData | null>(
    () => (result?.status === 'ok' && name ? { singularValues: result.spectrum.singularValues, scale, label: name } : null),
    [result, name, scale],
  );
  const host = useChart(spectrumChart, data);
  return <div ref={host} className="view view-spectrum" aria-label="Singular value spectrum" data-ready={data ? 'true' : 'false'} />;
}
