import { describe, expect, it } from 'vitest';
import type { DiffLayerResult } from '../../state/slices/diffSlice';
import {
  anglesDegrees,
  checkpointLabel,
  decadeLabel,
  decadeTicks,
  deltaSpectrumDomain,
  diffFileStem,
  diffRecords,
  diffRows,
  floorPrecision,
  formatDiffValue,
  randomCos2,
  sortDiffRows,
} from './diffData';

const result = (tensor: string, rows: number, cols: number, record: Record<string, number | string | null>, floor = 1e-4): DiffLayerResult => ({
  tensor,
  shape: [rows, cols],
  matrix: 'dense',
  rows,
  cols,
  record: { name: tensor, shape: `${rows}x${cols}`, ...record },
  deltaSigma: new Float64Array([4, 2, 1]),
  angles: new Float64Array([0, Math.PI / 4, Math.PI / 2]),
  sigmaA: new Float64Array([10, 5, 1]),
  sigmaB: new Float64Array([8, 4, 2]),
  floor,
  ms: 1,
});

const results = {
  'fc1.weight': result('fc1.weight', 192, 128, { rel_change: 5.35, delta_stable_rank: 24.2, delta_energy_rank_90: 36, delta_matrix_rank: 128, subspace_k: 10, subspace_cos2: 0.06, max_principal_angle_deg: 88.4 }),
  'embed.weight': result('embed.weight', 97, 64, { rel_change: 0.997, delta_stable_rank: 21.3, delta_energy_rank_90: 39, delta_matrix_rank: 64, subspace_k: 10, subspace_cos2: 0.107, max_principal_angle_deg: 89.7 }),
  'out.weight': result('out.weight', 97, 192, { rel_change: 6.75, delta_stable_rank: 15.0, delta_energy_rank_90: 24, delta_matrix_rank: 97, subspace_k: 10, subspace_cos2: Number.NaN, max_principal_angle_deg: 88.4 }),
};
const layers = ['embed.weight', 'fc1.weight', 'out.weight'];

describe('diffRows', () => {
  it('gives one row per result in model order, with the record’s numbers and the matrix size', () => {
    const rows = diffRows(results, [...layers, 'missing.weight']);
    expect(rows.map((r) => r.name)).toEqual(layers);
    const fc1 = rows[1];
    expect(fc1).toMatchObject({ order: 1, rows: 192, cols: 128, m: 128, k: 10 });
    expect(fc1?.values).toMatchObject({ order: 2, shape: '192 × 128', rel_change: 5.35, delta_energy_rank_90: 36, subspace_cos2: 0.06 });
    // Non-finite record values are no value.
    expect(rows[2]?.values.subspace_cos2).toBeNull();
  });

  it('sorts by a column either way, missing values last, ties in model order', () => {
    const rows = diffRows(results, layers);
    expect(sortDiffRows(rows, 'rel_change', 'descending').map((r) => r.name)).toEqual(['out.weight', 'fc1.weight', 'embed.weight']);
    expect(sortDiffRows(rows, 'rel_change', 'ascending').map((r) => r.name)).toEqual(['embed.weight', 'fc1.weight', 'out.weight']);
    expect(sortDiffRows(rows, 'subspace_cos2', 'ascending').map((r) => r.name)).toEqual(['fc1.weight', 'embed.weight', 'out.weight']);
    expect(sortDiffRows(rows, 'subspace_cos2', 'descending').map((r) => r.name)).toEqual(['embed.weight', 'fc1.weight', 'out.weight']);
    expect(sortDiffRows(rows, 'max_principal_angle_deg', 'ascending').map((r) => r.name)).toEqual(['fc1.weight', 'out.weight', 'embed.weight']);
    expect(sortDiffRows(rows, 'name', 'descending').map((r) => r.name)).toEqual(['out.weight', 'fc1.weight', 'embed.weight']);
    // Shape sorts by size: 97·64 < 97·192 < 192·128.
    expect(sortDiffRows(rows, 'shape', 'ascending').map((r) => r.name)).toEqual(['embed.weight', 'out.weight', 'fc1.weight']);
  });
});

