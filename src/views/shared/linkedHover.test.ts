import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { cssEscape, layerSelector, markHovered, openFromScan, watchHover } from './linkedHover';

/** A minimal element: a data-layer attribute and a class list. */
class FakeElement {
  readonly classes = new Set<string>();
  readonly classList = {
    add: (c: string) => void this.classes.add(c),
    remove: (c: string) => void this.classes.delete(c),
  };
  constructor(readonly layer: string | null) {}
  getAttribute(name: string): string | null {
    return name === 'data-layer' ? this.layer : null;
  }
}

/** Unescape a quoted CSS string (the inverse of the Node fallback of `cssEscape`). */
const unescape = (s: string) => s.replace(/\\([0-9a-f]+) /gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, '$1');

/** A container answering the two selectors `markHovered` uses. */
function fakeContainer(layers: (string | null)[]) {
  const elements = layers.map((l) => new FakeElement(l));
  const container = {
    elements,
    queries: [] as string[],
    querySelectorAll(selector: string): FakeElement[] {
      // Arrays have the forEach of a NodeList.
      container.queries.push(selector);
      const byClass = /^\[data-layer\]\.([\w-]+)$/.exec(selector);
      if (byClass) return elements.filter((e) => e.layer !== null && e.classes.has(byClass[1]!));
      const byName = /^\[data-layer="(.*)"\]$/s.exec(selector);
      if (byName) return elements.filter((e) => e.layer === unescape(byName[1]!));
      throw new Error(`unexpected selector ${selector}`);
    },
  };
  return container;
}

const hovered = (c: ReturnType<typeof fakeContainer>) => c.elements.filter((e) => e.classes.has('hovered')).map((e) => e.layer);

describe('markHovered', () => {
  it('marks every element of the hovered layer and unmarks the previous one', () => {
    const c = fakeContainer(['a', 'b', 'a', null]);
    markHovered(c as unknown as ParentNode, 'a');
    expect(hovered(c)).toEqual(['a', 'a']);
    markHovered(c as unknown as ParentNode, 'b');
    expect(hovered(c)).toEqual(['b']);
    markHovered(c as unknown as ParentNode, null);
    expect(hovered(c)).toEqual([]);
  });

  it('escapes names with quotes, backslashes and brackets', () => {
    const odd = 'blocks["0"].attn\\q[1]';
    const c = fakeContainer([odd, 'blocks']);
    markHovered(c as unknown as ParentNode, odd);
    expect(hovered(c)).toEqual([odd]);
    expect(layerSelector('x"y')).toBe('[data-layer="x\\"y"]');
    expect(cssEscape('a\nb')).toBe('a\\a b');
  });
});

describe('watchHover', () => {
  it('reports the current hover, then only changes of it', () => {
    const store = createStore<{ hover: string | null; other: number }>(() => ({ hover: 'x', other: 0 }));
    const seen: (string | null)[] = [];
    const stop = watchHover(store, (name) => seen.push(name));
    store.setState({ other: 1 });
    store.setState({ hover: 'y' });
    store.setState({ hover: 'y' });
    store.setState({ hover: null });
    stop();
    store.setState({ hover: 'z' });
    expect(seen).toEqual(['x', 'y', null]);
  });
});

describe('openFromScan', () => {
  it('clears the hover, then opens the layer', () => {
    const calls: string[] = [];
    const state = { setHover: (n: string | null) => calls.push(`hover ${n}`), openLayer: (n: string) => calls.push(`open ${n}`) };
    openFromScan({ getState: () => state }, 'fc1.weight');
    expect(calls).toEqual(['hover null', 'open fc1.weight']);
  });
});
