/**
 * Keep the URL and the store in step: apply a permalink on load, then rewrite the URL (history.replaceState)
 * whenever the shareable slice changes. The browser parts (location, history) are passed in, so this is testable.
 */
import type { AppStore } from './createAppStore';
import type { PermalinkState } from './permalink';
import { decodePermalink, encodePermalink } from './permalink';

/** The shareable slice of the current state. */
export function permalinkOf(state: ReturnType<AppStore['getState']>): PermalinkState {
  const source = state.model.source;
  const s = state.settings;
  return {
    source: source ?? null,
    layer: state.selection.tensor,
    view: state.view.page,
    checkpoint: state.study.status !== 'none' && state.study.checkpoints.length > 0 ? (state.study.checkpoints[state.study.current]?.name ?? null) : null,
    diff: state.study.status !== 'none' ? state.diffPair : null,
    probe: {
      inputs: state.probe.inputs?.source === 'builtin' ? 'builtin' : null,
      aggregate: state.probe.options.aggregate,
      threshold: state.probe.options.threshold,
      mode: state.probe.options.mode,
      weighted: state.probe.options.weighted,
      scope: state.probe.options.scope,
      direction: state.probe.direction,
    },
    curves: state.curves.options,
    curveUnit: state.curves.unit,
    metric: state.view.scanMetric,
    conv: s.conv ?? 'ww-pooled',
    operatorInputSize: s.operatorInputSize ?? 16,
    mpFit: s.mpFit ?? true,
    normalization: s.normalization ?? 'none',
    exactTail: s.exactTail ?? 'auto',
    randomize: s.randomize ?? false,
    spectrumScale: state.view.spectrumScale,
  };
}

/**
 * Apply `search` to the store and open its model (or `fallbackSample`), then keep the URL current.
 * @param extraParams query parameters outside the permalink to keep in the URL (e.g. debugging switches)
 */
export function syncPermalink(
  store: AppStore,
  search: string,
  fallbackSample: string,
  replaceUrl: (query: string) => void,
  extraParams: readonly string[] = [],
): () => void {
  const link = decodePermalink(search);
  const kept = new URLSearchParams(search);
  const extras = extraParams.flatMap((k) => (kept.has(k) ? [[k, kept.get(k) as string] as const] : []));
  const state = store.getState();
  state.setSettings({
    conv: link.conv,
    operatorInputSize: link.operatorInputSize,
    mpFit: link.mpFit,
    normalization: link.normalization,
    exactTail: link.exactTail,
    randomize: link.randomize,
  });
  state.setSpectrumScale(link.spectrumScale);
  state.setScanMetric(link.metric);
  state.setRestore({
    layer: link.layer,
    files: link.source?.kind === 'files' ? link.source.names : null,
    page: link.view === 'scan' ? null : link.view,
    checkpoint: link.checkpoint,
    builtinInputs: link.probe.inputs === 'builtin',
  });
  if (link.diff) state.restoreDiff(link.diff);
  state.setProbeOptions({ aggregate: link.probe.aggregate, threshold: link.probe.threshold, mode: link.probe.mode, weighted: link.probe.weighted, scope: link.probe.scope });
  state.setCurveOptions(link.curves);
  state.focusUnit(link.curveUnit);
  if (link.source?.kind === 'url') void state.openUrls(link.source.urls);
  else void state.openSample(link.source?.kind === 'sample' ? link.source.id : fallbackSample);
  let last = '';
  // A direction asked for by the link is selected once the probe has results for the layer (new inputs clear it).
  let wantedDirection = link.probe.direction;
  return store.subscribe((s) => {
    // A checkpoint asked for by the link is shown by `openStudy`; a link whose model is not a study drops it.
    if (s.restore.checkpoint !== null && s.study.status === 'none' && s.model.status === 'ready') s.setRestore({ checkpoint: null });
    // A study page asked for without a layer: shown once the study is open.
    if (s.restore.page === 'study' && s.restore.layer === null && s.study.checkpoints.length > 0) {
      s.setRestore({ page: null });
      s.showStudy();
      return;
    }
    if (wantedDirection !== null && s.restore.layer === null && s.selection.tensor !== null && s.probe.results[s.selection.tensor]) {
      const k = wantedDirection;
      wantedDirection = null;
      s.selectDirection(k);
      return;
    }
    // A layer asked for by the link is selected as soon as the open model has it.
    const wanted = s.restore.layer;
    // (Once its result is in: opening a model resets the selection, and the scan selects its first layer.)
    const ready = wanted !== null && (s.analysis.results[wanted] !== undefined || s.analysis.status === 'done');
    if (ready && s.model.info?.tensors.some((t) => t.name === wanted) && (s.restore.files === null || s.model.source?.kind === 'files')) {
      const page = s.restore.page;
      s.setRestore({ layer: null, page: null });
      if (page !== null) s.openLayer(wanted);
      else if (s.selection.tensor !== wanted) s.selectTensor(wanted);
      if (page === 'probe') s.showProbe();
      if (page === 'curves') s.showCurves();
      if (page === 'study') s.showStudy();
      return;
    }
    if (s.restore.files !== null && s.model.source?.kind === 'files') s.setRestore({ files: null });
    // While the link's local files are awaited, keep the link as it was.
    if (s.restore.files !== null) return;
    const query = [encodePermalink(permalinkOf(s)), ...extras.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&');
    if (query !== last) {
      last = query;
      replaceUrl(query);
    }
  });
}
