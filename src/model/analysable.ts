import type { TensorInfo } from './types';
import { FLOAT_DTYPES } from './types';

/**
 * Why a tensor is not analysed, or `null` when it is. SCIENCE.md §1: 2-D, 3-D (stacks) and 4-D conv
 * kernels give matrices; 1-D (bias, norm scale) and scalars are listed but not analysed. LoRA factors
 * (A, B, kohya alpha, DoRA magnitude) are analysed through the virtual B·A tensor they form (loraModel.ts).
 */
export function notAnalysedReason(t: TensorInfo): string | null {
  if (t.loraFactorOf !== undefined) return `LoRA factor: analysed as part of the update "${t.loraFactorOf}" (ΔW = scale·B·A)`;
  if (t.unsupported) return t.unsupported;
  if (!FLOAT_DTYPES.includes(t.dtype)) return `dtype ${t.dtype} is not a float type`;
  if (t.kind === 'vector') return '1-D (bias or scale): no matrix to analyse';
  if (t.kind === 'scalar') return 'scalar: no matrix to analyse';
  if (t.kind === 'other') return `${t.shape.length}-D tensor: no matrix definition`;
  if (t.size === 0) return 'empty tensor';
  return null;
}

/** Names of the tensors a scan analyses, in model order. */
export function analysableTensorNames(tensors: readonly TensorInfo[]): string[] {
  return tensors.filter((t) => notAnalysedReason(t) === null).map((t) => t.name);
}

/**
 * Whether a tensor has one matrix a rank-k truncation can replace (the low-rank export): an analysed dense or conv2d
 * weight, not a LoRA factor and not the virtual B·A update of an adapter (it has no bytes of its own to replace).
 */
export function isTruncatable(t: TensorInfo): boolean {
  return (t.kind === 'dense' || t.kind === 'conv2d') && notAnalysedReason(t) === null && t.lowRank === undefined;
}
