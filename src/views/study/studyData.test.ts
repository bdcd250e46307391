import { describe, expect, it } from 'vitest';
import { layerReport } from '../../analysis/metrics/layerReport';
import type { LayerResult } from '../../../workers/protocol';
import type { StudyCheckpoint } from '../../state/slices/studySlice';
import { testModel, testTensor } from '../../state/testing/testModel';
import { curveValueAt, layerSpectra, metricSeries, stepAxis, testAccuracyCurve } from './studyData';
import { studyRecords } from '../../app/study/studyRecords';

const result = (name: string, sigma: number[]): LayerResult => {
  const singularValues = Float64Array.from(sigma);
  const spectrum = { definition: 'dense', rows: 4, cols: 4, matrixCount: 1, singularValues, frobeniusNormSq: sigma.reduce((a, s) => a + s * s, 0) } as const;
  return { tensor: name, status: 'ok', ms: 1, readMs: 0, metricsMs: 0, spectrum, report: layerReport(spectrum) };
};
const info = testModel([testTensor('a', [4, 4]), testTensor('b', [4, 4])]);
const ckpt = (name: string, step: number | null): StudyCheckpoint => ({ name, parsedStep: step, step, info, status: 'done' });

const study = {
  checkpoints: [ckpt('s0', 0), ckpt('s10', 10), ckpt('s20', 20)],
  layers: ['a', 'b'],
  results: {
    s0: { a: result('a', [1, 1, 1, 1]), b: result('b', [2, 1]) },
    s10: { a: result('a', [2, 1, 0.5, 0.1]) },
    s20: { a: result('a', [4, 0.1, 0.01, 0.001]), b: { tensor: 'b', status: 'non-finite', nanCount: 1, infCount: 0 } as LayerResult },
  },
};

describe('study data', () => {
  it('puts checkpoints at their steps, or at their positions when a step is unknown', () => {
    expect(stepAxis(study)).toEqual({ kind: 'step', x: [0, 10, 20] });
    expect(stepAxis({ checkpoints: [ckpt('base', null), ckpt('s5', 5)] })).toEqual({ kind: 'position', x: [0, 1] });
  });

  it('gives each layer the metric at the checkpoints that have it', () => {
    const series = metricSeries(study, 'stable_rank');
    expect(series.map((s) => s.layer)).toEqual(['a', 'b']);
    // Stable rank Σσ²/σ₁²: 4/1 = 4 at step 0, (4 + 1 + 0.25 + 0.01)/4 = 1.315 at step 10.
    expect(series[0]?.points.map((p) => [p.x, p.value])).toEqual([
      [0, 4],
      [10, 1.315],
      [20, expect.closeTo(1.000631, 6)],
    ]);
    // b has no result at step 10 and a non-finite one at step 20.
    expect(series[1]?.points.map((p) => p.x)).toEqual([0]);
  });

  it("lists one layer's spectra across steps with their 90 % energy rank", () => {
    const spectra = layerSpectra(study, 'a');
    expect(spectra.map((s) => [s.step, s.singularValues.length, s.energyRank90])).toEqual([
      [0, 4, 4],
      [10, 4, 2],
      [20, 4, 1],
    ]);
  });

  it('finds the held-out accuracy curve of a training log', () => {
    const curve = (name: string, fraction: boolean) => ({ name, fraction, steps: [], values: [] });
    expect(testAccuracyCurve([curve('train_acc', true), curve('test_loss', false), curve('test_acc', true)])?.name).toBe('test_acc');
    expect(testAccuracyCurve([curve('eval_accuracy', true)])?.name).toBe('eval_accuracy');
    expect(testAccuracyCurve([curve('train_acc', true), curve('val_loss', false)])).toBeNull();
  });

  it('reads a training curve at a step as the last logged value up to it', () => {
    const curve = { steps: [0, 10, 20], values: [0.1, 0.5, 0.9] };
    expect([curveValueAt(curve, -1), curveValueAt(curve, 0), curveValueAt(curve, 15), curveValueAt(curve, 99)]).toEqual([null, 0.1, 0.5, 0.9]);
  });

  it('writes one record per checkpoint and layer, checkpoint and step first', () => {
    const records = studyRecords(study);
    expect(records.map((r) => `${r.checkpoint}/${r.name}`)).toEqual(['s0/a', 's0/b', 's10/a', 's20/a', 's20/b']);
    expect(Object.keys(records[0] ?? {}).slice(0, 4)).toEqual(['checkpoint', 'step', 'name', 'shape']);
    expect(records[4]).toMatchObject({ status: 'non-finite', nan_count: 1 });
  });
});
