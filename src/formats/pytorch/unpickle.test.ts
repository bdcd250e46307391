import { describe, expect, it } from 'vitest';
import { FormatError } from '../formatError';
import { PickleWriter } from '../testing/writePickle';
import { collectTorchTensors, MAX_NESTING } from './collectTorchTensors';
import type { PyValue } from './pickleValue';
import { isKind } from './pickleValue';
import { PICKLE_LIMITS, unpickle } from './unpickle';

const context = { file: 'x.pt', torchScript: false };
const run = (w: PickleWriter, torchScript = false) => unpickle(w.bytes(), { file: 'x.pt', torchScript });

function failure(f: () => unknown): FormatError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return error as FormatError;
  }
  throw new Error('expected a FormatError');
}

/** The plain JS form of a value, for comparisons. */
function plain(value: PyValue): unknown {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  if (value.kind === 'dict') return Object.fromEntries([...value.items.values()].map(([k, v]) => [String(k), plain(v)]));
  if (value.kind === 'tuple' || value.kind === 'list' || value.kind === 'set') return { [value.kind]: value.items.map(plain) };
  return value.kind;
}

describe('unpickle: plain data', () => {
  it('reads the protocol-2 opcodes torch.save uses', () => {
    const w = new PickleWriter().proto(2).emptyDict().put(0).mark();
    w.str('ints').mark().int(7).int(300).int(-5).int(2 ** 40).int(-(2n ** 70n)).list().put(1);
    w.str('misc').mark().none().bool(true).bool(false).float(0.25).tuple().put(2);
    w.str('short').str('a').str('b').tuple2();
    w.str('bytes').binBytes(Uint8Array.from([1, 2]));
    w.str('again').get(1);
    w.setitems().stop();
    expect(plain(run(w))).toEqual({
      ints: { list: [7, 300, -5, 2 ** 40, -(2n ** 70n)] },
      misc: { tuple: [null, true, false, 0.25] },
      short: { tuple: ['a', 'b'] },
      bytes: Uint8Array.from([1, 2]),
      again: { list: [7, 300, -5, 2 ** 40, -(2n ** 70n)] },
    });
  });

  it('reads protocol-4 framing, short strings, MEMOIZE and STACK_GLOBAL', () => {
    const w = new PickleWriter().proto(4).frame(40).stackGlobal('collections', 'OrderedDict').memoize().emptyTuple().reduce().memoize();
    w.str('k', true).memoize().emptyList().memoize().mark().int(1).int(2).appends().setitem().stop();
    expect(plain(run(w))).toEqual({ k: { list: [1, 2] } });
  });

  it('keeps BUILD state of a dict as attributes, not items (a state_dict\'s _metadata)', () => {
    const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().str('a').int(1).setitem();
    w.emptyDict().str('_metadata').emptyDict().setitem().build().stop();
    const value = run(w);
    expect(plain(value)).toEqual({ a: 1 });
    expect(isKind(value, 'dict') && value.attributes !== undefined).toBe(true);
  });

  it('replaces equal keys in place, as a Python dict does', () => {
    const w = new PickleWriter().proto(2).emptyDict().mark().int(1).str('a').str('x').int(2).int(1).str('b').setitems().stop();
    expect(plain(run(w))).toEqual({ 1: 'b', x: 2 });
  });
});

describe('unpickle: refuses code', () => {
  it.each([
    ['os.system via GLOBAL + REDUCE', new PickleWriter().proto(2).global('os', 'system').str('echo pwned').tuple1().reduce().stop(), 'os.system'],
    ['posix.system', new PickleWriter().proto(2).global('posix', 'system').str('id').tuple1().reduce().stop(), 'posix.system'],
    ['builtins.eval via STACK_GLOBAL', new PickleWriter().proto(4).stackGlobal('builtins', 'eval').str('1+1').tuple1().reduce().stop(), 'builtins.eval'],
    ['subprocess.Popen via NEWOBJ', new PickleWriter().proto(2).global('subprocess', 'Popen').str('ls').tuple1().newobj().stop(), 'subprocess.Popen'],
    ['builtins.getattr', new PickleWriter().proto(2).global('builtins', 'getattr').stop(), 'builtins.getattr'],
    ['a global that is never called', new PickleWriter().proto(2).global('shutil', 'rmtree').pop().none().stop(), 'shutil.rmtree'],
    ['torch.load itself', new PickleWriter().proto(2).global('torch', 'load').stop(), 'torch.load'],
  ])('PICKLE_FORBIDDEN for %s, naming the global', (_label, w, name) => {
    const e = failure(() => run(w));
    expect(e.code).toBe('PICKLE_FORBIDDEN');
    expect(e.message).toContain(`asks to call ${name}`);
    expect(e.message).toContain('never runs code');
  });

  it('suggests state_dict for a pickled module class, and allows TorchScript classes only in TorchScript archives', () => {
    const module = new PickleWriter().proto(2).global('torch.nn.modules.conv', 'Conv2d').emptyTuple().newobj().stop();
    expect(failure(() => run(module)).remedy).toContain('state_dict');
    const script = new PickleWriter().proto(2).global('__torch__', 'Net').emptyTuple().newobj().emptyDict().str('training').bool(true).setitem().build().stop();
    expect(failure(() => run(script)).code).toBe('PICKLE_FORBIDDEN');
    expect(run(script, true)).toMatchObject({ kind: 'object', className: '__torch__.Net' });
  });
});

