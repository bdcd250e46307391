/**
 * The subset of `onnx.proto` (github.com/onnx/onnx, `onnx/onnx.proto`, proto2, package `onnx`) this reader
 * decodes, as a protobufjs reflection descriptor (`Root.fromJSON`), and the TypeScript shape of what it
 * decodes to. Fields the reader does not need (doc strings, value_info, functions, training_info…) are left
 * out: the decoder skips them without materialising them.
 *
 * One deliberate departure from `onnx.proto`: the packed numeric arrays of TensorProto (`float_data = 4`,
 * `int32_data = 5`, `int64_data = 7`, `double_data = 10`, `uint64_data = 11`, all `[packed = true]`) are
 * declared `repeated bytes`. On the wire a packed field *is* a length-delimited byte string, so each chunk
 * decodes to a view of the file's bytes (no copy, no per-element numbers) and stays undecoded until
 * `read()`. Writers that ignore `packed` emit one field per element instead (wire types 0, 1 or 5); those
 * land in protobufjs's `$unknowns` (raw field bytes) and are decoded with {@link OnnxTypes.TensorValues},
 * which declares the same fields with their real scalar types.
 */
import type { Type } from 'protobufjs/light';
import { Root } from 'protobufjs/light';

const str = (id: number) => ({ type: 'string', id });
const int64 = (id: number) => ({ type: 'int64', id });
const int32 = (id: number) => ({ type: 'int32', id });
const bytes = (id: number) => ({ type: 'bytes', id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const message = (fields: Record<string, { type: string; id: number; rule?: string }>) => ({ edition: 'proto2', fields });

/** The reflection descriptor: field names and numbers exactly as in onnx.proto (IR version 10). */
const ONNX_DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        ModelProto: message({
          ir_version: int64(1),
          producer_name: str(2),
          producer_version: str(3),
          domain: str(4),
          model_version: int64(5),
          graph: { type: 'GraphProto', id: 7 },
          opset_import: repeated('OperatorSetIdProto', 8),
          metadata_props: repeated('StringStringEntryProto', 14),
        }),
        OperatorSetIdProto: message({ domain: str(1), version: int64(2) }),
        StringStringEntryProto: message({ key: str(1), value: str(2) }),
        GraphProto: message({
          node: repeated('NodeProto', 1),
          name: str(2),
          initializer: repeated('TensorProto', 5),
          sparse_initializer: repeated('SparseTensorProto', 15),
        }),
        NodeProto: message({
          input: repeated('string', 1),
          output: repeated('string', 2),
          name: str(3),
          op_type: str(4),
          attribute: repeated('AttributeProto', 5),
          domain: str(7),
        }),
        AttributeProto: message({
          name: str(1),
          f: { type: 'float', id: 2 },
          i: int64(3),
          t: { type: 'TensorProto', id: 5 },
          g: { type: 'GraphProto', id: 6 },
          floats: repeated('float', 7),
          ints: repeated('int64', 8),
          graphs: repeated('GraphProto', 11),
          type: int32(20),
          sparse_tensor: { type: 'SparseTensorProto', id: 22 },
        }),
        TensorProto: message({
          dims: repeated('int64', 1),
          data_type: int32(2),
          segment: { type: 'Segment', id: 3 },
          float_data: repeated('bytes', 4),
          int32_data: repeated('bytes', 5),
          string_data: repeated('bytes', 6),
          int64_data: repeated('bytes', 7),
          name: str(8),
          raw_data: bytes(9),
          double_data: repeated('bytes', 10),
          uint64_data: repeated('bytes', 11),
          external_data: repeated('StringStringEntryProto', 13),
          data_location: int32(14),
        }),
        Segment: message({ begin: int64(1), end: int64(2) }),
        SparseTensorProto: message({ values: { type: 'TensorProto', id: 1 }, indices: { type: 'TensorProto', id: 2 }, dims: repeated('int64', 3) }),
        // The unpacked (one field per element) encoding of TensorProto's numeric arrays; see the file comment.
        TensorValues: message({
          float_data: repeated('float', 4),
          int32_data: repeated('int32', 5),
          int64_data: repeated('int64', 7),
          double_data: repeated('double', 10),
          uint64_data: repeated('uint64', 11),
        }),
      },
    },
  },
};

