import { useState } from 'react';
import type { LowRankLayer } from '../../../workers/probeProtocol';
import { PROBE_OUTPUT_VALUES_CAP } from '../../../workers/probeProtocol';
import type { AppState } from '../../state/appState';
import type { LowRankEffectResult } from '../../state/slices/probeSlice';
import { probeTensorName } from '../../state/slices/probeSlice';
import { formatNumber } from '../../views/shared/chart';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { BUILTIN_PER_CLASS, builtinStrokeInputs } from '../probe/builtinInputs';
import { SortedChangeChart } from './SortedChangeChart';
import './outputChange.css';

/** The energy fraction of "every layer at its energy rank". */
const ENERGY = 0.9;
/** Classes of the stroke sample's built-in set. */
const STROKE_CLASS_COUNT = 5;

const selectProbe = (s: AppState) => s.probe;
const selectSource = (s: AppState) => s.model.source;
const selectEditCount = (s: AppState) => s.curves.edits.length;

const percent = (v: number) => `${(100 * v).toFixed(v > 0.999 && v < 1 ? 2 : 1)} %`;
const count = (v: number) => v.toLocaleString('en');

/** "fc1/kernel at rank 46 of 64 (90.5 % of the energy)", one per layer. */
function describeLayers(result: LowRankEffectResult): string {
  return result.layers.map((l) => `${l.tensor} at rank ${l.k} of ${l.fullRank} (${percent(l.energyKept)} of Σσ²)`).join('; ');
}

