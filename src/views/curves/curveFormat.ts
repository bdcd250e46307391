/** Text of the curve views: angles, radii, responses. */
import { formatNumber } from '../shared/chart';

/** An orientation: "45°", "22.5°" (to 0.5°, the sweep's step). */
export function formatDeg(thetaDeg: number): string {
  if (!Number.isFinite(thetaDeg)) return '—';
  return `${Math.round(thetaDeg * 2) / 2}°`;
}

/** A curve radius: "24 px", or "∞ (line)" for a straight line. */
export function formatRadius(radiusPx: number): string {
  if (radiusPx === Infinity) return '∞ (line)';
  if (!Number.isFinite(radiusPx)) return '—';
  return `${formatNumber(radiusPx)} px`;
}
