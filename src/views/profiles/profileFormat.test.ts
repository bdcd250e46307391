import { describe, expect, it } from 'vitest';
import { highlightLabel } from '../spectrum/spectrumChart';
import { classGlyph, classStyle, CLASS_COLORS } from './classStyle';
import { directionName, directionRank, labelWidthPx, percent, subscript, truncateLabel } from './profileFormat';

describe('profile text helpers', () => {
  it('names directions by σ rank with a subscript σ', () => {
    expect(directionRank(0)).toBe(1);
    expect(subscript(120)).toBe('₁₂₀');
    expect(directionName(3, 1.25)).toBe('direction 3 (σ₃ = 1.25)');
    expect(directionName(3, null)).toBe('direction 3');
    expect(highlightLabel(12, 0.5)).toBe('direction 12: σ₁₂ = 0.5');
  });

  it('formats shares and sizes labels', () => {
    expect(percent(0)).toBe('0%');
    expect(percent(0.342)).toBe('34%');
    expect(percent(0.025)).toBe('2.5%');
    expect(percent(0.0012)).toBe('0.12%');
    expect(truncateLabel('a'.repeat(30))).toHaveLength(22);
    expect(truncateLabel('short')).toBe('short');
    expect(labelWidthPx([])).toBe(24);
    expect(labelWidthPx(['x'.repeat(100)])).toBe(220);
  });
});

describe('class styles', () => {
  it('gives the first 49 classes distinct (colour, symbol) pairs, never black', () => {
    const pairs = new Set(Array.from({ length: 49 }, (_, i) => `${classStyle(i).color}/${classStyle(i).symbol}`));
    expect(pairs.size).toBe(49);
    expect(CLASS_COLORS).not.toContain('#000000');
    expect(classGlyph(0)).toBe('●');
    expect(classGlyph(7)).toBe('✚');
  });
});
