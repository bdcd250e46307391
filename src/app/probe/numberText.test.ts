import { describe, expect, it } from 'vitest';
import { formatNumber, formatNumberList, parseNumber, parseNumberList } from './numberText';

describe('number text', () => {
  it('parses decimals, exponents and fractions, and nothing else', () => {
    expect(parseNumber('0.5')).toBe(0.5);
    expect(parseNumber(' -1e-3 ')).toBe(-0.001);
    expect(parseNumber('.25')).toBe(0.25);
    expect(parseNumber('1/255')).toBe(1 / 255);
    expect(parseNumber('2 / 4')).toBe(0.5);
    for (const bad of ['', 'abc', '1/0', '1/2/3', '0x10', 'Infinity', '1,5']) expect(parseNumber(bad)).toBeNull();
  });
  it('formats reciprocals as fractions', () => {
    expect(formatNumber(1 / 255)).toBe('1/255');
    expect(formatNumber(1 / 127.5)).toBe('0.00784314');
    expect(formatNumber(0.5)).toBe('1/2');
    expect(formatNumber(0.485)).toBe('0.485');
    expect(formatNumber(1)).toBe('1');
    expect(formatNumber(-2)).toBe('-2');
  });
  it('reads and writes per-channel lists', () => {
    expect(parseNumberList('0.485, 0.456 0.406')).toEqual([0.485, 0.456, 0.406]);
    expect(parseNumberList('1/2; 1/4')).toEqual([0.5, 0.25]);
    expect(parseNumberList('0.5, x')).toBeNull();
    expect(parseNumberList(' ')).toBeNull();
    expect(formatNumberList([0.229, 0.224, 0.225])).toBe('0.229, 0.224, 0.225');
  });
});
