/**
 * The page side of the dense-marks benchmark (bench/dense.html): mounts the app's spectrum chart core, as
 * `useChart` does, on a synthetic spectrum of n singular values, and measures frames with
 * requestAnimationFrame + performance.now(). `window.denseBench` is driven by bench/denseCharts.ts;
 * `?n=100000&marks=svg&scale=linear&theme=dark` shows one case for looking at by eye.
 *
 * A frame's cost is the main-thread time from the start of its rAF callback (where the input is applied) to a
 * message posted from it, which runs only after that frame's rendering task (ResizeObserver callbacks, the
 * chart's redraw, style, layout and paint recording). Intervals are rAF-to-rAF times (vsync-bound when smooth).
 */
import { spectrumChart } from '../src/views/spectrum/spectrumChart';
import type { SpectrumData } from '../src/views/spectrum/spectrumChart';
import type { Chart } from '../src/views/shared/chart';
import { chartPng, standaloneSvg } from '../src/views/shared/exportChart';
import { gaussian, seededRandom } from '../src/analysis/random/seededRandom';

export interface DenseCase {
  readonly n: number;
  /** false: the same chart with the canvas switched off (SVG path marks), the reference. */
  readonly canvas: boolean;
  readonly reference: boolean;
  readonly scale: 'log' | 'linear';
}

export interface FrameStats {
  readonly frames: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  readonly intervalMedian: number;
  readonly intervalP95: number;
}

export interface MountResult {
  /** What the chart drew with (its `data-marks`). */
  readonly marks: string;
  /** Chart created → its first render done (script only). */
  readonly scriptMs: number;
  /** Chart created → the end of the first frame that shows the marks (incl. style, layout, paint). */
  readonly firstDrawMs: number;
}

export interface DenseBenchApi {
  mount(c: DenseCase): Promise<MountResult>;
  hoverFrames(frames: number): Promise<FrameStats>;
  resizeFrames(frames: number): Promise<FrameStats>;
  exportSvg(): string;
  exportPng(): Promise<string>;
  unmount(): void;
}

declare global {
  interface Window {
    denseBench?: DenseBenchApi;
  }
}

const host = document.getElementById('host') as HTMLDivElement;
const figure = document.getElementById('figure') as HTMLElement;
const caption = document.getElementById('caption') as HTMLElement;
const BASE_WIDTH = 900;

/**
 * A layer-like spectrum: a few outliers, a power-law head and a Marchenko–Pastur-like bulk, with noise so per-column
 * min and max differ, sorted descending; the last 0.5 % exact zeros (rank deficiency, dropped on log axes).
 */
function spectrum(n: number, seed: number, bulk: number): Float64Array {
  const rng = seededRandom(seed);
  const v = new Float64Array(n);
  const zeros = Math.floor(n * 0.005);
  for (let i = 0; i < n - zeros; i++) {
    const t = i / n;
    v[i] = bulk * (1.6 - 1.4 * Math.sqrt(t)) + 8 * (i + 1) ** -0.6 + 0.02 * Math.abs(gaussian(rng));
  }
  return v.sort().reverse();
}

const datasets = new Map<string, SpectrumData>();
function dataFor(c: DenseCase): SpectrumData {
  const key = `${c.n}/${c.reference}/${c.scale}`;
  let d = datasets.get(key);
  if (!d) {
    d = {
      singularValues: spectrum(c.n, 2025, 1),
      scale: c.scale,
      label: `synthetic.weight (${c.n.toLocaleString('en')} values)`,
      reference: c.reference ? { singularValues: spectrum(c.n, 7, 0.8), label: 'random init' } : null,
    };
    datasets.set(key, d);
  }
  return d;
}

let chart: Chart<SpectrumData> | null = null;
let observer: ResizeObserver | null = null;

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
/** Resolves after the current task, i.e. from a rAF callback: after that frame's rendering. */
const afterFrame = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

