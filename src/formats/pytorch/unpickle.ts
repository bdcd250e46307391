/**
 * A pickle virtual machine that never executes anything (Python's `pickletools` documents each opcode;
 * PEP 307 protocol 2, PEP 3154 protocol 4, PEP 574 protocol 5). It implements the opcodes `torch.save`
 * emits (protocol 2 by default, any protocol up to 5 on request) and builds inert values (pickleValue.ts).
 * GLOBAL / STACK_GLOBAL resolve through the allow-list (torchGlobals.ts), which refuses everything else;
 * REDUCE / NEWOBJ / INST / OBJ only ever call the allow-list's pure constructors; BINPERSID turns
 * `('storage', type, key, location, numel)` into a storage reference. Stack, mark depth, memo and item
 * counts are capped (pickleStack.ts), so hostile pickles end in a FormatError, not in exhausted memory.
 */
import { FormatError } from '../formatError';
import { PickleInput } from './pickleInput';
import { OP } from './pickleOpcodes';
import { PICKLE_LIMITS, PickleStack } from './pickleStack';
import type { PyValue, StorageRef } from './pickleValue';
import { describeValue, isKind } from './pickleValue';
import type { GlobalContext } from './torchGlobals';
import { resolveGlobal } from './torchGlobals';

export { PICKLE_LIMITS } from './pickleStack';

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

class Machine {
  private readonly input: PickleInput;
  private readonly s: PickleStack;

  constructor(
    data: Uint8Array,
    private readonly context: GlobalContext,
  ) {
    this.input = new PickleInput(data, context.file);
    this.s = new PickleStack(this.input);
  }

  private bad(message: string): FormatError {
    return this.input.bad(message);
  }

