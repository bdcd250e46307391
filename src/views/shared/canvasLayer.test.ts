import { describe, expect, it } from 'vitest';
import {
  canvasBacking,
  frameScheduler,
  horizontalRules,
  lastResult,
  padRect,
  parseDashArray,
  polylinePoints,
  strokeFrom,
  strokePolyline,
  svgPathData,
  tracePolyline,
} from './canvasLayer';
import type { StrokeContext } from './canvasLayer';
import { decimateMinMaxIndices } from './decimate';

/** A path sink that records its calls. */
function recorder() {
  const calls: string[] = [];
  return { calls, moveTo: (x: number, y: number) => calls.push(`M${x},${y}`), lineTo: (x: number, y: number) => calls.push(`L${x},${y}`) };
}

describe('canvasBacking', () => {
  it('sizes the backing store in whole device pixels with the scale that maps CSS px onto it', () => {
    expect(canvasBacking(500, 300, 1)).toEqual({ width: 500, height: 300, scaleX: 1, scaleY: 1, cssWidth: 500, cssHeight: 300 });
    expect(canvasBacking(500, 300, 2)).toEqual({ width: 1000, height: 600, scaleX: 2, scaleY: 2, cssWidth: 500, cssHeight: 300 });
    const b = canvasBacking(501, 301, 1.25);
    expect([b.width, b.height]).toEqual([626, 376]);
    expect(b.scaleX).toBeCloseTo(626 / 501, 12);
    expect(b.scaleY).toBeCloseTo(376 / 301, 12);
    expect(b.cssWidth).toBeCloseTo(501, 9);
  });

  it('rounds the store up to a bucket, keeping the scale, so nearby sizes share one store', () => {
    const a = canvasBacking(500, 300, 2, 128);
    expect([a.width, a.height, a.scaleX, a.scaleY]).toEqual([1024, 640, 2, 2]);
    expect([a.cssWidth, a.cssHeight]).toEqual([512, 320]);
    const b = canvasBacking(505, 310, 2, 128);
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    const c = canvasBacking(513, 300, 2, 128);
    expect(c.width).toBe(1152);
    const f = canvasBacking(501, 301, 1.25, 128);
    expect(f.width % 128).toBe(0);
    expect(f.cssWidth).toBeGreaterThanOrEqual(501);
    expect(f.scaleX).toBeCloseTo(626 / 501, 12);
  });

  it('never returns an empty or invalid store', () => {
    expect(canvasBacking(0, 0, 2)).toEqual({ width: 1, height: 1, scaleX: 2, scaleY: 2, cssWidth: 0.5, cssHeight: 0.5 });
    expect(canvasBacking(100, 50, Number.NaN)).toMatchObject({ width: 100, height: 50, scaleX: 1, scaleY: 1 });
    expect(canvasBacking(100, 50, 0)).toMatchObject({ width: 100, height: 50, scaleX: 1, scaleY: 1 });
  });
});

describe('padRect', () => {
  it('grows a rectangle on every side', () => {
    expect(padRect({ left: 64, top: 14, width: 500, height: 260 }, 4)).toEqual({ left: 60, top: 10, width: 508, height: 268 });
  });
});

describe('polylinePoints and path output', () => {
  it('maps indices through the scales into packed pixel coordinates', () => {
    const values = new Float64Array([8, 4, 2, 1]);
    const pts = polylinePoints(new Uint32Array([0, 2, 3]), (i) => i * 10, (i) => 100 - (values[i] as number));
    expect(Array.from(pts)).toEqual([0, 92, 20, 98, 30, 99]);
  });

  it('traces one sub-path and breaks it at non-finite points', () => {
    const r = recorder();
    tracePolyline(r, new Float64Array([0, 0, 1, 1, Number.NaN, 2, 3, 3, 4, 4]));
    expect(r.calls).toEqual(['M0,0', 'L1,1', 'M3,3', 'L4,4']);
  });

  it('draws horizontal rules as one broken polyline', () => {
    const r = recorder();
    tracePolyline(r, horizontalRules([10.5, 40.5], 0, 300));
    expect(r.calls).toEqual(['M0,10.5', 'L300,10.5', 'M0,40.5', 'L300,40.5']);
  });

  it('writes SVG path data with rounded coordinates', () => {
    expect(svgPathData(new Float64Array([0, 10.123456, 5.5, 3.333333]))).toBe('M0,10.12L5.5,3.33');
    expect(svgPathData(new Float64Array([]))).toBe('');
  });
});

describe('dense polylines cost O(width)', () => {
  it('draws 100k descending values as at most 2 points per device column, keeping both ends and the extremes', () => {
    const n = 100_000;
    const v = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
    const columns = 1000; // a 500 px plot at devicePixelRatio 2
    const idx = decimateMinMaxIndices(v, columns, true);
    expect(idx.length).toBeLessThanOrEqual(2 * columns);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    const x = (i: number) => (i / (n - 1)) * 500;
    const pts = polylinePoints(idx, x, (i) => -Math.log10(v[i] as number));
    // every point of a column stays in that column's pixel range, and x never goes back
    for (let k = 2; k < pts.length; k += 2) expect(pts[k] as number).toBeGreaterThanOrEqual(pts[k - 2] as number);
    const r = recorder();
    tracePolyline(r, pts);
    expect(r.calls.length).toBe(idx.length);
  });

  it('leaves out non-positive values on log axes', () => {
    const v = new Float64Array(50_000).fill(0);
    for (let i = 0; i < 20_000; i++) v[i] = 20_000 - i;
    const idx = decimateMinMaxIndices(v, 400, true);
    for (const i of idx) expect(v[i]).toBeGreaterThan(0);
    expect(idx[idx.length - 1]).toBe(19_999);
  });
});

