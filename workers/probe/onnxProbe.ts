/**
 * ONNX models on onnxruntime-web (wasm backend): the graph gets the outputs of its Conv / Gemm / MatMul nodes
 * (and any computed bias) appended as extra graph outputs, one InferenceSession is created for the probe session's
 * lifetime, and each chunk of inputs is run fetching only the requested layers' outputs. onnxruntime itself is
 * passed in (the worker configures its wasm files; tests use the Node build).
 */
import type * as Ort from 'onnxruntime-web';
import type { Model, NamedBlob } from '../../src/model/types';
import { decodeOnnxModel } from '../../src/formats/onnx/decodeOnnxModel';
import { findDataFile } from '../../src/formats/onnx/externalData';
import type { GraphMessage } from '../../src/formats/onnx/onnxSchema';
import { appendGraphValues } from './onnxGraphEdit';
import { readOnnxGraphIo } from './onnxGraphIo';
import type { OnnxInput } from './onnxInput';
import { onnxInput } from './onnxInput';
import type { OnnxProbeLayer } from './onnxProbeLayers';
import { onnxProbeLayers } from './onnxProbeLayers';
import { ProbeError, errorText, loadRuntime, shapeText } from './probeErrors';
import type { ActivationSource, LayerActivation, ProbeSession, RunnableLayer } from './probeSession';
import { createProbeSession, notRunnableSession } from './probeSession';

/** The onnxruntime-web module (its `env` already configured). */
export type OrtModule = typeof Ort;

/** Inputs per run when the graph leaves the batch free. */
const DEFAULT_CHUNK = 8;
/** TensorProto.DataLocation EXTERNAL. */
const EXTERNAL = 1;

/** The external data files the model's initializers name, as onnxruntime wants them: path as written, bytes. */
async function externalDataOf(graph: GraphMessage, files: readonly NamedBlob[]): Promise<{ path: string; data: Uint8Array }[]> {
  const locations = new Set<string>();
  for (const t of graph.initializer) {
    if (t.data_location !== EXTERNAL) continue;
    const location = t.external_data.find((e) => e.key === 'location')?.value;
    if (location) locations.add(location);
  }
  return Promise.all(
    [...locations].map(async (path) => {
      const file = findDataFile(path, files);
      if (!file) throw new ProbeError('PROBE_RUN_FAILED', `The external data file "${path}" was not dropped with the model.`);
      return { path, data: new Uint8Array(await file.blob.arrayBuffer()) };
    }),
  );
}

/** A layer's activation tensor as n × c_out × positions. */
function toActivation(layer: OnnxProbeLayer, tensor: Ort.Tensor, n: number): { data: Float32Array; positions: number } {
  if (tensor.type !== 'float32') throw new ProbeError('PROBE_RUN_FAILED', `The output of layer "${layer.tensor}" is ${tensor.type}, not float32.`);
  const data = tensor.data as Float32Array;
  const c = layer.outChannels;
  const dims = tensor.dims;
  if (!layer.channelsLast) {
    if (dims.length < 3 || dims[0] !== n || dims[1] !== c) {
      throw new ProbeError('PROBE_RUN_FAILED', `The ${layer.op} output of "${layer.tensor}" has shape ${shapeText(dims)}; expected [${n}, ${c}, …].`);
    }
    return { data, positions: data.length / (n * c) };
  }
  const positions = data.length / (n * c);
  if (dims[dims.length - 1] !== c || !Number.isInteger(positions) || positions < 1) {
    throw new ProbeError('PROBE_RUN_FAILED', `The ${layer.op} output of "${layer.tensor}" has shape ${shapeText(dims)}; expected ${n} inputs × … × ${c}.`);
  }
  if (positions === 1) return { data, positions };
  // Channels last: each input's positions × c_out block becomes c_out × positions.
  const out = new Float32Array(data.length);
  for (let i = 0; i < n; i++) {
    const base = i * positions * c;
    for (let p = 0; p < positions; p++) for (let o = 0; o < c; o++) out[base + o * positions + p] = data[base + p * c + o] as number;
  }
  return { data: out, positions };
}

