/**
 * The app's keyboard shortcuts as a pure mapping from a key press to an action, so the table shown in the help
 * overlay and the behaviour are one list, and the mapping is unit-tested without a DOM.
 */
import type { Page } from '../../state/slices/selectionSlice';

export type ShortcutAction =
  | { readonly kind: 'move'; readonly delta: 1 | -1 }
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'open' }
  | { readonly kind: 'back' }
  | { readonly kind: 'help' }
  | { readonly kind: 'close-help' };

/** What the help overlay lists: keys, and what they do. */
export const SHORTCUTS: readonly { readonly keys: readonly string[]; readonly does: string }[] = [
  { keys: ['j', '↓'], does: 'next layer (depth order)' },
  { keys: ['k', '↑'], does: 'previous layer' },
  { keys: ['Home', 'End'], does: 'first / last layer' },
  { keys: ['Enter'], does: 'open the selected layer’s view' },
  { keys: ['Esc'], does: 'back to the whole-model scan (or close this help)' },
  { keys: ['?'], does: 'show or hide these shortcuts' },
];

/** The parts of a keyboard event the mapping reads. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** The focused element's tag, lower case (e.g. 'input', 'button', 'body'). */
  readonly targetTag: string;
  /** Whether the focused element is editable text (contenteditable). */
  readonly targetEditable: boolean;
}

const TEXT_ENTRY = new Set(['input', 'textarea', 'select']);
/** Elements where Enter (and Space) already mean something. */
const ACTIVATES = new Set(['button', 'a', 'summary']);

/** The action for a key press, or null to leave the event to the browser. */
export function shortcutFor(press: KeyPress, context: { readonly page: Page; readonly helpOpen: boolean }): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (context.helpOpen) return press.key === 'Escape' || press.key === '?' ? { kind: 'close-help' } : null;
  if (press.key === 'Escape') return context.page !== 'scan' ? { kind: 'back' } : null;
  if (TEXT_ENTRY.has(press.targetTag) || press.targetEditable) return null;
  switch (press.key) {
    case '?':
      return { kind: 'help' };
    case 'j':
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'k':
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'Home':
      return { kind: 'first' };
    case 'End':
      return { kind: 'last' };
    case 'Enter':
      return ACTIVATES.has(press.targetTag) || context.page !== 'scan' ? null : { kind: 'open' };
    default:
      return null;
  }
}

/** The layer `action` moves to from `current` in `names` (depth order); null when it does not move. */
export function movedLayer(names: readonly string[], current: string | null, action: ShortcutAction): string | null {
  if (names.length === 0) return null;
  if (action.kind === 'first') return names[0] ?? null;
  if (action.kind === 'last') return names[names.length - 1] ?? null;
  if (action.kind !== 'move') return null;
  const i = current === null ? -1 : names.indexOf(current);
  if (i < 0) return action.delta > 0 ? (names[0] ?? null) : (names[names.length - 1] ?? null);
  return names[Math.min(names.length - 1, Math.max(0, i + action.delta))] ?? null;
}
