import { useCallback, useLayoutEffect, useRef } from 'react';

/**
 * A stable function that always calls the latest `fn`: chart data built with it does not change (and the chart
 * does not redraw) when a parent passes a new callback on every render.
 */
export function useLatestCallback<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
