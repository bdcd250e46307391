/**
 * Build small ONNX models for tests and fixtures, encoded with protobufjs through the reader's own schema
 * (onnxSchema.ts). Packed numeric arrays are written as the byte strings they are on the wire; `unpacked`
 * storage writes one field per value (as a writer ignoring `[packed = true]` would) through `$unknowns`.
 */
import { Writer } from 'protobufjs/light';
import { encodeFloats } from '../../encodeFloats';
import { onnxTypes } from '../onnxSchema';

/** ONNX TensorProto.DataType codes used in tests. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;

/** How a tensor's values are stored. */
export type Storage = 'raw' | 'typed' | 'unpacked' | 'external' | 'none';

/** One tensor to write. */
export interface TensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  /** ONNX data type code; default FLOAT. */
  readonly dataType?: number;
  readonly values?: ArrayLike<number>;
  /** Default `raw`. */
  readonly storage?: Storage;
  /** Bytes to put in raw_data instead of the encoded values. */
  readonly rawBytes?: Uint8Array;
  /** For `external` storage: the external_data entries (location, offset, length as strings). */
  readonly external?: Readonly<Record<string, string>>;
  /** TensorProto.segment. */
  readonly segment?: readonly [number, number];
  /** Raw TensorProto fields set last, overriding everything (for hostile tests), e.g. `{ int32_data: [bytes] }`. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** One node to write. Attribute values: a number (INT), a number array (INTS), a tensor (TENSOR), a graph (GRAPH). */
export interface NodeSpec {
  readonly op: string;
  readonly inputs?: readonly string[];
  readonly outputs?: readonly string[];
  readonly name?: string;
  readonly domain?: string;
  readonly attrs?: Readonly<Record<string, number | readonly number[] | TensorSpec | GraphSpec | { readonly float: number } | { readonly floats: readonly number[] }>>;
}

/** One graph to write. */
export interface GraphSpec {
  readonly name?: string;
  readonly initializers?: readonly TensorSpec[];
  readonly nodes?: readonly NodeSpec[];
  /** Sparse initializers: values tensor, indices tensor (INT64), dense dims. */
  readonly sparse?: readonly { readonly values: TensorSpec; readonly indices: TensorSpec; readonly dims: readonly number[] }[];
}

/** A whole model. */
export interface ModelSpec {
  readonly irVersion?: number;
  readonly producer?: string;
  readonly opset?: number;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Omit to write a ModelProto without a graph. */
  readonly graph?: GraphSpec;
}

/** Fixed-width little-endian bytes of integers (INT8/UINT8/BOOL 1, INT32 4, INT64 8 bytes). */
function intBytes(values: ArrayLike<number>, width: 1 | 4 | 8): Uint8Array {
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i] as number);
    if (width === 1) out[i] = v & 0xff;
    else if (width === 4) view.setInt32(4 * i, v, true);
    else view.setBigInt64(8 * i, BigInt(v), true);
  }
  return out;
}

/** raw_data bytes of values of an ONNX data type. */
export function rawBytesOf(values: ArrayLike<number>, dataType: number): Uint8Array {
  switch (dataType) {
    case DT.FLOAT:
      return encodeFloats(values, 'F32');
    case DT.DOUBLE:
      return encodeFloats(values, 'F64');
    case DT.FLOAT16:
      return encodeFloats(values, 'F16');
    case DT.BFLOAT16:
      return encodeFloats(values, 'BF16');
    case DT.INT64:
      return intBytes(values, 8);
    case DT.INT32:
      return intBytes(values, 4);
    default:
      return intBytes(values, 1);
  }
}

/** The typed field (name, number) and per-value writer for a data type. */
function typedField(dataType: number): { field: string; id: number; write: (w: Writer, v: number) => Writer; wire: number } {
  if (dataType === DT.FLOAT) return { field: 'float_data', id: 4, write: (w, v) => w.float(v), wire: 5 };
  if (dataType === DT.DOUBLE) return { field: 'double_data', id: 10, write: (w, v) => w.double(v), wire: 1 };
  if (dataType === DT.INT64) return { field: 'int64_data', id: 7, write: (w, v) => w.int64(v), wire: 0 };
  return { field: 'int32_data', id: 5, write: (w, v) => w.int32(v), wire: 0 };
}

