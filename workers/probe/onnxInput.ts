/**
 * The image input of an ONNX model, from the graph's declared inputs: one float tensor N × C × H × W (NCHW, the
 * ONNX convention). Free dimensions (`dim_param`, unknown) become `null`. A graph that reads a value no node
 * produces and declares no input (hand-built test models do this) gets the input declared for it, its channels
 * taken from the first Conv that reads it.
 */
import type { Model } from '../../src/model/types';
import type { GraphMessage, NodeMessage } from '../../src/formats/onnx/onnxSchema';
import { int64ToNumber } from '../../src/formats/onnx/decodeOnnxModel';
import { onnxDataType } from '../../src/formats/onnx/onnxDataType';
import type { ProbeInputSpec } from '../probeProtocol';
import type { OnnxDim, OnnxGraphIo, OnnxValueInfo } from './onnxGraphIo';
import { ONNX_FLOAT } from './onnxGraphIo';
import { shapeText } from './probeErrors';

/** The model's input as a probe feeds it. */
export interface OnnxInput {
  readonly spec: ProbeInputSpec;
  /** The batch size the graph fixes, or null when it is free. */
  readonly batch: number | null;
  /** A declaration to add to the graph (it reads the input without declaring it). */
  readonly declare?: OnnxValueInfo;
}

const fixed = (d: OnnxDim | undefined): number | null => (typeof d === 'number' && d > 0 ? d : null);

/** Input channels of the Conv that reads `value` as its data input, from its kernel (OIHW: C/group × group). */
function convChannels(value: string, nodes: readonly NodeMessage[], model: Model): number | null {
  const conv = nodes.find((n) => n.op_type === 'Conv' && n.input[0] === value);
  const kernel = conv && model.tensors.find((t) => t.name === conv.input[1]);
  if (!conv || !kernel || kernel.shape.length !== 4) return null;
  const group = conv.attribute.find((a) => a.name === 'group');
  const groups = group === undefined ? 1 : (int64ToNumber(group.i) ?? 1);
  return (kernel.layout === 'HWIO' ? (kernel.shape[2] as number) : (kernel.shape[1] as number)) * groups;
}

/** Values the main graph reads that no node produces and nothing declares. */
function undeclaredInputs(graph: GraphMessage, io: OnnxGraphIo): string[] {
  const produced = new Set(graph.node.flatMap((n) => n.output));
  const declared = new Set(io.inputs.map((i) => i.name));
  const found: string[] = [];
  for (const node of graph.node) {
    for (const value of node.input) {
      if (value === '' || produced.has(value) || io.initializers.has(value) || declared.has(value) || found.includes(value)) continue;
      found.push(value);
    }
  }
  return found;
}

/**
 * The model's image input, or the reason it has none a probe can feed.
 *
 * @param io the graph's declared inputs and outputs
 * @param graph the decoded main graph
 * @param model the opened model (for kernel shapes)
 */
export function onnxInput(io: OnnxGraphIo, graph: GraphMessage, model: Model): OnnxInput | { readonly reason: string } {
  let info: OnnxValueInfo;
  if (io.inputs.length > 1) {
    return { reason: `probes feed one image input; this model has ${io.inputs.length}: ${io.inputs.map((i) => `"${i.name}"`).join(', ')}` };
  }
  if (io.inputs.length === 1) {
    info = io.inputs[0] as OnnxValueInfo;
  } else {
    const undeclared = undeclaredInputs(graph, io);
    if (undeclared.length !== 1) {
      return { reason: undeclared.length === 0 ? 'the graph has no input' : `the graph declares no input and reads ${undeclared.length} undeclared values: ${undeclared.map((v) => `"${v}"`).join(', ')}` };
    }
    info = { name: undeclared[0] as string };
  }
  if (info.elemType !== undefined && info.elemType !== ONNX_FLOAT) {
    return { reason: `input "${info.name}" is ${onnxDataType(info.elemType).name}; probes feed float32 images (N × C × H × W)` };
  }
  if (info.dims !== undefined && info.dims.length !== 4) {
    return { reason: `input "${info.name}" has shape ${shapeText(info.dims)}; probes feed images (N × C × H × W)` };
  }
  const channels = fixed(info.dims?.[1]) ?? convChannels(info.name, graph.node, model);
  if (channels === null) return { reason: `the channels of input "${info.name}" are not fixed by the graph, nor by a Conv reading it` };
  // Not declared at all: declare it as a float N × C × H × W tensor (declared without a shape: any shape goes).
  const declare: OnnxValueInfo | undefined = io.inputs.length === 0 ? { name: info.name, elemType: ONNX_FLOAT, dims: ['N', channels, 'H', 'W'] } : undefined;
  const dims = info.dims ?? [];
  return {
    spec: { name: info.name, height: fixed(dims[2]), width: fixed(dims[3]), channels, layout: 'NCHW' },
    batch: fixed(dims[0]),
    ...(declare ? { declare } : {}),
  };
}
