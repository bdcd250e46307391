/**
 * One found ONNX tensor as a lazy {@link TensorRef}: dtype, shape and kind from its TensorProto, layout and op
 * from the node that uses it (onnxWeightUses.ts), and a `read()` that decodes only its own values.
 */
import type { ConvLayout, LayoutSource, NamedBlob, TensorKind, TensorRef } from '../../model/types';
import { isFloatDType, unsupportedDtypeReason } from '../dtype';
import { FormatError } from '../formatError';
import { tensorKind } from '../tensorKind';
import type { NamedTensor } from './collectOnnxTensors';
import { int64ToNumber } from './decodeOnnxModel';
import { onnxDataType } from './onnxDataType';
import type { Int64 } from './onnxSchema';
import type { TensorContext, TensorData } from './onnxTensorData';
import { dataByteLength, decodeTensorData, locateTensorData, tensorShape } from './onnxTensorData';
import type { WeightUse } from './onnxWeightUses';

/** Why a tensor is listed but not read, and the error its `read()` gives. */
interface Unsupported {
  readonly reason: string;
  readonly code: 'UNSUPPORTED_DTYPE' | 'UNSUPPORTED_FEATURE';
}

/** The kind of a tensor: by rank, except that a conv op's kernel that is not 4-D (Conv1d, Conv3d) has no matrix definition here. */
function kindOf(shape: readonly number[], use: WeightUse | null): TensorKind {
  const kind = tensorKind(shape);
  return use?.convKernel && kind !== 'conv2d' ? 'other' : kind;
}

/** Layout fields for a 4-D tensor: from the op when it says, else ONNX's own convention (OIHW). */
function layoutOf(kind: TensorKind, use: WeightUse | null): { layout?: ConvLayout; layoutSource?: LayoutSource } {
  if (kind !== 'conv2d') return {};
  return use?.layout ? { layout: use.layout, layoutSource: 'file' } : { layout: 'OIHW', layoutSource: 'convention' };
}

/** dtype code, dims and checks of a found tensor, by its kind. */
function describe(found: NamedTensor): { dataType: number; dims: readonly Int64[]; unsupported: Unsupported | null } {
  if (found.kind === 'sparse') {
    return {
      dataType: found.sparse.values?.data_type ?? 0,
      dims: found.sparse.dims,
      unsupported: { reason: 'sparse tensors (SparseTensorProto) are not supported for analysis', code: 'UNSUPPORTED_FEATURE' },
    };
  }
  if (found.kind === 'inline') return { dataType: found.dataType, dims: found.dims, unsupported: null };
  const segment = found.tensor.segment;
  const unsupported: Unsupported | null = segment
    ? { reason: `segmented tensors (TensorProto.segment [${int64ToNumber(segment.begin)}, ${int64ToNumber(segment.end)})) are not supported`, code: 'UNSUPPORTED_FEATURE' }
    : null;
  return { dataType: found.tensor.data_type, dims: found.tensor.dims, unsupported };
}

/**
 * Build the TensorRef of one found tensor. Float tensors (FLOAT, FLOAT16, BFLOAT16, DOUBLE) have their data
 * located and its size checked now; everything else is listed with `unsupported` set and a `read()` that
 * rejects with `UNSUPPORTED_DTYPE` (integers, strings, FP8, …) or `UNSUPPORTED_FEATURE` (sparse, segmented).
 *
 * @param found the tensor and its names
 * @param use the op that uses it, if any
 * @param modelFile the `.onnx` file name
 * @param files every dropped file, for external data
 * @throws FormatError from `tensorShape` and `locateTensorData`
 */
export function onnxTensorRef(found: NamedTensor, use: WeightUse | null, modelFile: string, files: readonly NamedBlob[]): TensorRef {
  const { name } = found;
  const { dataType, dims, unsupported: feature } = describe(found);
  const type = onnxDataType(dataType);
  const { shape, size } = tensorShape(dims, name, modelFile);
  const ctx: TensorContext = { name, modelFile, type, size };
  const unsupported: Unsupported | null =
    feature ?? (isFloatDType(type.dtype) ? null : { reason: unsupportedDtypeReason(type.name), code: 'UNSUPPORTED_DTYPE' });
  let data: TensorData | null = null;
  let inline: readonly number[] | null = null;
  if (found.kind === 'tensor' && feature === null) data = locateTensorData(found.tensor, ctx, files);
  if (found.kind === 'inline') inline = found.values;
  const sparseBytes = found.kind === 'sparse' ? (found.sparse.values?.raw_data.length ?? 0) + (found.sparse.indices?.raw_data.length ?? 0) : 0;
  const width = type.bytesPerElement ?? 0;
  const kind = kindOf(shape, use);
  return {
    name,
    dtype: type.dtype,
    shape,
    size,
    kind,
    ...layoutOf(kind, use),
    file: data?.kind === 'external' ? data.at.file.name : modelFile,
    byteLength: found.kind === 'inline' ? size * width : found.kind === 'sparse' ? sparseBytes : dataByteLength(data),
    ...(unsupported ? { unsupported: unsupported.reason } : {}),
    ...(use ? { op: use.op } : {}),
    ...(use?.node ? { node: use.node } : {}),
    async read() {
      if (unsupported) {
        throw new FormatError(unsupported.code, `Tensor "${name}" in "${modelFile}" cannot be read: ${unsupported.reason}.`, { file: modelFile });
      }
      if (inline) return Float32Array.from(inline);
      return decodeTensorData(data, ctx);
    },
  };
}
