/**
 * A <canvas> under a chart's SVG for dense marks (STYLE.md §1.6, uPlot): the SVG keeps axes, grid, annotations
 * and the hover readout; the canvas draws long series as decimated polylines, so 100k values cost O(width)
 * canvas work, and hovering (SVG only) repaints none of it. A chart may also paint its grid lines on the canvas,
 * under the marks, with the SVG grid made transparent (see spectrumChart.ts). The geometry (backing-store size,
 * points, path data, stroke styles, redraw coalescing) is pure and tested in Node; `createCanvasLayer` is the
 * thin DOM part.
 */

/** Series at least this long are drawn on a canvas; shorter ones stay SVG vectors. */
export const DENSE_MARKS = 10_000;

/** A rectangle in CSS px. */
export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A canvas's backing store for a CSS size at a device-pixel ratio, and the scale that maps CSS px onto it. */
export interface Backing {
  /** Backing store, device px: the CSS size's, rounded up to a multiple of the bucket. */
  readonly width: number;
  readonly height: number;
  /** Device px per CSS px. */
  readonly scaleX: number;
  readonly scaleY: number;
  /** The canvas element's CSS size: the backing store at that scale (≥ the requested size; the rest is clipped). */
  readonly cssWidth: number;
  readonly cssHeight: number;
}

/**
 * The backing store of a `cssWidth`×`cssHeight` canvas at `dpr` device pixels per CSS px: whole device pixels, at
 * least 1×1, with per-axis scales (rounding makes them differ slightly from `dpr` at fractional ratios). With
 * `bucket` > 1 the store is rounded up to a multiple of `bucket` device px, so a chart being resized reuses one store
 * for many sizes instead of reallocating it (and the compositor's copy of it) every frame.
 */
export function canvasBacking(cssWidth: number, cssHeight: number, dpr: number, bucket = 1): Backing {
  const ratio = Number.isFinite(dpr) && dpr > 0 ? dpr : 1;
  const step = Math.max(1, Math.floor(bucket));
  const w = Math.max(0, cssWidth);
  const h = Math.max(0, cssHeight);
  const exactW = Math.max(1, Math.round(w * ratio));
  const exactH = Math.max(1, Math.round(h * ratio));
  const scaleX = w > 0 ? exactW / w : ratio;
  const scaleY = h > 0 ? exactH / h : ratio;
  const width = Math.ceil(exactW / step) * step;
  const height = Math.ceil(exactH / step) * step;
  return { width, height, scaleX, scaleY, cssWidth: width / scaleX, cssHeight: height / scaleY };
}

/** `rect` grown by `pad` px on every side: room for the half of a stroke that lies outside the plot area. */
export function padRect(rect: Rect, pad: number): Rect {
  return { left: rect.left - pad, top: rect.top - pad, width: rect.width + 2 * pad, height: rect.height + 2 * pad };
}

/** Pixel coordinates [x0, y0, x1, y1, …] of the points at `indices`, through the chart's scales. */
export function polylinePoints(indices: ArrayLike<number>, xOf: (index: number) => number, yOf: (index: number) => number): Float64Array {
  const out = new Float64Array(indices.length * 2);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    out[2 * k] = xOf(i);
    out[2 * k + 1] = yOf(i);
  }
  return out;
}

/** Horizontal lines from `x0` to `x1` at each of `ys`, as one polyline with breaks (e.g. a y grid under the marks). */
export function horizontalRules(ys: readonly number[], x0: number, x1: number): Float64Array {
  const out = new Float64Array(ys.length * 6);
  ys.forEach((y, k) => out.set([x0, y, x1, y, Number.NaN, Number.NaN], k * 6));
  return out;
}

/** The part of a 2-D context a polyline needs (a real CanvasRenderingContext2D, or a recorder in tests). */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/** Trace `points` as one sub-path; points that are not finite break the line (as a gap, like d3.line's defined()). */
export function tracePolyline(sink: PathSink, points: Float64Array): void {
  let pen = false;
  for (let k = 0; k + 1 < points.length; k += 2) {
    const x = points[k] as number;
    const y = points[k + 1] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    if (pen) sink.lineTo(x, y);
    else sink.moveTo(x, y);
    pen = true;
  }
}

/** The same polyline as SVG path data (`M x,y L x,y …`), coordinates rounded to `digits` decimals. */
export function svgPathData(points: Float64Array, digits = 2): string {
  const f = 10 ** digits;
  const r = (v: number) => String(Math.round(v * f) / f);
  const parts: string[] = [];
  tracePolyline(
    {
      moveTo: (x, y) => parts.push(`M${r(x)},${r(y)}`),
      lineTo: (x, y) => parts.push(`L${r(x)},${r(y)}`),
    },
    points,
  );
  return parts.join('');
}

