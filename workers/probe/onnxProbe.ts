/**
 * ONNX models on onnxruntime-web (wasm backend): the graph gets the outputs of its Conv / Gemm / MatMul nodes
 * (and any computed bias, and each layer's post-activation: the output of the nonlinearity after it) appended as
 * extra graph outputs, one InferenceSession is created (onnxSessionFactory.ts) and kept until a weight edit
 * replaces it with one of the re-encoded model, and each chunk of inputs is run fetching only the requested layers'
 * outputs (or, for the low-rank what-if, only the model's final output: `finalOutputName`, exposed too when the
 * graph does not declare it). onnxruntime itself is passed in (the worker configures its wasm files; tests use the
 * Node build).
 */
import type * as Ort from 'onnxruntime-web';
import type { Model, NamedBlob } from '../../src/model/types';
import { decodeOnnxModel } from '../../src/formats/onnx/decodeOnnxModel';
import { finalOutputName, readOnnxGraphIo } from './onnxGraphIo';
import type { OnnxInput } from './onnxInput';
import { onnxInput } from './onnxInput';
import type { OnnxProbeLayer } from './onnxProbeLayers';
import { onnxProbeLayers } from './onnxProbeLayers';
import type { OnnxSessionFactory } from './onnxSessionFactory';
import { onnxSessionFactory } from './onnxSessionFactory';
import { ProbeError, loadRuntime, shapeText } from './probeErrors';
import type { ActivationSource, LayerActivation, ProbeSession, RunnableLayer } from './probeSession';
import { createProbeSession, notRunnableSession } from './probeSession';

/** The onnxruntime-web module (its `env` already configured). */
export type OrtModule = typeof Ort;

/** Inputs per run when the graph leaves the batch free. */
const DEFAULT_CHUNK = 8;
/** A layer's activation: n × c_out × positions, the positions a height × width grid. */
interface Activation {
  readonly data: Float32Array;
  readonly positions: number;
  readonly height: number;
  readonly width: number;
}

/** The grid of the spatial axes `dims` (those between batch and channels): the last one is the width, the others the height. */
function grid(dims: readonly number[]): { height: number; width: number } {
  const width = dims.at(-1) ?? 1;
  return { height: dims.slice(0, -1).reduce((a, b) => a * b, 1), width };
}

/** A layer's activation tensor (its op's output, or the post-activation of the same shape) as n × c_out × positions. */
function toActivation(layer: OnnxProbeLayer, tensor: Ort.Tensor, n: number, what = layer.op): Activation {
  if (tensor.type !== 'float32') throw new ProbeError('PROBE_RUN_FAILED', `The ${what} output of layer "${layer.tensor}" is ${tensor.type}, not float32.`);
  const data = tensor.data as Float32Array;
  const c = layer.outChannels;
  const dims = tensor.dims;
  if (!layer.channelsLast) {
    if (dims.length < 3 || dims[0] !== n || dims[1] !== c) {
      throw new ProbeError('PROBE_RUN_FAILED', `The ${what} output of "${layer.tensor}" has shape ${shapeText(dims)}; expected [${n}, ${c}, …].`);
    }
    return { data, positions: data.length / (n * c), ...grid(dims.slice(2)) };
  }
  const positions = data.length / (n * c);
  if (dims[dims.length - 1] !== c || !Number.isInteger(positions) || positions < 1) {
    throw new ProbeError('PROBE_RUN_FAILED', `The ${what} output of "${layer.tensor}" has shape ${shapeText(dims)}; expected ${n} inputs × … × ${c}.`);
  }
  // The spatial axes: those between the batch and c_out, when the batch is its own axis (MatMul may fold it).
  const spatial = dims[0] === n ? grid(dims.slice(1, -1)) : { height: 1, width: positions };
  const { height, width } = spatial.height * spatial.width === positions ? spatial : { height: 1, width: positions };
  if (positions === 1) return { data, positions, height, width };
  // Channels last: each input's positions × c_out block becomes c_out × positions.
  const out = new Float32Array(data.length);
  for (let i = 0; i < n; i++) {
    const base = i * positions * c;
    for (let p = 0; p < positions; p++) for (let o = 0; o < c; o++) out[base + o * positions + p] = data[base + p * c + o] as number;
  }
  return { data: out, positions, height, width };
}

/** Join per-run arrays (each n_k × c_out × positions) of one layer. */
function joinData(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0] as Float32Array;
  const data = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return data;
}

/** One layer's activation of one run, with its post-activation when fetched. */
type RunActivation = Activation & { readonly post?: Float32Array };

