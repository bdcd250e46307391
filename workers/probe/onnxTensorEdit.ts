/**
 * Replace the values of stored tensors of an ONNX model's main graph without decoding and re-encoding the rest
 * (as onnxGraphEdit.ts does for outputs): the model is walked field by field (onnx.proto: ModelProto.graph = 7;
 * GraphProto.initializer = 5, node = 1; NodeProto.output = 2, op_type = 4, attribute = 5, domain = 7;
 * AttributeProto.name = 1, t = 5; TensorProto.name = 8, data_type = 2), and only the messages on the way to an
 * edited tensor are rebuilt with new lengths; every other byte is kept as a view of the original.
 *
 * A weight is either an initializer (found by `TensorProto.name`) or the `value` tensor of a `Constant` node
 * (found by the node's output; paddle2onnx models keep every weight this way). Its rebuilt TensorProto keeps
 * every field but the data (float_data 4, int32_data 5, string_data 6, int64_data 7, raw_data 9, double_data 10,
 * uint64_data 11) and the external-data fields (external_data 13, data_location 14), and gets the new values as
 * `raw_data` (little-endian, onnx.proto "raw_data"), encoded in the tensor's own float type.
 */
import { Reader, Writer } from 'protobufjs/light';
import type { FloatDType } from '../../src/formats/dtype';
import { encodeFloats } from '../../src/formats/encodeFloats';

const LENGTH_DELIMITED = 2;
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const NODE_OUTPUT = 2;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const NODE_DOMAIN = 7;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_TENSOR = 5;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
/** TensorProto fields that hold or locate the values: dropped from a rebuilt tensor. */
const TENSOR_DATA_FIELDS = new Set([4, 5, 6, 7, 9, 10, 11, 13, 14]);
/** TensorProto.DataType codes of the float types, and the dtype they are written in. */
const FLOAT_TYPES: Readonly<Record<number, FloatDType>> = { 1: 'F32', 10: 'F16', 11: 'F64', 16: 'BF16' };

/** One field of a message: number, wire type, span (tag included) and where its payload starts. */
interface Field {
  readonly field: number;
  readonly wireType: number;
  readonly start: number;
  readonly payloadStart: number;
  readonly end: number;
}

function fieldsOf(bytes: Uint8Array): Field[] {
  const reader = Reader.create(bytes);
  const fields: Field[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const wireType = tag & 7;
    let payloadStart = reader.pos;
    if (wireType === LENGTH_DELIMITED) {
      const length = reader.uint32();
      payloadStart = reader.pos;
      reader.skip(length);
    } else reader.skipType(wireType);
    fields.push({ field: tag >>> 3, wireType, start, payloadStart, end: reader.pos });
  }
  return fields;
}

const payloadOf = (bytes: Uint8Array, f: Field) => bytes.subarray(f.payloadStart, f.end);
const text = (bytes: Uint8Array, f: Field) => new TextDecoder().decode(payloadOf(bytes, f));
const partsLength = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);
/** The first length-delimited field `number` of a message, as text ('' when absent). */
const firstText = (bytes: Uint8Array, fields: readonly Field[], number: number) => {
  const f = fields.find((x) => x.field === number && x.wireType === LENGTH_DELIMITED);
  return f ? text(bytes, f) : '';
};

/** Tag and length of a length-delimited field. */
function fieldHead(field: number, length: number): Uint8Array {
  return Writer.create()
    .uint32((field << 3) | LENGTH_DELIMITED)
    .uint32(length)
    .finish();
}

/**
 * A message with some length-delimited fields replaced: `replace` returns a field's new payload (as parts), or null
 * to keep it. Returns null when nothing was replaced; otherwise the whole message as parts (kept runs are views).
 */
function rewrite(bytes: Uint8Array, replace: (f: Field, payload: Uint8Array) => Uint8Array[] | null): Uint8Array[] | null {
  const parts: Uint8Array[] = [];
  let keptFrom = 0;
  for (const f of fieldsOf(bytes)) {
    if (f.wireType !== LENGTH_DELIMITED) continue;
    const payload = replace(f, payloadOf(bytes, f));
    if (payload === null) continue;
    if (f.start > keptFrom) parts.push(bytes.subarray(keptFrom, f.start));
    parts.push(fieldHead(f.field, partsLength(payload)), ...payload);
    keptFrom = f.end;
  }
  if (parts.length === 0) return null;
  if (keptFrom < bytes.length) parts.push(bytes.subarray(keptFrom));
  return parts;
}

