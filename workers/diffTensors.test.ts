import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jacobiSingularValues } from '../src/analysis/linalg/jacobiSingularValues';
import { unfoldConvKernel } from '../src/analysis/profiles';
import { gaussianMatrix } from '../src/analysis/testing/exactSvdMatrix';
import type { Model, TensorRef } from '../src/model/types';
import { openModel } from '../src/formats/registry';
import { namedFile } from '../src/formats/testing/memoryBlob';
import { diffModelLayers, diffOpenError, diffTensors, noCommonLayersError, planModelDiff, plannedLayers } from './diffTensors';
import { toSerializedError } from './serializeError';

const ref = (name: string, shape: number[], values: Float32Array | Float64Array, extra: Partial<TensorRef> = {}): TensorRef => ({
  name,
  dtype: values instanceof Float64Array ? 'F64' : 'F32',
  shape,
  size: values.length,
  kind: shape.length === 4 ? 'conv2d' : shape.length === 2 ? 'dense' : shape.length === 1 ? 'vector' : 'other',
  file: 'f.safetensors',
  byteLength: values.byteLength,
  read: async () => values,
  ...extra,
});

const model = (name: string, tensors: TensorRef[]): Model => ({ format: 'safetensors', name, files: [], metadata: {}, tensors });

describe('diffTensors', () => {
  it('a rank-1 update has delta_matrix_rank 1 and stable rank 1, with ‖ΔW‖ = |c|·‖u‖·‖v‖', async () => {
    const rows = 12;
    const cols = 20;
    const base = Float64Array.from(gaussianMatrix(rows, cols, 3));
    const u = Float64Array.from({ length: rows }, (_, i) => (i % 3) - 1);
    const v = Float64Array.from({ length: cols }, (_, j) => ((j * 7) % 5) - 2);
    const tuned = base.map((x, i) => x + 0.5 * (u[Math.floor(i / cols)] as number) * (v[i % cols] as number));
    const result = await diffTensors(ref('fc.weight', [rows, cols], base), ref('fc.weight', [rows, cols], tuned), { k: 3 });
    const norm = (x: Float64Array) => Math.hypot(...x);
    expect(result).toMatchObject({ tensor: 'fc.weight', shape: [rows, cols], matrix: 'dense', rows, cols });
    expect(result.record).toMatchObject({ name: 'fc.weight', shape: '12x20', N: 20, M: 12, delta_matrix_rank: 1, subspace_k: 3 });
    expect(result.record.delta_stable_rank).toBeCloseTo(1, 10);
    expect(result.record.delta_sv_max).toBeCloseTo(0.5 * norm(u) * norm(v), 10);
    expect(result.deltaSigma.length).toBe(rows);
    expect(result.sigmaA.length).toBe(3);
    expect(result.angles.length).toBe(3);
    // float64 weights: the floor uses ε = 2⁻⁵².
    expect(result.floor).toBeCloseTo(Math.max(result.sigmaA[0] as number, result.sigmaB[0] as number) * 20 * 2 ** -52, 20);
  });

  it('identical models: rel_change 0, ΔW = 0, every principal angle 0 (to rounding)', async () => {
    const w = Float32Array.from(gaussianMatrix(9, 7, 5));
    const result = await diffTensors(ref('w', [9, 7], w), ref('w', [9, 7], w.slice()), { k: 4 });
    expect(result.record).toMatchObject({ rel_change: 0, delta_sv_max: 0, delta_matrix_rank: 0, delta_stable_rank: 0 });
    expect(result.record.subspace_cos2).toBeCloseTo(1, 12);
    expect(result.record.max_principal_angle_deg).toBeLessThan(1e-12);
    expect(result.angles.length).toBe(4);
    for (const angle of result.angles) expect(angle).toBeLessThan(1e-14);
    // Every typed array owns its buffer, so the worker can transfer each one.
    for (const a of [result.deltaSigma, result.angles, result.sigmaA, result.sigmaB]) expect(a.byteLength).toBe(a.buffer.byteLength);
  });

  it('a conv kernel is compared as its unfold matrix c_out × c_in·kh·kw', async () => {
    const shape = [6, 2, 3, 3];
    const ka = Float32Array.from(gaussianMatrix(6, 18, 7));
    const kb = Float32Array.from(gaussianMatrix(6, 18, 8));
    const result = await diffTensors(ref('conv.weight', shape, ka, { layout: 'OIHW' }), ref('conv.weight', shape, kb, { layout: 'OIHW' }), { k: 2 });
    expect(result).toMatchObject({ matrix: 'unfold', rows: 6, cols: 18 });
    const delta = Float64Array.from(kb, (x, i) => x - (ka[i] as number));
    const expected = jacobiSingularValues(unfoldConvKernel(delta, shape, 'OIHW').data, 6, 18);
    for (let i = 0; i < 6; i++) expect(result.deltaSigma[i]).toBeCloseTo(expected[i] as number, 10);
    expect(result.record.M).toBe(6);
    await expect(diffTensors(ref('conv.weight', shape, ka), ref('conv.weight', [6, 18], kb), { k: 2 })).rejects.toThrow(RangeError);
    await expect(diffTensors(ref('b', [6], new Float32Array(6)), ref('b', [6], new Float32Array(6)), { k: 1 })).rejects.toThrow(RangeError);
  });

  it('Σσ(ΔW)² = ‖W_b − W_a‖²_F (property, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), async (rows, cols, seed) => {
        const wa = Float32Array.from(gaussianMatrix(rows, cols, seed));
        const wb = Float32Array.from(gaussianMatrix(rows, cols, seed + 1, 0.3));
        const result = await diffTensors(ref('w', [rows, cols], wa), ref('w', [rows, cols], wb), { k: 3 });
        let frobenius = 0;
        for (let i = 0; i < wa.length; i++) frobenius += ((wb[i] as number) - (wa[i] as number)) ** 2;
        const sumSq = result.deltaSigma.reduce((s, x) => s + x * x, 0);
        expect(Math.abs(sumSq - frobenius)).toBeLessThanOrEqual(1e-10 * frobenius);
        expect(result.deltaSigma.length).toBe(Math.min(rows, cols));
      }),
      { seed: 20240917, numRuns: 40 },
    );
  });
});

