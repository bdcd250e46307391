import { describe, expect, it } from 'vitest';
import { topInputRows } from './topInputRows';

describe('topInputRows', () => {
  // 4 inputs × 3 directions.
  const aggregates = Float64Array.from([1, -5, 0, 2, 3, 0, -4, 0.5, 1, 0, -3, 2]);
  const labels = [0, 1, 1, 0];
  const classes = ['cat', 'dog'];
  const names = ['a.png', 'b.png', 'c.png', 'd.png'];

  it('lists the inputs by decreasing |aggregate| on the direction, with name, class and signed value', () => {
    const rows = topInputRows(aggregates, 4, 3, 1, 3, labels, classes, names);
    expect(rows).toEqual([
      { index: 0, name: 'a.png', classLabel: 'cat', classIndex: 0, value: -5 },
      { index: 1, name: 'b.png', classLabel: 'dog', classIndex: 1, value: 3 },
      { index: 3, name: 'd.png', classLabel: 'cat', classIndex: 0, value: -3 },
    ]);
  });

  it('names unnamed inputs by position and stops at n', () => {
    const rows = topInputRows(aggregates, 4, 3, 2, 10, labels, classes, []);
    expect(rows.map((r) => r.name)).toEqual(['input 4', 'input 3', 'input 1', 'input 2']);
  });
});
