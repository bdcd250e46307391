import { useCallback, useEffect, useMemo } from 'react';
import type { InputPreprocessing } from '../analysis/probeInputs/inputSpec';
import { useAppStore, useAppStoreApi } from '../views/shared/storeContext';
import { probedLayerNames, selectModelInfo, selectSelectedTensorName } from '../state/selectors';
import { selectedProbeLayerName } from '../state/slices/probeSlice';
import type { AppState } from '../state/appState';
import { ProbeWorkspace } from './probe/ProbeWorkspace';
import { SpectrumView } from '../views/spectrum/SpectrumView';
import { ProfilesView } from '../views/profiles/ProfilesView';
import { OverlapByDepth } from '../views/profiles/OverlapByDepth';
import type { ProbeExportInput } from './probe/probeExport';
import { probeCsv, probeJson } from './probe/probeExport';
import { download, stem } from './download';
import type { ProfilesChart } from '../views/profiles/ProfilesView';
import { InputPanel } from './probe/InputPanel';
import type { ProbeInputSet as PanelInputSet } from './probe/InputPanel';
import { ChartExport } from './ChartExport';

const selectProbe = (s: AppState) => s.probe;
const selectSourceKind = (s: AppState) => s.model.source;
const selectBuiltinRequested = (s: AppState) => s.restore.builtinInputs;

const PANEL_OF: Record<ProfilesChart, 'heatmap' | 'hypergraph' | 'jaccard'> = { heatmap: 'heatmap', hypergraph: 'hypergraph', jaccard: 'jaccard' };

/** Width / height of a 4-D image batch in `layout`. */
function aspectOf(shape: readonly number[], layout: 'NCHW' | 'NHWC'): number {
  const [h, w] = layout === 'NCHW' ? [shape[2], shape[3]] : [shape[1], shape[2]];
  return h && w ? w / h : 1;
}

/**
 * Singular directions at work (issue 7): the model run on a labelled input set in the probe worker, and for the
 * selected layer which of its singular directions each class relies on (SCIENCE.md §3).
 */
