import type { ReactNode } from 'react';
import { useAppStore } from '../../views/shared/storeContext';
import { selectAnalysis, selectModelInfo, selectReferenceStatus, selectSelectedResult, selectSelectedTensorName } from '../../state/selectors';
import { SpectrumView } from '../../views/spectrum/SpectrumView';
import { EsdView } from '../../views/esd/EsdView';
import { FitDiagnosticsView } from '../../views/fit/FitDiagnosticsView';
import { MetricsPanel } from '../../views/metrics/MetricsPanel';
import { OverviewView } from '../../views/overview/OverviewView';
import { StripView } from '../../views/scan/StripView';
import { LayerTable } from '../../views/scan/LayerTable';
import { TrapView } from '../../views/trap/TrapView';
import { ErrorBanner } from '../ErrorBanner';
import { ProbeEmbed } from './ProbeEmbed';
import { CurvesEmbed } from './CurvesEmbed';
import { StepMetricView } from '../../views/study/StepMetricView';
import { StepSpectraView } from '../../views/study/StepSpectraView';
import { DiffView } from '../../views/diff/DiffView';
import '../study/study.css';
import '../study/diff.css';
import type { EmbedPanel } from './embedParams';
import { PANEL_TITLES, appUrlOf } from './embedParams';

/** The layer panel's view, once the layer is known. */
function LayerPanel({ panel }: { panel: EmbedPanel }): ReactNode {
  const result = useAppStore(selectSelectedResult);
  switch (panel) {
    case 'spectrum':
      return <SpectrumView />;
    case 'esd':
      return <EsdView />;
    case 'fit':
      return <FitDiagnosticsView />;
    case 'trap':
      return <TrapView auto />;
    default:
      return result?.status === 'ok' ? <MetricsPanel report={result.report} /> : null;
  }
}

/**
 * Embed mode: one view and a one-line caption, filling the frame, with a link that opens the same view in the
 * full app (in a new tab: an embed never navigates its slide away).
 */
export function EmbedApp({ panel }: { panel: EmbedPanel }) {
  const info = useAppStore(selectModelInfo);
  const layer = useAppStore(selectSelectedTensorName);
  const analysis = useAppStore(selectAnalysis);
  const reference = useAppStore(selectReferenceStatus);
  const studyTitle = useAppStore((s) => (s.study.status === 'none' ? null : s.study.title));
  const scan = panel === 'strip' || panel === 'depth' || panel === 'table' || panel === 'steps';
  const probe = panel === 'heatmap' || panel === 'hypergraph' || panel === 'jaccard' || panel === 'overlap';
  const study = panel === 'steps' || panel === 'step-spectra' || panel === 'delta-spectrum' || panel === 'principal-angles';
  const progress = analysis.progress && analysis.status === 'running' ? ` · scanning ${analysis.progress.done}/${analysis.progress.total}` : '';
  return (
    <div className={`embed embed-${panel}`} data-panel={panel} data-scan={analysis.status} data-reference={reference}>
      <header className="embed-caption">
        <span className="embed-title">
          {studyTitle && study ? studyTitle : info ? info.name : 'Loading…'}
          {!scan && layer ? ` · ${layer}` : ''} — {PANEL_TITLES[panel]}
          {progress}
        </span>
        <a href={appUrlOf(location.href)} target="_blank" rel="noopener noreferrer" data-testid="open-in-app">
          Open in Artificial MRI ↗
        </a>
      </header>
      <ErrorBanner />
      <main className="embed-body" aria-label={`Artificial MRI: ${PANEL_TITLES[panel]}`}>
        {!info ? null : panel === 'strip' ? (
          <StripView />
        ) : panel === 'depth' ? (
          <OverviewView />
        ) : panel === 'table' ? (
          <LayerTable />
        ) : probe ? (
          <ProbeEmbed panel={panel} />
        ) : panel === 'tuning' || panel === 'curvature' || panel === 'circuit' ? (
          <CurvesEmbed panel={panel} />
        ) : panel === 'steps' ? (
          <StepMetricView />
        ) : panel === 'step-spectra' ? (
          <StepSpectraView />
        ) : panel === 'delta-spectrum' || panel === 'principal-angles' ? (
          <DiffView panel={panel} />
        ) : (
          <LayerPanel panel={panel} />
        )}
      </main>
    </div>
  );
}
