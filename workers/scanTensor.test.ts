import { describe, expect, it } from 'vitest';
import { loraFilterGeometry, scanTensor } from './scanTensor';
import type { LowRankInfo, TensorRef } from '../src/model/types';
import { gaussianMatrix } from '../src/analysis/testing/exactSvdMatrix';
import { jacobiSingularValues } from '../src/analysis/linalg/jacobiSingularValues';
import { layerReport } from '../src/analysis/metrics/layerReport';
import { loraProduct } from '../src/model/loraModel';

const ref = (name: string, shape: number[], values: Float32Array, kind: TensorRef['kind'] = 'dense'): TensorRef => ({
  name,
  dtype: 'F32',
  shape,
  size: values.length,
  kind,
  file: 'f.safetensors',
  byteLength: values.byteLength,
  read: async () => values,
});

describe('scanTensor', () => {
  it('returns the spectrum of a readable tensor', async () => {
    // diag(3, 4) padded: σ = 4, 3.
    const result = await scanTensor(ref('w', [2, 3], new Float32Array([3, 0, 0, 0, 4, 0])), {});
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(Array.from(result.spectrum.singularValues)).toEqual([4, 3]);
    expect(result.spectrum.frobeniusNormSq).toBe(25);
  });

  it('flags NaN and Inf without computing', async () => {
    const result = await scanTensor(ref('w', [2, 2], new Float32Array([NaN, 1, -Infinity, NaN])), {});
    expect(result).toEqual({ tensor: 'w', status: 'non-finite', nanCount: 2, infCount: 1 });
  });

  it('turns a read failure into a failed result with its code', async () => {
    const failing: TensorRef = {
      ...ref('w', [2, 2], new Float32Array(4)),
      read: async () => {
        throw Object.assign(new Error('gone'), { name: 'FormatError', code: 'READ_FAILED', file: 'f.safetensors' });
      },
    };
    const result = await scanTensor(failing, {});
    expect(result).toMatchObject({ status: 'failed', error: { code: 'READ_FAILED', file: 'f.safetensors', message: 'gone' } });
  });

  it('lets cancellation through instead of reporting it as a failure', async () => {
    const big = new Float32Array(300 * 300).map((_, i) => Math.sin(i));
    await expect(scanTensor(ref('w', [300, 300], big), { shouldCancel: () => true })).rejects.toMatchObject({ name: 'AnalysisCancelled' });
  });
});

describe('scanTensor on a LoRA update (virtual B·A tensor)', () => {
  const out = 40;
  const inputs = 30;
  const r = 12;
  const scale = 2.5;
  const a = Float32Array.from(gaussianMatrix(r, inputs, 11));
  const b = Float32Array.from(gaussianMatrix(out, r, 12));
  const lowRank: LowRankInfo = { method: 'lora', convention: 'peft', layerKind: 'linear', a: 'm.lora_A.weight', b: 'm.lora_B.weight', rank: r, scale, scaleSource: 'test', scaleKnown: true };
  const virtual = (factorA = a, factorB = b, info = lowRank): TensorRef => ({
    ...ref('m.lora_BA.weight', [out, inputs], new Float32Array(0)),
    size: out * inputs,
    lowRank: info,
    factors: { a: ref(info.a, [info.rank, inputs], factorA), b: ref(info.b, [out, info.rank], factorB) },
    read: async () => {
      throw new Error('a scan must not form the product');
    },
  });

  it('has the r nonzero σ of scale·B·A (dense SVD to 1e-9), and WW peft metrics over them', async () => {
    const result = await scanTensor(virtual(), {});
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    const dense = jacobiSingularValues(loraProduct(Float64Array.from(a), Float64Array.from(b), r, out, inputs, scale, 'F64'), out, inputs);
    const sigma = result.spectrum.singularValues;
    expect(sigma.length).toBe(r);
    for (let i = 0; i < r; i++) expect(Math.abs((sigma[i] as number) - (dense[i] as number)) / (dense[i] as number)).toBeLessThan(1e-9);
    // The rest of the dense spectrum is rounding noise around 0.
    expect(dense[r] as number).toBeLessThan(1e-12 * (dense[0] as number));
    const { report } = result;
    const reference = layerReport({ definition: 'dense', rows: out, cols: inputs, matrixCount: 1, singularValues: sigma, matrixSingularValues: [sigma] });
    expect(report.columns).toEqual({ ...reference.columns, lora_rank: r, lora_scale: scale, lora_scale_source: 'test' });
    expect(report.columns).toMatchObject({ num_evals: r, N: out, M: inputs, rank_loss: 0 });
    expect(report.definition).toContain('peft=True');
    expect(report.approximations.join(' ')).toContain('without the scale');
    expect(report.wwSkipped).toBeNull();
    expect(result.spectrum.frobeniusNormSq).toBeCloseTo(dense.reduce((s, x) => s + x * x, 0), 8);
  });

  it("applies WW's filters to r, flags non-finite factors, and says when the scale is unknown", async () => {
    const small = { ...lowRank, rank: 4, scale: 1, scaleKnown: false, scaleSource: 'no lora_alpha found' };
    const result = await scanTensor(virtual(a.subarray(0, 4 * inputs), b.filter((_, i) => i % r < 4), small), {});
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.report.wwSkipped).toBe('M·rf = 4 < min_evals = 10');
    expect(result.report.approximations[0]).toContain('LoRA scale unknown');
    expect(loraFilterGeometry(small, out, inputs)).toEqual({ N: out, M: 4, rf: 1 });
    const bad = Float32Array.from(b);
    bad[3] = NaN;
    expect(await scanTensor(virtual(a, bad), {})).toEqual({ tensor: 'm.lora_BA.weight', status: 'non-finite', nanCount: 1, infCount: 0 });
  });
});
