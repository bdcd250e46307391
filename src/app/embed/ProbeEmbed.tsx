import { useEffect } from 'react';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { probedLayerNames, selectModelInfo, selectSelectedTensorName } from '../../state/selectors';
import type { AppState } from '../../state/appState';
import { ProfilesView } from '../../views/profiles/ProfilesView';
import { OverlapByDepth } from '../../views/profiles/OverlapByDepth';
import { builtinInputSet } from '../probe/builtinInputs';

const selectProbe = (s: AppState) => s.probe;

/**
 * A probe view in an embed: the built-in input set is the only one a link can name (dropped images stay on their
 * machine), so the embed builds it, runs it and shows one of the layer's profile views.
 */
export function ProbeEmbed({ panel }: { panel: 'heatmap' | 'hypergraph' | 'jaccard' | 'overlap' }) {
  const store = useAppStoreApi();
  const probe = useAppStore(selectProbe);
  const layer = useAppStore(selectSelectedTensorName);
  const info = useAppStore(selectModelInfo);
  // Only the sample has a built-in set (its TF.js form is what the probe runs, with names mapped).
  const canBuild = Object.keys(probe.names).length > 0;

  useEffect(() => {
    void store.getState().openProbeModel();
  }, [store, probe.files]);
  useEffect(() => {
    const s = store.getState();
    if (!probe.model?.runnable || probe.inputs || !canBuild) return;
    s.setProbeInputs(builtinInputSet(probe.model.input));
    void s.runProbe();
  }, [store, probe.model, probe.inputs, canBuild]);

  const result = layer ? probe.results[layer] : undefined;
  if (probe.model && !probe.model.runnable) return <p className="hint">{probe.model.reason}</p>;
  if (probe.error) return <p className="error-text" role="alert">Probe failed [{probe.error.code}]: {probe.error.message}</p>;
  if (panel === 'overlap') {
    const layers = probedLayerNames(info, probe.results);
    if (!probe.inputs || layers.length === 0) return <p className="hint">Running the built-in inputs through the model…</p>;
    return (
      <OverlapByDepth
        layers={layers}
        results={probe.results}
        labels={probe.inputs.labels}
        classes={probe.inputs.classes}
        threshold={probe.options.threshold}
        weighted={probe.options.weighted}
        selected={layer}
        onSelect={(name) => store.getState().selectTensor(name)}
        onHover={(name) => store.getState().setHover(name)}
      />
    );
  }
  if (!result || !probe.inputs || !layer) return <p className="hint">Running the built-in inputs through the model…</p>;
  const inputs = probe.inputs;
  return (
    <ProfilesView
      only={panel}
      layer={layer}
      sigma={result.sigma}
      aggregates={result.aggregates}
      n={inputs.labels.length}
      rank={result.rank}
      labels={inputs.labels}
      classes={inputs.classes}
      names={inputs.names}
      thumbnails={(i) => inputs.thumbnails[i] ?? ''}
      threshold={probe.options.threshold}
      weightedJaccard={probe.options.weighted}
      mode={probe.options.mode}
      selectedDirection={probe.direction}
      onSelectDirection={(k) => store.getState().selectDirection(k)}
      onMode={(mode) => store.getState().setProbeOptions({ mode })}
      onWeighted={(weighted) => store.getState().setProbeOptions({ weighted })}
    />
  );
}
