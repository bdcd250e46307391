/**
 * The curve-circuit experiment (SCIENCE.md §4; Cammarata et al., "Curve Detectors" and "Curve Circuits", Distill
 * 2020/2021): stimuli and sweeps (`stimuli`), tuning summaries (`tuning`), radial plot geometry (`radial`) and the
 * weights between curve units of consecutive layers (`circuit`).
 */
export type { StimulusCanvas, StimulusKind, StimulusParams, SweepGrid, SweepResponses, UnitTuning } from './types';
export {
  DEFAULT_STIMULUS,
  DEFAULT_SUPERSAMPLE,
  defaultRadii,
  defaultStimulus,
  logRadii,
  renderStimulus,
  stimulusBatch,
  stimulusRgba,
  stimulusStrokes,
  sweepGrid,
  sweepParams,
} from './stimuli';
export type { BaselineStats, TuningOptions, TuningRank } from './tuning';
export {
  ECHO_MIN_RATIO,
  ECHO_SMOOTHING_DEG,
  ECHO_WINDOW_DEG,
  baselineStats,
  preferredCurvature,
  rankUnits,
  tuneAll,
  unitTuning,
  zScore,
} from './tuning';
export { RADIAL_INNER, preferredHue, radialPoints, sharedMaximum } from './radial';
export type { CircuitMatrix } from './circuit';
export { circuitMatrix, orderByOrientation } from './circuit';
export type { CurveDetectorOptions, WeightEdit, WeightLayout } from './weightEdits';
export { applyWeightEdits, curveDetectorKernel } from './weightEdits';
