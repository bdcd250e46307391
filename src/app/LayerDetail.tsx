import { LowRankPanel } from '../views/lowrank/LowRankPanel';
import { LowRankExport, wholeModelPlan } from './lowrank/LowRankExport';
import { OutputChangePanel } from './lowrank/OutputChangePanel';
import { truncationGeometry } from '../views/lowrank/lowRankData';
import type { AppState } from '../state/appState';
import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { selectModelInfo, selectReferenceLabel, selectReferenceVisible, selectSelectedResult, selectSelectedTensor, selectSpectrumScale } from '../state/selectors';
import { SpectrumView } from '../views/spectrum/SpectrumView';
import { EsdView, eigenvalueLabel } from '../views/esd/EsdView';
import { FitDiagnosticsView } from '../views/fit/FitDiagnosticsView';
import { MetricsPanel } from '../views/metrics/MetricsPanel';
import { ChartExport } from './ChartExport';
import { TrapView } from '../views/trap/TrapView';
import { EmbedButton } from './embed/EmbedButton';
import { notAnalysedReason } from '../model/analysable';
import { formatNumber } from '../views/shared/chart';
import { formatShape } from '../views/layers/format';

/** Header facts about the selected layer, and its two plots. */
const selectLowRankK = (s: AppState) => s.view.lowRankK;

