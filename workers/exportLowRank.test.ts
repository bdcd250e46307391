import { describe, expect, it } from 'vitest';
import { rankForEnergy } from '../src/analysis/checkpoints/lowRank';
import { multiplyFactors, truncateMatrix } from '../src/analysis/checkpoints/truncate';
import { singularValues } from '../src/analysis/linalg/singularValues';
import { seededRandom } from '../src/analysis/random/seededRandom';
import { convDims, toOihw } from '../src/analysis/spectra/convKernel';
import { openModel } from '../src/formats/registry';
import { streamParts } from '../src/formats/safetensors/streamParts';
import { writeSafetensors, type SafetensorsPart } from '../src/formats/safetensors/writeSafetensors';
import { lazyBlob, namedFile } from '../src/formats/testing/memoryBlob';
import { concatBytes } from '../src/formats/testing/buildSafetensors';
import { findLoraPairs } from '../src/analysis/checkpoints/lora';
import { withLoraAdapters } from '../src/model/loraModel';
import { writeTfjs } from '../src/formats/tfjs/testing/buildTfjs';
import type { Model, TensorRef } from '../src/model/types';
import { exportLowRank, type LowRankExport } from './exportLowRank';

const rng = seededRandom(11);
const randomF32 = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);

/** A small PyTorch-style model: dense F32, dense BF16, an OIHW conv, a bias and an integer tensor. */
const SOURCE = writeSafetensors(
  [
    { name: 'fc1.weight', dtype: 'F32', shape: [12, 9], data: randomF32(108) },
    { name: 'fc1.bias', dtype: 'F32', shape: [12], data: randomF32(12) },
    { name: 'emb.weight', dtype: 'BF16', shape: [10, 7], data: randomF32(70) },
    { name: 'conv.weight', dtype: 'F32', shape: [6, 3, 3, 3], data: randomF32(162) },
    { name: 'steps', dtype: 'I64', shape: [1], bytes: new Uint8Array([42, 0, 0, 0, 0, 0, 0, 0]) },
  ],
  { format: 'pt' },
);

const openSource = () => openModel([{ name: 'tiny.safetensors', blob: new Blob([SOURCE as BlobPart]) }]);

async function joinParts(parts: readonly SafetensorsPart[]): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of streamParts(parts, 64)) chunks.push(chunk);
  return concatBytes(...chunks);
}

async function reopen(exported: LowRankExport): Promise<Model> {
  const bytes = await joinParts(exported.parts);
  expect(bytes.length).toBe(exported.bytes);
  return openModel([{ name: exported.name, blob: new Blob([bytes as BlobPart]) }]);
}

function tensor(model: Model, name: string): TensorRef {
  const ref = model.tensors.find((t) => t.name === name);
  if (!ref) throw new Error(`no ${name} in ${model.tensors.map((t) => t.name).join(', ')}`);
  return ref;
}

/** The layer's matrix: dense as stored, conv as its OIHW unfold. */
async function matrixOf(ref: TensorRef): Promise<{ data: Float64Array; rows: number; cols: number }> {
  const values = await ref.read();
  if (ref.kind === 'dense') return { data: Float64Array.from(values), rows: ref.shape[0] as number, cols: ref.shape[1] as number };
  const dims = convDims(ref.shape, ref.layout ?? 'OIHW');
  return { data: Float64Array.from(toOihw(values, dims, ref.layout ?? 'OIHW')), rows: dims.cOut, cols: dims.cIn * dims.kh * dims.kw };
}

