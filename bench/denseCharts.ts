/**
 * Dense marks: the spectrum chart with 100,000 singular values (plus a 100k reference curve), drawn on its
 * canvas layer, against the same chart with the canvas switched off (SVG path marks) and against 1,000 values.
 * No model can give 100k singular values in a browser (that is a 100k×100k matrix), so bench/dense.html mounts
 * the chart core directly on a synthetic spectrum. That page is production-built into its own folder (the app's
 * build and dist/ are untouched) and served with `vite preview`, like the app in run.ts.
 *
 * Per frame it reports the page's own numbers (main-thread time from the frame's rAF callback to the end of its
 * rendering task, and rAF-to-rAF intervals: 16.7 ms when nothing is dropped) and, from a Chrome trace of the same
 * frames, the busy time of each renderer thread. The trace matters: an SVG path is rasterised on the compositor's
 * raster threads, which the page cannot time, while a canvas is drawn on the main thread.
 *
 * Called from run.ts; alone: `npx tsx bench/denseCharts.ts [--port 4181] [--out DIR]`.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { build, preview } from 'vite';
import { BENCH_DIR } from './largeFiles';
import { CHROMIUM_ARGS } from '../playwright.config';
import type { DenseCase, FrameStats } from './densePage';

type Record = (benchmark: string, value: number, unit: string, note?: string) => void;

const ROOT = resolve(import.meta.dirname, '..');

const CASES: { name: string; c: DenseCase }[] = [
  { name: '100k values, canvas', c: { n: 100_000, canvas: true, reference: true, scale: 'log' } },
  { name: '100k values, SVG path (reference)', c: { n: 100_000, canvas: false, reference: true, scale: 'log' } },
  { name: '1k values, SVG (reference)', c: { n: 1_000, canvas: true, reference: true, scale: 'log' } },
];

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;

interface TraceEvent {
  readonly ph: string;
  readonly name: string;
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time, when the trace has it: what a thread did, not how long it waited for a core. */
  readonly tts?: number;
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string };
}

/** CPU ms per kind of thread that draws the page: the union of each thread's complete ('X') trace events. */
export interface ThreadBusy {
  /** The renderer's main thread: script, style, layout, paint recording, canvas drawing. */
  readonly main: number;
  /** The renderer's worker pool: rasterising tiles (SVG paths and text). */
  readonly raster: number;
  /** The renderer's compositor thread. */
  readonly compositor: number;
  /** The GPU process's display compositor (software compositing under --disable-gpu). */
  readonly display: number;
}

export function threadBusy(events: readonly TraceEvent[]): ThreadBusy {
  const names = new Map<string, string>();
  const renderers = new Set<number>();
  for (const e of events) {
    if (e.ph !== 'M' || e.name !== 'thread_name' || !e.args?.name) continue;
    names.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.args.name === 'CrRendererMain') renderers.add(e.pid);
  }
  const kindOf = (pid: number, name: string): keyof ThreadBusy | null => {
    if (name === 'VizCompositorThread') return 'display';
    if (!renderers.has(pid)) return null;
    if (name === 'CrRendererMain') return 'main';
    if (name === 'Compositor') return 'compositor';
    if (name === 'ThreadPoolForegroundWorker' || name.startsWith('CompositorTileWorker')) return 'raster';
    return null;
  };
  const spans = new Map<string, [number, number][]>();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const key = `${e.pid}:${e.tid}`;
    let list = spans.get(key);
    if (!list) spans.set(key, (list = []));
    list.push(e.tts !== undefined && e.tdur !== undefined ? [e.tts, e.tts + e.tdur] : [e.ts, e.ts + e.dur]);
  }
  const busy = { main: 0, raster: 0, compositor: 0, display: 0 };
  for (const [key, list] of spans) {
    const [pid] = key.split(':');
    const kind = kindOf(Number(pid), names.get(key) ?? '');
    if (!kind) continue;
    list.sort((a, b) => a[0] - b[0]);
    let [start, end] = list[0] as [number, number];
    for (const [s, e] of list) {
      if (s > end) {
        busy[kind] += end - start;
        start = s;
      }
      end = Math.max(end, e);
    }
    busy[kind] += end - start;
  }
  return { main: busy.main / 1000, raster: busy.raster / 1000, compositor: busy.compositor / 1000, display: busy.display / 1000 };
}