export function LayerDetail() {
  const tensor = useAppStore(selectSelectedTensor);
  const result = useAppStore(selectSelectedResult);
  const scale = useAppStore(selectSpectrumScale);
  const referenceLabel = useAppStore(selectReferenceLabel);
  const referenceVisible = useAppStore(selectReferenceVisible);
  const lowRankK = useAppStore(selectLowRankK);
  const info = useAppStore(selectModelInfo);
  const store = useAppStoreApi();
  if (!tensor) return <p className="hint">Select a layer on the left.</p>;
  const reason = notAnalysedReason(tensor);
  const fileStem = tensor.name.replace(/[^\w.-]+/g, '_');
  const spectrum = result?.status === 'ok' ? result.spectrum : null;
  const sv = spectrum?.singularValues;
  const sMax = sv?.[0] ?? 0;
  const sMin = sv && sv.length > 0 ? (sv[sv.length - 1] ?? 0) : 0;
  return (
    <section className="layer-detail" aria-label={`Layer ${tensor.name}`} data-state={spectrum ? 'ready' : 'pending'}
      data-ms={result?.status === 'ok' ? result.ms : undefined}
      data-read-ms={result?.status === 'ok' ? result.readMs : undefined}
    >
      <header className="layer-header">
        <button type="button" className="button small back" onClick={() => store.getState().showScan()} title="Back to the whole-model scan (Esc)" data-testid="back-to-scan">
          ← Whole model
        </button>
        <h2>{tensor.name}</h2>
        <span className="facts">
          {formatShape(tensor.shape)} · {tensor.dtype}
          {tensor.layout ? ` · ${tensor.layout}${tensor.layoutSource === 'convention' ? ' (assumed: format convention)' : ' (from file)'}` : ''}
        </span>
      </header>
      {reason ? (
        <p className="hint">Not analysed: {reason}.</p>
      ) : result?.status === 'non-finite' ? (
        <p className="error-text" role="alert">
          This layer holds {result.nanCount} NaN and {result.infCount} ±Inf values; its spectrum is undefined, so it was not analysed.
        </p>
      ) : result?.status === 'failed' ? (
        <p className="error-text" role="alert">
          Analysis failed [{result.error.code}]: {result.error.message}
        </p>
      ) : null}
      {spectrum && sv ? (
        <dl className="stats">
          <div>
            <dt>matrices</dt>
            <dd>
              {spectrum.matrixCount} × ({spectrum.rows} × {spectrum.cols}){spectrum.operatorInputSize ? ` · n = ${spectrum.operatorInputSize}` : ''}
            </dd>
          </div>
          <div>
            <dt>singular values</dt>
            <dd>{sv.length}</dd>
          </div>
          <div>
            <dt>σ_max / σ_min</dt>
            <dd>
              {formatNumber(sMax)} / {formatNumber(sMin)}
            </dd>
          </div>
          <div>
            <dt>‖W‖_F</dt>
            <dd>{formatNumber(Math.sqrt(spectrum.frobeniusNormSq))}</dd>
          </div>
          <div>
            <dt>time</dt>
            <dd
              title={result?.status === 'ok' ? `of which reading the bytes: ${result.readMs.toFixed(0)} ms; computed by ${spectrum.linalg ?? 'typescript f64'}` : undefined}
              data-linalg={spectrum.linalg}
            >
              {result?.status === 'ok' ? `${result.ms.toFixed(0)} ms` : ''}
            </dd>
          </div>
        </dl>
      ) : null}
      {referenceLabel ? (
        <label className="toggle compare-toggle">
          <input type="checkbox" checked={referenceVisible} onChange={(e) => store.getState().setReferenceVisible(e.target.checked)} /> compare
          with <span className="reference-swatch" aria-hidden="true" /> {referenceLabel} (same layer, dashed)
        </label>
      ) : null}
      <div className="plots">
        <figure className="plot">
          <figcaption>
            Singular values by rank
            <ChartExport name={`${fileStem}-spectrum`} panel="spectrum" title={`singular values of ${tensor.name}`} />
            <label className="toggle">
              <input
                type="checkbox"
                checked={scale === 'log'}
                onChange={(e) => store.getState().setSpectrumScale(e.target.checked ? 'log' : 'linear')}
              />{' '}
              log scale
            </label>
          </figcaption>
          <SpectrumView highlightRank={lowRankK} />
        </figure>
        <figure className="plot">
          <figcaption>
            ESD of {result?.status === 'ok' ? eigenvalueLabel(result.report.evalScale) : 'λ'}, with the fits
            <ChartExport name={`${fileStem}-esd`} panel="esd" title={`ESD of ${tensor.name}`} />
          </figcaption>
          <EsdView />
        </figure>
        <figure className="plot">
          <figcaption>
            Power-law fit: D and α against xmin
            <ChartExport name={`${fileStem}-fit`} panel="fit" title={`power-law fit of ${tensor.name}`} />
          </figcaption>
          <FitDiagnosticsView />
        </figure>
        <figure className="plot">
          <figcaption>
            Correlation traps: the layer against a shuffled copy
            <ChartExport name={`${fileStem}-trap`} panel="trap" title={`${tensor.name} against a shuffled copy`} />
          </figcaption>
          <TrapView />
        </figure>
      </div>
      {spectrum && sv ? (
        <LowRankPanel
          sigma={sv}
          geometry={truncationGeometry(spectrum.definition, spectrum.matrixCount, spectrum.rows, spectrum.cols, tensor.shape, tensor.layout === 'HWIO' ? 'HWIO' : tensor.layout === 'OIHW' ? 'OIHW' : undefined)}
          k={lowRankK}
          onK={(k) => store.getState().setLowRankK(k)}
          actions={(k) => (
            <>
              <OutputChangePanel tensor={tensor.name} k={k} />
              <LowRankExport
              testId="lowrank-export"
              choices={[
                { label: `${tensor.name} at rank ${k}, other layers as they are`, plan: [{ tensor: tensor.name, k }] },
                { label: 'every layer at its 90 % energy rank', plan: info ? wholeModelPlan(info.tensors, 0.9) : [] },
              ]}
              />
            </>
          )}
        />
      ) : null}
      {result?.status === 'ok' ? (
        <>
          <div className="metrics-actions">
            <EmbedButton panel="metrics" title={`metrics of ${tensor.name}`} />
          </div>
          <MetricsPanel report={result.report} />
        </>
      ) : null}
    </section>
  );
}
