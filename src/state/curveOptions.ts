/**
 * The curve-circuit experiment's options (issue 8; SCIENCE.md §4: "all parameters shown in the UI and kept in
 * permalinks") and their query-string form. Invalid or missing values decode to the defaults.
 */
import type { StimulusKind } from '../analysis/curves/types';

/** The experiment's parameters. */
export interface CurveOptions {
  /** The radial sweep's stimulus. */
  readonly kind: StimulusKind;
  /** Curve radius and stroke length in pixels; null = from the input size (`defaultStimulus`: length half the shorter side, radius half the length). */
  readonly radiusPx: number | null;
  readonly widthPx: number;
  readonly lengthPx: number | null;
  readonly openingDeg: number;
  readonly darkOnLight: boolean;
  /** θ step of the radial sweep (SCIENCE.md §4: 0.5°) and of the orientation × curvature sweep. */
  readonly thetaStepDeg: number;
  readonly heatmapStepDeg: number;
  /** Read the layer's own output ('pre') or the first nonlinearity after it ('post'). */
  readonly stage: 'pre' | 'post';
  /** Show channels or singular directions (Uᵀ(a − b) of the pre-activation). */
  readonly units: 'channels' | 'directions';
  /** Raw responses, or in standard deviations of each unit's response to the baseline set. */
  readonly scale: 'raw' | 'z';
  readonly layout: 'overlay' | 'grid';
}

export const DEFAULT_CURVE_OPTIONS: CurveOptions = {
  kind: 'curve',
  radiusPx: null,
  widthPx: 2,
  lengthPx: null,
  openingDeg: 90,
  darkOnLight: true,
  thetaStepDeg: 0.5,
  heatmapStepDeg: 5,
  stage: 'pre',
  units: 'channels',
  scale: 'z',
  layout: 'overlay',
};

/** θ steps that divide 360 (the sweep grid needs that). */
export const THETA_STEPS = [0.5, 1, 2, 2.5, 5, 10] as const;

const KINDS: readonly StimulusKind[] = ['curve', 'line', 'angle'];
const D = DEFAULT_CURVE_OPTIONS;

/** Write the options that differ from the defaults into `q`. */
export function encodeCurveOptions(q: URLSearchParams, o: CurveOptions): void {
  if (o.kind !== D.kind) q.set('stim', o.kind);
  if (o.radiusPx !== D.radiusPx && o.radiusPx !== null) q.set('cr', String(o.radiusPx));
  if (o.lengthPx !== D.lengthPx && o.lengthPx !== null) q.set('clen', String(o.lengthPx));
  if (o.widthPx !== D.widthPx) q.set('cw', String(o.widthPx));
  if (o.openingDeg !== D.openingDeg) q.set('copen', String(o.openingDeg));
  if (o.darkOnLight !== D.darkOnLight) q.set('cink', o.darkOnLight ? 'dark' : 'light');
  if (o.thetaStepDeg !== D.thetaStepDeg) q.set('cstep', String(o.thetaStepDeg));
  if (o.heatmapStepDeg !== D.heatmapStepDeg) q.set('chstep', String(o.heatmapStepDeg));
  if (o.stage !== D.stage) q.set('cact', o.stage);
  if (o.units !== D.units) q.set('cunits', o.units);
  if (o.scale !== D.scale) q.set('cz', o.scale);
  if (o.layout !== D.layout) q.set('clay', o.layout);
}

/** A positive finite number below `max` from `q`, else null. */
function positive(q: URLSearchParams, key: string, max: number): number | null {
  if (!q.has(key)) return null;
  const v = Number(q.get(key));
  return Number.isFinite(v) && v > 0 && v <= max ? v : null;
}

/** The options `q` describes. */
export function decodeCurveOptions(q: URLSearchParams): CurveOptions {
  const kind = KINDS.find((k) => k === q.get('stim')) ?? D.kind;
  const step = (key: string, fallback: number) => (THETA_STEPS as readonly number[]).find((s) => s === Number(q.get(key))) ?? fallback;
  const opening = positive(q, 'copen', 179);
  return {
    kind,
    radiusPx: positive(q, 'cr', 1e6),
    lengthPx: positive(q, 'clen', 1e6),
    widthPx: positive(q, 'cw', 1000) ?? D.widthPx,
    openingDeg: opening ?? D.openingDeg,
    darkOnLight: q.has('cink') ? q.get('cink') !== 'light' : D.darkOnLight,
    thetaStepDeg: step('cstep', D.thetaStepDeg),
    heatmapStepDeg: step('chstep', D.heatmapStepDeg),
    stage: q.get('cact') === 'post' ? 'post' : D.stage,
    units: q.get('cunits') === 'directions' ? 'directions' : D.units,
    scale: q.get('cz') === 'raw' ? 'raw' : D.scale,
    layout: q.get('clay') === 'grid' ? 'grid' : D.layout,
  };
}