describe('exports', () => {
  it('prefixes the CLI record with the two checkpoints, in model order', () => {
    const records = diffRecords('a.safetensors', 'b.safetensors', results, layers);
    expect(records.map((r) => r.name)).toEqual(layers);
    expect(Object.keys(records[0] ?? {}).slice(0, 4)).toEqual(['a', 'b', 'name', 'shape']);
    expect(records[1]).toMatchObject({ a: 'a.safetensors', b: 'b.safetensors', rel_change: 5.35 });
  });

  it('names files <a>-vs-<b>-delta without model extensions', () => {
    expect(diffFileStem('grok-step-000900.safetensors', 'grok-step-003350.safetensors')).toBe('grok-step-000900-vs-grok-step-003350-delta');
    expect(diffFileStem('base model/', 'tuned (v2).onnx')).toBe('base-model-vs-tuned-v2-delta');
    expect(diffFileStem('', '???')).toBe('model-vs-model-delta');
  });
});

describe('labels and scales', () => {
  it('labels a checkpoint by its step, else its name', () => {
    expect(checkpointLabel({ name: 'grok-step-000900.safetensors', step: 900 })).toBe('step 900');
    expect(checkpointLabel({ name: 'tuned.safetensors', step: null })).toBe('tuned');
  });

  it('tells a float32 rounding floor from a float64 one', () => {
    const scale = 10 * 192;
    expect(floorPrecision({ floor: scale * 2 ** -23, sigmaA: new Float64Array([10]), sigmaB: new Float64Array([8]), rows: 192, cols: 128 })).toBe('float32');
    expect(floorPrecision({ floor: scale * 2 ** -52, sigmaA: new Float64Array([10]), sigmaB: new Float64Array([8]), rows: 192, cols: 128 })).toBe('float64');
    expect(floorPrecision({ floor: 0, sigmaA: new Float64Array([]), sigmaB: new Float64Array([]), rows: 2, cols: 2 })).toBe('float32');
  });

  it('gives random subspaces a mean cos² of k/N', () => {
    expect(randomCos2(10, 97)).toBeCloseTo(0.1031, 4);
    expect(randomCos2(10, 5)).toBe(1);
    expect(randomCos2(3, 0)).toBeNaN();
  });

  it('bounds the log axis by every positive σ and the floor, at most 12 decades', () => {
    const [lo, hi] = deltaSpectrumDomain([new Float64Array([4, 2, 0]), new Float64Array([10])], 1e-3);
    expect(hi).toBe(20);
    expect(lo).toBe(5e-4);
    const [lo2] = deltaSpectrumDomain([new Float64Array([1, 1e-30])], 0);
    expect(lo2).toBe(1e-12);
    expect(deltaSpectrumDomain([new Float64Array([0])], 0)).toEqual([0.1, 1]);
  });

  it('ticks whole decades on a log axis that spans two or more, thinned to the height', () => {
    expect(decadeTicks([1.5e-4, 20], 300)).toEqual([1, 0, -1, -2, -3].map((e) => 10 ** e));
    expect(decadeTicks([2, 30], 300)).toBeNull();
    expect(decadeTicks([1e-12, 1], 100)).toEqual([1, 10 ** -5, 10 ** -10]);
    expect(decadeLabel(10)).toBe('10');
    expect(decadeLabel(1e-3)).toBe('0.001');
    expect(decadeLabel(1e-4)).toBe('1e−4');
    expect(decadeLabel(1e5)).toBe('1e5');
  });

  it('converts angles to degrees and formats cells', () => {
    expect(anglesDegrees(new Float64Array([0, Math.PI / 2]))).toEqual([0, 90]);
    expect(formatDiffValue('max_principal_angle_deg', 88.399)).toBe('88.4°');
    expect(formatDiffValue('subspace_cos2', 0.0607)).toBe('0.061');
    expect(formatDiffValue('rel_change', 5.3513)).toBe('5.35');
    expect(formatDiffValue('rel_change', 2.5e-5)).toBe('2.50e-5');
    expect(formatDiffValue('delta_energy_rank_90', 36)).toBe('36');
    expect(formatDiffValue('rel_change', null)).toBe('—');
  });
});
