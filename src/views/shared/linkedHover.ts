/**
 * Linked hover outside React (STYLE.md §1.6, uPlot's cursor sync): the store's `hover` field is the channel;
 * views subscribe to it and toggle a class on their `[data-layer]` elements, so hovering a 500-row table
 * re-renders nothing.
 */
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { useAppStoreApi } from './storeContext';

/** What the hover channel needs of the store (the app store satisfies it). */
export interface HoverChannel {
  getState(): { readonly hover: string | null };
  subscribe(listener: (state: { readonly hover: string | null }, previous: { readonly hover: string | null }) => void): () => void;
}

/** The class of the elements of the hovered layer. */
export const HOVERED_CLASS = 'hovered';

/** Call `onHover` with the hovered layer now and whenever it changes (not on other store changes); returns the unsubscribe. */
export function watchHover(channel: HoverChannel, onHover: (name: string | null) => void): () => void {
  onHover(channel.getState().hover);
  return channel.subscribe((state, previous) => {
    if (state.hover !== previous.hover) onHover(state.hover);
  });
}

/** `CSS.escape` where the platform has it (browsers); a minimal escape of a quoted attribute value elsewhere (Node tests). */
export function cssEscape(value: string): string {
  const css = (globalThis as { CSS?: { escape?: (s: string) => string } }).CSS;
  if (css?.escape) return css.escape(value);
  return value.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
}

/** The selector of a layer's elements. */
export function layerSelector(name: string): string {
  return `[data-layer="${cssEscape(name)}"]`;
}

/**
 * Give the `[data-layer]` elements of `container` for layer `name` the hovered class and take it from the others.
 * @param name the hovered layer, or null for none
 */
export function markHovered(container: ParentNode, name: string | null, className: string = HOVERED_CLASS): void {
  container.querySelectorAll(`[data-layer].${className}`).forEach((el) => {
    if (el.getAttribute('data-layer') !== name) el.classList.remove(className);
  });
  if (name === null) return;
  container.querySelectorAll(layerSelector(name)).forEach((el) => el.classList.add(className));
}

/** Call `onHover` with the hovered layer on mount and whenever it changes, without re-rendering the caller. */
export function useHoverChannel(onHover: (name: string | null) => void): void {
  const store = useAppStoreApi();
  const latest = useRef(onHover);
  useLayoutEffect(() => {
    latest.current = onHover;
  });
  useEffect(() => watchHover(store, (name) => latest.current(name)), [store]);
}

/**
 * Highlight the hovered layer's `[data-layer]` elements inside `containerRef` with the `hovered` class, without
 * re-rendering React. After each render of the caller the mark is re-applied, since React may have rewritten a
 * row's `className`.
 */
export function useLinkedHover(containerRef: RefObject<Element | null>): void {
  const store = useAppStoreApi();
  useEffect(
    () =>
      watchHover(store, (name) => {
        if (containerRef.current) markHovered(containerRef.current, name);
      }),
    [store, containerRef],
  );
  useLayoutEffect(() => {
    if (containerRef.current) markHovered(containerRef.current, store.getState().hover);
  });
}

/**
 * Open a layer's page from a scan view (click, Enter): clear the hover first, since the element under the
 * pointer is about to unmount without a pointerleave, then `openLayer` (select it and show its page).
 */
export function openFromScan(store: { getState(): { setHover(name: string | null): void; openLayer(name: string): void } }, name: string): void {
  store.getState().setHover(null);
  store.getState().openLayer(name);
}
