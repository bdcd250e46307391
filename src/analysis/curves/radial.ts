/**
 * Geometry of the radial tuning plot of Distill's "Curve Detectors" (Cammarata et al., 2020), as SCIENCE.md §4
 * specifies it: each orientation θ is a direction, each response a distance from the centre,
 *   ρ(v) = max(0, inner·R + (v / sharedMax)·R),   x = ρ cos θ,   y = −ρ sin θ   (screen coordinates, y down),
 * with inner = 0.3 by default and one `sharedMax` for every unit drawn together, so their sizes compare. Note that
 * the curve's outer extent is (1 + inner)·R at v = sharedMax: a view fitting a box of half-side S passes R = S / 1.3.
 * Negative responses (pre-activations, z-scores) pull the line inside the inner ring and are clamped at the centre
 * (ρ ≥ 0) rather than reflected through it. This file only computes the points; the view joins them into a closed
 * smooth line (SCIENCE.md: a closed `curveNatural`; d3 has no closed natural spline, `curveCatmullRomClosed` or
 * `curveCardinalClosed` are the closed equivalents).
 */

/** Default inner radius as a fraction of R (SCIENCE.md §4: inner = 0.3R). */
export const RADIAL_INNER = 0.3;

/**
 * The radial tuning curve's points [x, y] relative to the plot's centre, one per orientation (same order).
 * A `sharedMax` that is not > 0 (all responses ≤ 0, or NaN) puts every point on the inner ring.
 * @param values Responses, one per orientation.
 * @param thetasDeg Orientations in degrees (screen counter-clockwise from +x), same length.
 * @param sharedMax The largest value across the units drawn together (see {@link sharedMaximum}).
 * @param R Radius scale in px (≥ 0).
 * @param inner Inner radius as a fraction of R (default {@link RADIAL_INNER}).
 * @throws RangeError when the lengths differ or R or inner is negative or not finite.
 */
export function radialPoints(
  values: ArrayLike<number>,
  thetasDeg: ArrayLike<number>,
  sharedMax: number,
  R: number,
  inner = RADIAL_INNER,
): [number, number][] {
  if (values.length !== thetasDeg.length) throw new RangeError(`radialPoints: ${values.length} values for ${thetasDeg.length} orientations`);
  if (!(R >= 0) || !Number.isFinite(R)) throw new RangeError(`radialPoints: R must be finite and ≥ 0, got ${R}`);
  if (!(inner >= 0) || !Number.isFinite(inner)) throw new RangeError(`radialPoints: inner must be finite and ≥ 0, got ${inner}`);
  const scale = sharedMax > 0 && Number.isFinite(sharedMax) ? R / sharedMax : 0;
  const out: [number, number][] = [];
  for (let i = 0; i < values.length; i++) {
    const rho = Math.max(0, inner * R + (values[i] as number) * scale);
    const phi = ((thetasDeg[i] as number) * Math.PI) / 180;
    out.push([rho * Math.cos(phi), -rho * Math.sin(phi)]);
  }
  return out;
}

/** The largest finite value over several series (−Infinity when there is none), for {@link radialPoints}. */
export function sharedMaximum(...series: ArrayLike<number>[]): number {
  let max = -Infinity;
  for (const s of series) for (let i = 0; i < s.length; i++) if ((s[i] as number) > max && Number.isFinite(s[i])) max = s[i] as number;
  return max;
}

/**
 * Hue (degrees, [0, 360)) for a unit's preferred orientation: the orientation itself, θ mod 360. So the colour
 * wheel follows the plot's angle (a unit's colour points where its lobe does), and a curve and its mirror image
 * 180° away get complementary hues. For a line preference (axial) a caller wanting θ and θ + 180° to share a colour
 * can pass 2θ.
 */
export function preferredHue(thetaDeg: number): number {
  const h = ((thetaDeg % 360) + 360) % 360;
  return h === 360 ? 0 : h; // (−tiny % 360) + 360 rounds to 360
}
