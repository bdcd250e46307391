/**
 * Issue 9's benchmarks: the time to analyse a study of checkpoints in Chromium, with the CLI's
 * `--checkpoints` run on the same files as the reference of this machine, and the time to compare two
 * GPT-2-small-shaped models (ΔW of every matrix) in the app and with `--diff`.
 */
import { execSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM_ARGS } from '../playwright.config';
import { gpt2SmallFineTuned, gpt2SmallModel } from './largeFiles';

const ROOT = join(import.meta.dirname, '..');
type Record = (benchmark: string, value: number, unit: string, note?: string) => void;

/** Wall seconds of one CLI run. */
function cliSeconds(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'analyze', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`CLI failed: ${run.stderr}`);
  return (performance.now() - start) / 1000;
}

/** Seconds until the open study reports every checkpoint analysed. */
async function studySeconds(page: Page, start: () => Promise<void>): Promise<number> {
  const t0 = Date.now();
  await start();
  await page.locator('.study-page[data-study="done"]').waitFor({ timeout: 900_000 });
  return (Date.now() - t0) / 1000;
}

export async function checkpointsBench(page: Page, url: string, record: Record, pair: { base: string; tuned: string }): Promise<void> {
  // 1. The grokking sample: 20 checkpoints × 3 layers, fetched and analysed from a click.
  const grok = join(ROOT, 'public', 'samples', 'grokking');
  const files = readdirSync(grok)
    .filter((f) => f.endsWith('.safetensors'))
    .map((f) => join(grok, f));
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    await page.goto(url);
    await page.getByTestId('open-study-grokking').waitFor();
    runs.push(await studySeconds(page, () => page.getByTestId('open-study-grokking').click()));
  }
  const median = [...runs].sort((a, b) => a - b)[1] as number;
  record(`study: grokking sample, ${files.length} checkpoints from a click (fetch + analyse), median of 3`, median, 's', `runs ${runs.map((r) => r.toFixed(2)).join(', ')}`);
  const cli = cliSeconds(['--checkpoints', ...files, '--json', '--mp-fit']);
  record('  reference: the CLI, --checkpoints on the same 20 files (Node, incl. start-up)', cli, 's', `app/CLI ${(median / cli).toFixed(2)}`);

  // 2. A GPT-2-small-shaped pair (base and a rank-8 fine-tune): both scanned as a study, then ΔW of every matrix.
  await page.goto(url);
  await page.locator('.progress-text[data-total-ms]').waitFor({ timeout: 60_000 });
  const scan = await studySeconds(page, () => page.getByTestId('file-input').setInputFiles([pair.base, pair.tuned]));
  record('study: GPT-2-small-shaped pair (2 × 50 matrices, incl. 50257×768), both scanned', scan, 's');
  await page.getByTestId('diff-a').selectOption({ index: 0 });
  await page.getByTestId('diff-b').selectOption({ index: 1 });
  const t0 = Date.now();
  await page.getByTestId('diff-run').click();
  await page.locator('[data-testid="diff-panel"][data-diff="done"]').waitFor({ timeout: 900_000 });
  const diff = (Date.now() - t0) / 1000;
  const rows = await page.getByTestId('diff-table').locator('tbody tr').count();
  record(`ΔW: GPT-2-small-shaped pair in Chromium (${rows} matrices: ΔW spectrum + top-10 subspaces)`, diff, 's');
  const cliDiff = cliSeconds(['--diff', pair.base, pair.tuned, '--json']);
  record('  reference: the CLI, --diff on the same pair (Node, WASM SIMD)', cliDiff, 's', `app/CLI ${(diff / cliDiff).toFixed(2)}`);
}

// Alone (`npx tsx bench/checkpoints.ts`): build, serve the build with the app's headers, and measure just this section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const base = gpt2SmallModel();
  const tuned = gpt2SmallFineTuned();
  execSync('npx vite build --logLevel error', { stdio: 'inherit' });
  const server = await preview({ preview: { port: 4183, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await checkpointsBench(page, 'http://127.0.0.1:4183/', (benchmark, value, unit, note) => console.log(`${benchmark.padEnd(64)} ${String(Math.round(value * 100) / 100).padStart(8)} ${unit}${note ? `  (${note})` : ''}`), {
      base: base.path,
      tuned: tuned.path,
    });
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
