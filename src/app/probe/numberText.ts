/**
 * Numbers as the input settings show and accept them: fractions like `1/255` (the usual pixel scale), decimals,
 * exponents, and comma- or space-separated lists for per-channel mean and std.
 */

/** A number from `text`: `0.5`, `-1e-3`, `1/255`, `2 / 3`; null when it is not one (or not finite). */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const fraction = /^([^/]+)\/([^/]+)$/.exec(t);
  if (fraction) {
    const a = parseNumber(fraction[1] ?? '');
    const b = parseNumber(fraction[2] ?? '');
    return a === null || b === null || b === 0 ? null : a / b;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** Short text for `v`: `1/255` for reciprocals of whole numbers below 1, else up to 6 significant digits. */
export function formatNumber(v: number): string {
  if (v > 0 && v < 1) {
    const inverse = 1 / v;
    const whole = Math.round(inverse);
    if (whole > 1 && Math.abs(inverse - whole) < 1e-9 * whole) return `1/${whole}`;
  }
  return String(Number(v.toPrecision(6)));
}

/** Numbers separated by commas, semicolons or spaces; null when any part is not a number, or there are none. */
export function parseNumberList(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((s) => s !== '');
  if (parts.length === 0) return null;
  const values = parts.map(parseNumber);
  return values.every((v): v is number => v !== null) ? values : null;
}

/** `0.485, 0.456, 0.406`. */
export const formatNumberList = (values: readonly number[]): string => values.map(formatNumber).join(', ');