/** A TensorProto (its payload) with `values` as its raw_data in its own float type. */
function tensorWithValues(bytes: Uint8Array, values: Float32Array, name: string): Uint8Array[] {
  const fields = fieldsOf(bytes);
  const typeField = fields.find((f) => f.field === TENSOR_DATA_TYPE && f.wireType === 0);
  const dataType = typeField ? Reader.create(bytes.subarray(typeField.payloadStart, typeField.end)).int32() : 0;
  const dtype = FLOAT_TYPES[dataType];
  if (dtype === undefined) throw new Error(`The ONNX tensor "${name}" has data type ${dataType}, not a float type; its values cannot be replaced.`);
  const parts: Uint8Array[] = [];
  for (const f of fields) if (!TENSOR_DATA_FIELDS.has(f.field)) parts.push(bytes.subarray(f.start, f.end));
  const raw = encodeFloats(values, dtype);
  parts.push(fieldHead(TENSOR_RAW_DATA, raw.length), raw);
  return parts;
}

/** Whether a node (its fields) is the standard Constant op. */
function isConstant(bytes: Uint8Array, fields: readonly Field[]): boolean {
  const domain = firstText(bytes, fields, NODE_DOMAIN);
  return firstText(bytes, fields, NODE_OP_TYPE) === 'Constant' && (domain === '' || domain === 'ai.onnx');
}

/**
 * The model with the values of `replacements` (by the value name graph edges use: an initializer's name, or a
 * Constant node's output) in place, as parts: views of `bytes` and the rebuilt pieces. Joined, they are the
 * edited `.onnx` file; with no replacements, `[bytes]`.
 *
 * @param bytes a whole `.onnx` file (a ModelProto)
 * @param replacements float32 values in the tensor's stored order (their count is the caller's to check)
 * @throws Error when a named tensor is not in the main graph (as an initializer or a Constant's `value`) or is
 *   not of a float type
 */
export function replaceOnnxTensors(bytes: Uint8Array, replacements: ReadonlyMap<string, Float32Array>): Uint8Array[] {
  if (replacements.size === 0) return [bytes];
  const done = new Set<string>();
  const take = (name: string): Float32Array | null => {
    const values = replacements.get(name);
    if (values === undefined || done.has(name)) return null;
    done.add(name);
    return values;
  };
  const node = (payload: Uint8Array) => {
    const fields = fieldsOf(payload);
    const output = fields.find((f) => f.field === NODE_OUTPUT && f.wireType === LENGTH_DELIMITED);
    if (!output || !replacements.has(text(payload, output)) || !isConstant(payload, fields)) return null;
    const name = text(payload, output);
    return rewrite(payload, (f, attribute) => {
      if (f.field !== NODE_ATTRIBUTE || firstText(attribute, fieldsOf(attribute), ATTRIBUTE_NAME) !== 'value') return null;
      const values = take(name);
      return values && rewrite(attribute, (g, tensor) => (g.field === ATTRIBUTE_TENSOR ? tensorWithValues(tensor, values, name) : null));
    });
  };
  const graph = (payload: Uint8Array) =>
    rewrite(payload, (f, inner) => {
      if (f.field === GRAPH_NODE) return node(inner);
      if (f.field !== GRAPH_INITIALIZER) return null;
      const name = firstText(inner, fieldsOf(inner), TENSOR_NAME);
      const values = take(name);
      return values && tensorWithValues(inner, values, name);
    });
  const parts = rewrite(bytes, (f, payload) => (f.field === MODEL_GRAPH ? graph(payload) : null)) ?? [bytes];
  const missing = [...replacements.keys()].filter((name) => !done.has(name));
  if (missing.length > 0) throw new Error(`The ONNX main graph has no initializer or Constant named ${missing.map((n) => `"${n}"`).join(', ')}.`);
  return parts;
}

/** Join parts into one array. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(partsLength(parts));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
