/**
 * The probe worker's runtimes, each loaded once on first use.
 *
 * onnxruntime-web: the `onnxruntime-web/wasm` entry resolved with the `onnxruntime-web-use-extern-wasm` condition
 * (vite.config.ts), which bundles no wasm and loads its glue (`ort-wasm-simd-threaded.mjs`) and binary
 * (`ort-wasm-simd-threaded.wasm`) from `env.wasm.wasmPaths`. Both are imported with `?url`, so Vite serves them
 * from our own origin in dev and copies them into the build (never a CDN; COEP-safe). The glue also starts the
 * wasm threads (module workers named `em-pthread`): numThreads = min(2, cores) when cross-origin isolated, else 1.
 *
 * tfjs: the cpu backend (exact float32, no WebGL context needed in a worker).
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import type { ProbeRuntimes } from './openProbeModel';
import type { OrtModule } from './onnxProbe';
import type { TfModule } from './tfjsProbe';

declare const self: DedicatedWorkerGlobalScope;

let ort: Promise<OrtModule> | null = null;
let tf: Promise<TfModule> | null = null;

/** An absolute URL (onnxruntime wants absolute paths; `?url` may give a relative one with `base: './'`). */
const absolute = (url: string) => new URL(url, self.location.href).href;

async function loadOrt(): Promise<OrtModule> {
  const module = await import('onnxruntime-web/wasm');
  module.env.wasm.wasmPaths = { mjs: absolute(ortMjsUrl), wasm: absolute(ortWasmUrl) };
  module.env.wasm.numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)) : 1;
  module.env.wasm.proxy = false;
  module.env.logLevel = 'error';
  return module;
}

async function loadTf(): Promise<TfModule> {
  const module = await import('@tensorflow/tfjs');
  await module.setBackend('cpu');
  await module.ready();
  return module;
}

export const WORKER_RUNTIMES: ProbeRuntimes = {
  onnx: () => {
    ort ??= loadOrt();
    ort.catch(() => (ort = null));
    return ort;
  },
  tfjs: () => {
    tf ??= loadTf();
    tf.catch(() => (tf = null));
    return tf;
  },
};