/** Join per-run activations (each n_k × c_out × positions) of one layer. */
function joinRuns(parts: readonly { data: Float32Array; positions: number }[]): { data: Float32Array; positions: number } {
  if (parts.length === 1) return parts[0] as { data: Float32Array; positions: number };
  const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p.data, at);
    at += p.data.length;
  }
  return { data, positions: (parts[0] as { positions: number }).positions };
}

/** The runtime adapter over one InferenceSession. */
function onnxSource(ort: OrtModule, session: Ort.InferenceSession, input: OnnxInput, layers: readonly OnnxProbeLayer[]): ActivationSource {
  const biases = new Map<string, Float64Array>();
  /** Runs of several inputs at once failed once (a graph that hard-codes batch 1): one at a time from then on. */
  let oneAtATime = false;

  const scaledBias = (values: ArrayLike<number>, scale: number, c: number): Float64Array => {
    const out = new Float64Array(c);
    for (let o = 0; o < c; o++) out[o] = scale * ((values.length === 1 ? values[0] : values[o]) as number);
    return out;
  };

  /** One session.run of `n` inputs (padded to `padTo` with zeros). */
  const runOnce = async (data: Float32Array, shape: readonly number[], n: number, padTo: number, wanted: readonly OnnxProbeLayer[]) => {
    const perInput = data.length / n;
    let feed = data;
    if (padTo > n) {
      feed = new Float32Array(padTo * perInput);
      feed.set(data);
    }
    const fetches = [...new Set(wanted.flatMap((l) => [l.output, ...(l.bias?.kind === 'value' && !biases.has(l.tensor) ? [l.bias.name] : [])]))];
    const tensor = new ort.Tensor('float32', feed, [padTo, ...shape.slice(1)]);
    const results = await session.run({ [input.spec.name]: tensor }, fetches);
    try {
      const out = new Map<string, { data: Float32Array; positions: number }>();
      for (const layer of wanted) {
        const result = results[layer.output];
        if (!result) throw new ProbeError('PROBE_RUN_FAILED', `onnxruntime returned no value "${layer.output}" for layer "${layer.tensor}".`);
        const act = toActivation(layer, result, padTo);
        out.set(layer.tensor, padTo > n ? { data: act.data.subarray(0, n * layer.outChannels * act.positions), positions: act.positions } : act);
        if (layer.bias?.kind === 'value' && !biases.has(layer.tensor)) {
          const b = results[layer.bias.name];
          if (!b || (b.size !== layer.outChannels && b.size !== 1)) {
            throw new ProbeError('PROBE_RUN_FAILED', `The bias "${layer.bias.name}" of layer "${layer.tensor}" has shape ${shapeText(b?.dims ?? [])}; expected ${layer.outChannels} values.`);
          }
          biases.set(layer.tensor, scaledBias(b.data as Float32Array, layer.bias.scale, layer.outChannels));
        }
      }
      return out;
    } finally {
      tensor.dispose();
      for (const value of Object.values(results)) value.dispose();
    }
  };

  /** Run `n` inputs in runs of `size`, joining the activations. */
  const runInParts = async (data: Float32Array, shape: readonly number[], n: number, size: number, pad: boolean, wanted: readonly OnnxProbeLayer[]) => {
    const perInput = data.length / n;
    const parts = new Map<string, { data: Float32Array; positions: number }[]>(wanted.map((l) => [l.tensor, []]));
    for (let start = 0; start < n; start += size) {
      const m = Math.min(size, n - start);
      const run = await runOnce(data.subarray(start * perInput, (start + m) * perInput), [m, ...shape.slice(1)], m, pad ? size : m, wanted);
      for (const [name, act] of run) parts.get(name)?.push(act);
    }
    return new Map([...parts].map(([name, list]) => [name, joinRuns(list)]));
  };

  return {
    runtime: 'onnxruntime-web',
    input: input.spec,
    layers,
    chunkSize: input.batch ?? DEFAULT_CHUNK,
    async activations(data, shape, wantedLayers: readonly RunnableLayer[]) {
      const wanted = wantedLayers as readonly OnnxProbeLayer[];
      const n = shape[0] as number;
      for (const layer of wanted) {
        if (layer.bias?.kind === 'tensor' && !biases.has(layer.tensor)) biases.set(layer.tensor, scaledBias(await layer.bias.ref.read(), layer.bias.scale, layer.outChannels));
      }
      let acts: Map<string, { data: Float32Array; positions: number }>;
      if (input.batch !== null) acts = await runInParts(data, shape, n, input.batch, true, wanted);
      else if (oneAtATime || n === 1) acts = await runInParts(data, shape, n, 1, false, wanted);
      else {
        try {
          acts = await runOnce(data, shape, n, n, wanted);
        } catch (error) {
          if (error instanceof ProbeError) throw error;
          // Some graphs fix the batch inside (a Reshape to [1, …]) without saying so in the input's shape.
          acts = await runInParts(data, shape, n, 1, false, wanted);
          oneAtATime = true;
        }
      }
      return new Map(
        wanted.map((layer): [string, LayerActivation] => {
          const act = acts.get(layer.tensor) as { data: Float32Array; positions: number };
          return [layer.tensor, { ...act, bias: layer.bias ? (biases.get(layer.tensor) ?? null) : null }];
        }),
      );
    },
    dispose() {
      void session.release().catch(() => {});
    },
  };
}