export function ProbePage() {
  const store = useAppStoreApi();
  const probe = useAppStore(selectProbe);
  const layer = useAppStore(selectSelectedTensorName);
  const source = useAppStore(selectSourceKind);
  const info = useAppStore(selectModelInfo);
  const builtinRequested = useAppStore(selectBuiltinRequested);
  const sampleAvailable = source?.kind === 'sample' && Object.keys(probe.names).length > 0;
  const setPreprocessing = useCallback((p: InputPreprocessing) => store.getState().setPreprocessing(p), [store]);

  useEffect(() => {
    void store.getState().openProbeModel();
  }, [store, probe.files]);
  const onInputs = useCallback(
    (set: PanelInputSet | null) => {
      store.getState().setProbeInputs(
        set
          ? {
              source: set.source === 'sample' ? 'builtin' : 'files',
              classes: set.classes,
              labels: set.labels,
              names: set.names,
              data: set.batch.data,
              shape: set.batch.shape,
              thumbnails: set.thumbnails,
            }
          : null,
      );
    },
    [store],
  );

  const result = layer ? probe.results[layer] : undefined;
  const inputs = probe.inputs;
  const probeLayer = useAppStore(selectedProbeLayerName);
  // The probed layers in the scan's (depth) order.
  const probedLayers = useMemo(() => probedLayerNames(info, probe.results), [info, probe.results]);
  const selectLayer = useCallback((name: string) => store.getState().selectTensor(name), [store]);
  const hoverLayer = useCallback((name: string | null) => store.getState().setHover(name), [store]);
  const exportInput = (): ProbeExportInput | null =>
    inputs && probe.model
      ? {
          model: info?.name ?? 'model',
          runtime: probe.model.runtime ?? '',
          aggregate: probe.options.aggregate,
          threshold: probe.options.threshold,
          layers: probedLayers.map((name) => probe.results[name]!),
          classes: inputs.classes,
          labels: inputs.labels,
          names: inputs.names,
        }
      : null;
  const exportAs = (kind: 'csv' | 'json') => {
    const e = exportInput();
    if (!e) return;
    const name = `${stem(info?.name ?? 'model')}-directions.${kind}`;
    if (kind === 'csv') download(name, probeCsv(e), 'text/csv');
    else download(name, probeJson(e), 'application/json');
  };
  const thumbnailAspect = inputs ? aspectOf(inputs.shape, probe.model?.input?.layout ?? 'NCHW') : 1;
  const thumbnail = useCallback((i: number) => inputs?.thumbnails[i] ?? '', [inputs]);
  const running = probe.status === 'running';
  const n = inputs?.labels.length ?? 0;

  return (
    <ProbeWorkspace
      label="Singular directions at work"
      page="probe"
      facts="singular directions at work: which directions each input class relies on (DeepDataProfiler, SCIENCE.md §3)"
      notRunnableTestId="probe-not-runnable"
    >
        {probe.error ? (
          <p className="error-text" role="alert" data-testid="probe-error" data-error-code={probe.error.code}>
            Probe failed [{probe.error.code}]: {probe.error.message}
            {probe.error.remedy ? ` ${probe.error.remedy}` : ''}
          </p>
        ) : null}
        {probe.model?.runnable ? (
          <>
            <details className="probe-inputs" open={!result}>
              <summary>
                Inputs{inputs ? `: ${inputs.classes.length} classes · ${n} inputs` : ''} · run by {probe.model.runtime}
              </summary>
              <InputPanel
                spec={probe.model.input}
                value={probe.preprocessing}
                onChange={setPreprocessing}
                onInputs={onInputs}
                busy={running}
                sampleAvailable={sampleAvailable}
                startWithSample={builtinRequested}
              />
            </details>
            <div className="probe-run" role="group" aria-label="Run the probe">
              <button
                type="button"
                className="button primary"
                disabled={!inputs || running || (probe.options.scope === 'layer' && !probeLayer)}
                onClick={() => void store.getState().runProbe()}
                data-testid="probe-run"
              >
                Run {n > 0 ? `${n} inputs` : 'the inputs'} through the model
              </button>
              <label title="Big models: probing one layer at a time keeps only that layer's activations in memory">
                layers{' '}
                <select
                  value={probe.options.scope}
                  onChange={(e) => store.getState().setProbeOptions({ scope: e.target.value === 'layer' ? 'layer' : 'all' })}
                  data-testid="probe-scope"
                >
                  <option value="all">all {probe.model.layers.length} probe-able</option>
                  <option value="layer">only the selected one</option>
                </select>
              </label>
              <label>
                aggregate over positions{' '}
                <select value={probe.options.aggregate} onChange={(e) => store.getState().setProbeOptions({ aggregate: e.target.value === 'max' ? 'max' : 'mean' })} data-testid="probe-aggregate">
                  <option value="mean">mean (DDP default)</option>
                  <option value="max">max</option>
                </select>
              </label>
              <label title="Influential directions: the shortest prefix of |aggregate| (sorted) whose cumulative share stays ≤ this, plus one (SCIENCE.md §3)">
                influence threshold{' '}
                <select value={probe.options.threshold} onChange={(e) => store.getState().setProbeOptions({ threshold: Number(e.target.value) })} data-testid="probe-threshold">
                  {[0.05, 0.1, 0.2, 0.3, 0.5].map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </label>
              {running && probe.progress ? (
                <span className="progress-text" aria-live="polite">
                  <progress max={probe.progress.total} value={probe.progress.done} aria-label="Probe progress" /> {probe.progress.stage} ({probe.progress.done}/{probe.progress.total}){' '}
                  <button type="button" className="button small" onClick={() => store.getState().cancelProbe()}>
                    Cancel
                  </button>
                </span>
              ) : probe.status === 'cancelled' ? (
                <span className="hint">Cancelled.</span>
              ) : null}
              {probedLayers.length > 0 && !running ? (
                <span className="chart-export" role="group" aria-label="Export the profiles">
                  <span className="label">profiles</span>
                  <button type="button" className="button small" onClick={() => exportAs('csv')} data-testid="probe-export-csv" title="Class profiles of every probed layer, one row per layer × direction × class">
                    CSV
                  </button>
                  <button type="button" className="button small" onClick={() => exportAs('json')} data-testid="probe-export-json" title="Everything the probe computed: σ, every input's projections, class profiles, Jaccard matrices">
                    JSON
                  </button>
                </span>
              ) : null}
            </div>
          </>
        ) : null}
        {layer && probe.model?.runnable && !probeLayer ? (
          <p className="hint">This layer is not probed: only dense and conv weights whose op the runtime exposes are (choose one on the left).</p>
        ) : null}
        {layer && probeLayer && !result && probedLayers.length > 0 && !running ? (
          <p className="hint" data-testid="probe-layer-pending">
            {layer} has not been probed with these inputs yet: run them to add it.
          </p>
        ) : null}
        {probedLayers.length > 1 && inputs ? (
          <OverlapByDepth
            layers={probedLayers}
            results={probe.results}
            labels={inputs.labels}
            classes={inputs.classes}
            threshold={probe.options.threshold}
            weighted={probe.options.weighted}
            selected={layer}
            onSelect={selectLayer}
            onHover={hoverLayer}
            actions={<ChartExport name={`${stem(info?.name ?? 'model')}-class-overlap`} panel="overlap" title="Class overlap by layer" />}
          />
        ) : null}
        {result && inputs && layer ? (
          <div className="probe-results">
            <figure className="plot probe-spectrum">
              <figcaption>
                Singular values of {layer}: the selected direction marked
                <ChartExport name={`${layer.replace(/[^\w.-]+/g, '_')}-spectrum`} />
              </figcaption>
              <SpectrumView highlightRank={probe.direction === null ? null : probe.direction + 1} />
            </figure>
            <ProfilesView
              layer={layer}
              sigma={result.sigma}
              aggregates={result.aggregates}
              n={n}
              rank={result.rank}
              labels={inputs.labels}
              classes={inputs.classes}
              names={inputs.names}
              thumbnails={thumbnail}
              thumbnailAspect={thumbnailAspect}
              threshold={probe.options.threshold}
              weightedJaccard={probe.options.weighted}
              mode={probe.options.mode}
              selectedDirection={probe.direction}
              onSelectDirection={(k) => store.getState().selectDirection(k)}
              onMode={(mode) => store.getState().setProbeOptions({ mode })}
              onWeighted={(weighted) => store.getState().setProbeOptions({ weighted })}
              renderActions={({ chart, name, title }) => <ChartExport name={name} panel={PANEL_OF[chart]} title={title} />}
            />
          </div>
        ) : null}
    </ProbeWorkspace>
  );
}
