import type { AppState } from './appState';
import type { LayerResult, SpectrumResult } from '../../workers/protocol';
import type { TensorInfo } from '../model/types';
import type { TrapEntry } from './slices/trapSlice';

/** Module-scope selectors (xyflow habit): components re-render only when their slice changes. */
export const selectModelInfo = (s: AppState) => s.model.info;
export const selectModelStatus = (s: AppState) => s.model.status;
export const selectOpenError = (s: AppState) => s.model.openError;
export const selectAnalysis = (s: AppState) => s.analysis;
export const selectResults = (s: AppState) => s.analysis.results;
export const selectSelectedTensorName = (s: AppState) => s.selection.tensor;
export const selectSpectrumScale = (s: AppState) => s.view.spectrumScale;

export const selectSelectedTensor = (s: AppState): TensorInfo | null => {
  const name = s.selection.tensor;
  return name === null ? null : (s.model.info?.tensors.find((t) => t.name === name) ?? null);
};

export const selectSelectedResult = (s: AppState): LayerResult | null => {
  const name = s.selection.tensor;
  return name === null ? null : (s.analysis.results[name] ?? null);
};

export const selectReferenceVisible = (s: AppState) => s.reference.visible;
export const selectReferenceStatus = (s: AppState) => s.reference.status;

export const selectReferenceLabel = (s: AppState) => s.reference.label;

/** The reference spectrum of the selected layer, when there is one and it is shown (a stable reference). */
export const selectSelectedReferenceSpectrum = (s: AppState): SpectrumResult | null => {
  const name = s.selection.tensor;
  if (name === null || !s.reference.visible) return null;
  return s.reference.spectra[name] ?? null;
};
export const selectSettings = (s: AppState) => s.settings;
export const selectHover = (s: AppState) => s.hover;
export const selectPage = (s: AppState) => s.view.page;
export const selectScanMetric = (s: AppState) => s.view.scanMetric;

/** The on-demand correlation-trap comparisons, by tensor name (see `trapSlice`). */
export const selectTrapResults = (s: AppState) => s.trap.results;
/** The selected layer's on-demand comparison, if one was requested (the scan's own is in its LayerResult). */
export const selectSelectedTrap = (s: AppState): TrapEntry | null => {
  const name = s.selection.tensor;
  return name === null ? null : (s.trap.results[name] ?? null);
};

/** The probed layers in the scan's (depth) order: the names `probe.results` has, as `model.info` lists them. */
export function probedLayerNames(info: AppState['model']['info'], results: AppState['probe']['results']): string[] {
  return info ? info.tensors.map((t) => t.name).filter((name) => results[name] !== undefined) : [];
}
