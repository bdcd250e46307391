/**
 * The hue of an orientation θ, shared by every curve view (radial plots, the circuit matrix's glyphs): a hue wheel
 * in CIE LCh (d3.hcl) at constant lightness L* = 62 and chroma C* = 37. Constant lightness makes the wheel
 * perceptually even in brightness (no "bright yellow band" as in d3.interpolateRainbow or sinebow) and keeps every
 * hue readable on both the light and the dark theme; C* = 37 (the largest chroma for which every hue at L* = 62 is in gamut) keeps the whole wheel inside sRGB (tested), so no hue
 * is clipped and neighbours stay distinct. θ is a direction (a curve bends to one side), so the wheel spans 360°.
 */
import * as d3 from 'd3';

/** Lightness and chroma of the orientation wheel (CIE L*, C*). */
export const ORIENTATION_LIGHTNESS = 62;
export const ORIENTATION_CHROMA = 37;
/** Hue offset (degrees) so that θ = 0° (pointing right) is a red: the Distill figures' convention. */
const HUE_OFFSET = 20;

/** The colour (hex) of orientation `thetaDeg` (any real; taken modulo 360). */
export function orientationColor(thetaDeg: number): string {
  const t = Number.isFinite(thetaDeg) ? ((thetaDeg % 360) + 360) % 360 : 0;
  return d3.hcl(t + HUE_OFFSET, ORIENTATION_CHROMA, ORIENTATION_LIGHTNESS).formatHex();
}
