/**
 * How a class is drawn in the profile views: an Okabe–Ito colour (Okabe & Ito 2008, colour-blind safe) and a
 * symbol, so that colour is never the only cue. Black is left out (it vanishes on the dark theme); the seven other
 * colours are paired with d3's seven symbols so that the first 49 classes all get a distinct pair.
 */
import * as d3 from 'd3';
import { OKABE_ITO } from '../shared/colorScales';

/** The class colours, in order: Okabe–Ito without black. */
export const CLASS_COLORS: readonly string[] = [
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.yellow,
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple,
];

/** Symbol names, in d3's `symbolsFill` order (circle, cross, diamond, square, star, triangle, wye). */
export const CLASS_SYMBOL_NAMES: readonly string[] = ['circle', 'cross', 'diamond', 'square', 'star', 'triangle', 'wye'];

/** A class's colour and symbol. */
export interface ClassStyle {
  readonly color: string;
  /** Index into `d3.symbolsFill` and `CLASS_SYMBOL_NAMES`. */
  readonly symbol: number;
}

/**
 * The style of the `index`-th class (0-based): colour `index mod 7`, symbol shifted by one every 7 classes, so
 * (colour, symbol) pairs are distinct for the first 49 classes.
 */
export function classStyle(index: number): ClassStyle {
  const n = CLASS_COLORS.length;
  const i = Math.max(0, Math.floor(index));
  return { color: CLASS_COLORS[i % n] as string, symbol: (i + Math.floor(i / n)) % CLASS_SYMBOL_NAMES.length };
}

/** SVG path data of a class's symbol centred at 0,0 with `areaPx` px² of area. */
export function classSymbolPath(index: number, areaPx: number): string {
  const type = d3.symbolsFill[classStyle(index).symbol] ?? d3.symbolCircle;
  return d3.symbol(type, areaPx)() ?? '';
}

/** Unicode glyphs matching the symbols, for HTML (chips in lists). */
const GLYPHS = ['●', '✚', '◆', '■', '★', '▲', 'Y'];

/** A text glyph for a class's symbol. */
export function classGlyph(index: number): string {
  return GLYPHS[classStyle(index).symbol] ?? '●';
}
