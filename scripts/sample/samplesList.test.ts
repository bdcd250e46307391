import { describe, expect, it } from 'vitest';
import { mergeSampleEntries } from './samplesList';

describe('mergeSampleEntries', () => {
  const list = (...ids: string[]) => JSON.stringify(ids.map((id) => ({ id, title: `old ${id}` })));
  const ids = (text: string) => (JSON.parse(text) as { id: string; title: string }[]).map((e) => `${e.id}:${e.title}`);

  it("replaces a script's own entries in place and keeps the others", () => {
    const out = mergeSampleEntries(list('a', 'b', 'grok'), [{ id: 'a', title: 'new a' }, { id: 'b', title: 'new b' }], ['a', 'b']);
    expect(ids(out)).toEqual(['a:new a', 'b:new b', 'grok:old grok']);
    const out2 = mergeSampleEntries(out, [{ id: 'grok', title: 'new grok' }], ['grok']);
    expect(ids(out2)).toEqual(['a:new a', 'b:new b', 'grok:new grok']);
  });

  it('puts new entries first, writes a fresh list, and refuses a list that is not an array', () => {
    expect(ids(mergeSampleEntries(list('x'), [{ id: 'y', title: 't' }], ['y']))).toEqual(['y:t', 'x:old x']);
    expect(ids(mergeSampleEntries(null, [{ id: 'y', title: 't' }], ['y']))).toEqual(['y:t']);
    expect(() => mergeSampleEntries('{}', [], [])).toThrow(/not a JSON array/);
  });
});
