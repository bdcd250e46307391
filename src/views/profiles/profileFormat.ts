/** Text helpers shared by the profile views: direction names, percentages, label widths. */
import { formatNumber } from '../shared/chart';

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/** k as Unicode subscript digits (σ₁₂). */
export function subscript(k: number): string {
  return String(k).replace(/[0-9]/g, (c) => SUBSCRIPT_DIGITS[Number(c)] ?? c);
}

/** The σ rank (1 = largest) of a 0-based direction index: what the views print as "direction k". */
export function directionRank(direction: number): number {
  return direction + 1;
}

/** "direction 3 (σ₃ = 1.25)", or "direction 3" without σ. */
export function directionName(rank: number, sigma: number | null): string {
  return sigma === null ? `direction ${rank}` : `direction ${rank} (σ${subscript(rank)} = ${formatNumber(sigma)})`;
}

/** A share 0..1 as a percentage with sensible precision: "34%", "2.5%", "0.12%". */
export function percent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (p >= 10) return `${Math.round(p)}%`;
  if (p >= 1) return `${p.toFixed(1)}%`;
  return `${p.toPrecision(2)}%`;
}

const MAX_LABEL_CHARS = 22;

/** A class name cut to at most 22 characters, with an ellipsis. */
export function truncateLabel(label: string): string {
  return label.length <= MAX_LABEL_CHARS ? label : `${label.slice(0, MAX_LABEL_CHARS - 1)}…`;
}

/** Approximate width in px of the widest of some labels as drawn (11–12 px system font), 24 … 220 px. */
export function labelWidthPx(labels: readonly string[], charPx = 6.6): number {
  const longest = labels.reduce((m, l) => Math.max(m, l.length), 0);
  return Math.min(220, Math.max(24, longest * charPx));
}