async function storedBytesOf(ref: TensorRef): Promise<Uint8Array> {
  const stored = ref.storedBytes?.();
  if (!stored) throw new Error(`${ref.name} has no stored bytes`);
  return new Uint8Array(await stored.bytes.arrayBuffer());
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
const sumSquares = (a: ArrayLike<number>, from = 0) => Array.from(a).slice(from).reduce((s, v) => s + v * v, 0);

describe('exportLowRank: truncated', () => {
  const plan = [
    { tensor: 'fc1.weight', k: 3 },
    { tensor: 'emb.weight', k: 2 },
    { tensor: 'conv.weight', k: 2 },
  ];

  it('replaces each planned tensor by W_k in its shape and dtype: rank k, ‖W − W_k‖²_F = Σ_{j>k} σ², = truncateMatrix', async () => {
    const source = await openSource();
    const exported = await exportLowRank(source, plan, { form: 'truncated' });
    expect(exported.name).toBe('tiny.low-rank.safetensors');
    const out = await reopen(exported);
    expect(out.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(source.tensors.map((t) => [t.name, t.dtype, t.shape]));
    for (const { tensor: name, k } of plan) {
      const original = await matrixOf(tensor(source, name));
      const truncated = await matrixOf(tensor(out, name));
      const expected = truncateMatrix(original.data, original.rows, original.cols, k);
      // BF16 keeps 8 significant bits: the rounding of W_k itself, nothing more.
      const rounding = tensor(source, name).dtype === 'BF16' ? 2 ** -8 : 2 ** -23;
      expect(maxDiff(truncated.data, expected)).toBeLessThanOrEqual(rounding * maxAbs(expected));
      const sigma = singularValues(original.data, original.rows, original.cols);
      const error = sumSquares(original.data.map((v, i) => v - (truncated.data[i] as number)));
      const summary = exported.summary.find((s) => s.tensor === name);
      expect(summary).toMatchObject({ k, rows: original.rows, cols: original.cols, paramsBefore: original.rows * original.cols, paramsAfter: original.rows * original.cols });
      expect(summary?.relError ?? NaN).toBeCloseTo(Math.sqrt(sumSquares(sigma, k) / sumSquares(sigma)), 6);
      if (rounding < 1e-6) {
        expect(error / sumSquares(sigma, k)).toBeCloseTo(1, 5);
        const sigmaOut = singularValues(truncated.data, truncated.rows, truncated.cols);
        expect((sigmaOut[k] as number) / (sigmaOut[0] as number)).toBeLessThan(1e-6);
      }
    }
  });

  it('copies every other tensor byte for byte (BF16, I64 and all) and keeps the source metadata', async () => {
    const source = await openSource();
    const out = await reopen(await exportLowRank(source, plan, { form: 'truncated' }));
    for (const name of ['fc1.bias', 'steps']) expect(await storedBytesOf(tensor(out, name))).toEqual(await storedBytesOf(tensor(source, name)));
    const bf16 = await reopen(await exportLowRank(source, [{ tensor: 'fc1.weight', k: 3 }], { form: 'truncated' }));
    expect(await storedBytesOf(tensor(bf16, 'emb.weight'))).toEqual(await storedBytesOf(tensor(source, 'emb.weight')));
    expect(out.metadata).toMatchObject({ format: 'pt', conv_layout: 'OIHW', lowrank_form: 'truncated' });
    const recorded = JSON.parse(out.metadata.lowrank_plan ?? '[]') as { tensor: string; k: number; dtype: string }[];
    expect(recorded.map((r) => [r.tensor, r.k, r.dtype])).toEqual([
      ['fc1.weight', 3, 'F32'],
      ['emb.weight', 2, 'BF16'],
      ['conv.weight', 2, 'F32'],
    ]);
    expect(JSON.parse(out.metadata.lowrank_source ?? '{}')).toEqual({ format: 'safetensors', name: 'tiny.safetensors', files: ['tiny.safetensors'] });
    expect(out.metadata.lowrank_definition).toContain('Eckart-Young');
  });

  it('dtype F32 writes the computed tensors as F32 whatever they were', async () => {
    const out = await reopen(await exportLowRank(await openSource(), [{ tensor: 'emb.weight', k: 2 }], { form: 'truncated', dtype: 'F32' }));
    expect(tensor(out, 'emb.weight').dtype).toBe('F32');
    const m = await matrixOf(tensor(out, 'emb.weight'));
    const sigma = singularValues(m.data, m.rows, m.cols);
    expect((sigma[2] as number) / (sigma[0] as number)).toBeLessThan(1e-6);
  });

  it('an energy plan uses k = rankForEnergy(σ, q) per layer', async () => {
    const source = await openSource();
    const exported = await exportLowRank(source, [{ tensor: 'conv.weight', energy: 0.9 }, { tensor: 'fc1.weight', energy: 0.5 }], { form: 'truncated' });
    for (const s of exported.summary) {
      const m = await matrixOf(tensor(source, s.tensor));
      const q = s.tensor === 'conv.weight' ? 0.9 : 0.5;
      expect(s.k).toBe(rankForEnergy(singularValues(m.data, m.rows, m.cols), q));
      expect(s.energyKept).toBeGreaterThanOrEqual(q);
    }
  });
});

describe('exportLowRank: factors', () => {
  it('writes <stem>.lowrank_left/right whose product is W_k (dense [out,k]·[k,in]; conv [c_out,k,1,1] after [k,c_in,kh,kw])', async () => {
    const source = await openSource();
    const progress: [number, number, string][] = [];
    const exported = await exportLowRank(source, [{ tensor: 'fc1.weight', k: 3 }, { tensor: 'conv.weight', k: 2 }], {
      form: 'factors',
      onProgress: (done, total, name) => progress.push([done, total, name]),
    });
    expect(progress).toEqual([[0, 2, 'fc1.weight'], [1, 2, 'conv.weight'], [2, 2, 'conv.weight']]);
    expect(exported.name).toBe('tiny.low-rank-factors.safetensors');
    const out = await reopen(exported);
    expect(out.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['fc1.lowrank_left', [12, 3]],
      ['fc1.lowrank_right', [3, 9]],
      ['fc1.bias', [12]],
      ['emb.weight', [10, 7]],
      ['conv.lowrank_left', [6, 2, 1, 1]],
      ['conv.lowrank_right', [2, 3, 3, 3]],
      ['steps', [1]],
    ]);
    for (const [name, stem, k, rows, cols] of [['fc1.weight', 'fc1', 3, 12, 9], ['conv.weight', 'conv', 2, 6, 27]] as const) {
      const original = await matrixOf(tensor(source, name));
      const left = Float64Array.from(await tensor(out, `${stem}.lowrank_left`).read());
      const right = Float64Array.from(await tensor(out, `${stem}.lowrank_right`).read());
      const product = multiplyFactors({ rows, cols, k, sigma: new Float64Array(k), left, right });
      const expected = truncateMatrix(original.data, rows, cols, k);
      expect(maxDiff(product, expected)).toBeLessThan(1e-6 * maxAbs(expected));
      expect(exported.summary.find((s) => s.tensor === name)).toMatchObject({ k, paramsBefore: rows * cols, paramsAfter: k * (rows + cols), written: [`${stem}.lowrank_left`, `${stem}.lowrank_right`] });
    }
    const recorded = JSON.parse(out.metadata.lowrank_plan ?? '[]') as { left: string; right: string }[];
    expect(recorded.map((r) => [r.left, r.right])).toEqual([['fc1.lowrank_left', 'fc1.lowrank_right'], ['conv.lowrank_left', 'conv.lowrank_right']]);
    expect(out.metadata.lowrank_form).toBe('factors');
  });
});

describe('exportLowRank: HWIO kernels from a TF.js model', () => {
  const kernel = randomF32(3 * 3 * 4 * 5);
  const { json, shards } = writeTfjs({
    format: null,
    groups: [
      {
        weights: [
          { name: 'conv/kernel', shape: [3, 3, 4, 5], values: kernel },
          { name: 'conv/bias', shape: [5], values: [0.5, -1, 2, 0.25, 3] },
          { name: 'dense/kernel', shape: [6, 4], values: randomF32(24) },
          { name: 'vocab', shape: [2], dtype: 'string', strings: ['a', 'b'] },
        ],
      },
    ],
  });
  const files = () => [{ name: 'weights_manifest.json', blob: new Blob([JSON.stringify(json)]) }, ...shards.map((s) => ({ name: s.name, blob: new Blob([s.bytes as BlobPart]) }))];

  it('truncated: W_k refolds into HWIO; unchanged weights are re-encoded and say so', async () => {
    const source = await openModel(files());
    expect(tensor(source, 'conv/kernel').layout).toBe('HWIO');
    const exported = await exportLowRank(source, [{ tensor: 'conv/kernel', k: 2 }], { form: 'truncated' });
    expect(exported.name).toBe('weights_manifest.rank-2.safetensors');
    const out = await reopen(exported);
    expect(out.metadata.conv_layout).toBe('HWIO');
    const ref = tensor(out, 'conv/kernel');
    expect([ref.layout, ref.shape]).toEqual(['HWIO', [3, 3, 4, 5]]);
    const original = await matrixOf(tensor(source, 'conv/kernel'));
    const expected = truncateMatrix(original.data, 5, 36, 2);
    expect(maxDiff((await matrixOf(ref)).data, expected)).toBeLessThan(1e-6 * maxAbs(expected));
    expect(await tensor(out, 'conv/bias').read()).toEqual(await tensor(source, 'conv/bias').read());
    expect(JSON.parse(out.metadata.lowrank_reencoded ?? '[]')).toEqual([
      { tensor: 'conv/bias', dtype: 'F32' },
      { tensor: 'dense/kernel', dtype: 'F32' },
    ]);
    expect(JSON.parse(out.metadata.lowrank_dropped ?? '[]')).toEqual([{ tensor: 'vocab', reason: expect.stringContaining('string') as unknown }]);
    expect(out.tensors.map((t) => t.name)).toEqual(['conv/kernel', 'conv/bias', 'dense/kernel']);
    expect(exported.notes.join(' ')).toContain('re-encoded');
    // Exported again (a safetensors source now): its metadata carries over, but not the first export's record.
    const again = await reopen(await exportLowRank(out, [{ tensor: 'dense/kernel', k: 1 }], { form: 'truncated' }));
    expect(again.metadata).not.toHaveProperty('lowrank_reencoded');
    expect(JSON.parse(again.metadata.lowrank_plan ?? '[]')).toMatchObject([{ tensor: 'dense/kernel', k: 1 }]);
    expect(await storedBytesOf(tensor(again, 'conv/kernel'))).toEqual(await storedBytesOf(ref));
  });

  it('factors stay HWIO: right [kh, kw, c_in, k], left [1, 1, k, c_out]; a Keras dense kernel [in, out] splits as [in, k]·[k, out]', async () => {
    const source = await openModel(files());
    const out = await reopen(await exportLowRank(source, [{ tensor: 'conv/kernel', k: 2 }, { tensor: 'dense/kernel', k: 2 }], { form: 'factors' }));
    const left = tensor(out, 'conv/kernel.lowrank_left');
    const right = tensor(out, 'conv/kernel.lowrank_right');
    expect([left.shape, right.shape, left.layout, right.layout]).toEqual([[1, 1, 2, 5], [3, 3, 4, 2], 'HWIO', 'HWIO']);
    const l = await matrixOf(left);
    const r = await matrixOf(right);
    expect([l.rows, l.cols, r.rows, r.cols]).toEqual([5, 2, 2, 36]);
    const original = await matrixOf(tensor(source, 'conv/kernel'));
    const expected = truncateMatrix(original.data, 5, 36, 2);
    expect(maxDiff(multiplyFactors({ rows: 5, cols: 36, k: 2, sigma: new Float64Array(2), left: l.data, right: r.data }), expected)).toBeLessThan(1e-6 * maxAbs(expected));
    expect(tensor(out, 'dense/kernel.lowrank_left').shape).toEqual([6, 2]);
    expect(tensor(out, 'dense/kernel.lowrank_right').shape).toEqual([2, 4]);
  });
});

describe('exportLowRank: streaming and errors', () => {
  it('passes an unchanged safetensors tensor through as a slice of the source file, never reading it', async () => {
    const reads: [number, number][] = [];
    const blob = lazyBlob(SOURCE.length, (s, e) => SOURCE.subarray(s, e), (s, e) => reads.push([s, e]));
    const source = await openModel([{ name: 'tiny.safetensors', blob }]);
    const headerEnd = 8 + Number(new DataView(SOURCE.buffer, SOURCE.byteOffset).getBigUint64(0, true));
    reads.length = 0;
    const exported = await exportLowRank(source, [{ tensor: 'fc1.weight', k: 2 }], { form: 'truncated' });
    // Only fc1.weight (bytes 0–432 of the data region) was read.
    expect(reads).toEqual([[headerEnd, headerEnd + 432]]);
    const bias = exported.parts[2] as SafetensorsPart;
    expect(ArrayBuffer.isView(bias)).toBe(false);
    expect(new Uint8Array(await (bias as Blob).arrayBuffer())).toEqual(SOURCE.subarray(headerEnd + 432, headerEnd + 480));
    const fromFile = await exportLowRank(await openSource(), [{ tensor: 'fc1.weight', k: 2 }], { form: 'truncated' });
    expect(fromFile.parts[2]).toBeInstanceOf(Blob);
    expect(fromFile.parts.slice(1).map((p) => p instanceof Blob)).toEqual([false, true, true, true, true]);
  });

  it('store() receives each computed tensor, and its result becomes the part', async () => {
    const stored: string[] = [];
    const exported = await exportLowRank(await openSource(), [{ tensor: 'fc1.weight', k: 2 }, { tensor: 'conv.weight', k: 1 }], {
      form: 'factors',
      store: (bytes, name) => {
        stored.push(`${name}:${bytes.length}`);
        return new Blob([bytes as BlobPart]);
      },
    });
    expect(stored).toEqual(['fc1.lowrank_left:96', 'fc1.lowrank_right:72', 'conv.lowrank_left:24', 'conv.lowrank_right:108']);
    expect(exported.parts.slice(1).every((p) => p instanceof Blob)).toBe(true);
    expect((await reopen(exported)).tensors).toHaveLength(7);
  });

  it('rejects a plan naming a missing or non-matrix tensor, twice, or with a bad k, before reading anything', async () => {
    const source = await openSource();
    const fails = (plan: Parameters<typeof exportLowRank>[1], form: 'truncated' | 'factors' = 'truncated') => exportLowRank(source, plan, { form });
    await expect(fails([{ tensor: 'fc2.weight', k: 1 }])).rejects.toThrow(new RangeError('Low-rank export: "tiny.safetensors" has no tensor "fc2.weight" (it has 5, e.g. "fc1.weight", "fc1.bias", "emb.weight").'));
    await expect(fails([{ tensor: 'fc1.bias', k: 1 }])).rejects.toThrow(/"fc1.bias" \[12\] is a vector; only dense \(2-D\) and conv2d \(4-D\)/);
    await expect(fails([{ tensor: 'steps', k: 1 }])).rejects.toThrow(RangeError);
    await expect(fails([{ tensor: 'fc1.weight', k: 1 }, { tensor: 'fc1.weight', k: 2 }])).rejects.toThrow(/planned twice/);
    await expect(fails([{ tensor: 'fc1.weight', k: 0 }])).rejects.toThrow(/k = 0 for "fc1.weight" \[12, 9\] is not a whole number ≥ 1/);
    await expect(fails([{ tensor: 'fc1.weight', k: 2.5 }])).rejects.toThrow(RangeError);
    await expect(fails([{ tensor: 'fc1.weight', energy: 1.5 }])).rejects.toThrow(/outside \(0, 1\]/);
  });

  it('leaves out the virtual B·A tensors of a model opened with LoRA adapters, and refuses to plan them', async () => {
    const files = [
      namedFile(
        'adapter_model.safetensors',
        writeSafetensors([
          { name: 'q.lora_A.weight', dtype: 'F32', shape: [3, 8], data: randomF32(24) },
          { name: 'q.lora_B.weight', dtype: 'F32', shape: [6, 3], data: randomF32(18) },
        ]),
      ),
    ];
    const model = await withLoraAdapters(await openModel(files), findLoraPairs, files);
    expect(model.tensors.map((t) => t.name)).toEqual(['q.lora_BA.weight', 'q.lora_A.weight', 'q.lora_B.weight']);
    const exported = await exportLowRank(model, [{ tensor: 'q.lora_A.weight', k: 1 }], { form: 'truncated' });
    expect((await reopen(exported)).tensors.map((t) => t.name)).toEqual(['q.lora_A.weight', 'q.lora_B.weight']);
    expect(exported.notes.join(' ')).toContain('virtual LoRA updates');
    await expect(exportLowRank(model, [{ tensor: 'q.lora_BA.weight', k: 1 }], { form: 'truncated' })).rejects.toThrow(/virtual LoRA update/);
  });

  it('stops with AnalysisCancelled when shouldCancel says so', async () => {
    await expect(exportLowRank(await openSource(), [{ tensor: 'fc1.weight', k: 2 }], { form: 'truncated', shouldCancel: () => true })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('at full rank (k ≥ min(rows, cols), or an energy that needs it) a truncated layer is W itself, copied unread', async () => {
    const source = await openSource();
    for (const entry of [{ tensor: 'fc1.weight', k: 50 }, { tensor: 'fc1.weight', energy: 1 }]) {
      const exported = await exportLowRank(source, [entry], { form: 'truncated' });
      expect(exported.summary[0]).toMatchObject({ k: 9, energyKept: 1, relError: 0, written: ['fc1.weight'] });
      expect(exported.parts[1]).toBeInstanceOf(Blob);
      expect(await storedBytesOf(tensor(await reopen(exported), 'fc1.weight'))).toEqual(await storedBytesOf(tensor(source, 'fc1.weight')));
    }
    const factors = await exportLowRank(source, [{ tensor: 'fc1.weight', k: 50 }], { form: 'factors' });
    expect(factors.summary[0]).toMatchObject({ k: 9, paramsAfter: 9 * 21 });
  });
});
