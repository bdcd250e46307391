/**
 * The stack, mark stack and memo of the safe unpickler (CPython Lib/pickle.py `_Unpickler`: `stack`,
 * `metastack`, `memo`), with caps on stack size, mark depth, memo entries and items placed in containers,
 * so that no pickle can grow them without bound.
 */
import { FormatError } from '../formatError';
import type { PickleInput } from './pickleInput';
import type { PyValue } from './pickleValue';
import { describeValue, dictKey, isKind } from './pickleValue';

/** Caps on what one pickle may build. */
export const PICKLE_LIMITS = { stack: 1_000_000, marks: 10_000, memo: 1_000_000, items: 5_000_000, longBytes: 1024 } as const;

export class PickleStack {
  private stack: PyValue[] = [];
  private readonly marks: PyValue[][] = [];
  private readonly memo = new Map<number, PyValue>();
  private items = 0;

  constructor(private readonly input: PickleInput) {}

  private tooMuch(what: string): FormatError {
    return new FormatError('TOO_LARGE', `The pickle in "${this.input.file}" builds ${what}; no model checkpoint does, so it is corrupt or hostile.`, {
      file: this.input.file,
      remedy: 'Do not open this file; save the weights again with torch.save(model.state_dict()) or as safetensors.',
    });
  }

  /** Values on the stack since the last MARK. */
  get length(): number {
    return this.stack.length;
  }
  push(value: PyValue): void {
    if (this.stack.length >= PICKLE_LIMITS.stack) throw this.tooMuch(`a stack of over ${PICKLE_LIMITS.stack} values`);
    this.stack.push(value);
  }
  pop(): PyValue {
    if (this.stack.length === 0) throw this.input.bad('an opcode pops from an empty stack');
    return this.stack.pop() as PyValue;
  }
  top(): PyValue {
    if (this.stack.length === 0) throw this.input.bad('an opcode needs a value on an empty stack');
    return this.stack[this.stack.length - 1] as PyValue;
  }
  /** The top `n` values, removed, in push order. */
  popN(n: number): PyValue[] {
    if (this.stack.length < n) throw this.input.bad(`an opcode needs ${n} values`);
    this.count(n);
    return this.stack.splice(this.stack.length - n, n);
  }
  mark(): void {
    if (this.marks.length >= PICKLE_LIMITS.marks) throw this.tooMuch(`more than ${PICKLE_LIMITS.marks} nested marks`);
    this.marks.push(this.stack);
    this.stack = [];
  }
  /** The values pushed since the last MARK, which is removed. */
  popMark(): PyValue[] {
    const below = this.marks.pop();
    if (!below) throw this.input.bad('an opcode needs a MARK, and there is none');
    const items = this.stack;
    this.stack = below;
    this.count(items.length);
    return items;
  }
  /** POP: the top value, or the whole top mark when nothing was pushed since it. */
  popOrMark(): void {
    if (this.stack.length > 0) this.stack.pop();
    else this.popMark();
  }
  /** Count values placed into containers. */
  count(n: number): void {
    this.items += n;
    if (this.items > PICKLE_LIMITS.items) throw this.tooMuch(`containers of over ${PICKLE_LIMITS.items} items`);
  }

  /** PUT / BINPUT / LONG_BINPUT (`index` given) and MEMOIZE (the next index). */
  memoize(index: number = this.memo.size): void {
    if (!this.memo.has(index) && this.memo.size >= PICKLE_LIMITS.memo) throw this.tooMuch(`a memo of over ${PICKLE_LIMITS.memo} values`);
    this.memo.set(index, this.top());
  }
  /** GET / BINGET / LONG_BINGET. */
  recall(index: number): void {
    const value = this.memo.get(index);
    if (value === undefined) throw this.input.bad(`it recalls memo entry ${index}, which was never stored`);
    this.push(value);
  }

  /** SETITEM(S) / DICT: key-value pairs into a dict, equal keys replacing each other in place. */
  setItems(target: PyValue, pairs: readonly PyValue[]): void {
    if (!isKind(target, 'dict')) throw this.input.bad(`SETITEM(S) on ${describeValue(target)}, which is not a dict`);
    if (pairs.length % 2 !== 0) throw this.input.bad('SETITEMS got an odd number of values');
    for (let i = 0; i < pairs.length; i += 2) {
      const key = pairs[i] as PyValue;
      const id = dictKey(key);
      const existing = target.items.get(id);
      target.items.set(id, [existing ? existing[0] : key, pairs[i + 1] as PyValue]);
    }
  }

  /** APPEND(S) / ADDITEMS: values onto a list or set. */
  append(target: PyValue, values: readonly PyValue[], op: string): void {
    if (!isKind(target, 'list') && !isKind(target, 'set')) throw this.input.bad(`${op} on ${describeValue(target)}, which is not a list`);
    for (const v of values) target.items.push(v);
  }
}
