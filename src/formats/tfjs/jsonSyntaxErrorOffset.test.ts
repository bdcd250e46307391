/**
 * The JSON syntax scanner agrees with `JSON.parse` on what is valid, and points at the first bad character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset, lineAndColumn } from './jsonSyntaxErrorOffset';

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonSyntaxErrorOffset', () => {
  it('agrees with JSON.parse on valid and damaged JSON (seeded)', () => {
    const damaged = fc.tuple(fc.json(), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.string({ maxLength: 2 })).map(([json, at, kind, s]) => {
      const i = at % (json.length + 1);
      if (kind === 1) return json.slice(0, i);
      if (kind === 2) return json.slice(0, i) + s + json.slice(i);
      if (kind === 3) return json.slice(0, i) + json.slice(i + 1);
      return json;
    });
    fc.assert(
      fc.property(damaged, (text) => (jsonSyntaxErrorOffset(text) === null) === parses(text)),
      { seed: 0x15, numRuns: 5000 },
    );
  });

  it.each([
    ['{"a":}', 5],
    ['{"a":1', 6],
    ['', 0],
    ['  ', 2],
    ['[1,2,]', 5],
    ['{"a" 1}', 5],
    ['{"a":1}x', 7],
    ['{"a": tru}', 9],
    ['"\\q"', 1],
    ['"a\u0001"', 2],
    ['-', 1],
    ['01', 1],
    ['1.', 2],
    ['1e+', 3],
    ['[{]', 2],
    ['{"a": [1}', 8],
  ])('%j breaks at %i', (text, offset) => {
    expect(parses(text)).toBe(false);
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  it('walks nesting far deeper than a recursive parser could', () => {
    expect(jsonSyntaxErrorOffset('['.repeat(200000) + ']'.repeat(200000))).toBeNull();
    expect(jsonSyntaxErrorOffset('['.repeat(200000) + ']'.repeat(199999) + '}')).toBe(399999);
  });

  it('gives 1-based lines and columns', () => {
    expect(lineAndColumn('{\n  "a": x\n}', 9)).toEqual({ line: 2, column: 8 });
    expect(lineAndColumn('x', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('a\n', 2)).toEqual({ line: 2, column: 1 });
  });
});
