/**
 * From a layer's sweep responses to what the curve views draw (issue 8; SCIENCE.md §4): the units (channels, or
 * singular directions), optionally in standard deviations of the baseline, their tuning summaries, the units the
 * radial plot shows and the orientation × curvature values of one unit. Pure: no DOM, no store.
 */
import type { SweepResponses, UnitTuning } from '../../analysis/curves';
import { baselineStats, rankUnits, sharedMaximum, tuneAll, zScore } from '../../analysis/curves';
import type { LayerSweep } from '../../state/slices/curvesSlice';
import { toCsv } from '../../../workers/layerRecords';

export interface CurveDisplay {
  readonly units: 'channels' | 'directions';
  readonly scale: 'raw' | 'z';
}

export interface LayerCurves {
  readonly layer: string;
  readonly units: 'channels' | 'directions';
  readonly scale: 'raw' | 'z';
  readonly count: number;
  readonly labels: readonly string[];
  /** The radial sweep (one radius, fine θ) and the orientation × curvature sweep, in the display's scale. */
  readonly radial: SweepResponses;
  readonly heatmap: SweepResponses;
  /**
   * Per unit: preferred θ, selectivity and echo from the radial sweep (fine θ at the chosen radius); preferred
   * radius from the orientation × curvature sweep (the radius whose best θ responds most).
   */
  readonly tunings: readonly UnitTuning[];
}

/** How a unit is named: channels by their 0-based index in the layer, directions by σ rank (1-based, as on the probe page). */
export function unitLabel(units: 'channels' | 'directions', u: number): string {
  return units === 'channels' ? `ch ${u}` : `dir ${u + 1}`;
}

/** The layer's curves for a display choice, or null when directions were asked for but not computed. */
export function layerCurves(sweep: LayerSweep, display: CurveDisplay, periodicLines: boolean): LayerCurves | null {
  const radialRaw = display.units === 'channels' ? sweep.radial.channels : sweep.radial.directions;
  const heatRaw = display.units === 'channels' ? sweep.heatmap.channels : sweep.heatmap.directions;
  const baseline = display.units === 'channels' ? sweep.baseline.channels : sweep.baseline.directions;
  if (!radialRaw || !heatRaw || !baseline) return null;
  let radial = radialRaw;
  let heatmap = heatRaw;
  if (display.scale === 'z' && sweep.baseline.n > 0) {
    const stats = baselineStats(baseline, sweep.baseline.n, radialRaw.units);
    radial = zScore(radialRaw, stats);
    heatmap = zScore(heatRaw, stats);
  }
  const fine = tuneAll(radial, { periodicLines });
  const coarse = tuneAll(heatmap);
  const tunings = fine.map((t, u) => ({ ...t, preferredRadiusPx: coarse[u]?.preferredRadiusPx ?? t.preferredRadiusPx }));
  return {
    layer: sweep.layer,
    units: display.units,
    scale: display.scale,
    count: radial.units,
    labels: Array.from({ length: radial.units }, (_, u) => unitLabel(display.units, u)),
    radial,
    heatmap,
    tunings,
  };
}

/** Unit u's responses to the radial sweep (length T). */
export function radialValues(c: LayerCurves, u: number): Float64Array {
  const t = c.radial.grid.thetasDeg.length;
  return c.radial.values.subarray(u * t, (u + 1) * t);
}

/** Unit u's orientation × curvature values (R × T). */
export function heatmapValues(c: LayerCurves, u: number): Float64Array {
  const size = c.heatmap.grid.thetasDeg.length * c.heatmap.grid.radiiPx.length;
  return c.heatmap.values.subarray(u * size, (u + 1) * size);
}

/**
 * The units the radial plot shows: overlaid, the `top` most orientation-selective (and the focused one); as small
 * multiples, every unit up to `limit`, ordered by preferred θ (units tuned alike sit together, as in Distill's figures).
 */
export function shownUnits(c: LayerCurves, layout: 'overlay' | 'grid', focus: number | null, top = 8, limit = 64): number[] {
  if (layout === 'grid') {
    const ranked = rankUnits([...c.tunings], 'selectivity').slice(0, limit);
    return ranked.map((t) => t.unit).sort((a, b) => (c.tunings[a]?.preferredThetaDeg ?? 0) - (c.tunings[b]?.preferredThetaDeg ?? 0));
  }
  const chosen = rankUnits([...c.tunings], 'selectivity')
    .slice(0, top)
    .map((t) => t.unit);
  if (focus !== null && focus >= 0 && focus < c.count && !chosen.includes(focus)) chosen.push(focus);
  return chosen;
}

/** The largest response among the shown units (the radial plot's shared max). */
export function sharedMaxOf(c: LayerCurves, units: readonly number[]): number {
  return sharedMaximum(...units.map((u) => radialValues(c, u)));
}

const TUNING_COLUMNS = ['layer', 'unit', 'label', 'preferred_theta_deg', 'preferred_radius_px', 'peak', 'mean', 'selectivity', 'echo_theta_deg', 'echo_ratio', 'scale'];

/** The tunings as CSV: one row per unit. */
export function tuningsCsv(c: LayerCurves): string {
  return toCsv(
    c.tunings.map((t) => ({
      layer: c.layer,
      unit: t.unit,
      label: c.labels[t.unit] ?? '',
      preferred_theta_deg: t.preferredThetaDeg,
      preferred_radius_px: Number.isFinite(t.preferredRadiusPx) ? t.preferredRadiusPx : 'inf',
      peak: t.peak,
      mean: t.mean,
      selectivity: t.selectivity,
      echo_theta_deg: t.echo?.thetaDeg ?? null,
      echo_ratio: t.echo?.ratio ?? null,
      scale: c.scale === 'z' ? 'sd of baseline' : 'raw',
    })),
    TUNING_COLUMNS,
  );
}
