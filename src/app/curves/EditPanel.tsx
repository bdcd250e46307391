import { useMemo, useState } from 'react';
import type { WeightEdit } from '../../analysis/curves/weightEdits';
import type { AppState } from '../../state/appState';
import { selectedProbeLayerName } from '../../state/slices/probeSlice';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { RadialBeforeAfter } from '../../views/curves/RadialBeforeAfter';
import type { RadialUnit } from '../../views/curves/radialTuningChart';
import { download } from '../download';
import { layerCurves, radialValues } from './curveModel';

const selectCurves = (s: AppState) => s.curves;
const selectLayer = (s: AppState) => s.selection.tensor;
const selectProbeLayer = (s: AppState) => selectedProbeLayerName(s);
const selectRuntime = (s: AppState) => s.probe.model?.runtime;

/** "3, 8, 5" → [3, 8, 5]; empty → null (all). Invalid entries are dropped. */
export function unitList(text: string): number[] | null {
  const units = text
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0);
  return units.length === 0 ? null : [...new Set(units)];
}

/** One line per edit, for the list of edits in force. */
export function describeEdit(e: WeightEdit): string {
  if (e.op === 'replace') return `${e.tensor}: unit ${e.outUnit}'s kernel replaced (${e.kernel.length} weights)`;
  if (e.op === 'lowRank') return `${e.tensor}: replaced by its rank-${e.k} truncation`;
  const which = e.sign === 'all' ? 'all weights' : `${e.sign} weights`;
  const from = e.inUnits === 'all' ? 'every input unit' : `input units ${e.inUnits.join(', ')}`;
  const into = e.outUnits === 'all' ? 'every unit' : `units ${e.outUnits.join(', ')}`;
  return `${e.tensor}: ${which} from ${from} into ${into} ${e.factor === 0 ? 'zeroed' : `× ${e.factor}`}`;
}

/**
 * Circuit editing (issue 8): scale or zero chosen weights of the selected layer, or replace a unit's kernel with a
 * hand-built curve detector, in the probe worker's copy of the model; the stimuli rerun and the tuning is shown before
 * and after. The edited model can be downloaded; the dropped file is never changed.
 */