function stats(costs: number[], intervals: number[]): FrameStats {
  const q = (a: number[], p: number) => {
    const s = [...a].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  };
  return {
    frames: costs.length,
    median: q(costs, 0.5),
    p95: q(costs, 0.95),
    max: Math.max(...costs),
    intervalMedian: q(intervals, 0.5),
    intervalP95: q(intervals, 0.95),
  };
}

/** Apply `input(k)` at the start of `frames` consecutive frames and time each frame. */
async function measureFrames(frames: number, input: (k: number) => void): Promise<FrameStats> {
  const costs: number[] = [];
  const intervals: number[] = [];
  let last = await frame();
  await afterFrame();
  for (let k = 0; k < frames; k++) {
    const ts = await frame();
    const t0 = performance.now();
    input(k);
    await afterFrame();
    costs.push(performance.now() - t0);
    intervals.push(ts - last);
    last = ts;
  }
  return stats(costs, intervals);
}

function unmount(): void {
  observer?.disconnect();
  observer = null;
  chart?.destroy();
  chart = null;
  figure.style.width = `${BASE_WIDTH}px`;
}

async function mount(c: DenseCase): Promise<MountResult> {
  unmount();
  const data = dataFor(c);
  caption.textContent = `${c.n.toLocaleString('en')} values, ${c.canvas ? 'canvas when dense' : 'SVG only'}`;
  await frame();
  await afterFrame();
  const t0 = performance.now();
  // What useChart does: create, size, update, observe.
  const created = spectrumChart(host, c.canvas ? {} : { canvasThreshold: Infinity });
  chart = created;
  const resize = () => created.resize(Math.max(200, host.clientWidth), Math.max(160, host.clientHeight));
  resize();
  created.update(data);
  observer = new ResizeObserver(resize);
  observer.observe(host);
  await frame(); // runs after the chart's own frame callback, which draws
  const t1 = performance.now();
  await afterFrame();
  const t2 = performance.now();
  return { marks: host.querySelector('svg.chart')?.getAttribute('data-marks') ?? '?', scriptMs: t1 - t0, firstDrawMs: t2 - t0 };
}

function hoverFrames(frames: number): Promise<FrameStats> {
  const overlay = host.querySelector<SVGRectElement>('rect.overlay');
  if (!overlay) throw new Error('no chart mounted');
  const box = overlay.getBoundingClientRect();
  // Sweep the pointer across the plot and back, 1/100 of its width per frame.
  return measureFrames(frames, (k) => {
    const step = k % 200;
    const f = (step < 100 ? step : 199 - step) / 99;
    overlay.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: box.left + 1 + f * (box.width - 2), clientY: box.top + box.height / 2, pointerType: 'mouse' }));
  });
}

function resizeFrames(frames: number): Promise<FrameStats> {
  // A new width every frame, as when a window edge is dragged: 700–1100 px over two seconds.
  return measureFrames(frames, (k) => {
    figure.style.width = `${Math.round(BASE_WIDTH + 200 * Math.sin((2 * Math.PI * (k + 1)) / 120))}px`;
  });
}

function svgNode(): SVGSVGElement {
  const svg = host.querySelector<SVGSVGElement>('svg.chart');
  if (!svg) throw new Error('no chart mounted');
  return svg;
}

async function exportPng(): Promise<string> {
  const blob = await chartPng(svgNode());
  return await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

window.denseBench = { mount, hoverFrames, resizeFrames, exportSvg: () => standaloneSvg(svgNode()), exportPng, unmount };

// By-eye mode: ?n=100000[&marks=svg][&scale=linear][&reference=0][&theme=dark]
const params = new URLSearchParams(location.search);
const theme = params.get('theme');
if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
const n = Number(params.get('n'));
if (n > 0) {
  void mount({ n, canvas: params.get('marks') !== 'svg', reference: params.get('reference') !== '0', scale: params.get('scale') === 'linear' ? 'linear' : 'log' });
}
