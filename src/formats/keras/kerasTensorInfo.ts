/**
 * The TensorInfo of a Keras weight: dtype from the HDF5 datatype, shape, kind, and the conv layout.
 *
 * Keras stores every convolution kernel as `kernel_size + (in, out)` whatever `data_format` says
 * (keras.layers.Conv2D `build`): a 4-D kernel is H×W×I×O, i.e. HWIO. `DepthwiseConv2D` kernels (and the
 * `depthwise_kernel` of `SeparableConv2D`) are H×W×I×multiplier: they have no c_out × c_in matrix per kernel
 * position, so they are kind `other` and not analysed (WeightWatcher skips them too, and so does the TF.js
 * reader); `Conv2DTranspose` kernels are H×W×O×I, reported as HWIO because each H, W slice is then
 * analysed transposed, which leaves its singular values unchanged. The layout source is `file` when the
 * model config names a conv layer as the owner, `convention` otherwise.
 */
import type { DType, TensorInfo } from '../../model/types';
import { shapeSize } from '../../model/types';
import { unsupportedDtypeReason } from '../dtype';
import { FormatError } from '../formatError';
import { tensorKind } from '../tensorKind';
import type { Hdf5Dataset } from './hdf5Snapshot';
import { MAX_DATASET_BYTES } from './hdf5Snapshot';
import type { KerasSource, KerasWeight } from './kerasWeights';

/** Keras layer classes whose 4-D weights are convolution kernels in HWIO order (aliases included). */
const CONV_CLASSES = new Set([
  'Conv2D',
  'Convolution2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'SeparableConvolution2D',
  'Conv2DTranspose',
  'Convolution2DTranspose',
  'Deconvolution2D',
]);

/** The DType of a dataset, and why it cannot be analysed when it cannot. */
export function kerasDtype(dataset: Hdf5Dataset): { dtype: DType; unsupported?: string } {
  const { typeClass, elementBytes: size } = dataset;
  // Keras 3 (saving_lib.H5Entry) stores bfloat16 variables as 16-bit data tagged with a `dtype` attribute.
  if (dataset.attributes.dtype === 'bfloat16' && size === 2 && (typeClass === 'opaque' || typeClass === 'integer')) return { dtype: 'BF16' };
  if (typeClass === 'float') {
    const dtype = ({ 2: 'F16', 4: 'F32', 8: 'F64' } as const)[size as 2 | 4 | 8];
    return dtype ? { dtype } : { dtype: 'UNKNOWN', unsupported: `HDF5 ${8 * size}-bit floats are not supported for analysis` };
  }
  if (typeClass === 'integer' && [1, 2, 4, 8].includes(size)) {
    const dtype = `${dataset.signed ? 'I' : 'U'}${8 * size}` as DType;
    return { dtype, unsupported: unsupportedDtypeReason(dtype) };
  }
  // h5py stores NumPy booleans as a 1-byte enum {FALSE, TRUE}.
  if (typeClass === 'enum' && size === 1) return { dtype: 'BOOL', unsupported: unsupportedDtypeReason('BOOL') };
  return { dtype: 'UNKNOWN', unsupported: `HDF5 ${typeClass} data (${size}-byte elements) is not a numeric weight` };
}

/**
 * The description of one weight.
 *
 * @throws FormatError `BAD_HDF5` when the dataset's shape is not a list of safe non-negative integers or its
 *   byte size is not a safe integer (a damaged dataspace)
 */
export function kerasTensorInfo(weight: KerasWeight, source: KerasSource): TensorInfo {
  const { dataset, layerClass } = weight;
  const shape = dataset.shape ?? [];
  const size = shapeSize(shape);
  const byteLength = size * dataset.elementBytes;
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(byteLength)) {
    throw new FormatError('BAD_HDF5', `${source.where} is damaged: dataset ${dataset.path} has an impossible shape [${shape.join(', ')}].`, {
      file: source.file,
    });
  }
  const { dtype, unsupported: dtypeReason } = kerasDtype(dataset);
  const depthwise = shape.length === 4 && (layerClass === 'DepthwiseConv2D' || /depthwise/i.test(weight.name));
  const kind = depthwise ? 'other' : tensorKind(shape);
  const unsupported =
    dataset.shape === null
      ? 'empty HDF5 dataspace (no values)'
      : (dtypeReason ??
        (byteLength > MAX_DATASET_BYTES ? `${byteLength} bytes is more than this reader loads per tensor (${MAX_DATASET_BYTES} bytes)` : undefined));
  const conv = kind === 'conv2d' ? { layout: 'HWIO' as const, layoutSource: layerClass && CONV_CLASSES.has(layerClass) ? ('file' as const) : ('convention' as const) } : {};
  return {
    name: weight.name,
    dtype,
    shape,
    size,
    kind,
    ...conv,
    file: source.file,
    byteLength,
    ...(unsupported ? { unsupported } : {}),
    ...(layerClass ? { op: layerClass } : {}),
  };
}
