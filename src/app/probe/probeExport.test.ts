import { describe, expect, it } from 'vitest';
import type { ProbeExportInput } from './probeExport';
import { probeCsv, probeJson } from './probeExport';

/**
 * The hand case of classProfiles.test.ts: three inputs over four directions, threshold 0.5 →
 * cat = [0.5, 1.5, 0, 0] (2 inputs), dog = [0, 0.5, 0.5, 0] (1 input); Jaccard 1/3, weighted 0.2.
 */
const INPUT: ProbeExportInput = {
  model: 'm.onnx',
  runtime: 'onnxruntime-web',
  aggregate: 'mean',
  threshold: 0.5,
  layers: [{ tensor: 'fc, "one"', definition: 'dense', rank: 4, sigma: Float64Array.from([4, 3, 2, 1]), aggregates: Float64Array.from([3, -3, 0, 0, 0, 2, 0, 0, 0, -1, 1, 0]) }],
  classes: ['cat', 'dog'],
  labels: [0, 0, 1],
  names: ['a.png', 'b.png', 'c.png'],
};

describe('probe exports', () => {
  it('JSON carries the profiles, Jaccard matrices, overlap and raw aggregates', () => {
    const json = JSON.parse(probeJson(INPUT));
    expect(json.options).toEqual({ aggregate: 'mean', threshold: 0.5 });
    expect(json.inputs).toEqual([
      { name: 'a.png', class: 'cat' },
      { name: 'b.png', class: 'cat' },
      { name: 'c.png', class: 'dog' },
    ]);
    const [layer] = json.layers;
    expect(layer.class_profiles.cat).toEqual({ count: 2, weights: [0.5, 1.5, 0, 0] });
    expect(layer.class_profiles.dog).toEqual({ count: 1, weights: [0, 0.5, 0.5, 0] });
    expect(layer.jaccard).toEqual([
      [1, 1 / 3],
      [1 / 3, 1],
    ]);
    expect(layer.weighted_jaccard[0][1]).toBe(0.2);
    expect(layer.class_overlap).toEqual({ jaccard: 1 / 3, weighted_jaccard: 0.2 });
    expect(layer.aggregates).toEqual([
      [3, -3, 0, 0],
      [0, 2, 0, 0],
      [0, -1, 1, 0],
    ]);
    expect(layer.sigma).toEqual([4, 3, 2, 1]);
  });

  it('CSV lists each direction some class relies on, once per class, with quoted names', () => {
    const lines = probeCsv(INPUT).trimEnd().split('\n');
    expect(lines[0]).toBe('layer,definition,direction_k,sigma,class,inputs,weight,mean_weight');
    expect(lines.slice(1)).toEqual([
      '"fc, ""one""",dense,1,4,cat,2,0.5,0.25',
      '"fc, ""one""",dense,1,4,dog,1,0,0',
      '"fc, ""one""",dense,2,3,cat,2,1.5,0.75',
      '"fc, ""one""",dense,2,3,dog,1,0.5,0.5',
      '"fc, ""one""",dense,3,2,cat,2,0,0',
      '"fc, ""one""",dense,3,2,dog,1,0.5,0.5',
    ]);
  });

  it('a single class has no overlap (null, not NaN, in JSON)', () => {
    const json = JSON.parse(probeJson({ ...INPUT, classes: ['all'], labels: [0, 0, 0] }));
    expect(json.layers[0].class_overlap).toEqual({ jaccard: null, weighted_jaccard: null });
  });
});
