/**
 * `npm run bench`: measurements in real Chromium (Debian's), against a production build served by
 * `vite preview` with the app's headers. Prints a table and writes bench-results/results.json.
 * Timings are wall-clock on this machine and vary run to run: read them as ±20 %.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { preview } from 'vite';
import { BENCH_DIR, denseMatrixFile, gpt2SmallFineTuned, gpt2SmallModel, sevenGigabyteModel, shardedSet } from './largeFiles';
import { checkpointsBench } from './checkpoints';
import { cliScanSeconds, mpFitSeconds, nativeSvdSeconds } from './nodeScans';
import { denseChartsBench } from './denseCharts';
import { probeCurvesBench } from './probeCurves';
import { CHROMIUM_ARGS } from '../playwright.config';

interface Row {
  readonly benchmark: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}
const rows: Row[] = [];
/** Numbers one section hands to a later one. */
const benchmarkContext = { chromiumScan: NaN };
const record = (benchmark: string, value: number, unit: string, note?: string) => {
  rows.push({ benchmark, value: Math.round(value * 1000) / 1000, unit, note });
  console.log(`${benchmark.padEnd(58)} ${String(Math.round(value * 1000) / 1000).padStart(10)} ${unit}${note ? `  (${note})` : ''}`);
};

/**
 * JS heap of the page and of its workers, via the cross-origin-isolated memory API when present.
 * Slow (that API waits for a garbage collection): never call it inside a timed section.
 */
async function heapMiB(page: Page): Promise<{ main: number; total: number | null }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const main = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
  const total = await page.evaluate(async () => {
    const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
    if (!p.measureUserAgentSpecificMemory) return null;
    try {
      return (await p.measureUserAgentSpecificMemory()).bytes / 2 ** 20;
    } catch {
      return null; // not available in this context: report the main heap only
    }
  });
  return { main, total };
}

async function setFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(paths);
}