describe('strokes from computed styles', () => {
  const styles = (props: Record<string, string>) => (p: string) => props[p] ?? '';

  it('parses dash arrays as browsers serialise them', () => {
    expect(parseDashArray('none')).toEqual([]);
    expect(parseDashArray('5px, 3px')).toEqual([5, 3]);
    expect(parseDashArray('5 3')).toEqual([5, 3]);
    expect(parseDashArray('0, 0')).toEqual([]);
    expect(parseDashArray('4, -1')).toEqual([]);
  });

  it('reads colour, width, dash, opacity, join and cap', () => {
    expect(strokeFrom(styles({ stroke: 'rgb(240, 160, 90)', 'stroke-width': '1.6px', 'stroke-dasharray': '5px, 3px', 'stroke-opacity': '0.5', opacity: '0.5', 'stroke-linejoin': 'round' }))).toEqual({
      color: 'rgb(240, 160, 90)',
      width: 1.6,
      dash: [5, 3],
      alpha: 0.25,
      join: 'round',
      cap: 'butt',
    });
  });

  it('returns null for an element that is not stroked', () => {
    expect(strokeFrom(styles({ stroke: 'none', 'stroke-width': '2px' }))).toBeNull();
    expect(strokeFrom(styles({ stroke: 'rgb(0, 0, 0)', 'stroke-width': '0px' }))).toBeNull();
    expect(strokeFrom(styles({ stroke: 'rgb(0, 0, 0)', 'stroke-opacity': '0' }))).toBeNull();
  });

  it('strokes one path with the style and resets dash and alpha', () => {
    const log: string[] = [];
    const ctx: StrokeContext = {
      strokeStyle: '',
      lineWidth: 1,
      lineJoin: 'miter',
      lineCap: 'butt',
      miterLimit: 10,
      globalAlpha: 1,
      beginPath: () => log.push('begin'),
      stroke: () => log.push(`stroke ${String(ctx.strokeStyle)} ${ctx.lineWidth} ${ctx.globalAlpha}`),
      setLineDash: (d) => log.push(`dash ${d.join(' ')}`),
      moveTo: (x, y) => log.push(`M${x},${y}`),
      lineTo: (x, y) => log.push(`L${x},${y}`),
    };
    strokePolyline(ctx, new Float64Array([0, 1, 2, 3]), { color: 'red', width: 2, dash: [5, 3], alpha: 0.5, join: 'round', cap: 'butt' });
    expect(log).toEqual(['dash 5 3', 'begin', 'M0,1', 'L2,3', 'stroke red 2 0.5', 'dash ']);
    expect(ctx.globalAlpha).toBe(1);
    expect(ctx.miterLimit).toBe(4);
  });
});

describe('frameScheduler', () => {
  function fakeFrames() {
    const queue = new Map<number, () => void>();
    let next = 1;
    return {
      request: (cb: () => void) => {
        queue.set(next, cb);
        return next++;
      },
      cancel: (h: number) => void queue.delete(h),
      flush: () => {
        const cbs = [...queue.values()];
        queue.clear();
        cbs.forEach((cb) => cb());
      },
      size: () => queue.size,
    };
  }

  it('coalesces any number of schedules into one run per frame', () => {
    const frames = fakeFrames();
    let runs = 0;
    const s = frameScheduler(() => runs++, frames.request, frames.cancel);
    s.schedule();
    s.schedule();
    s.schedule();
    expect(frames.size()).toBe(1);
    expect(s.pending).toBe(true);
    frames.flush();
    expect(runs).toBe(1);
    expect(s.pending).toBe(false);
    s.schedule();
    frames.flush();
    expect(runs).toBe(2);
  });

  it('cancels a scheduled run', () => {
    const frames = fakeFrames();
    let runs = 0;
    const s = frameScheduler(() => runs++, frames.request, frames.cancel);
    s.schedule();
    s.cancel();
    frames.flush();
    expect(runs).toBe(0);
    s.cancel(); // harmless when nothing is pending
    expect(s.pending).toBe(false);
  });
});

describe('lastResult', () => {
  it('recomputes only when the array, the column count or the flag change', () => {
    let calls = 0;
    const memo = lastResult((a: Float64Array, c: number, f: boolean) => {
      calls++;
      return decimateMinMaxIndices(a, c, f);
    });
    const a = new Float64Array(100).fill(1);
    memo(a, 10, true);
    memo(a, 10, true);
    expect(calls).toBe(1);
    memo(a, 11, true);
    memo(a, 11, false);
    memo(new Float64Array(100), 11, false);
    expect(calls).toBe(4);
  });
});
