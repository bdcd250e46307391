/**
 * TF.js layers models on @tensorflow/tfjs: the model is loaded from the dropped model.json and weight shards
 * (an in-memory IOHandler), a sub-model outputs the *inputs* of the probed Conv2D / Dense layers, and each
 * layer's pre-activation A = x ⊛ W + b (or x·W + b) is computed here with the layer's own kernel, bias, strides,
 * padding and dilation, so A is the pre-activation even when the Keras layer fuses its activation; the bias b is
 * reported for the projection Uᵀ(A − b). NHWC results become c_out × positions per input.
 *
 * The post-activation (issue 8) is a sub-model output too: the layer's own output when its activation is not
 * 'linear'; otherwise the output of the first Activation (not linear) / ReLU / LeakyReLU / ELU / PReLU /
 * ThresholdedReLU / Softmax layer reached through a single-consumer chain of BatchNormalization (or linear
 * Activation) layers. tfjs itself is passed in (the worker picks the cpu backend).
 *
 * Only top-level Conv2D and Dense layers with one inbound node are listed (layers of nested models are not).
 * The model's final outputs (the low-rank what-if, issue 9) are its first output, from the whole model.
 */
import type * as Tf from '@tensorflow/tfjs';
import type { Model, NamedBlob, TensorRef } from '../../src/model/types';
import { readJsonFile } from '../../src/formats/tfjs/readJsonFile';
import { baseName } from '../../src/formats/tfjs/tfjsFileNames';
import { interpretTfjsJson } from '../../src/formats/tfjs/tfjsModelJson';
import { ProbeError, errorText, loadRuntime, shapeText } from './probeErrors';
import type { ActivationSource, LayerActivation, PostActivation, ProbeSession, RunnableLayer } from './probeSession';
import { createProbeSession, notRunnableSession } from './probeSession';
import { WEIGHTS_ONLY_REASON } from './weightsOnly';
import { tfjsPostActivation, toChannelsFirst } from './tfjsPostActivation';

/** The @tensorflow/tfjs module (its backend already chosen). */
export type TfModule = typeof Tf;

/** Inputs per sub-model call. */
const CHUNK = 16;

/** A probe-able TF.js layer. */
interface TfjsProbeLayer extends RunnableLayer {
  /** The layer's input, or null when it is the model's input itself. */
  readonly source: Tf.SymbolicTensor | null;
  /** Computes A = x ⊛ W + b from the layer's input (NHWC / N × … × in) as n × c_out × height × width. */
  readonly preActivation: (x: Tf.Tensor, n: number) => Tf.Tensor4D;
  /** The bias in A (length c_out), or null when the layer has none. */
  readonly bias: Float64Array | null;
  /** The symbolic tensor holding the post-activation, or null when there is none (`postActivation` says why). */
  readonly post: Tf.SymbolicTensor | null;
  /** Whether `post` is channels first (N × C × H × W) rather than channels last. */
  readonly postChannelsFirst: boolean;
  /** The Keras layer and its weight variable (a weight edit sets it). */
  readonly layer: Tf.layers.Layer;
  readonly variable: Tf.LayerVariable;
}

/** One manifest group as written in model.json. */
interface RawGroup {
  readonly paths: readonly string[];
  readonly weights: readonly Tf.io.WeightsManifestEntry[];
}

/** Every shard's bytes, in manifest order (how tfjs concatenates weight data). */
async function shardBuffers(groups: readonly RawGroup[], files: readonly NamedBlob[]): Promise<ArrayBuffer[]> {
  const buffers: ArrayBuffer[] = [];
  for (const group of groups) {
    for (const path of group.paths) {
      const file = files.find((f) => f.name === path) ?? files.find((f) => baseName(f.name) === baseName(path));
      if (!file) throw new ProbeError('PROBE_NOT_RUNNABLE', `The weight file "${path}" was not dropped with the model.`);
      buffers.push(await file.blob.arrayBuffer());
    }
  }
  return buffers;
}

/** A layer's single input, or null when it has several or several inbound nodes (shared layers). */
function singleInput(layer: Tf.layers.Layer): Tf.SymbolicTensor | null {
  try {
    const input = layer.input;
    return Array.isArray(input) ? null : input;
  } catch {
    return null;
  }
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, (v[1] ?? v[0]) as number] : [v as number, v as number]);

