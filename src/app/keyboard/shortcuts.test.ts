import { describe, expect, it } from 'vitest';
import type { KeyPress } from './shortcuts';
import { movedLayer, shortcutFor } from './shortcuts';

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  targetTag: 'body',
  targetEditable: false,
  ...more,
});
const scan = { page: 'scan', helpOpen: false } as const;
const layer = { page: 'layer', helpOpen: false } as const;

describe('keyboard shortcuts', () => {
  it('j/k and the arrows move, Home/End jump, Enter opens from the scan, Esc goes back from a layer', () => {
    expect(shortcutFor(press('j'), scan)).toEqual({ kind: 'move', delta: 1 });
    expect(shortcutFor(press('ArrowDown'), layer)).toEqual({ kind: 'move', delta: 1 });
    expect(shortcutFor(press('k'), scan)).toEqual({ kind: 'move', delta: -1 });
    expect(shortcutFor(press('ArrowUp'), layer)).toEqual({ kind: 'move', delta: -1 });
    expect(shortcutFor(press('Home'), scan)).toEqual({ kind: 'first' });
    expect(shortcutFor(press('End'), scan)).toEqual({ kind: 'last' });
    expect(shortcutFor(press('Enter'), scan)).toEqual({ kind: 'open' });
    expect(shortcutFor(press('Enter'), layer)).toBeNull();
    expect(shortcutFor(press('Escape'), layer)).toEqual({ kind: 'back' });
    expect(shortcutFor(press('Escape'), scan)).toBeNull();
    expect(shortcutFor(press('?'), scan)).toEqual({ kind: 'help' });
  });

  it('leave typing, buttons and modified keys alone', () => {
    for (const targetTag of ['input', 'textarea', 'select']) expect(shortcutFor(press('j', { targetTag }), scan)).toBeNull();
    expect(shortcutFor(press('k', { targetEditable: true }), scan)).toBeNull();
    expect(shortcutFor(press('Enter', { targetTag: 'button' }), scan)).toBeNull();
    expect(shortcutFor(press('j', { ctrlKey: true }), scan)).toBeNull();
    expect(shortcutFor(press('ArrowDown', { altKey: true }), scan)).toBeNull();
    // Esc still goes back from a text field: it is never typed.
    expect(shortcutFor(press('Escape', { targetTag: 'input' }), layer)).toEqual({ kind: 'back' });
  });

  it('while the help is open, only Esc and ? (closing it) are taken', () => {
    const open = { page: 'layer', helpOpen: true } as const;
    expect(shortcutFor(press('Escape'), open)).toEqual({ kind: 'close-help' });
    expect(shortcutFor(press('?'), open)).toEqual({ kind: 'close-help' });
    expect(shortcutFor(press('j'), open)).toBeNull();
  });

  it('moves within bounds, and from no selection to an end', () => {
    const names = ['a', 'b', 'c'];
    expect(movedLayer(names, 'a', { kind: 'move', delta: 1 })).toBe('b');
    expect(movedLayer(names, 'c', { kind: 'move', delta: 1 })).toBe('c');
    expect(movedLayer(names, 'a', { kind: 'move', delta: -1 })).toBe('a');
    expect(movedLayer(names, null, { kind: 'move', delta: 1 })).toBe('a');
    expect(movedLayer(names, 'gone', { kind: 'move', delta: -1 })).toBe('c');
    expect(movedLayer(names, 'b', { kind: 'last' })).toBe('c');
    expect(movedLayer(names, 'b', { kind: 'first' })).toBe('a');
    expect(movedLayer([], null, { kind: 'first' })).toBeNull();
  });
});
