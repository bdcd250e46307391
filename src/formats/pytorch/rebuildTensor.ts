/**
 * The pure stand-in for `torch._utils._rebuild_tensor{,_v2,_v3}` (torch/_utils.py): a view of a storage with
 * an offset, sizes and strides, all in elements. v1: `(storage, storage_offset, size, stride)`; v2 adds
 * `requires_grad, backward_hooks[, metadata]`; v3 adds `dtype` after the hooks (untyped storages whose
 * element type the tensor states).
 */
import { FormatError } from '../formatError';
import type { PyValue, TensorValue } from './pickleValue';
import { describeValue, isKind } from './pickleValue';

/** Highest rank accepted. */
export const MAX_TENSOR_RANK = 64;

/** The `file` of a pickle, for errors. */
interface Where {
  readonly file: string;
}

function bad(where: Where, message: string): FormatError {
  return new FormatError('BAD_PICKLE', `The pickle in "${where.file}" is damaged: ${message}.`, { file: where.file });
}

/** A tuple (or torch.Size, which unpickles as a tuple) of non-negative safe integers. */
function dims(value: PyValue | undefined, what: string, where: Where): number[] {
  if (!isKind(value, 'tuple') && !isKind(value, 'list')) throw bad(where, `a tensor's ${what} is ${describeValue(value)}, not a tuple`);
  if (value.items.length > MAX_TENSOR_RANK) throw bad(where, `a tensor has ${value.items.length} dimensions; at most ${MAX_TENSOR_RANK} are read`);
  return value.items.map((d) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw bad(where, `a tensor's ${what} ${describeValue(value)} is not made of non-negative integers`);
    return d;
  });
}

/**
 * Build a {@link TensorValue} from `_rebuild_tensor*` arguments.
 *
 * @throws FormatError `BAD_PICKLE` for arguments of the wrong kind or count
 */
export function rebuildTensor(args: readonly PyValue[], version: 'v1' | 'v2' | 'v3', where: Where): TensorValue {
  const [storage, offset, size, stride] = args;
  const minimum = version === 'v1' ? 4 : version === 'v2' ? 6 : 7;
  if (args.length < minimum || args.length > minimum + 1) throw bad(where, `_rebuild_tensor_${version} got ${args.length} arguments`);
  if (!isKind(storage, 'storage')) throw bad(where, `a tensor's storage is ${describeValue(storage)}`);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw bad(where, `a tensor's storage offset is ${describeValue(offset)}`);
  const shape = dims(size, 'size', where);
  const strides = dims(stride, 'stride', where);
  if (strides.length !== shape.length) throw bad(where, `a tensor has ${shape.length} sizes but ${strides.length} strides`);
  let element = storage.element;
  if (version === 'v3') {
    const dtype = args[6];
    if (!isKind(dtype, 'global') || dtype.element === undefined) throw bad(where, `a tensor's dtype is ${describeValue(dtype)}`);
    element = dtype.element;
  }
  return { kind: 'tensor', storage, element, storageOffset: offset, shape, stride: strides };
}