/** How a series is stroked: what its SVG element's computed style says, in canvas terms. */
export interface Stroke {
  readonly color: string;
  readonly width: number;
  readonly dash: number[];
  readonly alpha: number;
  readonly join: CanvasLineJoin;
  readonly cap: CanvasLineCap;
}

/** "5px, 3px" / "5 3" / "none" → [5, 3] / [5, 3] / []. Negative or non-numeric entries void the pattern (as in SVG). */
export function parseDashArray(value: string): number[] {
  const v = value.trim();
  if (v === '' || v === 'none') return [];
  const parts = v.split(/[\s,]+/).map((p) => parseFloat(p));
  if (parts.some((p) => !Number.isFinite(p) || p < 0) || parts.every((p) => p === 0)) return [];
  return parts;
}

const JOINS: readonly CanvasLineJoin[] = ['miter', 'round', 'bevel'];
const CAPS: readonly CanvasLineCap[] = ['butt', 'round', 'square'];

/**
 * The canvas stroke of an SVG series element, from a computed-style getter (`getComputedStyle(el).getPropertyValue`).
 * The colour is the element's computed `stroke`, i.e. app.css's `var(--series)` / `var(--series-ref)` resolved for the
 * current theme, so the canvas, the SVG legend and an export always agree. `null` when the element is not stroked.
 */
export function strokeFrom(get: (property: string) => string): Stroke | null {
  const color = get('stroke').trim();
  if (color === '' || color === 'none' || color.startsWith('url(')) return null;
  const num = (property: string, fallback: number) => {
    const v = parseFloat(get(property));
    return Number.isFinite(v) ? v : fallback;
  };
  const width = num('stroke-width', 1);
  const alpha = Math.min(1, Math.max(0, num('stroke-opacity', 1) * num('opacity', 1)));
  if (width <= 0 || alpha === 0) return null;
  const join = get('stroke-linejoin').trim();
  const cap = get('stroke-linecap').trim();
  return {
    color,
    width,
    dash: parseDashArray(get('stroke-dasharray')),
    alpha,
    join: (JOINS as readonly string[]).includes(join) ? (join as CanvasLineJoin) : 'miter',
    cap: (CAPS as readonly string[]).includes(cap) ? (cap as CanvasLineCap) : 'butt',
  };
}

/** The part of a 2-D context `strokePolyline` uses. */
export interface StrokeContext extends PathSink {
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  lineJoin: CanvasLineJoin;
  lineCap: CanvasLineCap;
  miterLimit: number;
  globalAlpha: number;
  beginPath(): void;
  stroke(): void;
  setLineDash(segments: number[]): void;
}

