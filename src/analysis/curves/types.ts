/**
 * Shared types of the curve-circuit experiment (issue 8; SCIENCE.md §4): the stimulus parameters, a sweep's
 * responses and each unit's tuning summary. Pure data, no DOM.
 */

/** What is drawn: an arc through the centre, a straight line (r = ∞), or an angle (two segments meeting at the centre). */
export type StimulusKind = 'curve' | 'line' | 'angle';

/** Parameters of one stimulus image (all shown in the UI and kept in permalinks). */
export interface StimulusParams {
  readonly kind: StimulusKind;
  /**
   * Orientation θ in degrees, counter-clockwise on screen from +x (0° points right, 90° up), [0, 360).
   * Curve and line: the tangent's direction at the image centre (a curve bends to the LEFT of it, i.e. its circle's
   * centre lies at θ + 90° from the image centre). Angle: the direction of its bisector, pointing into the angle.
   */
  readonly thetaDeg: number;
  /** Curve radius r in pixels (kind 'curve'); ignored for 'line' (r = ∞) and 'angle'. */
  readonly radiusPx: number;
  /** Stroke width w in pixels. */
  readonly widthPx: number;
  /** Total stroke length in pixels, centred on the image centre (an angle: each of its two arms is lengthPx / 2). */
  readonly lengthPx: number;
  /** Opening between an angle's two arms in degrees (kind 'angle'), e.g. 90. */
  readonly openingDeg: number;
  /** True: dark stroke on a light background (ink 0 on 1); false: light on dark. */
  readonly darkOnLight: boolean;
}

/** The image the stimuli are drawn in: the model's input size. */
export interface StimulusCanvas {
  readonly width: number;
  readonly height: number;
}

/** A sweep: every θ of a grid for every radius of a grid (a line is the radius Infinity). */
export interface SweepGrid {
  /** Orientations in degrees, ascending in [0, 360) (SCIENCE.md §4: 0.5° steps, 720 samples). */
  readonly thetasDeg: Float64Array;
  /** Radii in pixels, ascending; Infinity = a straight line. */
  readonly radiiPx: Float64Array;
}

/**
 * The responses of U units (channels, or singular directions via Uᵀ) to a sweep, read at the spatial position over
 * the image centre: `values[(u·R + r)·T + t]` is unit u's response to radius index r, orientation index t.
 */
export interface SweepResponses {
  readonly grid: SweepGrid;
  readonly units: number;
  readonly values: Float64Array;
}

/** One unit's tuning, from its responses (see `unitTuning`). */
export interface UnitTuning {
  readonly unit: number;
  /** θ (degrees) of the largest response at the preferred radius. */
  readonly preferredThetaDeg: number;
  /** The radius (pixels; Infinity = line) whose best θ gives the largest response. */
  readonly preferredRadiusPx: number;
  /** Largest response over the whole sweep, and the mean over θ at the preferred radius. */
  readonly peak: number;
  readonly mean: number;
  /** Orientation selectivity in [0, 1]: 1 − circular variance of the rectified tuning curve at the preferred radius. */
  readonly selectivity: number;
  /** A secondary peak about 180° from the preferred θ, as a fraction of the peak (null when there is none). */
  readonly echo: { readonly thetaDeg: number; readonly ratio: number } | null;
  /**
   * Added by curves/tuning.ts (optional only so that hand-made literals stay valid; `unitTuning` always sets them):
   * 1 − circular variance of the same rectified curve on doubled angles (axial, 180°-periodic: high when the unit
   * prefers one axis, whichever way the curve opens), and the grid indices of the preferred radius and θ.
   */
  readonly orientationSelectivity?: number;
  readonly preferredRadiusIndex?: number;
  readonly preferredThetaIndex?: number;
}