/**
 * Open an ONNX model for probes: find its image input and probe-able layers, expose their outputs, and create
 * the InferenceSession. A model without a usable input (several inputs, a non-image or non-float input) opens
 * as not runnable, with the reason.
 *
 * @param loadOrt onnxruntime-web, configured (loaded only for a model that can run)
 * @param model the model as our reader opened it from `files`
 * @param files the dropped files (the `.onnx` and its external data)
 * @throws ProbeError PROBE_RUN_FAILED when onnxruntime cannot load the model (its text included)
 */
export async function openOnnxProbe(loadOrt: () => Promise<OrtModule>, model: Model, files: readonly NamedBlob[]): Promise<ProbeSession> {
  const file = files.find((f) => f.name === model.name);
  if (!file) throw new ProbeError('PROBE_NOT_RUNNABLE', `The model file "${model.name}" is not among the opened files.`);
  const bytes = new Uint8Array(await file.blob.arrayBuffer());
  const graph = decodeOnnxModel(bytes, file.name).graph;
  if (graph === null) return notRunnableSession(`"${model.name}" has no graph to run`, { runtime: 'onnxruntime-web' });
  const io = readOnnxGraphIo(bytes);
  const input = onnxInput(io, graph, model);
  if ('reason' in input) return notRunnableSession(`"${model.name}" cannot be probed: ${input.reason}`, { runtime: 'onnxruntime-web' });
  const layers = onnxProbeLayers(model, graph);
  if (layers.length === 0) {
    return notRunnableSession(`"${model.name}" has no dense or conv weight used by a Conv, Gemm or MatMul node to probe`, { runtime: 'onnxruntime-web', input: input.spec });
  }
  const outputs = layers.flatMap((l) => [l.output, ...(l.bias?.kind === 'value' ? [l.bias.name] : [])]);
  const edited = appendGraphValues(bytes, { inputs: input.declare ? [input.declare] : [], outputs }, io.outputs.map((o) => o.name));
  const externalData = await externalDataOf(graph, files);
  const ort = await loadRuntime(loadOrt, 'onnxruntime-web');
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(edited, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      ...(externalData.length > 0 ? { externalData } : {}),
    });
  } catch (error) {
    throw new ProbeError('PROBE_RUN_FAILED', `onnxruntime-web could not load "${model.name}": ${errorText(error)}`, {
      cause: error,
      remedy: 'The model may use operators or types onnxruntime-web does not support; try re-exporting it with a standard opset.',
    });
  }
  return createProbeSession(onnxSource(ort, session, input, layers));
}
