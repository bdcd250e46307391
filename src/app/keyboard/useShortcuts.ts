import { useEffect } from 'react';
import { analysableTensorNames } from '../../model/analysable';
import type { AppStore } from '../../state/createAppStore';
import { movedLayer, shortcutFor } from './shortcuts';

/** Scroll the element that shows `name` (a table row, a strip cell) into view, if there is one. */
function reveal(name: string): void {
  document.querySelector(`[data-layer="${CSS.escape(name)}"]`)?.scrollIntoView({ block: 'nearest' });
}

/**
 * The page-wide keyboard shortcuts (`shortcuts.ts`): one keydown listener on the window. Views that handle a key
 * themselves (a focused table moving its own rows) call preventDefault, and this listener then leaves it alone.
 */
export function useShortcuts(store: AppStore, help: { open: boolean; setOpen: (open: boolean) => void }): void {
  const { open, setOpen } = help;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const state = store.getState();
      const action = shortcutFor(
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          targetTag: target?.tagName.toLowerCase() ?? 'body',
          targetEditable: target?.isContentEditable ?? false,
        },
        { page: state.view.page, helpOpen: open },
      );
      if (!action) return;
      const info = state.model.info;
      const current = state.selection.tensor;
      switch (action.kind) {
        case 'help':
          setOpen(true);
          break;
        case 'close-help':
          setOpen(false);
          break;
        case 'back':
          state.showScan();
          requestAnimationFrame(() => current && reveal(current));
          break;
        case 'open':
          if (current === null) return;
          state.openLayer(current);
          break;
        default: {
          if (!info) return;
          const next = movedLayer(analysableTensorNames(info.tensors), current, action);
          if (next === null) return;
          state.selectTensor(next);
          requestAnimationFrame(() => reveal(next));
        }
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, open, setOpen]);
}