/** Stroke `points` (CSS px, the context already scaled) with `stroke`: O(points), one path, one stroke call. */
export function strokePolyline(ctx: StrokeContext, points: Float64Array, stroke: Stroke): void {
  ctx.strokeStyle = stroke.color;
  ctx.lineWidth = stroke.width;
  ctx.lineJoin = stroke.join;
  ctx.lineCap = stroke.cap;
  ctx.miterLimit = 4; // SVG's default, so corners look the same in both modes
  ctx.globalAlpha = stroke.alpha;
  ctx.setLineDash(stroke.dash);
  ctx.beginPath();
  tracePolyline(ctx, points);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** One-frame redraw coalescing: any number of `schedule()` calls before the next frame run `run` once. */
export interface FrameScheduler {
  schedule(): void;
  /** Drop a scheduled run (e.g. because the caller is about to run synchronously). */
  cancel(): void;
  readonly pending: boolean;
}

export function frameScheduler(
  run: () => void,
  request: (callback: () => void) => number = (cb) => requestAnimationFrame(cb),
  cancelRequest: (handle: number) => void = (h) => cancelAnimationFrame(h),
): FrameScheduler {
  let handle: number | null = null;
  return {
    schedule() {
      if (handle !== null) return;
      handle = request(() => {
        handle = null;
        run();
      });
    },
    cancel() {
      if (handle === null) return;
      cancelRequest(handle);
      handle = null;
    },
    get pending() {
      return handle !== null;
    },
  };
}

/** A one-entry memo of `decimateMinMaxIndices`-style work, keyed by array identity, column count and a flag. */
export function lastResult<A extends object, R>(compute: (values: A, columns: number, flag: boolean) => R): (values: A, columns: number, flag: boolean) => R {
  let key: { values: A; columns: number; flag: boolean } | null = null;
  let value: R | undefined;
  return (values, columns, flag) => {
    if (!key || key.values !== values || key.columns !== columns || key.flag !== flag) {
      value = compute(values, columns, flag);
      key = { values, columns, flag };
    }
    return value as R;
  };
}

/** The canvas under a chart's SVG. */
export interface CanvasLayer {
  readonly canvas: HTMLCanvasElement;
  /**
   * Cover `plot` (CSS px in the SVG's coordinates) plus a few px of bleed on every side, at the current
   * device-pixel ratio, and return a cleared context whose unit is one CSS px with (0, 0) at the plot's top-left
   * corner; `columns` is the plot's width in device pixels (what decimation should aim at). Null without a 2-D context.
   */
  begin(plot: Rect): { ctx: CanvasRenderingContext2D; columns: number } | null;
  destroy(): void;
}

/** Bleed around the plot area, px: a 2 px stroke at the plot's edge is not cut in half. */
const PAD = 4;
/** Backing-store sizes are multiples of this many device px (see `canvasBacking`). */
const BUCKET = 128;

/**
 * A canvas in `root` under `svg` (which must be `root`'s first in-flow child, as `chartFrame` makes it), and
 * listeners that call `invalidate` when its pixels are stale without the chart having changed: the theme
 * (`data-theme`/class on <html>, `prefers-color-scheme`) or the device-pixel ratio (zoom, another screen).
 * The canvas sits in a clipping box of exactly the plot area (+ bleed), so its bucketed backing store never
 * shows or overflows.
 */
export function createCanvasLayer(root: HTMLElement, svg: SVGSVGElement, invalidate: () => void): CanvasLayer {
  const box = document.createElement('div');
  box.className = 'chart-canvas-box';
  box.setAttribute('aria-hidden', 'true');
  Object.assign(box.style, { position: 'absolute', overflow: 'hidden', pointerEvents: 'none', left: '0px', top: '0px', width: '0px', height: '0px' });
  const canvas = document.createElement('canvas');
  canvas.className = 'chart-canvas';
  Object.assign(canvas.style, { position: 'absolute', display: 'block', left: '0px', top: '0px' });
  box.append(canvas);
  const rootStyle = getComputedStyle(root);
  if (rootStyle.position === 'static') root.style.position = 'relative';
  // The SVG is the first in-flow child, so it sits at the root's padding; the canvas is placed relative to that.
  const origin = { left: parseFloat(rootStyle.paddingLeft) || 0, top: parseFloat(rootStyle.paddingTop) || 0 };
  root.insertBefore(box, svg);
  // Positioned elements paint in DOM order: the SVG (axes, hover) must be positioned too to stay on top.
  const svgPosition = svg.style.position;
  svg.style.position = 'relative';

  let placed: Rect | null = null;
  let backing: Backing | null = null;

  const themeObserver = new MutationObserver(invalidate);
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', invalidate);
  let resolution: MediaQueryList | null = null;
  const watchResolution = () => {
    resolution?.removeEventListener('change', onResolution);
    resolution = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    resolution.addEventListener('change', onResolution);
  };
  function onResolution() {
    watchResolution();
    invalidate();
  }
  watchResolution();

  return {
    canvas,
    begin(plot) {
      const rect = padRect({ left: origin.left + plot.left, top: origin.top + plot.top, width: plot.width, height: plot.height }, PAD);
      const next = canvasBacking(rect.width, rect.height, window.devicePixelRatio || 1, BUCKET);
      if (!placed || placed.left !== rect.left || placed.top !== rect.top || placed.width !== rect.width || placed.height !== rect.height) {
        Object.assign(box.style, { left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
        placed = rect;
      }
      if (!backing || backing.width !== next.width || backing.height !== next.height) {
        canvas.width = next.width; // resizing the backing store also clears it
        canvas.height = next.height;
      }
      if (!backing || backing.cssWidth !== next.cssWidth || backing.cssHeight !== next.cssHeight) {
        Object.assign(canvas.style, { width: `${next.cssWidth}px`, height: `${next.cssHeight}px` });
      }
      backing = next;
      const ctx = canvas.getContext('2d');
      if (!ctx) return null;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(next.scaleX, 0, 0, next.scaleY, PAD * next.scaleX, PAD * next.scaleY);
      return { ctx, columns: Math.max(1, Math.round(plot.width * next.scaleX)) };
    },
    destroy() {
      themeObserver.disconnect();
      scheme.removeEventListener('change', invalidate);
      resolution?.removeEventListener('change', onResolution);
      box.remove();
      svg.style.position = svgPosition;
    },
  };
}
