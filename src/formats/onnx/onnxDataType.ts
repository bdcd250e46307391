/**
 * ONNX element types (onnx.proto, `enum TensorProto.DataType`) and where TensorProto keeps their values when
 * not in `raw_data` (the comments on `float_data`, `int32_data`, … in onnx.proto).
 */
import type { DType } from '../../model/types';

/** Which repeated field of TensorProto holds a data type's values when `raw_data` is not used. */
export type TypedField = 'float_data' | 'int32_data' | 'string_data' | 'int64_data' | 'double_data' | 'uint64_data';

/** One ONNX data type. */
export interface OnnxDataType {
  /** The enum name, e.g. `FLOAT16`. */
  readonly name: string;
  /** Our dtype; `UNKNOWN` for types the model layer has no name for (STRING, COMPLEX64, 4-bit…). */
  readonly dtype: DType;
  /** Bytes per element in `raw_data` (fractional for 4-bit types), or `null` when not fixed-width (STRING). */
  readonly bytesPerElement: number | null;
  /** The typed field used instead of `raw_data`, or `null` when none is defined. */
  readonly field: TypedField | null;
  /** Values in the typed field per element (2 for complex numbers). */
  readonly valuesPerElement: number;
}

const type = (name: string, dtype: DType, bytesPerElement: number | null, field: TypedField | null, valuesPerElement = 1): OnnxDataType => ({
  name,
  dtype,
  bytesPerElement,
  field,
  valuesPerElement,
});

/** TensorProto.DataType values 1–23 (ONNX 1.17); 0 is UNDEFINED. */
const DATA_TYPES: ReadonlyMap<number, OnnxDataType> = new Map([
  [1, type('FLOAT', 'F32', 4, 'float_data')],
  [2, type('UINT8', 'U8', 1, 'int32_data')],
  [3, type('INT8', 'I8', 1, 'int32_data')],
  [4, type('UINT16', 'U16', 2, 'int32_data')],
  [5, type('INT16', 'I16', 2, 'int32_data')],
  [6, type('INT32', 'I32', 4, 'int32_data')],
  [7, type('INT64', 'I64', 8, 'int64_data')],
  [8, type('STRING', 'UNKNOWN', null, 'string_data')],
  [9, type('BOOL', 'BOOL', 1, 'int32_data')],
  [10, type('FLOAT16', 'F16', 2, 'int32_data')],
  [11, type('DOUBLE', 'F64', 8, 'double_data')],
  [12, type('UINT32', 'U32', 4, 'uint64_data')],
  [13, type('UINT64', 'U64', 8, 'uint64_data')],
  [14, type('COMPLEX64', 'UNKNOWN', 8, 'float_data', 2)],
  [15, type('COMPLEX128', 'UNKNOWN', 16, 'double_data', 2)],
  [16, type('BFLOAT16', 'BF16', 2, 'int32_data')],
  [17, type('FLOAT8E4M3FN', 'F8_E4M3', 1, 'int32_data')],
  [18, type('FLOAT8E4M3FNUZ', 'UNKNOWN', 1, 'int32_data')],
  [19, type('FLOAT8E5M2', 'F8_E5M2', 1, 'int32_data')],
  [20, type('FLOAT8E5M2FNUZ', 'UNKNOWN', 1, 'int32_data')],
  [21, type('UINT4', 'UNKNOWN', 0.5, 'int32_data')],
  [22, type('INT4', 'UNKNOWN', 0.5, 'int32_data')],
  [23, type('FLOAT4E2M1', 'UNKNOWN', 0.5, 'int32_data')],
]);

/** The data type with enum value `code`; unknown values (0 = UNDEFINED, future types) get a `data_type N` entry. */
export function onnxDataType(code: number): OnnxDataType {
  return DATA_TYPES.get(code) ?? type(code === 0 ? 'UNDEFINED' : `data_type ${code}`, 'UNKNOWN', null, null);
}
