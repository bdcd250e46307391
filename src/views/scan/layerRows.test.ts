import { describe, expect, it } from 'vitest';
import type { LayerReport } from '../../analysis/metrics/layerReport';
import type { TensorInfo } from '../../model/types';
import type { LayerResult } from '../../state/resultTypes';
import { buildLayerRows, cellValue, filterRows, metricColumns, parseLayerQuery, queryColumns, sortRows, tableColumns } from './layerRows';
import type { LayerRow } from './layerRows';

const tensor = (name: string, shape: number[], kind: TensorInfo['kind'], dtype: TensorInfo['dtype'] = 'F32'): TensorInfo => ({
  name,
  dtype,
  shape,
  size: shape.reduce((a, b) => a * b, 1),
  kind,
  file: 'm.safetensors',
  byteLength: 4 * shape.reduce((a, b) => a * b, 1),
});

/** An 'ok' result whose report has just these columns (the rows read nothing else). */
const ok = (name: string, columns: Record<string, number | string>): LayerResult =>
  ({ tensor: name, status: 'ok', ms: 1, readMs: 0, metricsMs: 0, spectrum: {}, report: { columns } as unknown as LayerReport }) as unknown as LayerResult;

const tensors = [
  tensor('conv1.weight', [8, 3, 3, 3], 'conv2d'),
  tensor('conv1.bias', [8], 'vector'),
  tensor('conv2.weight', [16, 8, 3, 3], 'conv2d'),
  tensor('fc1.weight', [32, 64], 'dense'),
  tensor('fc2.weight', [10, 32], 'dense'),
  tensor('fc3.weight', [10, 10], 'dense'),
  tensor('broken.weight', [4, 4], 'dense'),
  tensor('failed.weight', [4, 4], 'dense'),
  tensor('q.weight', [4, 4], 'dense', 'I8'),
];

const results: Record<string, LayerResult> = {
  'conv1.weight': ok('conv1.weight', { alpha: 1.5, D: 0.1, warning: 'over-trained', status: 'success', Q: 3, stable_rank: 2 }),
  'conv2.weight': ok('conv2.weight', { alpha: 3.5, D: 0.05, warning: '', status: 'success', Q: 2, stable_rank: 2 }),
  'fc1.weight': ok('fc1.weight', { alpha: 7.25, D: 0.2, warning: 'under-trained', status: 'success', Q: 2, stable_rank: 5, rand_distance: 0.3 }),
  'fc2.weight': ok('fc2.weight', { alpha: -1, D: -1, warning: 'over-trained', status: 'failed', Q: 3.2, stable_rank: 1 }),
  'broken.weight': { tensor: 'broken.weight', status: 'non-finite', nanCount: 2, infCount: 1 },
  'failed.weight': { tensor: 'failed.weight', status: 'failed', error: { name: 'Error', code: 'X', message: 'boom' } } as LayerResult,
};

const rows = buildLayerRows(tensors, results);
const names = (rs: readonly LayerRow[]) => rs.map((r) => r.name);

