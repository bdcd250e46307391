/** A small model description for store tests: tensors of one safetensors file, no bytes behind them. */
import type { ModelInfo, TensorInfo } from '../../model/types';

export const testTensor = (name: string, shape: number[], kind: TensorInfo['kind'] = 'dense'): TensorInfo => ({
  name,
  dtype: 'F32',
  shape,
  size: shape.reduce((a, b) => a * b, 1),
  kind,
  file: 'm.safetensors',
  byteLength: 4 * shape.reduce((a, b) => a * b, 1),
});

export const testModel = (tensors: TensorInfo[]): ModelInfo => ({
  format: 'safetensors',
  name: 'm.safetensors',
  files: [{ name: 'm.safetensors', size: 100 }],
  metadata: {},
  tensors,
});
