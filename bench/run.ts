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
import { BENCH_DIR, denseMatrixFile, sevenGigabyteModel, shardedSet } from './largeFiles';
import { CHROMIUM_ARGS } from '../playwright.config';

interface Row {
  readonly benchmark: string;
  readonly value: number;
  readonly unit: string;
  readonly note?: string;
}
const rows: Row[] = [];
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
    record('7 GB safetensors: time to first spectrum (reads one 524 MB tensor)', Date.now() - t0, 'ms');
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
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  writeFileSync(join(BENCH_DIR, 'results.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  console.log(`\nwrote ${join(BENCH_DIR, 'results.json')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