/** Join per-run activations of one layer. */
function joinRuns(parts: readonly RunActivation[]): RunActivation {
  const first = parts[0] as RunActivation;
  if (parts.length === 1) return first;
  const data = joinData(parts.map((p) => p.data));
  return first.post ? { ...first, data, post: joinData(parts.map((p) => p.post as Float32Array)) } : { ...first, data };
}

/** The first `n` inputs of a padded run's n × c_out × positions array. */
const firstInputs = (data: Float32Array, n: number, layer: OnnxProbeLayer, positions: number) => data.subarray(0, n * layer.outChannels * positions);

/** The post-activation value a layer's run fetches, when asked and it has one. */
const postValue = (layer: OnnxProbeLayer, post: boolean): string | null => (post && 'value' in layer.post ? layer.post.value : null);

/** The runtime adapter over one InferenceSession at a time (a weight edit replaces it). */
function onnxSource(
  ort: OrtModule,
  model: Model,
  factory: OnnxSessionFactory,
  first: Ort.InferenceSession,
  input: OnnxInput,
  layers: readonly OnnxProbeLayer[],
  outputName: string | null,
): ActivationSource {
  let session = first;
  const biases = new Map<string, Float64Array>();
  /** Runs of several inputs at once failed once (a graph that hard-codes batch 1): one at a time from then on. */
  let oneAtATime = false;

  const scaledBias = (values: ArrayLike<number>, scale: number, c: number): Float64Array => {
    const out = new Float64Array(c);
    for (let o = 0; o < c; o++) out[o] = scale * ((values.length === 1 ? values[0] : values[o]) as number);
    return out;
  };

  /** One session.run of `n` inputs (padded to `padTo` with zeros); with `post`, the post-activations too. */
  const runOnce = async (data: Float32Array, shape: readonly number[], n: number, padTo: number, wanted: readonly OnnxProbeLayer[], post: boolean) => {
    const perInput = data.length / n;
    let feed = data;
    if (padTo > n) {
      feed = new Float32Array(padTo * perInput);
      feed.set(data);
    }
    const fetches = [
      ...new Set(wanted.flatMap((l) => [l.output, ...(l.bias?.kind === 'value' && !biases.has(l.tensor) ? [l.bias.name] : []), ...[postValue(l, post)].filter((v) => v !== null)])),
    ];
    const tensor = new ort.Tensor('float32', feed, [padTo, ...shape.slice(1)]);
    const results = await session.run({ [input.spec.name]: tensor }, fetches);
    try {
      const out = new Map<string, RunActivation>();
      for (const layer of wanted) {
        const result = results[layer.output];
        if (!result) throw new ProbeError('PROBE_RUN_FAILED', `onnxruntime returned no value "${layer.output}" for layer "${layer.tensor}".`);
        const act = toActivation(layer, result, padTo);
        const value = postValue(layer, post);
        let postData: Float32Array | undefined;
        if (value !== null) {
          const postResult = results[value];
          if (!postResult) throw new ProbeError('PROBE_RUN_FAILED', `onnxruntime returned no value "${value}" for the post-activation of layer "${layer.tensor}".`);
          const p = toActivation(layer, postResult, padTo, `${'op' in layer.post ? layer.post.op : 'post-activation'}`);
          if (p.positions !== act.positions) {
            throw new ProbeError('PROBE_RUN_FAILED', `The post-activation "${value}" of layer "${layer.tensor}" has ${p.positions} positions per channel, its ${layer.op} output ${act.positions}.`);
          }
          postData = firstInputs(p.data, n, layer, p.positions);
        }
        const trimmed = padTo > n ? { ...act, data: firstInputs(act.data, n, layer, act.positions) } : act;
        out.set(layer.tensor, postData ? { ...trimmed, post: postData } : trimmed);
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

  /**
   * Run `n` inputs the way the graph allows, one `runPart(first input, inputs, padded to)` per run, in order: padded
   * runs of the graph's fixed batch; with a free batch all at once, or one at a time once a run of several failed.
   */
  const inRuns = async <T>(n: number, runPart: (start: number, m: number, padTo: number) => Promise<T>): Promise<T[]> => {
    const inParts = async (size: number, pad: boolean) => {
      const parts: T[] = [];
      for (let start = 0; start < n; start += size) {
        const m = Math.min(size, n - start);
        parts.push(await runPart(start, m, pad ? size : m));
      }
      return parts;
    };
    if (input.batch !== null) return inParts(input.batch, true);
    if (oneAtATime || n === 1) return inParts(1, false);
    try {
      return [await runPart(0, n, n)];
    } catch (error) {
      if (error instanceof ProbeError) throw error;
      // Some graphs fix the batch inside (a Reshape to [1, …]) without saying so in the input's shape.
      const parts = await inParts(1, false);
      oneAtATime = true;
      return parts;
    }
  };

  /** The graph's first output for one run of `n` inputs padded to `padTo`: its dims per input and the first n inputs' values. */
  const outputOnce = async (data: Float32Array, shape: readonly number[], n: number, padTo: number) => {
    if (outputName === null) throw new ProbeError('PROBE_RUN_FAILED', `"${model.name}" has no graph output to read.`);
    const perInput = data.length / n;
    let feed = data;
    if (padTo > n) {
      feed = new Float32Array(padTo * perInput);
      feed.set(data);
    }
    const tensor = new ort.Tensor('float32', feed, [padTo, ...shape.slice(1)]);
    const results = await session.run({ [input.spec.name]: tensor }, [outputName]);
    try {
      const result = results[outputName];
      if (!result) throw new ProbeError('PROBE_RUN_FAILED', `onnxruntime returned no value for the output "${outputName}".`);
      if (result.type !== 'float32') throw new ProbeError('PROBE_RUN_FAILED', `The output "${outputName}" is ${result.type}, not float32: there are no scores to compare.`);
      const size = result.size / padTo;
      // A run of one input may leave the batch axis out; a run of several must put it first.
      const batchFirst = result.dims[0] === padTo;
      if (!Number.isInteger(size) || (!batchFirst && padTo > 1)) {
        throw new ProbeError('PROBE_RUN_FAILED', `The output "${outputName}" has shape ${shapeText(result.dims)} for ${padTo} inputs; expected [${padTo}, …].`);
      }
      return { dims: batchFirst ? result.dims.slice(1) : [...result.dims], data: (result.data as Float32Array).slice(0, n * size) };
    } finally {
      tensor.dispose();
      for (const value of Object.values(results)) value.dispose();
    }
  };

  return {
    runtime: 'onnxruntime-web',
    input: input.spec,
    layers,
    chunkSize: input.batch ?? DEFAULT_CHUNK,
    async activations(data, shape, wantedLayers: readonly RunnableLayer[], options = {}) {
      const wanted = wantedLayers as readonly OnnxProbeLayer[];
      const post = options.post === true;
      const n = shape[0] as number;
      const perInput = data.length / n;
      for (const layer of wanted) {
        if (layer.bias?.kind === 'tensor' && !biases.has(layer.tensor)) biases.set(layer.tensor, scaledBias(await layer.bias.ref.read(), layer.bias.scale, layer.outChannels));
      }
      const runs = await inRuns(n, (start, m, padTo) => runOnce(data.subarray(start * perInput, (start + m) * perInput), [m, ...shape.slice(1)], m, padTo, wanted, post));
      return new Map(
        wanted.map((layer): [string, LayerActivation] => {
          const act = joinRuns(runs.map((run) => run.get(layer.tensor) as RunActivation));
          return [layer.tensor, { ...act, bias: layer.bias ? (biases.get(layer.tensor) ?? null) : null }];
        }),
      );
    },
    async outputs(data, shape) {
      const n = shape[0] as number;
      const perInput = data.length / n;
      const runs = await inRuns(n, (start, m, padTo) => outputOnce(data.subarray(start * perInput, (start + m) * perInput), [m, ...shape.slice(1)], m, padTo));
      const dims = runs[0]?.dims ?? [];
      if (runs.some((r) => shapeText(r.dims) !== shapeText(dims))) throw new ProbeError('PROBE_RUN_FAILED', `The output "${outputName ?? ''}" changed shape between runs.`);
      return { name: outputName ?? '', dims, data: joinData(runs.map((r) => r.data)) };
    },
    model,
    async setWeights(weights) {
      const next = await factory.create(weights);
      const previous = session;
      session = next;
      // Computed biases are fetched again from the edited graph.
      biases.clear();
      // Released in the background: a release failure changes nothing for the new session.
      void previous.release().catch(() => {});
    },
    exportOnnx: (weights) => factory.edited(weights),
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
  // The model's final output too (issue 9), when the graph does not declare it.
  const finalOutput = finalOutputName(io, graph.node);
  const outputs = [
    ...layers.flatMap((l) => [l.output, ...(l.bias?.kind === 'value' ? [l.bias.name] : []), ...('value' in l.post ? [l.post.value] : [])]),
    ...(finalOutput === null ? [] : [finalOutput]),
  ];
  const ort = await loadRuntime(loadOrt, 'onnxruntime-web');
  const factory = await onnxSessionFactory(ort, file, graph, files, { inputs: input.declare ? [input.declare] : [], outputs, declaredOutputs: io.outputs.map((o) => o.name) });
  const session = await factory.create(new Map(), bytes);
  return createProbeSession(onnxSource(ort, model, factory, session, input, layers, finalOutput));
}