describe('buildLayerRows', () => {
  it('has one row per tensor in model order, with its status and metrics', () => {
    expect(names(rows)).toEqual(tensors.map((t) => t.name));
    expect(rows.map((r) => r.status)).toEqual(['ok', 'skipped', 'ok', 'ok', 'ok', 'pending', 'non-finite', 'failed', 'skipped']);
    const conv1 = rows[0]!;
    expect(conv1).toMatchObject({ index: 0, shape: '8×3×3×3', kind: 'conv2d', params: 216, note: '' });
    expect(conv1.metrics).toEqual({ alpha: 1.5, D: 0.1, warning: 'over-trained', fit_status: 'success', Q: 3, stable_rank: 2 });
    expect(rows[1]!.note).toMatch(/1-D/);
    expect(rows[6]!.note).toBe('2 NaN and 1 ±Inf values');
    expect(rows[7]!.note).toBe('X: boom');
    expect(rows[8]!.note).toMatch(/I8/);
  });

  it('reuses the rows of unchanged results from a cache', () => {
    const cache = new WeakMap<LayerResult, LayerRow>();
    const first = buildLayerRows(tensors, results, cache);
    const next = buildLayerRows(tensors, { ...results, 'fc3.weight': ok('fc3.weight', { alpha: 4 }) }, cache);
    expect(next[0]).toBe(first[0]);
    expect(next[3]).toBe(first[3]);
    expect(next[5]).not.toBe(first[5]);
    expect(next[5]!.status).toBe('ok');
    expect(next).toEqual(buildLayerRows(tensors, { ...results, 'fc3.weight': ok('fc3.weight', { alpha: 4 }) }));
  });

  it('lists the catalogue’s columns first, then the others as first seen', () => {
    expect(metricColumns(rows)).toEqual(['alpha', 'D', 'stable_rank', 'rand_distance', 'warning', 'fit_status', 'Q']);
    expect(tableColumns(rows).slice(0, 6)).toEqual(['depth', 'name', 'shape', 'kind', 'params', 'status']);
  });

  it('reads cells, with a failed fit’s −1, NaN and empty text as no value', () => {
    expect(cellValue(rows[0]!, 'depth')).toBe(1);
    expect(cellValue(rows[0]!, 'alpha')).toBe(1.5);
    expect(cellValue(rows[4]!, 'alpha')).toBeNull();
    expect(cellValue(rows[4]!, 'D')).toBeNull();
    expect(cellValue(rows[2]!, 'warning')).toBeNull();
    expect(cellValue(rows[1]!, 'alpha')).toBeNull();
    expect(cellValue(rows[3]!, 'rand_distance')).toBe(0.3);
  });
});

describe('sortRows', () => {
  it('sorts numbers numerically, missing values last in both directions', () => {
    expect(names(sortRows(rows, 'alpha', 'ascending')).slice(0, 3)).toEqual(['conv1.weight', 'conv2.weight', 'fc1.weight']);
    expect(names(sortRows(rows, 'alpha', 'descending')).slice(0, 3)).toEqual(['fc1.weight', 'conv2.weight', 'conv1.weight']);
    for (const dir of ['ascending', 'descending'] as const) {
      const sorted = sortRows(rows, 'alpha', dir);
      expect(sorted.slice(3).every((r) => cellValue(r, 'alpha') === null)).toBe(true);
      // The rows without α stay in depth order.
      expect(sorted.slice(3).map((r) => r.index)).toEqual([...sorted.slice(3).map((r) => r.index)].sort((a, b) => a - b));
    }
  });

  it('breaks ties by depth in either direction, and does not mutate its input', () => {
    const before = names(rows);
    expect(names(sortRows(rows, 'stable_rank', 'ascending')).slice(0, 3)).toEqual(['fc2.weight', 'conv1.weight', 'conv2.weight']);
    expect(names(sortRows(rows, 'stable_rank', 'descending')).slice(0, 3)).toEqual(['fc1.weight', 'conv1.weight', 'conv2.weight']);
    expect(names(rows)).toEqual(before);
  });

  it('sorts text with numeric collation, and params as numbers', () => {
    const numbered = buildLayerRows([tensor('layer10', [2, 2], 'dense'), tensor('layer2', [2, 2], 'dense'), tensor('Layer1', [3, 3], 'dense')], {});
    expect(names(sortRows(numbered, 'name', 'ascending'))).toEqual(['Layer1', 'layer2', 'layer10']);
    expect(names(sortRows(numbered, 'params', 'descending'))).toEqual(['Layer1', 'layer10', 'layer2']);
    expect(sortRows([], 'alpha', 'ascending')).toEqual([]);
  });

  it('puts ∞ above every finite value', () => {
    const r = buildLayerRows([tensor('a', [2, 2], 'dense'), tensor('b', [2, 2], 'dense')], {
      a: ok('a', { condition_number: Infinity }),
      b: ok('b', { condition_number: 1e9 }),
    });
    expect(names(sortRows(r, 'condition_number', 'descending'))).toEqual(['a', 'b']);
  });
});

