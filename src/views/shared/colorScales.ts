/**
 * Colour-blind-safe colour scales for per-layer metrics. A metric without a reference band gets viridis, a
 * perceptually uniform sequential scale readable with every common colour-vision deficiency (van der Walt & Smith
 * 2015). α gets WeightWatcher's three bands in Okabe–Ito colours (Okabe & Ito 2008): vermillion below 2, blues
 * inside [2, 6] (darker at 2), yellow above 6 — warm vs cool and dark vs light, so the bands stay apart for
 * protan, deutan and tritan vision; each band also has a pattern, a symbol and a text label, never colour alone.
 */
import * as d3 from 'd3';
import type { MetricBand } from './metricCatalog';
import { bandOf, metricSpec } from './metricCatalog';

/** The Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"). */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** A layer without a value (not computed, or a failed fit): a neutral grey, drawn hatched by the views. */
export const MISSING_COLOR = '#9a9a9a';

/** Which side of a band a value is on. */
export type BandKey = 'below' | 'within' | 'above';

/** One band of a banded legend. */
export interface LegendBand {
  readonly key: BandKey;
  /** e.g. "over-trained < 2", "2–6", "under-trained > 6". */
  readonly label: string;
  /** The band's name alone, e.g. "over-trained", for captions. */
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  /** The colour at the band's low and high end (equal for the outer bands). */
  readonly colors: readonly [string, string];
  /** A pattern drawn over the colour, so the band does not rely on colour alone. */
  readonly pattern: 'stripes' | 'none' | 'dots';
  /** A symbol for text and markers. */
  readonly symbol: string;
}

/** What a legend of a metric's colours shows. */
export interface ColorLegend {
  /** The metric's label. */
  readonly title: string;
  readonly kind: 'sequential' | 'bands';
  /** The values at the two ends of the sequential ramp (for bands: the data's range). */
  readonly domain: readonly [number, number];
  /** Whether the ramp is logarithmic. */
  readonly log: boolean;
  /** Colours at evenly spaced points of the ramp, low to high (empty for bands). */
  readonly ramp: readonly string[];
  /** The bands, low to high (empty for a sequential scale). */
  readonly bands: readonly LegendBand[];
  readonly missing: { readonly color: string; readonly label: string };
  /** The encoding in one sentence, for screen readers and captions. */
  readonly description: string;
}

/** A metric's colours: value → CSS colour, value → band, and the legend. */
export interface MetricColorScale {
  /** The colour of a value; `MISSING_COLOR` for null or NaN. */
  color(value: number | null): string;
  /** The band a value lies in (null for a metric without bands, or no value). */
  band(value: number | null): LegendBand | null;
  readonly legend: ColorLegend;
}

const RAMP_STOPS = 9;
const MISSING = { color: MISSING_COLOR, label: 'no value' } as const;

/**
 * The colour scale of a metric.
 * @param column a report column (catalogue name, e.g. `alpha`, `stable_rank`)
 * @param domain the finite range of the values shown, [min, max]; widened when empty or degenerate
 */
export function metricColor(column: string, domain: readonly [number, number]): MetricColorScale {
  const spec = metricSpec(column);
  const title = spec?.label ?? column;
  return spec?.band ? bandedScale(title, spec.band, domain) : sequentialScale(title, domain, spec?.logScale ?? false);
}

/** The bands of a banded metric (α: over-trained / well-trained / under-trained). */
export function legendBands(band: MetricBand): readonly LegendBand[] {
  return [
    { key: 'below', label: `${band.below} < ${band.lo}`, name: band.below, lo: -Infinity, hi: band.lo, colors: [OKABE_ITO.vermillion, OKABE_ITO.vermillion], pattern: 'stripes', symbol: '▼' },
    { key: 'within', label: `${band.lo}–${band.hi}`, name: band.within, lo: band.lo, hi: band.hi, colors: [OKABE_ITO.blue, OKABE_ITO.skyBlue], pattern: 'none', symbol: '●' },
    { key: 'above', label: `${band.above} > ${band.hi}`, name: band.above, lo: band.hi, hi: Infinity, colors: [OKABE_ITO.yellow, OKABE_ITO.yellow], pattern: 'dots', symbol: '▲' },
  ];
}

function bandedScale(title: string, band: MetricBand, domain: readonly [number, number]): MetricColorScale {
  const bands = legendBands(band);
  const [below, within, above] = bands as [LegendBand, LegendBand, LegendBand];
  const inside = d3.interpolateLab(within.colors[0], within.colors[1]);
  const bandFor = (v: number): LegendBand => {
    const side = bandOf(band, v);
    return side === 'below' ? below : side === 'above' ? above : within;
  };
  return {
    color(value) {
      if (value === null || Number.isNaN(value)) return MISSING_COLOR;
      const b = bandFor(value);
      if (b.key !== 'within') return b.colors[0];
      return d3.color(inside((value - band.lo) / (band.hi - band.lo)))?.formatHex() ?? within.colors[0];
    },
    band(value) {
      return value === null || Number.isNaN(value) ? null : bandFor(value);
    },
    legend: {
      title,
      kind: 'bands',
      domain: finiteDomain(domain, false),
      log: false,
      ramp: [],
      bands,
      missing: MISSING,
      description: `${title}: ${bands.map((b) => `${b.label} ${colorName(b)}`).join('; ')}; grey hatched: no value.`,
    },
  };
}

function sequentialScale(title: string, domain: readonly [number, number], logWanted: boolean): MetricColorScale {
  const log = logWanted && domain[0] > 0 && Number.isFinite(domain[0]);
  const [lo, hi] = finiteDomain(domain, log);
  const scale = log
    ? d3.scaleSequentialLog(d3.interpolateViridis).domain([lo, hi]).clamp(true)
    : d3.scaleSequential(d3.interpolateViridis).domain([lo, hi]).clamp(true);
  const ramp = Array.from({ length: RAMP_STOPS }, (_, i) => d3.interpolateViridis(i / (RAMP_STOPS - 1)));
  return {
    color(value) {
      if (value === null || Number.isNaN(value)) return MISSING_COLOR;
      if (log && !(value > 0)) return scale(lo);
      return scale(value);
    },
    band() {
      return null;
    },
    legend: {
      title,
      kind: 'sequential',
      domain: [lo, hi],
      log,
      ramp,
      bands: [],
      missing: MISSING,
      description: `${title}${log ? ' (log scale)' : ''}: dark purple = low (${lo.toPrecision(3)}) through green to yellow = high (${hi.toPrecision(3)}); grey hatched: no value.`,
    },
  };
}

/** A usable [lo, hi]: finite, lo < hi, positive for a log scale. */
function finiteDomain(domain: readonly [number, number], log: boolean): [number, number] {
  let [lo, hi] = domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) [lo, hi] = [log ? 1 : 0, log ? 10 : 1];
  if (lo === hi) {
    if (log) [lo, hi] = [lo / 2, hi * 2];
    else [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  return [lo, hi];
}

function colorName(b: LegendBand): string {
  return b.key === 'below' ? '(vermillion, striped)' : b.key === 'above' ? '(yellow, dotted)' : '(dark to light blue)';
}

/** WCAG relative luminance of a CSS colour (0 black … 1 white). */
export function relativeLuminance(css: string): number {
  const c = d3.rgb(css);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** The finite [min, max] of some values ([NaN, NaN] when there are none). */
export function valueDomain(values: Iterable<number | null>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}