describe('unpickle: damaged and hostile pickles', () => {
  it.each([
    ['an empty pickle', new PickleWriter(), /ends inside/],
    ['no STOP', new PickleWriter().proto(2).none(), /ends inside/],
    ['a string longer than the data', new PickleWriter().proto(2).raw([0x58, 0xff, 0xff, 0xff, 0x7f]).stop(), /ends inside/],
    ['BINUNICODE8 of 2^60 bytes', new PickleWriter().proto(4).raw([0x8d, 0, 0, 0, 0, 0, 0, 0, 0x10]).stop(), /ends inside/],
    ['an unknown opcode', new PickleWriter().proto(2).raw([0xff]).stop(), /opcode 0xff/],
    ['an unsupported opcode (EXT1)', new PickleWriter().proto(2).raw([0x82, 1]).stop(), /opcode 0x82/],
    ['a missing memo entry', new PickleWriter().proto(2).get(9).stop(), /memo entry 9/],
    ['a pop from an empty stack', new PickleWriter().proto(2).stop(), /empty stack/],
    ['SETITEMS without MARK', new PickleWriter().proto(2).emptyDict().setitems().stop(), /MARK/],
    ['SETITEM on a list', new PickleWriter().proto(2).emptyList().int(1).int(2).setitem().stop(), /not a dict/],
    ['REDUCE on a string', new PickleWriter().proto(2).str('os.system').emptyTuple().reduce().stop(), /not a global/],
    ['a dtype called like a function', new PickleWriter().proto(2).global('torch', 'float32').emptyTuple().reduce().stop(), /not a constructor/],
    ['a bad persistent id', new PickleWriter().proto(2).str('storage').binpersid().stop(), /persistent id/],
    ['a huge LONG4', new PickleWriter().proto(2).raw([0x8b, 0, 0, 1, 0]).stop(), /ends inside|bytes long/],
  ])('BAD_PICKLE for %s', (_label, w, message) => {
    const e = failure(() => run(w));
    expect(e.code).toBe('BAD_PICKLE');
    expect(e.message).toMatch(message);
  });

  it('UNSUPPORTED_VERSION for protocol 6', () => {
    expect(failure(() => run(new PickleWriter().proto(6).none().stop())).code).toBe('UNSUPPORTED_VERSION');
  });

  it('caps marks, memo and items (TOO_LARGE), without recursion', () => {
    const marks = new PickleWriter().proto(2);
    for (let i = 0; i <= PICKLE_LIMITS.marks; i++) marks.mark();
    expect(failure(() => run(marks.stop())).code).toBe('TOO_LARGE');
    // Batches of 500,000 items (MARK, 0, DUP × 499,999, APPENDS) stay under the stack cap but pass the item cap.
    const items = new PickleWriter().proto(2).emptyList();
    const dups = new Uint8Array(499_999).fill(0x32);
    for (let total = 0; total <= PICKLE_LIMITS.items; total += 500_000) items.mark().int(0).raw(dups).appends();
    const e = failure(() => run(items.stop()));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toContain('items');
    const memo = new PickleWriter().proto(2).none();
    for (let i = 0; i <= PICKLE_LIMITS.memo; i++) memo.raw([0x94]);
    expect(failure(() => run(memo.stop())).message).toContain('memo');
  });

  it('unpickles 200,000 nested tuples, then refuses to walk them (BAD_STRUCTURE)', () => {
    const value = run(new PickleWriter().proto(2).emptyTuple().raw(new Uint8Array(200_000).fill(0x85)).stop());
    const e = failure(() => collectTorchTensors(value, 'x.pt'));
    expect(e.code).toBe('BAD_STRUCTURE');
    expect(e.message).toContain(`${MAX_NESTING} levels`);
  });

  it('walks shared and self-referencing containers once', () => {
    // l = []; l.append(l); {'a': l, 'b': l}
    const w = new PickleWriter().proto(2).emptyDict().mark().str('a').emptyList().put(0).get(0).append().str('b').get(0).setitems().stop();
    expect(collectTorchTensors(unpickle(w.bytes(), context), 'x.pt')).toEqual({ tensors: [], skipped: [] });
  });

  it('refuses _rebuild_from_type_v2 nested in itself', () => {
    const w = new PickleWriter().proto(2).global('torch._tensor', '_rebuild_from_type_v2').put(0);
    w.get(0).global('torch', 'Tensor').get(0).none().none().emptyDict().raw([0x28]).tuple().tuple().raw([]);
    w.emptyDict().tuple().reduce().stop();
    expect(failure(() => run(w)).code).toBe('BAD_PICKLE');
  });
});