/** int32_data holds FLOAT16 / BFLOAT16 as their 16-bit patterns (onnx.proto). */
function typedValues(values: ArrayLike<number>, dataType: number): number[] {
  if (dataType === DT.FLOAT || dataType === DT.DOUBLE) return Array.from(values);
  if (dataType !== DT.FLOAT16 && dataType !== DT.BFLOAT16) return Array.from(values, Math.trunc);
  const bytes = rawBytesOf(values, dataType);
  return Array.from({ length: values.length }, (_, i) => (bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8));
}

/** The plain-object TensorProto protobufjs encodes. */
export function tensorObject(spec: TensorSpec): Record<string, unknown> {
  const dataType = spec.dataType ?? DT.FLOAT;
  const values = spec.values ?? [];
  const t: Record<string, unknown> = { name: spec.name, dims: [...spec.dims], data_type: dataType };
  const storage = spec.storage ?? 'raw';
  if (spec.segment) t.segment = { begin: spec.segment[0], end: spec.segment[1] };
  if (storage === 'raw') t.raw_data = spec.rawBytes ?? rawBytesOf(values, dataType);
  else if (storage === 'typed' || storage === 'unpacked') {
    const { field, id, write, wire } = typedField(dataType);
    const numbers = typedValues(values, dataType);
    if (storage === 'typed') {
      // A packed field's payload: fixed-width values, or varints.
      if (field === 'float_data' || field === 'double_data') t[field] = [rawBytesOf(values, dataType)];
      else {
        const w = Writer.create();
        for (const v of numbers) write(w, v);
        t[field] = [Uint8Array.from(w.finish())];
      }
    } else {
      t.$unknowns = numbers.map((v) => Uint8Array.from(write(Writer.create().uint32((id << 3) | wire), v).finish()));
    }
  } else if (storage === 'external') {
    t.data_location = 1;
    t.external_data = Object.entries(spec.external ?? {}).map(([key, value]) => ({ key, value }));
  }
  return { ...t, ...spec.fields };
}

function attributeObject(name: string, value: NonNullable<NodeSpec['attrs']>[string]): Record<string, unknown> {
  if (typeof value === 'number') return { name, type: 2, i: value };
  if (Array.isArray(value)) return { name, type: 7, ints: [...(value as number[])] };
  if ('float' in value) return { name, type: 1, f: value.float };
  if ('floats' in value) return { name, type: 6, floats: [...value.floats] };
  if ('dims' in value) return { name, type: 4, t: tensorObject(value) };
  return { name, type: 5, g: graphObject(value as GraphSpec) };
}

/** The plain-object GraphProto protobufjs encodes. */
export function graphObject(spec: GraphSpec): Record<string, unknown> {
  return {
    name: spec.name ?? 'graph',
    initializer: (spec.initializers ?? []).map(tensorObject),
    sparse_initializer: (spec.sparse ?? []).map((s) => ({ values: tensorObject(s.values), indices: tensorObject(s.indices), dims: [...s.dims] })),
    node: (spec.nodes ?? []).map((n, i) => ({
      name: n.name ?? `${n.op}_${i}`,
      op_type: n.op,
      domain: n.domain ?? '',
      input: [...(n.inputs ?? [])],
      output: [...(n.outputs ?? [])],
      attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attributeObject(k, v)),
    })),
  };
}

/** Encode a model as `.onnx` bytes. */
export function buildOnnx(spec: ModelSpec): Uint8Array {
  const model: Record<string, unknown> = {
    ir_version: spec.irVersion ?? 8,
    producer_name: spec.producer ?? 'artificial-mri-tests',
    producer_version: '1',
    opset_import: [{ domain: '', version: spec.opset ?? 13 }],
    metadata_props: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  if (spec.graph) model.graph = graphObject(spec.graph);
  // In Node, protobufjs writes into pooled Buffers whose `slice` is a view: copy into a plain Uint8Array.
  return Uint8Array.from(onnxTypes().ModelProto.encode(model).finish());
}