/** The probe-able Conv2D / Dense layers of a loaded model, matched to our reader's tensors by weight name. */
function probeLayers(tf: TfModule, loaded: Tf.LayersModel, model: Model): TfjsProbeLayer[] {
  const modelInput = loaded.inputs[0];
  const byWeight = new Map<string, { layer: Tf.layers.Layer; variable: Tf.LayerVariable }>();
  for (const layer of loaded.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    for (const variable of layer.weights) byWeight.set(variable.originalName, { layer, variable });
  }
  const inModel = new Set(loaded.layers);
  const layers: TfjsProbeLayer[] = [];
  for (const weight of model.tensors as readonly TensorRef[]) {
    const found = byWeight.get(weight.name);
    if (!found || weight.unsupported !== undefined) continue;
    const { layer, variable } = found;
    const input = singleInput(layer);
    if (!input) continue;
    const source = input === modelInput || input.name === modelInput?.name ? null : input;
    const config = layer.getConfig();
    const kernel = variable.read();
    const after = tfjsPostActivation(layer, inModel);
    const postActivation: PostActivation = 'missing' in after ? { missing: after.missing } : { op: after.op };
    const post = 'output' in after ? after.output : null;
    // Elementwise layers after it keep its layout.
    const postChannelsFirst = config.dataFormat === 'channelsFirst';
    /** What a Conv2D and a Dense entry have alike. */
    const shared = { postActivation, source, post, postChannelsFirst, layer, variable };
    /** The bias variable (Keras: the layer's second weight, length c_out), read once. */
    const biasOf = (outChannels: number) => {
      const b = layer.weights.find((v) => v !== variable && v.shape.length === 1 && v.shape[0] === outChannels);
      const tensor = b?.read();
      return tensor ? { tensor, values: Float64Array.from(tensor.dataSync()) } : null;
    };
    if (layer.getClassName() === 'Conv2D' && weight.kind === 'conv2d' && weight.shape.length === 4) {
      const padding = config.padding;
      if (padding !== 'same' && padding !== 'valid') continue;
      const strides = pair(config.strides ?? 1);
      const dilations = pair(config.dilationRate ?? 1);
      const channelsFirst = config.dataFormat === 'channelsFirst';
      const outChannels = weight.shape[3] as number;
      const bias = biasOf(outChannels);
      layers.push({
        tensor: weight.name,
        op: 'Conv2D',
        outChannels,
        weight,
        matrix: { kind: 'conv', layout: 'HWIO' },
        ...shared,
        bias: bias?.values ?? null,
        preActivation: (x, n) => {
          const nhwc = (channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x) as Tf.Tensor4D;
          const y = tf.conv2d(nhwc, kernel as Tf.Tensor4D, strides, padding, 'NHWC', dilations);
          return toChannelsFirst(tf, bias ? tf.add(y, bias.tensor) : y, n, outChannels, false);
        },
      });
    } else if (layer.getClassName() === 'Dense' && weight.kind === 'dense') {
      const [inDim, outChannels] = weight.shape as [number, number];
      const bias = biasOf(outChannels);
      layers.push({
        tensor: weight.name,
        op: 'Dense',
        outChannels,
        weight,
        // Keras Dense kernels are in × out.
        matrix: { kind: 'dense', orientation: 'in×out' },
        ...shared,
        bias: bias?.values ?? null,
        preActivation: (x, n) => {
          const flat = tf.reshape(x, [-1, inDim]) as Tf.Tensor2D;
          const y = tf.matMul(flat, kernel as Tf.Tensor2D);
          // Back to the input's middle axes (the grid), channels last.
          const shaped = tf.reshape(bias ? tf.add(y, bias.tensor) : y, [n, ...x.shape.slice(1, -1), outChannels]);
          return toChannelsFirst(tf, shaped, n, outChannels, false);
        },
      });
    }
  }
  return layers;
}

