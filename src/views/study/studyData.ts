/**
 * What the study views draw, derived from the store's study (issue 9): a metric against training step for every
 * matched layer, one layer's spectra across steps. Pure: no DOM, no store.
 */
import type { StudySlice } from '../../state/slices/studySlice';
import { metricValue } from '../shared/metricCatalog';

type Study = StudySlice['study'];

/** Where a checkpoint sits on the x axis: its step, or (when any step is unknown) its position 0, 1, 2 … */
export interface StepAxis {
  readonly kind: 'step' | 'position';
  /** One x per checkpoint, in study order. */
  readonly x: readonly number[];
}

export function stepAxis(study: Pick<Study, 'checkpoints'>): StepAxis {
  const known = study.checkpoints.every((c) => c.step !== null);
  return known ? { kind: 'step', x: study.checkpoints.map((c) => c.step as number) } : { kind: 'position', x: study.checkpoints.map((_c, i) => i) };
}

/** One layer's metric at every checkpoint that has it (finite values only), in study order. */
export interface LayerSeries {
  readonly layer: string;
  readonly points: readonly { readonly checkpoint: number; readonly x: number; readonly value: number }[];
}

/** The metric (a report column) of every matched layer against the step axis. */
export function metricSeries(study: Pick<Study, 'checkpoints' | 'layers' | 'results'>, column: string): LayerSeries[] {
  const axis = stepAxis(study);
  return study.layers.map((layer) => ({
    layer,
    points: study.checkpoints.flatMap((c, i) => {
      const r = study.results[c.name]?.[layer];
      if (r?.status !== 'ok') return [];
      const v = metricValue(r.report.columns, column);
      return v !== null && Number.isFinite(v) ? [{ checkpoint: i, x: axis.x[i] as number, value: v }] : [];
    }),
  }));
}

/** One layer's singular values at each checkpoint that has them, in study order. */
export interface StepSpectrum {
  readonly checkpoint: number;
  readonly name: string;
  readonly step: number | null;
  readonly singularValues: Float64Array;
  /** The 90 %-energy rank (WW-style `energy_rank_90` column) when the report has it. */
  readonly energyRank90: number | null;
}

export function layerSpectra(study: Pick<Study, 'checkpoints' | 'results'>, layer: string): StepSpectrum[] {
  return study.checkpoints.flatMap((c, i) => {
    const r = study.results[c.name]?.[layer];
    if (r?.status !== 'ok') return [];
    const k = metricValue(r.report.columns, 'energy_rank_90');
    return [{ checkpoint: i, name: c.name, step: c.step, singularValues: r.spectrum.singularValues, energyRank90: k }];
  });
}

/** The training log's held-out accuracy curve (its name says test, eval or val, its values are in [0, 1]), or null. */
export function testAccuracyCurve<C extends { readonly name: string; readonly fraction: boolean }>(curves: readonly C[]): C | null {
  return curves.find((c) => c.fraction && /test|eval|val/i.test(c.name)) ?? null;
}

/** A training curve's value at a step: the logged value at the largest logged step ≤ `step` (null before the first). */
export function curveValueAt(curve: { readonly steps: readonly number[]; readonly values: readonly number[] }, step: number): number | null {
  let lo = 0;
  let hi = curve.steps.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((curve.steps[mid] as number) <= step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : (curve.values[found] as number);
}
