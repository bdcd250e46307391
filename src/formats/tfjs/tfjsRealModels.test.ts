/**
 * The reader against a real third-party TF.js model from an npm package (read from node_modules, never
 * copied) and the reference numbers of shared/fixtures beside the repository: face-api.js's face
 * recognition net (`@vladmandic/face-api@1.7.15`, a bare weights manifest, 117 weights, most uint8-quantized).
 * Names, shapes, dtypes and counts against the manifest and WeightWatcher's layer list; singular values of
 * every 2-D tensor against numpy float64 SVD to relative 1e-9 for σ ≥ 1e-3·σ_max (fixtures README,
 * "Tolerances"); for the 29 HWIO conv kernels, WeightWatcher's pooled conv numbers (λ = 0.5·σ² over the
 * kernel-position slices: `sv_max`, `norm`, `num_evals`) to relative 1e-6.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { singularValues } from '../../analysis/linalg/singularValues';
import { tensorMatrices } from '../../analysis/spectra/tensorMatrices';
import type { Model, TensorRef } from '../../model/types';
import { openModel } from '../registry';
import { namedFile } from '../testing/memoryBlob';
import { haveReferenceFixtures, readReference } from '../testing/referenceFixtures';
import { tfjsReader } from './tfjsReader';

const MODEL_DIR = join(import.meta.dirname, '..', '..', '..', 'node_modules', '@vladmandic', 'face-api', 'model');
const MANIFEST = 'face_recognition_model-weights_manifest.json';

interface NpsvdTensor {
  readonly name: string;
  readonly shape: number[];
  readonly sv: number[];
}
interface WwLayer {
  readonly name: string;
  readonly shape: number[];
  readonly layer_type: string;
  readonly num_evals: number;
  readonly sv_max: number;
  readonly norm: number;
}
interface ManifestGroup {
  readonly paths: string[];
  readonly weights: { name: string; shape: number[]; dtype: string; quantization?: object }[];
}

/** A packaged file as a dropped file (a copy: a Node Buffer's `slice` would be a view of a pooled slab). */
function packaged(name: string) {
  return namedFile(name, new Uint8Array(readFileSync(join(MODEL_DIR, name))));
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

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe.skipIf(!haveReferenceFixtures())('real TF.js models', () => {
  it('face-api face_recognition_model (bare weights manifest, uint8-quantized, HWIO conv kernels)', async () => {
    const manifestFile = packaged(MANIFEST);
    const manifest = JSON.parse(new TextDecoder().decode(readFileSync(join(MODEL_DIR, MANIFEST)))) as ManifestGroup[];
    const shardNames = manifest.flatMap((g) => g.paths);
    expect(shardNames).toEqual(['face_recognition_model.bin']);
    const model = await openModel([manifestFile, ...shardNames.map(packaged)], [tfjsReader]);

    // The manifest, weight for weight.
    const entries = manifest.flatMap((g) => g.weights);
    expect(model.tensors).toHaveLength(117);
    expect(model.tensors.map((t) => [t.name, t.shape, t.dtype])).toEqual(entries.map((e) => [e.name, e.shape, 'F32']));
    expect(model.tensors.filter((t) => t.encoding?.startsWith('uint8 dequantized'))).toHaveLength(entries.filter((e) => e.quantization).length);
    expect(model.tensors.filter((t) => t.unsupported)).toEqual([]);
    expect(model.tensors.reduce((n, t) => n + t.byteLength, 0)).toBe(model.files[1]?.size);
    expect(model.metadata).toMatchObject({ format: 'weights manifest', weight_files: '1' });

    // WeightWatcher's candidates: the same names and shapes; conv kernels HWIO by convention (no topology).
    const ww = readReference<{ n_tensors: number; layers: WwLayer[] }>('ww_faceapi_face_recognition.json');
    expect(model.tensors).toHaveLength(ww.n_tensors);
    expect(model.tensors.filter((t) => t.kind === 'conv2d' || t.kind === 'dense').map((t) => [t.name, t.shape])).toEqual(ww.layers.map((l) => [l.name, l.shape]));

    // Every 2-D tensor's singular values against numpy's float64 SVD.
    const npsvd = readReference<{ tensors: NpsvdTensor[] }>('npsvd_faceapi_face_recognition.json').tensors;
    expect(model.tensors.filter((t) => t.kind === 'dense').map((t) => [t.name, t.shape])).toEqual(npsvd.map((r) => [r.name, r.shape]));
    let worstDense = 0;
    for (const ref of npsvd) {
      const t = tensor(model, ref.name);
      const [rows, cols] = t.shape as [number, number];
      worstDense = Math.max(worstDense, worstRelativeError(singularValues(await t.read(), rows, cols), ref.sv));
    }
    expect(worstDense).toBeLessThan(1e-9);

    // Conv kernels: WeightWatcher's pooled λ = 0.5·σ² over the kh·kw slices of the HWIO kernel.
    let worstConv = 0;
    for (const layer of ww.layers.filter((l) => l.layer_type === 'conv2d')) {
      const t = tensor(model, layer.name);
      expect(t).toMatchObject({ kind: 'conv2d', layout: 'HWIO', layoutSource: 'convention' });
      const matrices = tensorMatrices(await t.read(), t.shape, 'conv2d', 'HWIO');
      let svMax = 0;
      let norm = 0;
      let evals = 0;
      for (let k = 0; k < matrices.count; k++) {
        const sv = singularValues(matrices.matrix(k), matrices.rows, matrices.cols);
        evals += sv.length;
        for (const s of sv) {
          svMax = Math.max(svMax, Math.sqrt(0.5) * s);
          norm += 0.5 * s * s;
        }
      }
      expect(evals).toBe(layer.num_evals);
      worstConv = Math.max(worstConv, relative(svMax, layer.sv_max), relative(norm, layer.norm));
    }
    expect(worstConv).toBeLessThan(1e-6);
    process.stdout.write(
      `face-api face_recognition: ${model.tensors.length} tensors, fc σ max rel. error ${worstDense.toExponential(2)}, conv sv_max/norm max rel. error ${worstConv.toExponential(2)}\n`,
    );
  });
});