function tfjsSource(tf: TfModule, loaded: Tf.LayersModel, model: Model, input: ActivationSource['input'], layers: readonly TfjsProbeLayer[]): ActivationSource {
  /** The values tfjs loaded for each weight edited so far, to restore them. */
  const loadedValues = new Map<string, Float32Array>();
  const subModels = new Map<string, { model: Tf.LayersModel; outputs: Tf.SymbolicTensor[] }>();
  /** The sub-model whose outputs are the inputs of `wanted` and, with `post`, their post-activations (built once per set). */
  const subModelFor = (wanted: readonly TfjsProbeLayer[], post: boolean) => {
    const outputs = [...new Set(wanted.flatMap((l) => [...(l.source ? [l.source] : []), ...(post && l.post ? [l.post] : [])]))];
    if (outputs.length === 0) return null;
    const key = outputs.map((o) => o.name).join('\n');
    let sub = subModels.get(key);
    if (!sub) {
      sub = { model: tf.model({ inputs: loaded.inputs, outputs }), outputs };
      subModels.set(key, sub);
    }
    return sub;
  };
  /** The values of an n × c × height × width tensor (disposed here). */
  const valuesOf = async (t: Tf.Tensor4D) => {
    try {
      return { data: (await t.data()) as Float32Array, height: t.shape[2], width: t.shape[3] };
    } finally {
      t.dispose();
    }
  };
  return {
    runtime: 'tfjs',
    input,
    layers,
    chunkSize: CHUNK,
    async activations(data, shape, wantedLayers, options = {}) {
      const wanted = wantedLayers as readonly TfjsProbeLayer[];
      const post = options.post === true;
      const n = shape[0] as number;
      const sub = subModelFor(wanted, post);
      const x = tf.tensor4d(data, shape as [number, number, number, number]);
      const results = new Map<string, LayerActivation>();
      try {
        const predicted = sub ? sub.model.predict(x, { batchSize: n }) : [];
        const outputs = Array.isArray(predicted) ? predicted : [predicted];
        const outputOf = (symbolic: Tf.SymbolicTensor) => outputs[sub?.outputs.indexOf(symbolic) ?? -1] as Tf.Tensor;
        try {
          for (const layer of wanted) {
            const layerInput = layer.source ? outputOf(layer.source) : x;
            const a = await valuesOf(tf.tidy(() => layer.preActivation(layerInput, n)));
            const postValues = post && layer.post ? await valuesOf(tf.tidy(() => toChannelsFirst(tf, outputOf(layer.post as Tf.SymbolicTensor), n, layer.outChannels, layer.postChannelsFirst))) : null;
            results.set(layer.tensor, {
              data: a.data,
              positions: a.height * a.width,
              height: a.height,
              width: a.width,
              bias: layer.bias,
              ...(postValues ? { post: postValues.data } : {}),
            });
          }
        } finally {
          for (const t of outputs) t.dispose();
        }
      } finally {
        x.dispose();
      }
      return results;
    },
    async outputs(data, shape) {
      const x = tf.tensor4d(data, shape as [number, number, number, number]);
      const predicted = loaded.predict(x, { batchSize: shape[0] as number });
      const all = Array.isArray(predicted) ? predicted : [predicted];
      try {
        const first = all[0];
        if (!first) throw new ProbeError('PROBE_RUN_FAILED', `"${model.name}" has no output to read.`);
        const values = await first.data();
        return { name: loaded.outputNames[0] ?? 'output', dims: first.shape.slice(1), data: values instanceof Float32Array ? values : Float32Array.from(values) };
      } finally {
        x.dispose();
        for (const t of all) t.dispose();
      }
    },
    model,
    async setWeights(weights) {
      for (const layer of layers) {
        const edited = weights.get(layer.tensor);
        if (!edited && !loadedValues.has(layer.tensor)) continue;
        if (!loadedValues.has(layer.tensor)) loadedValues.set(layer.tensor, Float32Array.from(await layer.variable.read().data()));
        const value = tf.tensor(edited ?? (loadedValues.get(layer.tensor) as Float32Array), [...layer.weight.shape]);
        try {
          // The layer's other weights are passed as they are (the same tensors: tfjs leaves them alone).
          layer.layer.setWeights(layer.layer.weights.map((v) => (v === layer.variable ? value : v.read())));
        } finally {
          value.dispose();
        }
      }
    },
    dispose() {
      loaded.dispose();
    },
  };
}

/**
 * Open a TF.js model for probes. Layers models load and run; graph models and bare weights manifests open as
 * not runnable, with the reason.
 *
 * @param loadTf @tensorflow/tfjs with its backend chosen (loaded only for a layers model)
 * @param model the model as our reader opened it from `files`
 * @param files the model.json and its weight shards
 * @throws ProbeError PROBE_RUN_FAILED when tfjs cannot load the model (its text included); FormatError for the JSON
 */
export async function openTfjsProbe(loadTf: () => Promise<TfModule>, model: Model, files: readonly NamedBlob[]): Promise<ProbeSession> {
  const jsonFile = files.find((f) => f.name === model.name);
  if (!jsonFile) throw new ProbeError('PROBE_NOT_RUNNABLE', `The model file "${model.name}" is not among the opened files.`);
  const json = await readJsonFile(jsonFile);
  const kind = interpretTfjsJson(json, jsonFile.name).kind;
  if (kind === 'graph-model') {
    return notRunnableSession(`"${model.name}" is a TF.js graph model: probes do not support graph models yet (only layers models, a model.json with a Keras modelTopology)`, { runtime: 'tfjs' });
  }
  if (kind !== 'layers-model') return notRunnableSession(WEIGHTS_ONLY_REASON);
  const { modelTopology, weightsManifest } = json as { modelTopology: object; weightsManifest: readonly RawGroup[] };
  const weightData = await shardBuffers(weightsManifest, files);
  const tf = await loadRuntime(loadTf, 'tfjs');
  let loaded: Tf.LayersModel;
  try {
    loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest.flatMap((g) => g.weights), weightData }));
  } catch (error) {
    throw new ProbeError('PROBE_RUN_FAILED', `tfjs could not load "${model.name}": ${errorText(error)}`, { cause: error });
  }
  const inputs = loaded.inputs;
  const shape = inputs[0]?.shape ?? [];
  const channels = shape[3];
  if (inputs.length !== 1 || shape.length !== 4 || typeof channels !== 'number') {
    loaded.dispose();
    const what = inputs.length === 1 ? `its input has shape ${shapeText(shape)}` : `it has ${inputs.length} inputs`;
    return notRunnableSession(`"${model.name}" cannot be probed: ${what}; probes feed one image input (N × H × W × C)`, { runtime: 'tfjs' });
  }
  const spec = { name: inputs[0]?.name ?? 'input', height: shape[1] ?? null, width: shape[2] ?? null, channels, layout: 'NHWC' as const };
  const layers = probeLayers(tf, loaded, model);
  if (layers.length === 0) {
    loaded.dispose();
    return notRunnableSession(`"${model.name}" has no top-level Conv2D or Dense layer to probe`, { runtime: 'tfjs', input: spec });
  }
  return createProbeSession(tfjsSource(tf, loaded, model, spec, layers));
}