/** The numbers of a finished measurement. */
function OutputChangeResult({ result }: { result: LowRankEffectResult }) {
  const { change, before, inputs, edits } = result;
  const full = before.dims.reduce((a, b) => a * b, 1);
  const agreeing = change.top1Same ? change.top1Same.filter(Boolean).length : 0;
  return (
    <div className="output-change-results" data-testid="lowrank-outputs-result" data-agreement={change.top1Agreement ?? ''}>
      <table className="lowrank-table">
        <tbody>
          <tr>
            <th scope="row">measured</th>
            <td>
              {describeLayers(result)}, on {count(inputs.n)} inputs{edits > 0 ? ` (against the model with its ${edits} circuit edit${edits === 1 ? '' : 's'})` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">output</th>
            <td>
              “{before.name}”, {count(full)} value{full === 1 ? '' : 's'} per input
              {before.width < full ? ` (the first ${count(PROBE_OUTPUT_VALUES_CAP)} compared)` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">relative change ‖ŷ − y‖ / ‖y‖: mean (largest)</th>
            <td data-testid="lowrank-outputs-change">
              {Number.isNaN(change.meanRelativeChange) ? '–' : formatNumber(change.meanRelativeChange)} ({Number.isFinite(change.maxRelativeChange) ? formatNumber(change.maxRelativeChange) : '∞'})
            </td>
          </tr>
          {change.top1Agreement !== null ? (
            <tr>
              <th scope="row">top-1 agreement (same largest output)</th>
              <td data-testid="lowrank-outputs-agreement">
                {percent(change.top1Agreement)} ({agreeing} of {change.n})
              </td>
            </tr>
          ) : null}
          {change.accuracy ? (
            <tr>
              <th scope="row">accuracy on the labels, before → after</th>
              <td data-testid="lowrank-outputs-accuracy">
                {percent(change.accuracy.before)} → {percent(change.accuracy.after)}
              </td>
            </tr>
          ) : null}
          {change.meanKl !== null ? (
            <tr>
              <th scope="row" title={change.outputKind === 'probabilities' ? 'The outputs are probabilities (each row ≥ 0, summing to 1): KL of the values themselves' : 'The outputs are taken as logits: KL of their softmax'}>
                {change.klDefinition}, mean (nats)
              </th>
              <td data-testid="lowrank-outputs-kl">{formatNumber(change.meanKl)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <SortedChangeChart values={change.relativeChange} />
    </div>
  );
}

/**
 * The low-rank what-if on the model's outputs (issue 9), for the layer view's low-rank panel: run the current inputs
 * (the Probe page's set, or the sample's built-in test set) through the model as it runs now and with `tensor` at rank
 * `k` (or every probe-able layer at its 90 % energy rank), and show how the outputs change. Weights-only files say in
 * one line why they cannot be run.
 *
 * @param tensor the layer, by the scan's tensor name
 * @param k the rank to truncate it to (the low-rank panel's k)
 */
export function OutputChangePanel({ tensor, k }: { tensor: string; k: number }) {
  const store = useAppStoreApi();
  const probe = useAppStore(selectProbe);
  const source = useAppStore(selectSource);
  const edits = useAppStore(selectEditCount);
  const [allLayers, setAllLayers] = useState(false);
  const { model, inputs, names, lowRankEffect: effect } = probe;
  const sampleAvailable = source?.kind === 'sample' && Object.keys(names).length > 0;
  const running = effect.status === 'running';

  if (probe.files.length === 0) return null;
  if (model && !model.runnable) {
    return (
      <p className="hint output-change" data-testid="lowrank-outputs-unavailable">
        Effect on outputs: not available, {model.reason ?? 'the model cannot be run'}.
      </p>
    );
  }
  const probeable = model ? model.layers.some((l) => l.tensor === probeTensorName(names, tensor)) : true;
  const n = inputs?.labels.length ?? (sampleAvailable ? BUILTIN_PER_CLASS * STROKE_CLASS_COUNT : 0);
  const canRun = !running && n > 0 && (probeable || allLayers);

  const measure = async () => {
    await store.getState().openProbeModel();
    const opened = store.getState().probe.model;
    if (!store.getState().probe.inputs && sampleAvailable && opened?.runnable) {
      const builtin = builtinStrokeInputs(opened.input);
      store.getState().setPreprocessing(builtin.preprocessing);
      store.getState().setProbeInputs(builtin.inputs);
    }
    const layers: LowRankLayer[] = allLayers && opened ? opened.layers.map((l) => ({ tensor: names[l.tensor] ?? l.tensor, energy: ENERGY })) : [{ tensor, k }];
    await store.getState().measureLowRankEffect(layers);
  };

  const what = allLayers ? `every probe-able layer${model ? ` (${model.layers.length})` : ''} at its ${percent(ENERGY)} energy rank` : `${tensor} at rank ${k}`;
  return (
    <div className="output-change" data-testid="lowrank-outputs" data-state={effect.status}>
      <h4>Effect on outputs: the model run with the truncated weights (in memory; the file is never changed)</h4>
      <div className="lowrank-controls">
        <button type="button" className="button primary small" disabled={!canRun} onClick={() => void measure()} data-testid="lowrank-outputs-run">
          Run {n > 0 ? `${count(n)} inputs` : 'the inputs'} with {what}
        </button>
        <label className="toggle" title="Each layer's k: the smallest whose top σ² hold 90 % of Σσ² (of the matrix the probe uses: dense out × in, conv c_out × c_in·kh·kw)">
          <input type="checkbox" checked={allLayers} disabled={running} onChange={(e) => setAllLayers(e.target.checked)} data-testid="lowrank-outputs-all" /> all probe-able layers at their 90 % energy rank
        </label>
        {running && effect.progress ? (
          <span className="progress-text" aria-live="polite">
            <progress max={effect.progress.total} value={effect.progress.done} aria-label="Output change progress" /> {effect.progress.stage} ({effect.progress.done}/{effect.progress.total}){' '}
            <button type="button" className="button small" onClick={() => store.getState().cancelLowRankEffect()} data-testid="lowrank-outputs-cancel">
              Cancel
            </button>
          </span>
        ) : effect.status === 'cancelled' ? (
          <span className="hint">Cancelled; the model runs with its own weights again.</span>
        ) : null}
      </div>
      {!probeable && !allLayers ? <p className="hint">{tensor} is not a layer the runtime exposes (dense and conv weights used by a Conv, Gemm, MatMul, Conv2D or Dense layer): choose all layers, or another layer.</p> : null}
      {n === 0 ? <p className="hint">No inputs yet: choose an input set on the Probe page, then come back.</p> : null}
      {effect.error ? (
        <p className="error-text" role="alert" data-testid="lowrank-outputs-error" data-error-code={effect.error.code}>
          Effect on outputs failed [{effect.error.code}]: {effect.error.message}
          {effect.error.remedy ? ` ${effect.error.remedy}` : ''}
        </p>
      ) : null}
      {effect.result ? <OutputChangeResult result={effect.result} /> : null}
      {edits > 0 && !effect.result ? <p className="hint">The comparison starts from the model with its {edits} circuit edit{edits === 1 ? '' : 's'}.</p> : null}
    </div>
  );
}
