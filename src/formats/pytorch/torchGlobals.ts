/**
 * The allow-list of globals a PyTorch checkpoint's pickle may name (GLOBAL / STACK_GLOBAL), each mapped to a
 * pure constructor of inert data (pickleValue.ts). Anything else is refused with `PICKLE_FORBIDDEN`, before
 * it could be called: this app never runs code from a model file. The list follows what `torch.save` writes
 * (torch/serialization.py `_save`, torch/_utils.py `_rebuild_*`, torch/_tensor.py `_rebuild_from_type_v2`)
 * and what `torch.load(weights_only=True)` accepts (torch/_weights_only_unpickler.py), minus anything that
 * could call code.
 */
import type { DType } from '../../model/types';
import { FormatError } from '../formatError';
import type { PyGlobal, PyValue, TorchElement } from './pickleValue';
import { describeValue, dictKey, isKind } from './pickleValue';
import { rebuildTensor } from './rebuildTensor';

/** What a global's constructor may need: the file (for errors) and whether this is a TorchScript archive. */
export interface GlobalContext {
  readonly file: string;
  readonly torchScript: boolean;
}

const element = (dtype: DType, torchName: string, itemSize: number): TorchElement => ({ dtype, torchName, itemSize });

/** Legacy typed storage classes (`torch.FloatStorage`, …), named in every storage's persistent id. */
const STORAGE_TYPES: Readonly<Record<string, TorchElement>> = {
  FloatStorage: element('F32', 'float32', 4),
  DoubleStorage: element('F64', 'float64', 8),
  HalfStorage: element('F16', 'float16', 2),
  BFloat16Storage: element('BF16', 'bfloat16', 2),
  LongStorage: element('I64', 'int64', 8),
  IntStorage: element('I32', 'int32', 4),
  ShortStorage: element('I16', 'int16', 2),
  CharStorage: element('I8', 'int8', 1),
  ByteStorage: element('U8', 'uint8', 1),
  BoolStorage: element('BOOL', 'bool', 1),
  ComplexFloatStorage: element('UNKNOWN', 'complex64', 8),
  ComplexDoubleStorage: element('UNKNOWN', 'complex128', 16),
  QInt8Storage: element('UNKNOWN', 'qint8', 1),
  QUInt8Storage: element('UNKNOWN', 'quint8', 1),
  QInt32Storage: element('UNKNOWN', 'qint32', 4),
  QUInt4x2Storage: element('UNKNOWN', 'quint4x2', 1),
  QUInt2x4Storage: element('UNKNOWN', 'quint2x4', 1),
  UntypedStorage: element('U8', 'uint8', 1),
  _UntypedStorage: element('U8', 'uint8', 1),
};

/** `torch.<dtype>` globals (a dtype pickles as its name). */
const DTYPES: Readonly<Record<string, TorchElement>> = {
  float32: element('F32', 'float32', 4),
  float: element('F32', 'float32', 4),
  float64: element('F64', 'float64', 8),
  double: element('F64', 'float64', 8),
  float16: element('F16', 'float16', 2),
  half: element('F16', 'float16', 2),
  bfloat16: element('BF16', 'bfloat16', 2),
  int64: element('I64', 'int64', 8),
  long: element('I64', 'int64', 8),
  int32: element('I32', 'int32', 4),
  int: element('I32', 'int32', 4),
  int16: element('I16', 'int16', 2),
  short: element('I16', 'int16', 2),
  int8: element('I8', 'int8', 1),
  uint8: element('U8', 'uint8', 1),
  uint16: element('U16', 'uint16', 2),
  uint32: element('U32', 'uint32', 4),
  uint64: element('U64', 'uint64', 8),
  bool: element('BOOL', 'bool', 1),
  float8_e4m3fn: element('F8_E4M3', 'float8_e4m3fn', 1),
  float8_e5m2: element('F8_E5M2', 'float8_e5m2', 1),
  complex64: element('UNKNOWN', 'complex64', 8),
  complex128: element('UNKNOWN', 'complex128', 16),
};

/** Tensor kinds torch can save but this app does not read; kept as opaque objects and reported as skipped. */
const UNSUPPORTED_REBUILDS = new Set([
  '_rebuild_qtensor',
  '_rebuild_sparse_tensor',
  '_rebuild_sparse_csr',
  '_rebuild_meta_tensor_no_storage',
  '_rebuild_wrapper_subclass',
  '_rebuild_nested_tensor',
  '_rebuild_device_tensor_from_numpy',
  '_rebuild_xla_tensor',
  '_rebuild_mtia_tensor',
]);

function badPickle(context: GlobalContext, message: string): FormatError {
  return new FormatError('BAD_PICKLE', `The pickle in "${context.file}" is damaged: ${message}.`, { file: context.file });
}

const opaque = (className: string) => (args: readonly PyValue[]): PyValue => ({ kind: 'object', className, args });
const first = (args: readonly PyValue[]): PyValue => args[0] ?? null;

