/** The contract every D3 view core follows: created once, updated with data, resized, destroyed. */
export interface Chart<D> {
  update(data: D): void;
  resize(widthPx: number, heightPx: number): void;
  destroy(): void;
}

/** Chart margins in px: room for the axes and their labels. */
export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

export const DEFAULT_MARGINS: Margins = { top: 14, right: 18, bottom: 44, left: 64 };

/** Format numbers on axes and tooltips: short, scientific for extremes. */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e4 || a < 1e-3) return value.toExponential(2).replace('e+', 'e');
  return value.toPrecision(4).replace(/\.?0+$/, '');
}

/**
 * Tick labels for a log axis: d3 decides which ticks get a label (it thins them when decades are many),
 * `formatNumber` writes them (1, 0.3, 0.01, 2.5e-5 instead of d3's SI prefixes).
 */
export function logTickFormat(
  scale: { tickFormat(count: number, specifier: string): (d: { valueOf(): number }) => string },
  count: number,
): (d: { valueOf(): number }) => string {
  const thinned = scale.tickFormat(count, '.0e');
  return (d) => (thinned(d) === '' ? '' : formatNumber(+d));
}
