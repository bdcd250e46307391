/**
 * The values the safe unpickler (unpickle.ts) builds: plain Python data, plus inert stand-ins for the few
 * PyTorch objects a checkpoint contains (storages, tensors, dtypes). Nothing here can run code: a "global"
 * is a name from the allow-list (torchGlobals.ts) with a pure constructor, never a Python callable.
 */
import type { DType } from '../../model/types';

/** A Python tuple. */
export interface PyTuple {
  readonly kind: 'tuple';
  readonly items: PyValue[];
}

/** A Python list (mutable while unpickling). */
export interface PyList {
  readonly kind: 'list';
  readonly items: PyValue[];
}

/** A Python set or frozenset, kept as a list of its items. */
export interface PySet {
  readonly kind: 'set';
  readonly items: PyValue[];
}

/** A Python dict (or OrderedDict): items by key in insertion order; `attributes` from BUILD (e.g. `_metadata`). */
export interface PyDict {
  readonly kind: 'dict';
  /** Keyed by {@link dictKey}, so that equal primitive keys replace each other as in Python. */
  readonly items: Map<unknown, readonly [PyValue, PyValue]>;
  attributes?: PyValue;
}

/** An allow-listed global (see torchGlobals.ts). */
export interface PyGlobal {
  readonly kind: 'global';
  /** `module.name`, e.g. `torch._utils._rebuild_tensor_v2`. */
  readonly qualifiedName: string;
  /** Pure constructor for REDUCE / NEWOBJ; absent for globals that are only tokens (dtypes, storage types). */
  readonly call?: (args: readonly PyValue[]) => PyValue;
  /** For storage types (`torch.FloatStorage`) and dtypes (`torch.float32`): the element type. */
  readonly element?: TorchElement;
}

/** An object whose class the app knows but does not model (TorchScript modules, numpy scalars): kept as data. */
export interface PyObject {
  readonly kind: 'object';
  readonly className: string;
  readonly args: readonly PyValue[];
  /** Set by BUILD. */
  state?: PyValue;
}

/** A PyTorch element type: the app's DType, the torch name and the size of one element. */
export interface TorchElement {
  readonly dtype: DType;
  /** torch's name, e.g. `float32`, `int64`, `complex64`. */
  readonly torchName: string;
  readonly itemSize: number;
}

/** A storage persisted outside the pickle (BINPERSID `('storage', type, key, location, numel)`). */
export interface StorageRef {
  readonly kind: 'storage';
  readonly element: TorchElement;
  /** The storage's file is `<archive>/data/<key>`. */
  readonly key: string;
  readonly location: string;
  readonly numel: number;
}

/** A tensor view of a storage (`torch._utils._rebuild_tensor_v2`). Sizes and strides in elements. */
export interface TensorValue {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly element: TorchElement;
  readonly storageOffset: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
}

/** Any value the unpickler builds. Bytes are `Uint8Array`s; integers beyond 2^53 are bigints. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyTuple
  | PyList
  | PySet
  | PyDict
  | PyGlobal
  | PyObject
  | StorageRef
  | TensorValue;

/** A value that is one of the tagged kinds. */
export type PyTagged = Exclude<PyValue, null | boolean | number | bigint | string | Uint8Array>;

/** Whether `value` is a tagged value of kind `kind`. */
export function isKind<K extends PyTagged['kind']>(value: PyValue | undefined, kind: K): value is Extract<PyTagged, { kind: K }> {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && value.kind === kind;
}

/**
 * The Map key of a dict key: primitives by value (Python: `1 == 1.0 == True` hash alike), anything else by
 * identity (it would be unhashable or compared by identity in Python too, except tuples, which are rare keys).
 */
export function dictKey(key: PyValue): unknown {
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'boolean') return `n${key ? 1 : 0}`;
  if (typeof key === 'number' || typeof key === 'bigint') return `n${key}`;
  if (key === null) return 'None';
  return key;
}

/** A short Python-like rendering for messages (bounded in depth and length). */
export function describeValue(value: PyValue | undefined, depth = 0): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value !== 'object') return String(value);
  if (value instanceof Uint8Array) return `bytes(${value.length})`;
  if (depth > 2) return '…';
  switch (value.kind) {
    case 'tuple':
    case 'list':
    case 'set': {
      const shown = value.items.slice(0, 6).map((v) => describeValue(v, depth + 1));
      const open = value.kind === 'list' ? '[' : value.kind === 'set' ? '{' : '(';
      const close = value.kind === 'list' ? ']' : value.kind === 'set' ? '}' : ')';
      return `${open}${shown.join(', ')}${value.items.length > 6 ? ', …' : ''}${close}`;
    }
    case 'dict':
      return `dict(${value.items.size} items)`;
    case 'global':
      return value.qualifiedName;
    case 'object':
      return `${value.className}(…)`;
    case 'storage':
      return `storage ${value.key} (${value.element.torchName})`;
    case 'tensor':
      return `tensor ${value.element.torchName}[${value.shape.join(', ')}]`;
  }
}