/** Run `fn` under a Chrome trace of every thread's tasks; returns its result and the threads' busy time. */
async function traced<T>(page: Page, fn: () => Promise<T>): Promise<{ result: T; busy: ThreadBusy }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'toplevel,cc,viz,blink,devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  const result = await fn();
  const complete = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return { result, busy: threadBusy(events) };
}

export async function denseChartsBench(browser: Browser, record: Record, options: { port?: number; outDir?: string } = {}): Promise<void> {
  const port = options.port ?? 4181;
  const outDir = options.outDir ?? join(BENCH_DIR, 'dense-page');
  await build({
    root: ROOT,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, sourcemap: false, rolldownOptions: { input: join(ROOT, 'bench', 'dense.html') } },
  });
  const server = await preview({ root: ROOT, logLevel: 'error', build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1' } });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`http://127.0.0.1:${port}/bench/dense.html`);
    await page.waitForFunction(() => window.denseBench !== undefined);
    const frames = 240;
    for (const { name, c } of CASES) {
      // One warm-up mount (JIT, data generation), then the median of five first draws.
      await page.evaluate((cc) => window.denseBench?.mount(cc), c);
      const mounts = [];
      for (let i = 0; i < 5; i++) mounts.push(await page.evaluate((cc) => window.denseBench?.mount(cc), c));
      const firstDraw = median(mounts.map((r) => r?.firstDrawMs ?? NaN));
      const script = median(mounts.map((r) => r?.scriptMs ?? NaN));
      record(`dense spectrum, ${name}: first draw (create → frame painted)`, firstDraw, 'ms', `marks: ${mounts[0]?.marks ?? '?'}; script ${script.toFixed(1)} ms; median of 5`);
      for (const phase of ['hover', 'resize'] as const) {
        const { result, busy } = await traced(page, () =>
          page.evaluate(([p, f]) => (p === 'hover' ? window.denseBench?.hoverFrames(f) : window.denseBench?.resizeFrames(f)), [phase, frames] as const),
        );
        if (!result) throw new Error('bench/dense.html did not load');
        report(record, `dense spectrum, ${name}: ${phase}`, result, busy);
      }
    }
    await page.evaluate(() => window.denseBench?.unmount());
    await page.close();
  } finally {
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
}

function report(record: Record, label: string, s: FrameStats, busy: ThreadBusy): void {
  const per = (v: number) => v / s.frames;
  const total = per(busy.main + busy.compositor + busy.raster + busy.display);
  record(`${label}, main-thread ms per frame, median`, s.median, 'ms', `${s.frames} frames; rAF interval median ${s.intervalMedian.toFixed(1)} ms`);
  record(`${label}, main-thread ms per frame, p95`, s.p95, 'ms', `max ${s.max.toFixed(1)} ms; rAF interval p95 ${s.intervalP95.toFixed(1)} ms`);
  record(
    `${label}, CPU of all rendering threads, ms per frame (mean)`,
    total,
    'ms',
    `main ${per(busy.main).toFixed(2)} + raster ${per(busy.raster).toFixed(2)} + compositor ${per(busy.compositor).toFixed(2)} + display ${per(busy.display).toFixed(2)}`,
  );
}

// Alone: build, serve and measure just this section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await denseChartsBench(
      browser,
      (benchmark, value, unit, note) => console.log(`${benchmark.padEnd(92)} ${String(Math.round(value * 100) / 100).padStart(8)} ${unit}${note ? `  (${note})` : ''}`),
      { port: Number(arg('--port') ?? 4181), outDir: arg('--out') },
    );
  } finally {
    await browser.close();
  }
}