describe('planModelDiff and diffModelLayers', () => {
  const w = (seed: number, rows = 4, cols = 3) => Float32Array.from(gaussianMatrix(rows, cols, seed));
  const a = model('base.safetensors', [ref('fc1.weight', [4, 3], w(1)), ref('fc1.bias', [4], new Float32Array(4)), ref('fc2.weight', [4, 3], w(2)), ref('only_a.weight', [2, 2], w(3, 2, 2))]);
  const b = model('tuned.safetensors', [ref('fc2.weight', [4, 3], w(4)), ref('fc1.weight', [4, 3], w(5)), ref('fc1.bias', [4], new Float32Array(4)), ref('only_a.weight', [2, 3], w(6, 2, 3))]);

  it("matches weights by name and shape in A's order and lists the others with why", () => {
    const plan = planModelDiff(a, b);
    expect(plan.labels).toEqual(['base.safetensors', 'tuned.safetensors']);
    expect(plan.pairs.map((p) => p.a.name)).toEqual(['fc1.weight', 'fc2.weight']);
    expect(plan.notCompared).toEqual([{ name: 'only_a.weight', detail: expect.stringContaining('shapes differ') }]);
    expect(plannedLayers(plan)).toEqual([
      { name: 'fc1.weight', rows: 4, cols: 3 },
      { name: 'fc2.weight', rows: 4, cols: 3 },
    ]);
    // A conv kernel's size is its unfold matrix c_out × c_in·kh·kw, whatever its layout (HWIO: 3×3×2×6).
    const conv = (name: string) => model(name, [ref('conv.weight', [3, 3, 2, 6], new Float32Array(108), { layout: 'HWIO' })]);
    expect(plannedLayers(planModelDiff(conv('a'), conv('b')))).toEqual([{ name: 'conv.weight', rows: 6, cols: 18 }]);
    const some = planModelDiff(a, b, { tensors: ['fc2.weight', 'nope'] });
    expect(some.pairs.map((p) => p.b.name)).toEqual(['fc2.weight']);
    expect(some.notCompared).toEqual([{ name: 'nope', detail: expect.stringContaining('not a dense or conv weight') }]);
  });

  it('yields one result per matched layer, announcing each, and stops when cancelled', async () => {
    const starts: string[] = [];
    const results = [];
    for await (const r of diffModelLayers(planModelDiff(a, b), { k: 2, onLayerStart: (done, total, name) => starts.push(`${done}/${total} ${name}`) })) results.push(r.tensor);
    expect(results).toEqual(['fc1.weight', 'fc2.weight']);
    expect(starts).toEqual(['0/2 fc1.weight', '1/2 fc2.weight']);
    const cancelled = diffModelLayers(planModelDiff(a, b), { k: 2, shouldCancel: () => true });
    await expect(cancelled.next()).rejects.toMatchObject({ name: 'AnalysisCancelled' });
  });

  it('errors name the model and file and keep the reader\'s code and remedy', async () => {
    const opening = await openModel([namedFile('notes.txt', 'not a model')]).catch((error: unknown) => error);
    const wrapped = toSerializedError(diffOpenError('B', ['notes.txt'], opening));
    expect(wrapped).toMatchObject({ name: 'FormatError', code: 'UNKNOWN_FORMAT', file: 'notes.txt', message: expect.stringMatching(/^Model B \("notes.txt"\) could not be opened: .*notes\.txt/) });
    expect(wrapped.remedy).toContain('supported format');
    expect(wrapped.context).toBeDefined();
    const other = model('other.safetensors', [ref('x.weight', [2, 2], w(7, 2, 2))]);
    const none = toSerializedError(noCommonLayersError(planModelDiff(a, other), a, other));
    expect(none).toMatchObject({ code: 'NO_COMMON_LAYERS', message: expect.stringContaining('Model A (base.safetensors, 3 weights) and model B (other.safetensors, 1 weight)') });
    expect(none.remedy).toContain('matched by tensor name and shape');
  });
});
