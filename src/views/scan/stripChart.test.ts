import { describe, expect, it } from 'vitest';
import { metricColor, valueDomain } from '../shared/colorScales';
import { summary } from './stripChart';

const strip = (column: string, label: string, values: (number | null)[]) => {
  const cells = values.map((value, i) => ({ name: `l${i}`, value }));
  return { cells, label, scale: metricColor(column, valueDomain(values)) };
};

describe('strip summary (the SVG’s aria-label)', () => {
  it('counts α’s over- and under-trained layers, and those without a value', () => {
    expect(summary(strip('alpha', 'α', [1.5, 3, 4, 1.9, 7]))).toBe('α of 5 layers in depth order: 2 over-trained, 1 under-trained');
    expect(summary(strip('alpha', 'α', [3, null]))).toBe('α of 2 layers in depth order: 0 over-trained, 0 under-trained, 1 without a value');
  });

  it('gives a sequential metric’s range', () => {
    expect(summary(strip('stable_rank', 'stable rank', [2, 5.5, null]))).toBe('stable rank of 3 layers in depth order, from 2 to 5.5; 1 without a value');
    expect(summary(strip('stable_rank', 'stable rank', [4]))).toBe('stable rank of 1 layer in depth order, from 4 to 4');
    expect(summary(strip('stable_rank', 'stable rank', []))).toBe('stable rank of 0 layers in depth order');
  });
});