export function EditPanel({ suggestedInputs }: { suggestedInputs: readonly number[] }) {
  const store = useAppStoreApi();
  const curves = useAppStore(selectCurves);
  const layer = useAppStore(selectLayer);
  const probeLayer = useAppStore(selectProbeLayer);
  const runtime = useAppStore(selectRuntime);
  const focus = curves.unit;
  const [op, setOp] = useState<'scale' | 'replace'>('scale');
  const [sign, setSign] = useState<'all' | 'positive' | 'negative'>('negative');
  const [factor, setFactor] = useState('0');
  const [from, setFrom] = useState(() => suggestedInputs.join(', '));
  const [into, setInto] = useState(() => (focus === null ? '' : String(focus)));
  const [theta, setTheta] = useState('45');
  const [radius, setRadius] = useState('4');
  const [busy, setBusy] = useState(false);
  const running = curves.status === 'running' || busy;

  const apply = async () => {
    if (!probeLayer) return;
    setBusy(true);
    try {
      if (op === 'replace') {
        const unit = unitList(into)?.[0] ?? focus ?? 0;
        const r = Number(radius);
        await store.getState().replaceWithCurveDetector(unit, Number(theta), Number.isFinite(r) && r > 0 ? r : Infinity);
      } else {
        const f = Number(factor);
        const edit: WeightEdit = { tensor: probeLayer, op: 'scale', outUnits: unitList(into) ?? 'all', inUnits: unitList(from) ?? 'all', sign, factor: Number.isFinite(f) ? f : 0 };
        await store.getState().applyEdits([...curves.edits, edit]);
      }
    } finally {
      setBusy(false);
    }
  };
  const exportAs = async (format: 'onnx' | 'safetensors') => {
    const { name, blob } = await store.getState().exportEdited(format);
    download(name, blob);
  };

  const comparison = useMemo(() => {
    const after = curves.result?.layers.find((l) => l.layer === layer);
    const before = curves.before?.layers.find((l) => l.layer === layer);
    if (!after || !before) return null;
    const display = { units: 'channels' as const, scale: 'raw' as const };
    const a = layerCurves(after, display, curves.result?.options.kind !== 'angle');
    const b = layerCurves(before, display, curves.before?.options.kind !== 'angle');
    if (!a || !b) return null;
    // The units the edits touch (else the focused one), up to eight.
    const touched = curves.edits.flatMap((e) => (e.op === 'replace' ? [e.outUnit] : e.op === 'lowRank' || e.outUnits === 'all' ? [] : [...e.outUnits]));
    const units = [...new Set(touched.length > 0 ? touched : focus !== null ? [focus] : [0])].filter((u) => u < a.count).slice(0, 8);
    const toRadial = (c: typeof a): RadialUnit[] =>
      units.map((u) => ({ id: u, label: c.labels[u] ?? String(u), values: radialValues(c, u), preferredThetaDeg: c.tunings[u]?.preferredThetaDeg ?? 0, echo: c.tunings[u]?.echo !== null }));
    return { before: toRadial(b), after: toRadial(a), thetas: a.radial.grid.thetasDeg };
  }, [curves.result, curves.before, curves.edits, layer, focus]);

  return (
    <section className="plot curve-edit" aria-label="Edit the circuit" data-testid="curve-edit" data-edits={curves.edits.length}>
      <h3>Edit the circuit (in memory; the file is never changed)</h3>
      <div className="curve-fields">
        <label>
          edit{' '}
          <select value={op} onChange={(e) => setOp(e.target.value === 'replace' ? 'replace' : 'scale')} data-testid="edit-op">
            <option value="scale">scale or zero weights</option>
            <option value="replace">replace a kernel with a curve detector</option>
          </select>
        </label>
        {op === 'scale' ? (
          <>
            <label>
              <select value={sign} onChange={(e) => setSign(e.target.value as typeof sign)} data-testid="edit-sign">
                <option value="negative">negative weights</option>
                <option value="positive">positive weights</option>
                <option value="all">all weights</option>
              </select>
            </label>
            <label title="Input units (channels of the layer before); empty = all">
              from units <input type="text" value={from} onChange={(e) => setFrom(e.target.value)} placeholder="all" data-testid="edit-from" />
            </label>
            <label title="Units of this layer; empty = all">
              into units <input type="text" value={into} onChange={(e) => setInto(e.target.value)} placeholder="all" data-testid="edit-into" />
            </label>
            <label>
              × <input type="number" step={0.1} value={factor} onChange={(e) => setFactor(e.target.value)} data-testid="edit-factor" />
            </label>
          </>
        ) : (
          <>
            <label>
              unit <input type="text" value={into} onChange={(e) => setInto(e.target.value)} placeholder={focus === null ? '0' : String(focus)} data-testid="edit-unit" />
            </label>
            <label>
              θ <input type="number" step={5} value={theta} onChange={(e) => setTheta(e.target.value)} data-testid="edit-theta" /> °
            </label>
            <label title="Radius of the detector's arc in kernel pixels; empty or 0 = a line">
              r <input type="number" step={1} min={0} value={radius} onChange={(e) => setRadius(e.target.value)} data-testid="edit-radius" /> px
            </label>
          </>
        )}
        <button type="button" className="button primary small" disabled={running || !probeLayer} onClick={() => void apply()} data-testid="edit-apply">
          Apply and rerun
        </button>
      </div>
      {curves.edits.length > 0 ? (
        <>
          <ul className="curve-edits" data-testid="edit-list">
            {curves.edits.map((e, i) => (
              <li key={i}>
                {describeEdit(e)}{' '}
                <button type="button" className="button small" disabled={running} onClick={() => void store.getState().applyEdits(curves.edits.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <div className="curve-fields">
            <button type="button" className="button small" disabled={running} onClick={() => void store.getState().applyEdits([])} data-testid="edit-reset">
              Back to the file’s weights
            </button>
            <span className="label">edited model</span>
            {runtime === 'onnxruntime-web' ? (
              <button type="button" className="button small" onClick={() => void exportAs('onnx')} data-testid="edit-export-onnx">
                ONNX
              </button>
            ) : null}
            <button type="button" className="button small" onClick={() => void exportAs('safetensors')} data-testid="edit-export-safetensors">
              safetensors
            </button>
          </div>
        </>
      ) : null}
      {comparison ? (
        <figure className="curve-edit-compare" data-testid="edit-before-after">
          <figcaption>Tuning before and after the edits (raw responses, one scale for both)</figcaption>
          <RadialBeforeAfter before={comparison.before} after={comparison.after} thetasDeg={comparison.thetas} layout="overlay" selected={focus} onHover={() => {}} onSelect={(u) => store.getState().focusUnit(u)} heightPx={320} />
        </figure>
      ) : null}
    </section>
  );
}
