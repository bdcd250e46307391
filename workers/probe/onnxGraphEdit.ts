/**
 * Add inputs and outputs to an ONNX model's main graph without decoding and re-encoding the rest: protobuf
 * concatenates repeated fields, so new `ValueInfoProto` entries appended to the `GraphProto` bytes (field 11
 * for inputs, 12 for outputs) extend `graph.input` / `graph.output`; every other field of the model and the
 * graph is copied byte for byte. This is how a probe exposes intermediate tensors (the outputs of the Conv /
 * Gemm / MatMul nodes it reads) to onnxruntime, and declares an input a graph forgot to declare.
 */
import { Reader, Writer } from 'protobufjs/light';
import type { OnnxValueInfo } from './onnxGraphIo';
import { encodeValueInfo } from './onnxGraphIo';

/** ModelProto.graph. */
const GRAPH_FIELD = 7;
const GRAPH_INPUT_FIELD = 11;
const GRAPH_OUTPUT_FIELD = 12;
const LENGTH_DELIMITED = 2;

/** One top-level field of a message: its number, wire type, and byte span (tag included). */
interface FieldSpan {
  readonly field: number;
  readonly wireType: number;
  readonly start: number;
  readonly end: number;
}

function topLevelFields(bytes: Uint8Array): FieldSpan[] {
  const reader = Reader.create(bytes);
  const spans: FieldSpan[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const wireType = tag & 7;
    reader.skipType(wireType);
    spans.push({ field: tag >>> 3, wireType, start, end: reader.pos });
  }
  return spans;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A length-delimited field: tag, length, payload. */
function lengthDelimited(field: number, payloadLength: number): Uint8Array {
  return Writer.create()
    .uint32((field << 3) | LENGTH_DELIMITED)
    .uint32(payloadLength)
    .finish();
}

/**
 * The model bytes with `inputs` appended to `graph.input` and `outputs` to `graph.output` (a bare name is added
 * untyped: onnxruntime infers its type; a value info with `elemType`/`dims` is added typed). Outputs the graph
 * already declares are not added twice.
 *
 * @param bytes a whole `.onnx` file (a ModelProto with a graph)
 * @param edit what to add
 * @param declaredOutputs the outputs the graph already has (from `readOnnxGraphIo`)
 * @throws Error when the file has no graph field
 */
export function appendGraphValues(
  bytes: Uint8Array,
  edit: { readonly inputs?: readonly OnnxValueInfo[]; readonly outputs?: readonly (string | OnnxValueInfo)[] },
  declaredOutputs: readonly string[] = [],
): Uint8Array {
  const spans = topLevelFields(bytes);
  const graphIndex = spans.findLastIndex((s) => s.field === GRAPH_FIELD && s.wireType === LENGTH_DELIMITED);
  const graph = spans[graphIndex];
  if (graph === undefined) throw new Error('The ONNX model has no graph to add outputs to.');
  // The graph's payload starts after its tag and length varints.
  const reader = Reader.create(bytes.subarray(graph.start, graph.end));
  reader.uint32();
  const payloadLength = reader.uint32();
  const payload = bytes.subarray(graph.start + reader.pos, graph.start + reader.pos + payloadLength);

  const extra: Uint8Array[] = [];
  const add = (field: number, info: OnnxValueInfo) => {
    const encoded = encodeValueInfo(info);
    extra.push(lengthDelimited(field, encoded.length), encoded);
  };
  for (const input of edit.inputs ?? []) add(GRAPH_INPUT_FIELD, input);
  const seen = new Set(declaredOutputs);
  for (const output of edit.outputs ?? []) {
    const info = typeof output === 'string' ? { name: output } : output;
    if (seen.has(info.name)) continue;
    seen.add(info.name);
    add(GRAPH_OUTPUT_FIELD, info);
  }
  const newPayloadLength = payload.length + extra.reduce((n, p) => n + p.length, 0);
  return concat([bytes.subarray(0, graph.start), lengthDelimited(GRAPH_FIELD, newPayloadLength), payload, ...extra, bytes.subarray(graph.end)]);
}