  /** LONG1 / LONG4: little-endian two's complement; a number when safe, else a bigint. */
  private long(bytes: Uint8Array): number | bigint {
    if (bytes.length > PICKLE_LIMITS.longBytes) throw this.bad(`an integer is ${bytes.length} bytes long`);
    if (bytes.length === 0) return 0;
    let value = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
    if ((bytes[bytes.length - 1] as number) & 0x80) value -= 1n << BigInt(8 * bytes.length);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  /** A protocol-0 decimal argument (INT, PUT, GET). */
  private decimal(text: string, what: string): number {
    if (!/^-?\d{1,15}$/.test(text)) throw this.bad(`${what} ${JSON.stringify(text.slice(0, 20))} is not a number`);
    return Number(text);
  }

  /** REDUCE / NEWOBJ / INST / OBJ: only allow-listed pure constructors. */
  private call(callable: PyValue, args: PyValue, op: string): PyValue {
    if (!isKind(callable, 'global')) throw this.bad(`${op} calls ${describeValue(callable)}, which is not a global`);
    if (!isKind(args, 'tuple')) throw this.bad(`${op} got arguments ${describeValue(args)}, not a tuple`);
    if (!callable.call) throw this.bad(`${op} calls ${callable.qualifiedName}, which is not a constructor`);
    return callable.call(args.items);
  }

  /** BUILD: a dict's state becomes its attributes (a state_dict's `_metadata`), an object's its state. */
  private build(target: PyValue, state: PyValue): void {
    if (isKind(target, 'dict')) target.attributes = state;
    else if (isKind(target, 'object')) target.state = state;
    // BUILD on tensors (parameter state) or other values sets Python attributes, which carry no weights here.
  }

  /** BINPERSID: torch's `('storage', storage_type, key, location, numel)`. */
  private persistent(pid: PyValue): StorageRef {
    const [tag, type, key, location, numel] = isKind(pid, 'tuple') ? pid.items : [];
    const element = isKind(type, 'global') ? type.element : undefined;
    if (tag !== 'storage' || element === undefined || (typeof key !== 'string' && typeof key !== 'number') || typeof numel !== 'number') {
      throw this.bad(`a persistent id is ${describeValue(pid)}, not ('storage', type, key, location, numel)`);
    }
    return { kind: 'storage', element, key: String(key), location: typeof location === 'string' ? location : '', numel };
  }

  private global(module: string, name: string): void {
    this.s.push(resolveGlobal(module, name, this.context));
  }

  /** Run one opcode; returns the result at STOP, else undefined. */
  private step(op: number): PyValue | undefined {
    const { input, s } = this;
    switch (op) {
      case OP.PROTO: {
        const version = input.u8();
        if (version > 5) {
          throw new FormatError('UNSUPPORTED_VERSION', `The pickle in "${this.context.file}" uses protocol ${version}; protocols up to 5 are read.`, { file: this.context.file });
        }
        return undefined;
      }
      case OP.FRAME:
        input.u64();
        return undefined;
      case OP.STOP:
        return s.pop();
      case OP.MARK:
        s.mark();
        return undefined;
      case OP.POP:
        s.popOrMark();
        return undefined;
      case OP.POP_MARK:
        s.popMark();
        return undefined;
      case OP.DUP:
        s.push(s.top());
        return undefined;
      case OP.NONE:
      case OP.NEWTRUE:
      case OP.NEWFALSE:
        s.push(op === OP.NONE ? null : op === OP.NEWTRUE);
        return undefined;
      case OP.BININT:
      case OP.BININT1:
      case OP.BININT2:
        s.push(op === OP.BININT ? input.i32() : op === OP.BININT1 ? input.u8() : input.u16());
        return undefined;
      case OP.LONG1:
        s.push(this.long(input.bytes(input.u8())));
        return undefined;
      case OP.LONG4:
        s.push(this.long(input.bytes(input.i32())));
        return undefined;
      case OP.INT: {
        const text = input.line();
        s.push(text === '00' ? false : text === '01' ? true : this.decimal(text, 'INT'));
        return undefined;
      }
      case OP.BINFLOAT:
        s.push(input.f64());
        return undefined;
      case OP.SHORT_BINUNICODE:
        s.push(utf8.decode(input.bytes(input.u8())));
        return undefined;
      case OP.BINUNICODE:
        s.push(utf8.decode(input.bytes(input.u32())));
        return undefined;
      case OP.BINUNICODE8:
        s.push(utf8.decode(input.bytes(input.u64())));
        return undefined;
      case OP.SHORT_BINSTRING:
        s.push(latin1.decode(input.bytes(input.u8())));
        return undefined;
      case OP.BINSTRING:
        s.push(latin1.decode(input.bytes(input.i32())));
        return undefined;
      case OP.SHORT_BINBYTES:
        s.push(input.bytes(input.u8()).slice());
        return undefined;
      case OP.BINBYTES:
        s.push(input.bytes(input.u32()).slice());
        return undefined;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        s.push(input.bytes(input.u64()).slice());
        return undefined;
      case OP.EMPTY_DICT:
        s.push({ kind: 'dict', items: new Map() });
        return undefined;
      case OP.EMPTY_LIST:
        s.push({ kind: 'list', items: [] });
        return undefined;
      case OP.EMPTY_TUPLE:
        s.push({ kind: 'tuple', items: [] });
        return undefined;
      case OP.EMPTY_SET:
        s.push({ kind: 'set', items: [] });
        return undefined;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3:
        s.push({ kind: 'tuple', items: s.popN(op - OP.TUPLE1 + 1) });
        return undefined;
      case OP.TUPLE:
        s.push({ kind: 'tuple', items: s.popMark() });
        return undefined;
      case OP.LIST:
        s.push({ kind: 'list', items: s.popMark() });
        return undefined;
      case OP.FROZENSET:
        s.push({ kind: 'set', items: s.popMark() });
        return undefined;
      case OP.DICT: {
        const dict: PyValue = { kind: 'dict', items: new Map() };
        s.setItems(dict, s.popMark());
        s.push(dict);
        return undefined;
      }
      case OP.APPEND: {
        const [value] = s.popN(1);
        s.append(s.top(), [value as PyValue], 'APPEND');
        return undefined;
      }
      case OP.APPENDS:
      case OP.ADDITEMS: {
        const values = s.popMark();
        s.append(s.top(), values, op === OP.APPENDS ? 'APPENDS' : 'ADDITEMS');
        return undefined;
      }
      case OP.SETITEM: {
        const pair = s.popN(2);
        s.setItems(s.top(), pair);
        return undefined;
      }
      case OP.SETITEMS: {
        const pairs = s.popMark();
        s.setItems(s.top(), pairs);
        return undefined;
      }
      case OP.BINPUT:
        s.memoize(input.u8());
        return undefined;
      case OP.LONG_BINPUT:
        s.memoize(input.u32());
        return undefined;
      case OP.PUT:
        s.memoize(this.decimal(input.line(), 'memo index'));
        return undefined;
      case OP.MEMOIZE:
        s.memoize();
        return undefined;
      case OP.BINGET:
        s.recall(input.u8());
        return undefined;
      case OP.LONG_BINGET:
        s.recall(input.u32());
        return undefined;
      case OP.GET:
        s.recall(this.decimal(input.line(), 'memo index'));
        return undefined;
      case OP.GLOBAL: {
        const module = input.line();
        this.global(module, input.line());
        return undefined;
      }
      case OP.STACK_GLOBAL: {
        const [module, name] = s.popN(2);
        if (typeof module !== 'string' || typeof name !== 'string') throw this.bad('STACK_GLOBAL needs two strings');
        this.global(module, name);
        return undefined;
      }
      case OP.INST: {
        const module = input.line();
        const callable = resolveGlobal(module, input.line(), this.context);
        s.push(this.call(callable, { kind: 'tuple', items: s.popMark() }, 'INST'));
        return undefined;
      }
      case OP.OBJ: {
        const [callable, ...args] = s.popMark();
        s.push(this.call(callable ?? null, { kind: 'tuple', items: args }, 'OBJ'));
        return undefined;
      }
      case OP.REDUCE:
      case OP.NEWOBJ: {
        const [callable, args] = s.popN(2);
        s.push(this.call(callable as PyValue, args as PyValue, op === OP.REDUCE ? 'REDUCE' : 'NEWOBJ'));
        return undefined;
      }
      case OP.NEWOBJ_EX: {
        const [callable, args] = s.popN(3);
        s.push(this.call(callable as PyValue, args as PyValue, 'NEWOBJ_EX'));
        return undefined;
      }
      case OP.BUILD: {
        const state = s.pop();
        this.build(s.top(), state);
        return undefined;
      }
      case OP.BINPERSID:
        s.push(this.persistent(s.pop()));
        return undefined;
      default:
        throw this.bad(`opcode 0x${op.toString(16).padStart(2, '0')} is not one this reader supports`);
    }
  }

  run(): PyValue {
    for (;;) {
      const result = this.step(this.input.u8());
      if (result !== undefined) return result;
    }
  }
}

/**
 * Unpickle `data` without executing anything.
 *
 * @param data the whole pickle (e.g. a checkpoint's `data.pkl`)
 * @param context the file (named in errors) and whether TorchScript globals are allowed
 * @returns the pickled value, with tensors as `TensorValue`s referring to storages by key
 * @throws FormatError `PICKLE_FORBIDDEN` (a global outside the allow-list), `BAD_PICKLE` (damaged or
 *   unsupported opcodes), `UNSUPPORTED_VERSION` (protocol > 5), `TOO_LARGE` (a cap exceeded)
 */
export function unpickle(data: Uint8Array, context: GlobalContext): PyValue {
  return new Machine(data, context).run();
}
