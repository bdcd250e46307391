import { useMemo } from 'react';
import { useAppStore } from '../shared/storeContext';
import { useChart } from '../shared/useChart';
import { selectSelectedResult, selectSelectedTensorName } from '../../state/selectors';
import { fitDiagnosticsChart } from './fitDiagnosticsChart';
import type { FitDiagnosticsData } from './fitDiagnosticsChart';

/** D vs xmin and α vs xmin of the selected layer's power-law fit. */
export function FitDiagnosticsView() {
  const result = useAppStore(selectSelectedResult);
  const name = useAppStore(selectSelectedTensorName);
  const data = useMemo<FitDiagnosticsData | null>(() => {
    if (result?.status !== 'ok' || !name) return null;
    const { xmins, Ds, alphas, xminIndex } = result.report.powerLaw;
    return { xmins, Ds, alphas, chosen: xminIndex, label: name };
  }, [result, name]);
  const host = useChart(fitDiagnosticsChart, data);
  return <div ref={host} className="view view-fit" aria-label="Power-law fit diagnostics: D and α against xmin" data-ready={data ? 'true' : 'false'} />;
}
