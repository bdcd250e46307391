/**
 * The layers of an ONNX model a probe can read (SCIENCE.md §3): every dense or 2-D conv weight (as our reader
 * lists it) that is the weight input (index 1) of a `Conv`, `Gemm` or `MatMul` node of the main graph, directly
 * or through the value-preserving nodes the reader follows (onnxWeightUses.ts). For each: the value to fetch
 * (the node's output A), where its bias comes from, and how its stored weight becomes W.
 *
 * - Conv: A is NCHW (c_out × H·W positions per input); bias = input 2 (optional).
 * - Gemm: A is N × c_out (one position); bias = β·C (input 2, optional; a scalar C broadcasts). α scales W
 *   and so σ, not U. W is B as stored when transB = 1 (out × in), Bᵀ otherwise.
 * - MatMul: A is N × … × c_out (channels last; positions = the middle axes); no bias; W = Bᵀ (B is in × out).
 *
 * Each layer also carries its post-activation: the first nonlinearity after A (onnxPostActivation.ts).
 */
import type { Model, TensorRef } from '../../src/model/types';
import type { AttributeMessage, GraphMessage, NodeMessage } from '../../src/formats/onnx/onnxSchema';
import { consumerIndex, weightUse } from '../../src/formats/onnx/onnxWeightUses';
import type { OnnxPostActivation } from './onnxPostActivation';
import { onnxPostActivation, postActivationIndex, postActivationOf } from './onnxPostActivation';
import type { RunnableLayer } from './probeSession';

/** Where a layer's bias comes from. */
export type OnnxBias =
  /** A stored tensor (initializer or Constant) of the model, read once; `scale` is Gemm's β. */
  | { readonly kind: 'tensor'; readonly ref: TensorRef; readonly scale: number }
  /** A computed value, fetched as an extra graph output with the activations. */
  | { readonly kind: 'value'; readonly name: string; readonly scale: number };

/** A probe-able ONNX layer. */
export interface OnnxProbeLayer extends RunnableLayer {
  /** The node's output value: the activation A to fetch. */
  readonly output: string;
  /** Whether A has c_out on its last axis (Gemm, MatMul) rather than axis 1 (Conv). */
  readonly channelsLast: boolean;
  readonly bias: OnnxBias | null;
  /** The value holding the post-activation (fetched as an extra graph output), or why there is none. */
  readonly post: OnnxPostActivation;
}

/** Value-preserving ops followed from a weight to its consumer, as the reader does. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'CastLike', 'DequantizeLinear', 'Transpose']);
const MAX_HOPS = 4;
/** Ops a probe reads, with the input index their weight must be at. */
const PROBE_OPS: Readonly<Record<string, number>> = { Conv: 1, Gemm: 1, MatMul: 1 };
/** Every op the reader treats as a weight op (the first one reached decides the weight's use). */
const WEIGHT_OPS = new Set(['Conv', 'ConvInteger', 'QLinearConv', 'ConvTranspose', 'Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul']);

type Consumers = ReturnType<typeof consumerIndex>;

/** The node that uses a weight and the input index it reads it at, searched as `weightUse` does (breadth first). */
export function weightConsumer(name: string, consumers: Consumers): { node: NodeMessage; index: number } | null {
  let frontier = [name];
  const seen = new Set(frontier);
  for (let hop = 0; hop <= MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const value of frontier) {
      for (const c of consumers.get(value) ?? []) {
        if (WEIGHT_OPS.has(c.node.op_type)) return c;
        const output = c.node.output[0];
        if (!PASS_THROUGH.has(c.node.op_type) || c.index !== 0 || output === undefined || seen.has(output)) continue;
        seen.add(output);
        next.push(output);
      }
    }
    frontier = next;
  }
  return null;
}

function attribute(node: NodeMessage, name: string): AttributeMessage | undefined {
  return node.attribute.find((a) => a.name === name);
}

/** The name of a node's input `index`, or '' when absent. */
function inputName(node: NodeMessage, index: number): string {
  return node.input[index] ?? '';
}

/**
 * The probe-able layers of an opened ONNX model, in the order of their nodes in the graph.
 *
 * @param model the model as our reader opened it (its tensors give shapes, layouts and values)
 * @param graph the decoded main graph (its nodes give the consumers)
 */
export function onnxProbeLayers(model: Model, graph: GraphMessage): OnnxProbeLayer[] {
  const consumers = consumerIndex(graph.node);
  const tensors = new Map(model.tensors.map((t) => [t.name, t]));
  const order = new Map(graph.node.map((node, i) => [node, i]));
  const postIndex = postActivationIndex(graph, consumers);
  const layers: (OnnxProbeLayer & { readonly at: number })[] = [];
  for (const weight of model.tensors) {
    if ((weight.kind !== 'dense' && weight.kind !== 'conv2d') || weight.unsupported !== undefined) continue;
    const found = weightConsumer(weight.name, consumers);
    if (!found) continue;
    const { node, index } = found;
    const op = node.op_type;
    const output = node.output[0];
    if (PROBE_OPS[op] !== index || output === undefined || output === '') continue;
    const post = onnxPostActivation(output, op, postIndex);
    const postActivation = postActivationOf(post);
    const biasFrom = (value: string, scale: number): OnnxBias | null => {
      if (value === '') return null;
      const ref = tensors.get(value);
      return ref && ref.unsupported === undefined ? { kind: 'tensor', ref, scale } : { kind: 'value', name: value, scale };
    };
    if (op === 'Conv') {
      if (weight.kind !== 'conv2d') continue;
      const layout = weight.layout ?? 'OIHW';
      const outChannels = (layout === 'OIHW' ? weight.shape[0] : weight.shape[3]) as number;
      const bias = biasFrom(inputName(node, 2), 1);
      if (bias?.kind === 'tensor' && bias.ref.size !== outChannels) continue;
      layers.push({ tensor: weight.name, op, outChannels, weight, matrix: { kind: 'conv', layout }, output, channelsLast: false, bias, post, postActivation, at: order.get(node) ?? 0 });
      continue;
    }
    if (weight.kind !== 'dense') continue;
    const orientation = weightUse(weight.name, weight.shape.length, consumers)?.orientation;
    if (orientation === undefined) continue;
    const outChannels = (orientation === 'out×in' ? weight.shape[0] : weight.shape[1]) as number;
    let bias: OnnxBias | null = null;
    if (op === 'Gemm') {
      const beta = attribute(node, 'beta');
      bias = biasFrom(inputName(node, 2), beta === undefined ? 1 : beta.f);
      if (bias?.kind === 'tensor' && bias.ref.size !== outChannels && bias.ref.size !== 1) continue;
    }
    layers.push({ tensor: weight.name, op, outChannels, weight, matrix: { kind: 'dense', orientation }, output, channelsLast: true, bias, post, postActivation, at: order.get(node) ?? 0 });
  }
  // In the order the graph computes them (the file may list weights in any order).
  return layers.sort((a, b) => a.at - b.at).map(({ at: _at, ...layer }) => layer);
}
