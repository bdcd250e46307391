/**
 * The probe worker's code in Node tests (not bundled: only tests import it): committed files read from this
 * checkout, the real runtimes (onnxruntime-web on its wasm backend, @tensorflow/tfjs on cpu), and the comparisons
 * the probe tests share.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { seededRandom } from '../../../src/analysis/random/seededRandom';
import type { Model, NamedBlob } from '../../../src/model/types';
import type { OrtModule } from '../onnxProbe';
import type { ProbeRuntimes } from '../openProbeModel';
import type { TfModule } from '../tfjsProbe';

/** The root of this checkout: paths below are relative to it, with `/` separators. */
export const root = join(import.meta.dirname, '..', '..', '..');

/** The bytes of the file at `path`. */
export const bytesOf = (path: string) => new Uint8Array(readFileSync(join(root, path)));

/** The file at `path` as a dropped file, named by its last path segment unless `name` is given. */
export const fileOf = (path: string, name = path.split('/').pop() as string): NamedBlob => ({ name, blob: new Blob([bytesOf(path)]) });

/** Every file in `folder` as dropped files (a TF.js model folder, say). */
export const folderFiles = (folder: string): NamedBlob[] => readdirSync(join(root, folder)).map((name) => ({ name, blob: new Blob([readFileSync(join(root, folder, name))]) }));

/** onnxruntime-web on its wasm backend in Node: one thread, the runtime files from node_modules, errors only. */
export async function nodeOrt(): Promise<OrtModule> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = join(root, 'node_modules/onnxruntime-web/dist') + '/';
  ort.env.logLevel = 'error';
  return ort;
}

/** @tensorflow/tfjs on its cpu backend. */
export async function nodeTfjs(): Promise<TfModule> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

/** A runtime loader for a test that must not use that runtime: it rejects with "<runtime> is not used here". */
const notUsed = (runtime: string) => () => Promise.reject(new Error(`${runtime} is not used here`));

/** Both runtimes, as the probe worker loads them in the browser. */
export const runtimes: ProbeRuntimes = { onnx: nodeOrt, tfjs: nodeTfjs };
/** onnxruntime-web only; loading tfjs rejects. */
export const onnxOnlyRuntimes: ProbeRuntimes = { onnx: nodeOrt, tfjs: notUsed('tfjs') };
/** tfjs only; loading onnxruntime rejects. */
export const tfjsOnlyRuntimes: ProbeRuntimes = { onnx: notUsed('onnxruntime'), tfjs: nodeTfjs };

/** max |a − b| relative to max |b| (asserts equal lengths). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

/**
 * A probe's aggregates by definition (SCIENCE.md §3): for each of n inputs, the mean or max over positions of
 * Uᵀ(A − b), U rows × rank, A n × rows × positions, b per row (null: none).
 */
export function aggregatesAlong(U: ArrayLike<number>, rank: number, rows: number, a: ArrayLike<number>, n: number, positions: number, bias: ArrayLike<number> | null, mode: 'mean' | 'max'): Float64Array {
  const out = new Float64Array(n * rank);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < rank; k++) {
      let acc = mode === 'mean' ? 0 : -Infinity;
      for (let p = 0; p < positions; p++) {
        let v = 0;
        for (let o = 0; o < rows; o++) v += (U[o * rank + k] as number) * ((a[(i * rows + o) * positions + p] as number) - (bias ? (bias[o] as number) : 0));
        acc = mode === 'mean' ? acc + v / positions : Math.max(acc, v);
      }
      out[i * rank + k] = acc;
    }
  return out;
}

/**
 * n single-channel size × size images, NCHW: images 0–3 are one-pixel lines through the centre pixel at 0°, 45°,
 * 90° and 135° (y down: 45° runs up-right), the rest uniform noise in [0, 1) from `seededRandom(seed)`.
 */
export function lineImages(size: number, n: number, seed: number): Float32Array {
  const centre = size / 2;
  const onLine = [(r: number) => r === centre, (r: number, c: number) => r - centre === -(c - centre), (_r: number, c: number) => c === centre, (r: number, c: number) => r - centre === c - centre];
  const rng = seededRandom(seed);
  const x = new Float32Array(n * size * size);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < size; r++)
      for (let c = 0; c < size; c++) {
        const line = onLine[i];
        x[(i * size + r) * size + c] = line ? (line(r, c) ? 1 : 0) : rng();
      }
  return x;
}

/** The stored values of `model`'s tensor `name`, as our readers decode them. */
export const tensorValues = async (model: Model, name: string) => (await model.tensors.find((t) => t.name === name)?.read()) as Float32Array;

/** The bytes behind a float array, to compare values bit for bit. */
export const bits = (values: Float32Array | Float64Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
