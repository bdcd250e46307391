/**
 * The graph's declared inputs and outputs (onnx.proto `GraphProto.input = 11`, `output = 12`, `ValueInfoProto`,
 * `TypeProto.Tensor`, `TensorShapeProto`), which the format reader's schema leaves out: what a probe needs to
 * feed a model and to expose its intermediate values. Decoded with protobufjs from a second, tiny schema;
 * everything else in the file (nodes, tensor bytes) is skipped unread.
 */
import type { Type } from 'protobufjs/light';
import { Reader, Root } from 'protobufjs/light';
import { int64ToNumber } from '../../src/formats/onnx/decodeOnnxModel';
import type { Int64 } from '../../src/formats/onnx/onnxSchema';

/** TensorProto.DataType FLOAT. */
export const ONNX_FLOAT = 1;

/** One dimension: a fixed size, a named free size (`dim_param`), or unknown (`null`). */
export type OnnxDim = number | string | null;

/** A graph input or output as declared: its name and, when stated, element type and shape. */
export interface OnnxValueInfo {
  readonly name: string;
  /** TensorProto.DataType code (1 = FLOAT); absent when the type is not stated or not a tensor. */
  readonly elemType?: number;
  /** Absent when the rank is unknown. */
  readonly dims?: readonly OnnxDim[];
}

/** The graph's interface. */
export interface OnnxGraphIo {
  /** Declared inputs that are not initializers (IR < 4 lists initializers among the inputs too). */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers: ReadonlySet<string>;
}

const str = (id: number) => ({ type: 'string', id });
const message = (fields: Record<string, { type: string; id: number; rule?: string }>) => ({ edition: 'proto2', fields });

/** Field names and numbers exactly as in onnx.proto. */
const IO_DESCRIPTOR = {
  nested: {
    onnxio: {
      nested: {
        ModelProto: message({ graph: { type: 'GraphProto', id: 7 } }),
        GraphProto: message({
          initializer: { rule: 'repeated', type: 'NamedTensor', id: 5 },
          input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
          output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
        }),
        NamedTensor: message({ name: str(8) }),
        ValueInfoProto: message({ name: str(1), type: { type: 'TypeProto', id: 2 } }),
        TypeProto: message({ tensor_type: { type: 'TensorType', id: 1 } }),
        TensorType: message({ elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } }),
        TensorShapeProto: message({ dim: { rule: 'repeated', type: 'Dimension', id: 1 } }),
        Dimension: message({ dim_value: { type: 'int64', id: 1 }, dim_param: str(2) }),
      },
    },
  },
};

interface DimensionMessage {
  readonly dim_value?: Int64 | null;
  readonly dim_param?: string;
}
interface ValueInfoMessage {
  readonly name: string;
  readonly type: { readonly tensor_type: { readonly elem_type: number; readonly shape: { readonly dim: readonly DimensionMessage[] } | null } | null } | null;
}
interface GraphIoMessage {
  readonly initializer: readonly { readonly name: string }[];
  readonly input: readonly ValueInfoMessage[];
  readonly output: readonly ValueInfoMessage[];
}

let types: { readonly model: Type; readonly valueInfo: Type } | null = null;

/** The protobufjs types (built once). */
export function onnxIoTypes(): { readonly model: Type; readonly valueInfo: Type } {
  if (types === null) {
    const root = Root.fromJSON(IO_DESCRIPTOR);
    types = { model: root.lookupType('onnxio.ModelProto'), valueInfo: root.lookupType('onnxio.ValueInfoProto') };
  }
  return types;
}

const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function toValueInfo(v: ValueInfoMessage): OnnxValueInfo {
  const tensor = v.type?.tensor_type ?? null;
  if (tensor === null) return { name: v.name };
  const dims = tensor.shape?.dim.map((d): OnnxDim => {
    if (has(d, 'dim_param') && d.dim_param) return d.dim_param;
    if (has(d, 'dim_value')) return int64ToNumber(d.dim_value ?? null);
    return null;
  });
  return { name: v.name, ...(tensor.elem_type ? { elemType: tensor.elem_type } : {}), ...(dims ? { dims } : {}) };
}

/**
 * Read the graph's declared inputs, outputs and initializer names from the bytes of a `.onnx` file (which the
 * format reader has already decoded once, so malformed files do not get this far).
 */
export function readOnnxGraphIo(bytes: Uint8Array): OnnxGraphIo {
  const decoded = onnxIoTypes().model.decode(Reader.create(bytes)) as unknown as { graph: GraphIoMessage | null };
  const graph = decoded.graph;
  if (graph === null) return { inputs: [], outputs: [], initializers: new Set() };
  const initializers = new Set(graph.initializer.map((t) => t.name));
  return {
    inputs: graph.input.filter((v) => !initializers.has(v.name)).map(toValueInfo),
    outputs: graph.output.map(toValueInfo),
    initializers,
  };
}

/** Encode a ValueInfoProto: the name, and a float tensor type with the shape when `dims` is given. */
export function encodeValueInfo(info: OnnxValueInfo): Uint8Array {
  const { valueInfo } = onnxIoTypes();
  const body: Record<string, unknown> = { name: info.name };
  if (info.elemType !== undefined || info.dims !== undefined) {
    const tensorType: Record<string, unknown> = { elem_type: info.elemType ?? ONNX_FLOAT };
    if (info.dims) {
      tensorType.shape = { dim: info.dims.map((d) => (typeof d === 'number' ? { dim_value: d } : typeof d === 'string' ? { dim_param: d } : {})) };
    }
    body.type = { tensor_type: tensorType };
  }
  return valueInfo.encode(valueInfo.fromObject(body)).finish();
}

/**
 * The value a model's "output" is: the graph's first declared output, or, for a graph that declares none, the last
 * node's first output that no node consumes (ONNX lists nodes in topological order, so that is the graph's sink);
 * null when there is neither.
 */
export function finalOutputName(io: OnnxGraphIo, nodes: readonly { readonly input: readonly string[]; readonly output: readonly string[] }[]): string | null {
  const declared = io.outputs[0]?.name;
  if (declared) return declared;
  const consumed = new Set(nodes.flatMap((n) => n.input));
  for (let i = nodes.length - 1; i >= 0; i--) {
    const out = nodes[i]?.output.find((o) => o !== '' && !consumed.has(o));
    if (out !== undefined) return out;
  }
  return null;
}
