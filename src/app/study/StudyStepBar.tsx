import { useEffect, useState } from 'react';
import type { AppState } from '../../state/appState';
import { useAppStore, useAppStoreApi } from '../../views/shared/storeContext';
import { curveValueAt, testAccuracyCurve } from '../../views/study/studyData';

const selectStudy = (s: AppState) => s.study;
/** Frames of the animation: one checkpoint every this many ms. */
const PLAY_INTERVAL_MS = 900;

/**
 * The step slider of a study, on every page: which checkpoint the scan, the layer view and the probes show.
 * Arrow keys on the slider step one checkpoint; Play walks through them all.
 */
export function StudyStepBar() {
  const study = useAppStore(selectStudy);
  const store = useAppStoreApi();
  const [playing, setPlaying] = useState(false);
  const n = study.checkpoints.length;
  const current = study.checkpoints[study.current];

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const s = store.getState().study;
      const next = s.current + 1;
      if (next >= s.checkpoints.length) setPlaying(false);
      else void store.getState().setStudyCheckpoint(next);
    }, PLAY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [playing, store]);

  if (study.status === 'none' || n === 0 || !current) return null;
  const test = testAccuracyCurve(study.curves);
  const acc = test && current.step !== null ? curveValueAt(test, current.step) : null;
  const go = (i: number) => void store.getState().setStudyCheckpoint(Math.max(0, Math.min(n - 1, i)));
  return (
    <div className="study-step-bar" data-testid="study-step-bar">
      <span className="study-step-label">{study.title}</span>
      <button type="button" className="button small" aria-label="Previous checkpoint" disabled={study.current === 0} onClick={() => go(study.current - 1)}>
        ◀
      </button>
      <input
        type="range"
        min={0}
        max={n - 1}
        step={1}
        value={study.current}
        aria-label="Checkpoint"
        aria-valuetext={current.step === null ? current.name : `step ${current.step}`}
        data-testid="study-step-slider"
        onChange={(e) => go(Number(e.target.value))}
      />
      <button type="button" className="button small" aria-label="Next checkpoint" disabled={study.current === n - 1} onClick={() => go(study.current + 1)}>
        ▶
      </button>
      <button
        type="button"
        className="button small"
        data-testid="study-play"
        title="Walk through the checkpoints"
        onClick={() => {
          if (!playing && study.current === n - 1) go(0);
          setPlaying(!playing);
        }}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <span className="study-step-value" data-testid="study-step-value">
        {current.step === null ? current.name : `step ${current.step}`} ({study.current + 1} of {n})
        {acc !== null ? ` · ${test?.name.replace(/_/g, ' ')} ${(acc * 100).toFixed(1)} %` : ''}
      </span>
    </div>
  );
}
