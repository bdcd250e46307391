import { useEffect, useRef } from 'react';
import type { Chart } from './chart';

/**
 * Mount a D3 chart core in a div: create once, resize with the container, update when `data`
 * changes, destroy on unmount (the create → update → destroy lifecycle of STYLE.md §1.3).
 */
export function useChart<D>(factory: (root: HTMLElement) => Chart<D>, data: D | null) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<Chart<D> | null>(null);
  const latest = useRef<D | null>(data);
  latest.current = data;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = factory(el);
    chart.current = c;
    const resize = () => c.resize(Math.max(200, el.clientWidth), Math.max(160, el.clientHeight));
    resize();
    if (latest.current) c.update(latest.current);
    const observer = new ResizeObserver(resize);
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.destroy();
      chart.current = null;
    };
  }, [factory]);

  useEffect(() => {
    if (data) chart.current?.update(data);
  }, [data]);

  return host;
}
