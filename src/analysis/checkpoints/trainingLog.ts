/**
 * Training curves (loss, accuracy against step) read from a training log, to draw beside the per-step weight
 * metrics of a study (issue 9: "whether and when the rank of the layers fell relative to the moment test accuracy
 * jumped"). Two layouts are understood:
 * - columnar, as `scripts/grokking` writes `metrics.json`: `{ step: number[], <name>: number[] … }`, every array
 *   as long as `step`, plus optional `milestones: { name: step }`;
 * - Hugging Face Trainer's `trainer_state.json`: `{ log_history: [{ step, loss?, eval_loss?, eval_accuracy? … }] }`,
 *   one curve per numeric key, each from the entries that have it.
 * Anything else gives no curves (a log is optional; it never blocks a study).
 */

/** One logged quantity against training step, steps ascending. */
export interface TrainingCurve {
  readonly name: string;
  readonly steps: readonly number[];
  readonly values: readonly number[];
  /** Accuracies and other values in [0, 1] share a 0–1 axis; the rest are drawn on their own scale. */
  readonly fraction: boolean;
}

export interface TrainingLog {
  readonly curves: readonly TrainingCurve[];
  /** Named steps (e.g. `test50`: the first step with test accuracy ≥ 50 %). */
  readonly milestones: Readonly<Record<string, number>>;
}

const EMPTY: TrainingLog = { curves: [], milestones: {} };
/** Keys of a Trainer log entry that are counters or settings, not curves. */
const NOT_CURVES = new Set(['step', 'epoch', 'total_flos', 'learning_rate', 'grad_norm']);

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isFraction = (name: string, values: readonly number[]) => /acc/i.test(name) && values.every((v) => v >= 0 && v <= 1);

function sortedCurve(name: string, pairs: [number, number][]): TrainingCurve {
  pairs.sort((a, b) => a[0] - b[0]);
  const values = pairs.map((p) => p[1]);
  return { name, steps: pairs.map((p) => p[0]), values, fraction: isFraction(name, values) };
}

/** The curves of a parsed JSON log, by the layouts in the file comment. */
export function parseTrainingLog(json: unknown): TrainingLog {
  if (typeof json !== 'object' || json === null) return EMPTY;
  const o = json as Record<string, unknown>;
  if (isNumberArray(o.step)) {
    const steps = o.step;
    const curves: TrainingCurve[] = [];
    for (const [name, v] of Object.entries(o)) {
      if (name === 'step' || !isNumberArray(v) || v.length !== steps.length) continue;
      curves.push(sortedCurve(name, steps.map((s, i) => [s, v[i] as number])));
    }
    const milestones: Record<string, number> = {};
    if (typeof o.milestones === 'object' && o.milestones !== null) {
      for (const [k, v] of Object.entries(o.milestones)) if (typeof v === 'number' && Number.isFinite(v)) milestones[k] = v;
    }
    return { curves, milestones };
  }
  if (Array.isArray(o.log_history)) {
    const byName = new Map<string, [number, number][]>();
    for (const entry of o.log_history) {
      if (typeof entry !== 'object' || entry === null) continue;
      const e = entry as Record<string, unknown>;
      if (typeof e.step !== 'number') continue;
      for (const [k, v] of Object.entries(e)) {
        if (NOT_CURVES.has(k) || typeof v !== 'number' || !Number.isFinite(v)) continue;
        const list = byName.get(k) ?? [];
        list.push([e.step, v]);
        byName.set(k, list);
      }
    }
    return { curves: [...byName].map(([name, pairs]) => sortedCurve(name, pairs)), milestones: {} };
  }
  return EMPTY;
}
