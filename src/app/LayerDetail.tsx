import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { selectReferenceLabel, selectReferenceVisible, selectSelectedResult, selectSelectedTensor, selectSpectrumScale } from '../state/selectors';
import { SpectrumView } from '../views/spectrum/SpectrumView';
import { EsdView } from '../views/esd/EsdView';
import { notAnalysedReason } from '../model/analysable';
import { formatNumber } from '../views/shared/chart';
import { formatShape } from '../views/layers/format';
import type { SpectrumResult } from '../../workers/protocol';

const DEFINITION_TEXT: Record<SpectrumResult['definition'], string> = {
  dense: 'dense: the matrix as stored',
  'ww-pooled': 'conv, ww-pooled: singular values of every kh·kw kernel slice (c_out × c_in), pooled; unscaled',
  'stack-pooled': 'stack: one matrix per leading index, pooled',
  unfold: 'conv, unfold (DDP): one c_out × c_in·kh·kw matrix',
  operator: 'conv, operator (Sedghi et al. 2019): the convolution on n×n inputs, circular padding, stride 1',
};

/** Header facts about the selected layer, and its two plots. */
export function LayerDetail() {
  const tensor = useAppStore(selectSelectedTensor);
  const result = useAppStore(selectSelectedResult);
  const scale = useAppStore(selectSpectrumScale);
  const referenceLabel = useAppStore(selectReferenceLabel);
  const referenceVisible = useAppStore(selectReferenceVisible);
  const store = useAppStoreApi();
  if (!tensor) return <p className="hint">Select a layer on the left.</p>;
  const reason = notAnalysedReason(tensor);
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
            <dt>definition</dt>
            <dd>{DEFINITION_TEXT[spectrum.definition]}</dd>
          </div>
          <div>
            <dt>matrices</dt>
            <dd>
              {spectrum.matrixCount} × ({spectrum.rows} × {spectrum.cols})
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
            <dt title="Σσ² / σ_max², from the pooled values">stable rank</dt>
            <dd>{sMax > 0 ? formatNumber(spectrum.frobeniusNormSq / (sMax * sMax)) : '—'}</dd>
          </div>
          <div>
            <dt>‖W‖_F</dt>
            <dd>{formatNumber(Math.sqrt(spectrum.frobeniusNormSq))}</dd>
          </div>
          <div>
            <dt>time</dt>
            <dd title={result?.status === 'ok' ? `of which reading the bytes: ${result.readMs.toFixed(0)} ms` : undefined}>{result?.status === 'ok' ? `${result.ms.toFixed(0)} ms` : ''}</dd>
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
            <label className="toggle">
              <input
                type="checkbox"
                checked={scale === 'log'}
                onChange={(e) => store.getState().setSpectrumScale(e.target.checked ? 'log' : 'linear')}
              />{' '}
              log scale
            </label>
          </figcaption>
          <SpectrumView />
        </figure>
        <figure className="plot">
          <figcaption>Empirical spectral density (ESD) of λ = σ²</figcaption>
          <EsdView />
        </figure>
      </div>
    </section>
  );
}
