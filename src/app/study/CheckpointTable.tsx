import { useState } from 'react';
import type { AppState } from '../../state/appState';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { curveValueAt } from '../../views/study/studyData';

const selectStudy = (s: AppState) => s.study;

/** A step cell: shows the step, edits it on focus (Enter or leaving the field applies; empty = unknown). */
function StepInput({ name, step }: { name: string; step: number | null }) {
  const store = useAppStoreApi();
  const [text, setText] = useState<string | null>(null);
  const apply = () => {
    if (text === null) return;
    const t = text.trim();
    const value = t === '' ? null : Number(t);
    if (value === null || (Number.isInteger(value) && value >= 0)) store.getState().setCheckpointStep(name, value);
    setText(null);
  };
  return (
    <input
      className="step-input"
      inputMode="numeric"
      aria-label={`Step of ${name}`}
      value={text ?? (step === null ? '' : String(step))}
      placeholder="?"
      onChange={(e) => setText(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') apply();
        if (e.key === 'Escape') setText(null);
      }}
    />
  );
}

/** The checkpoints in study order: step (editable), status, the logged accuracies; a click shows one. */
export function CheckpointTable() {
  const study = useAppStore(selectStudy);
  const store = useAppStoreApi();
  const accuracies = study.curves.filter((c) => c.fraction);
  return (
    <section className="study-checkpoints">
      <h3>Checkpoints</h3>
      <p className="hint">Ordered by the step in each name; change a step to re-order (empty: unknown, drawn after the others by position).</p>
      <table className="study-table" data-testid="study-checkpoints">
        <thead>
          <tr>
            <th>#</th>
            <th>checkpoint</th>
            <th>step</th>
            {accuracies.map((c) => (
              <th key={c.name}>{c.name.replace(/_/g, ' ')}</th>
            ))}
            <th>status</th>
          </tr>
        </thead>
        <tbody>
          {study.checkpoints.map((c, i) => (
            <tr key={c.name} className={i === study.current ? 'selected' : undefined} aria-current={i === study.current ? 'true' : undefined}>
              <td>{i + 1}</td>
              <td>
                <button type="button" className="link-button" onClick={() => void store.getState().setStudyCheckpoint(i)} title="Show this checkpoint on every page">
                  {c.name}
                </button>
              </td>
              <td>
                <StepInput name={c.name} step={c.step} />
              </td>
              {accuracies.map((curve) => {
                const v = c.step === null ? null : curveValueAt(curve, c.step);
                return <td key={curve.name}>{v === null ? '' : `${(v * 100).toFixed(1)} %`}</td>;
              })}
              <td className={`status ${c.status}`}>{c.status === 'waiting' && study.status === 'running' && study.progress?.checkpoint === i ? 'running' : c.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
