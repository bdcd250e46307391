import type { TensorKind } from '../model/types';

/**
 * What a tensor is, from its rank alone (SCIENCE.md §1): 2-D a dense weight matrix, 4-D a conv kernel,
 * 3-D a stack of matrices (e.g. fused attention heads or experts), 1-D a bias or norm scale, 0-D a scalar.
 * Any other rank is `other` (listed, not analysed).
 */
export function tensorKind(shape: readonly number[]): TensorKind {
  switch (shape.length) {
    case 0:
      return 'scalar';
    case 1:
      return 'vector';
    case 2:
      return 'dense';
    case 3:
      return 'stack';
    case 4:
      return 'conv2d';
    default:
      return 'other';
  }
}