/** The items of a list, tuple or set argument. */
function itemsOf(value: PyValue | undefined): PyValue[] {
  return isKind(value, 'tuple') || isKind(value, 'list') || isKind(value, 'set') ? value.items : [];
}

/** The pure constructors, by qualified name. */
function constructorFor(qualified: string, context: GlobalContext): ((args: readonly PyValue[]) => PyValue) | null {
  const [module, name] = [qualified.slice(0, qualified.lastIndexOf('.')), qualified.slice(qualified.lastIndexOf('.') + 1)];
  switch (qualified) {
    case 'collections.OrderedDict':
      return (args) => {
        const dict: PyValue = { kind: 'dict', items: new Map() };
        for (const pair of itemsOf(args[0])) {
          const [k, v] = itemsOf(pair);
          if (k !== undefined) dict.items.set(dictKey(k), [k, v ?? null]);
        }
        return dict;
      };
    case 'torch._utils._rebuild_tensor':
      return (args) => rebuildTensor(args, 'v1', context);
    case 'torch._utils._rebuild_tensor_v2':
      return (args) => rebuildTensor(args, 'v2', context);
    case 'torch._utils._rebuild_tensor_v3':
      return (args) => rebuildTensor(args, 'v3', context);
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state':
    case 'torch.nn.parameter.Parameter':
    case 'torch.jit._pickle.restore_type_tag':
      return first;
    case 'torch._tensor._rebuild_from_type_v2':
    case 'torch._tensor._rebuild_from_type':
      return (args) => {
        const [func, , inner] = args;
        // Its function must be a tensor rebuild, never itself: nesting it would recurse without bound.
        if (!isKind(func, 'global') || !func.call || !isKind(inner, 'tuple') || func.qualifiedName.startsWith('torch._tensor.')) {
          throw badPickle(context, `_rebuild_from_type got ${describeValue(func)}`);
        }
        return func.call(inner.items);
      };
    case 'torch.Size':
      return (args) => ({ kind: 'tuple', items: [...itemsOf(args[0])] });
    case 'torch.device':
      return (args) => args.map((a) => String(a)).join(':');
    case '_codecs.encode':
      return (args) => {
        const [text, encoding] = args;
        if (typeof text !== 'string') throw badPickle(context, `_codecs.encode got ${describeValue(text)}`);
        if (encoding === 'latin1' || encoding === 'latin-1') return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
        return new TextEncoder().encode(text);
      };
    case 'builtins.set':
    case 'builtins.frozenset':
    case '__builtin__.set':
    case '__builtin__.frozenset':
      return (args) => ({ kind: 'set', items: [...itemsOf(args[0])] });
    case 'numpy.core.multiarray.scalar':
    case 'numpy._core.multiarray.scalar':
    case 'numpy.dtype':
    case 'numpy.core.multiarray._reconstruct':
    case 'numpy._core.multiarray._reconstruct':
    case 'numpy.ndarray':
      return opaque(qualified);
  }
  if (module === 'torch._utils' && UNSUPPORTED_REBUILDS.has(name)) return opaque(qualified);
  if (context.torchScript && module === 'torch.jit._pickle' && name.startsWith('build_') && name.endsWith('list')) {
    return (args) => ({ kind: 'list', items: [...itemsOf(args[0])] });
  }
  if (context.torchScript && qualified.startsWith('__torch__.')) return opaque(qualified);
  return null;
}

/**
 * Resolve `module.name` against the allow-list.
 *
 * @throws FormatError `PICKLE_FORBIDDEN` naming the global, for anything not on the list (e.g. `os.system`,
 *   `builtins.eval`, `subprocess.Popen`, or a pickled `torch.nn.Module` class)
 */
export function resolveGlobal(module: string, name: string, context: GlobalContext): PyGlobal {
  const qualifiedName = `${module}.${name}`;
  if ((module === 'torch' || module === 'torch.cuda' || module === 'torch.storage') && Object.hasOwn(STORAGE_TYPES, name)) {
    return { kind: 'global', qualifiedName, element: STORAGE_TYPES[name] as TorchElement };
  }
  if (module === 'torch' && Object.hasOwn(DTYPES, name)) return { kind: 'global', qualifiedName, element: DTYPES[name] as TorchElement };
  if (qualifiedName === 'torch.Tensor') return { kind: 'global', qualifiedName };
  const call = constructorFor(qualifiedName, context);
  if (call) return { kind: 'global', qualifiedName, call };
  const isClass = /^[A-Z]/.test(name);
  throw new FormatError(
    'PICKLE_FORBIDDEN',
    `The pickle in "${context.file}" asks to call ${qualifiedName}; this app never runs code from a model file, so it does not open this one.`,
    {
      file: context.file,
      ...(isClass
        ? { remedy: `The file pickles whole Python objects (${qualifiedName}), not just weights: save model.state_dict() with torch.save, or convert to safetensors.` }
        : {}),
    },
  );
}