async function main(): Promise<void> {
  const sparse = sevenGigabyteModel();
  const sharded = shardedSet();
  const embedding = denseMatrixFile(50257, 768);
  const gpt2 = gpt2SmallModel();
  const gpt2Tuned = gpt2SmallFineTuned();
  execSync('npx vite build --logLevel error', { stdio: 'inherit' });
  const server = await preview({ preview: { port: 4180, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
  const url = 'http://127.0.0.1:4180/';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });

    // 1. The sample: page load to first spectrum, and the whole scan.
    for (let run = 0; run < 3; run++) {
      await page.goto(url);
      const done = page.locator('.progress-text[data-total-ms]');
      await done.waitFor({ timeout: 60_000 });
      const firstAt = Number(await done.getAttribute('data-first-at'));
      const total = Number(await done.getAttribute('data-total-ms'));
      if (run === 2) {
        record('sample: navigation → first spectrum', firstAt, 'ms', 'third load, warm cache');
        record('sample: full scan (5 weight tensors)', total, 'ms');
      }
    }

    // 2. The largest single matrix: GPT-2's token embedding shape, 50257×768 (f64 Gram + QL, one worker).
    await setFiles(page, [embedding]);
    await page.locator('.layer-detail[data-ms] h2', { hasText: 'wte.weight' }).waitFor({ timeout: 300_000 });
    record('50257×768 matrix: read + singular values', Number(await page.locator('.layer-detail').getAttribute('data-ms')) / 1000, 's');
    record('  of which reading + decoding', Number(await page.locator('.layer-detail').getAttribute('data-read-ms')) / 1000, 's');

    // 3. A sparse 7 GB safetensors file: time to the layer list, heap, and reading one layer.
    await page.goto(url);
    await page.locator('.progress-text[data-total-ms]').waitFor();
    let t0 = Date.now();
    await setFiles(page, [sparse.path]);
    await page.locator('.app[data-model-state="ready"]').waitFor({ timeout: 60_000 });
    await page.locator('.layer-row').first().waitFor();
    record(`7 GB safetensors (${(sparse.bytes / 1e9).toFixed(2)} GB, ${sparse.tensors} tensors): time to layer list`, Date.now() - t0, 'ms');
    await page.locator('.layer-row[data-status="ok"]').first().waitFor({ timeout: 120_000 });
    record('7 GB safetensors: time to first spectrum', Date.now() - t0, 'ms');
    const first = page.locator('.layer-row[data-status="ok"]').first();
    await first.click();
    const detail = page.locator('.layer-detail');
    record(`  in the worker: ${await first.getAttribute('data-tensor')} read + spectrum`, Number(await detail.getAttribute('data-ms')), 'ms');
    record('  of which reading + decoding its bytes', Number(await detail.getAttribute('data-read-ms')), 'ms');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.progress[data-state="cancelled"]').waitFor();
    const heap7 = await heapMiB(page);
    record('7 GB safetensors: JS heap after the first layer, cancelled (page)', heap7.main, 'MiB');
    if (heap7.total !== null) record('7 GB safetensors: JS heap incl. workers', heap7.total, 'MiB');

    // 4. The sharded set.
    t0 = Date.now();
    await setFiles(page, sharded.paths);
    await page.locator(`.layer-row >> nth=${sharded.tensors - 1}`).waitFor({ timeout: 60_000 });
    record(`sharded set (4 shards, ${(sharded.bytes / 2 ** 30).toFixed(2)} GiB, ${sharded.tensors} tensors): time to layer list`, Date.now() - t0, 'ms');
    await page.getByRole('button', { name: 'Cancel' }).click().catch(() => undefined);
    const heapSharded = await heapMiB(page);
    record('sharded set: JS heap (page)', heapSharded.main, 'MiB');

    // 5. A full scan of a GPT-2-small-shaped model (50 matrices incl. the 50257×768 embedding), WASM SIMD
    //    and, as the reference in the same browser, the plain-TypeScript route.
    const scanSeconds: Record<string, number> = {};
    for (const [route, path] of [['WASM SIMD', '/'], ['plain TypeScript', '/?linalg=ts']] as const) {
      await page.goto(url + path.slice(1));
      await page.locator('.progress-text[data-total-ms]').waitFor({ timeout: 60_000 });
      await setFiles(page, [gpt2.path]);
      await page.getByTestId('model-name').filter({ hasText: 'gpt2-small' }).waitFor({ timeout: 60_000 });
      const done = page.locator('.progress-text[data-total-ms]');
      await done.waitFor({ timeout: 900_000 });
      const total = Number(await done.getAttribute('data-total-ms')) / 1000;
      scanSeconds[route] = total;
      record(`GPT-2-small full scan in Chromium, ${route} (${gpt2.tensors} matrices, incl. MP fits)`, total, 's');
      for (const stage of ['read', 'svd', 'metrics'] as const) {
        record(`  worker time: ${stage === 'svd' ? 'singular values' : stage === 'read' ? 'reading + decoding' : 'metrics + fits'} (summed over workers)`, Number(await done.getAttribute(`data-${stage}-ms`)) / 1000, 's');
      }
    }
    record('  ratio TypeScript / WASM', (scanSeconds['plain TypeScript'] ?? NaN) / (scanSeconds['WASM SIMD'] ?? NaN), '×');
    benchmarkContext.chromiumScan = scanSeconds['WASM SIMD'] ?? NaN;

    // 5a. Probes and curve sweeps (issues 7 and 8).
    await probeCurvesBench(page, url, record);
    await checkpointsBench(page, url, record, { base: gpt2.path, tuned: gpt2Tuned.path });

    // 5b. Dense marks: the spectrum chart with 100k singular values on its canvas layer, against SVG marks and 1k values.
    await denseChartsBench(browser, record);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  // 6. The same scan from the CLI in Node, and numpy/LAPACK on the same matrices (the native reference).
  const wasmCli = cliScanSeconds(gpt2.path, ['--max-n', '60000', '--mp-fit']);
  record(`GPT-2-small full scan, CLI in Node, WASM SIMD (${wasmCli.layers} layers, --max-n 60000 --mp-fit)`, wasmCli.seconds, 's');
  const tsCli = cliScanSeconds(gpt2.path, ['--max-n', '60000', '--mp-fit', '--linalg', 'typescript']);
  record('GPT-2-small full scan, CLI in Node, plain TypeScript', tsCli.seconds, 's');
  // The native timings vary by ±30 % run to run on this box (OpenBLAS threading): three runs, median and best.
  const nativeRuns = [0, 1, 2].map(() => nativeSvdSeconds(gpt2.path));
  const native = nativeRuns[0];
  if (native) {
    const times = nativeRuns.map((r) => r?.seconds ?? NaN).sort((a, b) => a - b);
    const median = times[1] as number;
    const best = times[0] as number;
    record(`GPT-2-small: numpy ${native.numpy} (${native.blas}) svd(compute_uv=False) f64, all 50 matrices, median of 3`, median, 's', `runs ${times.map((t) => t.toFixed(1)).join(', ')} s`);
    record('  of which the 50257×768 embedding (first run)', native.perMatrix['wte.weight'] ?? NaN, 's');
    record('  ratio Chromium WASM scan / native SVDs, median (goal ≤ 0.5)', benchmarkContext.chromiumScan / median, '×');
    record('  ratio Chromium WASM scan / native SVDs, best native run', benchmarkContext.chromiumScan / best, '×');
    record('  ratio CLI WASM scan (one thread) / native SVDs, median', wasmCli.seconds / median, '×');
  } else console.log('native reference skipped: python3 with numpy not found');
  record('WeightWatcher 0.7.5.5 analyze() on this shape (fixture, 49 layers, no wte)', 15.35, 's', 'ww_synthetic_gpt2small.json');

  // 7. MP fits on real models: ours vs the seconds WeightWatcher's mp_fit=True added.
  for (const m of await mpFitSeconds()) {
    record(`MP fits, ${m.key} (${m.layers} layers): ours`, m.ours, 's', `WW +${m.ww.toFixed(1)} s, ${(m.ww / m.ours).toFixed(0)}× faster`);
  }

  writeFileSync(join(BENCH_DIR, 'results.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  console.log(`\nwrote ${join(BENCH_DIR, 'results.json')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