/** An int64 as protobufjs returns it: a number, or a Long (`low`/`high` 32-bit halves) when long.js is loaded. */
export type Int64 = number | { readonly low: number; readonly high: number; readonly unsigned: boolean };

/** Raw protobuf fields the schema does not declare, kept as views (`Reader.discardUnknown = false`). */
interface WithUnknowns {
  readonly $unknowns?: readonly Uint8Array[];
}

/** onnx.StringStringEntryProto. */
export interface StringStringEntryMessage {
  readonly key: string;
  readonly value: string;
}

/** onnx.TensorProto (see the file comment for the numeric arrays). */
export interface TensorMessage extends WithUnknowns {
  readonly dims: readonly Int64[];
  readonly data_type: number;
  readonly segment: { readonly begin: Int64; readonly end: Int64 } | null;
  readonly float_data: readonly Uint8Array[];
  readonly int32_data: readonly Uint8Array[];
  readonly string_data: readonly Uint8Array[];
  readonly int64_data: readonly Uint8Array[];
  readonly name: string;
  readonly raw_data: Uint8Array;
  readonly double_data: readonly Uint8Array[];
  readonly uint64_data: readonly Uint8Array[];
  readonly external_data: readonly StringStringEntryMessage[];
  readonly data_location: number;
}

/** onnx.SparseTensorProto. */
export interface SparseTensorMessage {
  readonly values: TensorMessage | null;
  readonly indices: TensorMessage | null;
  readonly dims: readonly Int64[];
}

/** onnx.AttributeProto. */
export interface AttributeMessage {
  readonly name: string;
  readonly type: number;
  readonly f: number;
  readonly i: Int64;
  readonly t: TensorMessage | null;
  readonly g: GraphMessage | null;
  readonly floats: readonly number[];
  readonly ints: readonly Int64[];
  readonly graphs: readonly GraphMessage[];
  readonly sparse_tensor: SparseTensorMessage | null;
}

/** onnx.NodeProto. */
export interface NodeMessage {
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly name: string;
  readonly op_type: string;
  readonly domain: string;
  readonly attribute: readonly AttributeMessage[];
}

/** onnx.GraphProto. */
export interface GraphMessage {
  readonly node: readonly NodeMessage[];
  readonly name: string;
  readonly initializer: readonly TensorMessage[];
  readonly sparse_initializer: readonly SparseTensorMessage[];
}

/** onnx.ModelProto. */
export interface ModelMessage {
  readonly ir_version: Int64;
  readonly producer_name: string;
  readonly producer_version: string;
  readonly domain: string;
  readonly model_version: Int64;
  readonly graph: GraphMessage | null;
  readonly opset_import: readonly { readonly domain: string; readonly version: Int64 }[];
  readonly metadata_props: readonly StringStringEntryMessage[];
}

/** The message types, built from the descriptor on first use. */
export interface OnnxTypes {
  readonly root: Root;
  readonly ModelProto: Type;
  readonly TensorProto: Type;
  readonly TensorValues: Type;
}

let types: OnnxTypes | null = null;

/** The protobufjs types of the schema (built once; building compiles each type's decoder). */
export function onnxTypes(): OnnxTypes {
  if (types === null) {
    const root = Root.fromJSON(ONNX_DESCRIPTOR);
    types = {
      root,
      ModelProto: root.lookupType('onnx.ModelProto'),
      TensorProto: root.lookupType('onnx.TensorProto'),
      TensorValues: root.lookupType('onnx.TensorValues'),
    };
  }
  return types;
}
