import { describe, expect, it } from 'vitest';
import { FormatError } from '../formatError';
import { parseDescr, swapBytes } from './npyDtype';
import { MAX_LITERAL_DEPTH, parsePyLiteral } from './parsePyLiteral';

const fail = (message: string) => new FormatError('BAD_STRUCTURE', message, { file: 'x.npy' });
const parse = (text: string) => parsePyLiteral(text, fail);

describe('parsePyLiteral', () => {
  it('parses the header dicts numpy writes, old and new', () => {
    expect(parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }")).toEqual({
      kind: 'dict',
      entries: [
        ['descr', '<f4'],
        ['fortran_order', false],
        ['shape', { kind: 'tuple', items: [3, 4] }],
      ],
    });
    expect(parse('{"shape": (3L,), "x": None, "y": True}')).toEqual({
      kind: 'dict',
      entries: [
        ['shape', { kind: 'tuple', items: [3] }],
        ['x', null],
        ['y', true],
      ],
    });
  });

  it('tells tuples from parentheses, and reads lists, floats, signs and escapes', () => {
    expect(parse('()')).toEqual({ kind: 'tuple', items: [] });
    expect(parse('(5)')).toBe(5);
    expect(parse('(5,)')).toEqual({ kind: 'tuple', items: [5] });
    expect(parse("[('a', '<f4'), ('b', '|u1', (2,))]")).toMatchObject({ kind: 'list', items: [{ kind: 'tuple' }, { kind: 'tuple' }] });
    expect(parse('-1.5e3')).toBe(-1500);
    expect(parse(String.raw`'it\'s \x41\u00e9\n'`)).toBe("it's Aé\n");
  });

  it.each([
    ['unterminated string', "{'descr': '<f4"],
    ['a missing colon', "{'a' 1}"],
    ['trailing text', '{} x'],
    ['a bare word', '{os: 1}'],
    ['a call', "__import__('os').system('ls')"],
    ['a bad escape', String.raw`'\xZZ'`],
    ['nothing', ''],
  ])('refuses %s with the caller error', (_label, text) => {
    expect(() => parse(text)).toThrow(FormatError);
  });

  it(`caps nesting at ${MAX_LITERAL_DEPTH} levels`, () => {
    expect(() => parse('('.repeat(MAX_LITERAL_DEPTH) + ')'.repeat(MAX_LITERAL_DEPTH))).not.toThrow();
    expect(() => parse('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(/nesting deeper/);
  });
});

describe('parseDescr', () => {
  it.each([
    ['<f4', 'F32', 4, false],
    ['<f8', 'F64', 8, false],
    ['<f2', 'F16', 2, false],
    ['>f4', 'F32', 4, true],
    ['=f8', 'F64', 8, false],
    ['|u1', 'U8', 1, false],
    ['>i2', 'I16', 2, true],
    ['|b1', 'BOOL', 1, false],
    ['<c8', 'UNKNOWN', 8, false],
    ['<U5', 'UNKNOWN', 20, false],
    ['|O', 'UNKNOWN', null, false],
    ['|V2', 'UNKNOWN', 2, false],
  ])('%s → %s', (descr, dtype, itemSize, bigEndian) => {
    const parsed = parseDescr(descr);
    expect(parsed).toMatchObject({ dtype, itemSize, bigEndian });
    expect(parsed.unsupported === undefined).toBe(['F32', 'F64', 'F16'].includes(dtype));
  });

  it('swaps bytes per element', () => {
    expect(Array.from(swapBytes(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4))).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
  });
});