describe('filterRows', () => {
  it('keeps everything for an empty query', () => {
    expect(filterRows(rows, '')).toHaveLength(rows.length);
    expect(filterRows(rows, '   ')).toHaveLength(rows.length);
  });

  it('matches free text in the name or kind, case-insensitively, all terms together', () => {
    expect(names(filterRows(rows, 'CONV'))).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight']);
    expect(names(filterRows(rows, 'conv weight'))).toEqual(['conv1.weight', 'conv2.weight']);
    expect(names(filterRows(rows, 'vector'))).toEqual(['conv1.bias']);
    expect(filterRows(rows, 'nothing-like-this')).toEqual([]);
  });

  it('compares numeric columns, skipping layers without a value', () => {
    expect(names(filterRows(rows, 'alpha>6'))).toEqual(['fc1.weight']);
    expect(names(filterRows(rows, 'alpha<2'))).toEqual(['conv1.weight']);
    expect(names(filterRows(rows, 'alpha>=1.5 alpha<=3.5'))).toEqual(['conv1.weight', 'conv2.weight']);
    expect(names(filterRows(rows, 'stable_rank=2'))).toEqual(['conv1.weight', 'conv2.weight']);
    expect(names(filterRows(rows, 'depth<=2'))).toEqual(['conv1.weight', 'conv1.bias']);
    expect(names(filterRows(rows, 'α>6'))).toEqual(['fc1.weight']);
    expect(names(filterRows(rows, 'ALPHA>6'))).toEqual(['fc1.weight']);
  });

  it('matches text conditions: warning, kind, status, name', () => {
    expect(names(filterRows(rows, 'warning:over-trained'))).toEqual(['conv1.weight', 'fc2.weight']);
    expect(names(filterRows(rows, 'kind:conv2d'))).toEqual(['conv1.weight', 'conv2.weight']);
    expect(names(filterRows(rows, 'status:ok kind:dense'))).toEqual(['fc1.weight', 'fc2.weight']);
    expect(names(filterRows(rows, 'name:fc'))).toEqual(['fc1.weight', 'fc2.weight', 'fc3.weight']);
    expect(names(filterRows(rows, 'status=non-finite'))).toEqual(['broken.weight']);
  });

  it('negates terms with a leading minus and with !=', () => {
    expect(names(filterRows(rows, 'status:ok -kind:conv2d'))).toEqual(['fc1.weight', 'fc2.weight']);
    expect(names(filterRows(rows, 'status:ok warning!=over-trained'))).toEqual(['conv2.weight', 'fc1.weight']);
    expect(names(filterRows(rows, '-weight'))).toEqual(['conv1.bias']);
  });

  it('reports unknown columns and non-numbers, and then keeps nothing', () => {
    const columns = tableColumns(rows);
    expect(parseLayerQuery('alpah>6', columns).problems).toEqual(['unknown column “alpah”']);
    expect(filterRows(rows, 'alpah>6')).toEqual([]);
    expect(parseLayerQuery('alpha>big', columns).problems[0]).toMatch(/not a number/);
    expect(filterRows(rows, 'alpha>big')).toEqual([]);
    expect(parseLayerQuery('alpha>6 kind:dense', columns).problems).toEqual([]);
  });

  it('ignores a condition still being typed, and knows catalogue columns no layer has yet', () => {
    expect(filterRows(rows, 'alpha>')).toHaveLength(rows.length);
    expect(filterRows(rows, 'warning:')).toHaveLength(rows.length);
    expect(parseLayerQuery('sigma_mp>1', queryColumns(rows)).problems).toEqual([]);
    expect(parseLayerQuery('sigma_mp>1', tableColumns(rows)).problems).toEqual(['unknown column “sigma_mp”']);
    expect(filterRows(rows, 'sigma_mp>1')).toEqual([]);
  });
});
