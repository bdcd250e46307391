import { useState } from 'react';
import type { LowRankPlanEntry } from '../../../workers/protocol';
import type { AppState } from '../../state/appState';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { download } from '../download';
import { isTruncatable } from '../../model/analysable';
import type { TensorInfo } from '../../model/types';

const selectExport = (s: AppState) => s.lowRankExport;
const size = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

/** A way to truncate the model, as offered to the user. */
export interface LowRankChoice {
  readonly label: string;
  readonly plan: readonly LowRankPlanEntry[];
}

/**
 * Download the open model with layers replaced by their rank-k approximation (issue 9): the worker writes a
 * safetensors file whose untouched tensors are slices of the dropped file, so a large model streams through.
 */
export function LowRankExport({ choices, testId }: { choices: readonly LowRankChoice[]; testId: string }) {
  const state = useAppStore(selectExport);
  const store = useAppStoreApi();
  const [choice, setChoice] = useState(0);
  const [form, setForm] = useState<'truncated' | 'factors'>('truncated');
  const chosen = choices[Math.min(choice, choices.length - 1)];
  if (!chosen) return null;
  const running = state.status === 'running';
  return (
    <div className="lowrank-export" data-testid={testId} data-state={state.status}>
      <span className="label">Download as safetensors:</span>
      <select value={choice} onChange={(e) => setChoice(Number(e.target.value))} aria-label="Which layers at which rank">
        {choices.map((c, i) => (
          <option key={c.label} value={i}>
            {c.label}
          </option>
        ))}
      </select>
      <select value={form} onChange={(e) => setForm(e.target.value === 'factors' ? 'factors' : 'truncated')} aria-label="What to write">
        <option value="truncated">truncated weights W_k (same shapes)</option>
        <option value="factors">factor pairs U_k√Σ_k, √Σ_kV_kᵀ</option>
      </select>
      {running ? (
        <>
          <span className="progress-text">
            {state.progress ? `${state.progress.done} / ${state.progress.total} · ${state.progress.tensor}` : 'starting'}
          </span>
          <button type="button" className="button small" onClick={() => store.getState().cancelLowRankExport()}>
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button small"
          data-testid={`${testId}-run`}
          onClick={() =>
            void store
              .getState()
              .exportLowRankModel(chosen.plan, form)
              .then((file) => file && download(file.name, file.blob, 'application/octet-stream'))
          }
        >
          Download
        </button>
      )}
      {state.status === 'done' && state.last ? (
        <span className="hint-inline" data-testid={`${testId}-done`}>
          {state.last.name}, {size(state.last.bytes)}: {state.last.summary.length} {state.last.summary.length === 1 ? 'layer' : 'layers'} at rank{' '}
          {[...new Set(state.last.summary.map((s) => s.k))].slice(0, 4).join(', ')}
          {state.last.notes.length ? ` · ${state.last.notes.join(' ')}` : ''}
        </span>
      ) : state.status === 'error' && state.error ? (
        <span className="error-inline" role="alert">
          {state.error.message}
        </span>
      ) : null}
    </div>
  );
}

/** Every truncatable weight of the model (`isTruncatable`), at the rank keeping `energy` of its Σσ². */
export function wholeModelPlan(tensors: readonly TensorInfo[], energy: number): LowRankPlanEntry[] {
  return tensors.filter(isTruncatable).map((t) => ({ tensor: t.name, energy }));
}
