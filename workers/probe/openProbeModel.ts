/**
 * Open dropped files for probes: our format registry identifies the model; ONNX models run on onnxruntime-web,
 * TF.js layers models on @tensorflow/tfjs, and everything else (safetensors, PyTorch, GGUF, NumPy, Keras
 * HDF5, TF.js weights manifests) opens as "weights only".
 */
import type { NamedBlob } from '../../src/model/types';
import { openModel } from '../../src/formats/registry';
import type { OrtModule } from './onnxProbe';
import { openOnnxProbe } from './onnxProbe';
import type { ProbeSession } from './probeSession';
import { notRunnableSession } from './probeSession';
import type { TfModule } from './tfjsProbe';
import { openTfjsProbe } from './tfjsProbe';
import { WEIGHTS_ONLY_REASON } from './weightsOnly';

/** How the runtimes are loaded (once; the worker serves onnxruntime's wasm from our origin, tests use Node builds). */
export interface ProbeRuntimes {
  readonly onnx: () => Promise<OrtModule>;
  readonly tfjs: () => Promise<TfModule>;
}

/**
 * Open a model for probes.
 *
 * @param files the dropped files, as for a scan
 * @param runtimes the runtime loaders (only the one the model needs is called)
 * @throws FormatError from the registry (unknown or damaged files); ProbeError PROBE_RUN_FAILED when the runtime
 *   cannot load the model
 */
export async function openProbeModel(files: readonly NamedBlob[], runtimes: ProbeRuntimes): Promise<ProbeSession> {
  const model = await openModel(files);
  if (model.format === 'onnx') return openOnnxProbe(runtimes.onnx, model, files);
  if (model.format === 'tfjs') return openTfjsProbe(runtimes.tfjs, model, files);
  model.dispose?.();
  return notRunnableSession(WEIGHTS_ONLY_REASON);
}
