/**
 * Activation probes and curve sweeps in Chromium (issues 7 and 8), wall-clock from the click to the views being
 * ready, on the built app: the sample's built-in probe set, its conv2 curve sweeps at the default 0.5° step (with
 * conv1 for the circuit), and PP-OCRv4 detection's conv2d_400 (with conv2d_399) at 64 × 64 when the fixture is installed.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { preview } from 'vite';
import { CHROMIUM_ARGS } from '../playwright.config';

type Record = (benchmark: string, value: number, unit: string, note?: string) => void;

const OCR_DET = join(import.meta.dirname, '..', 'node_modules', '@gutenye', 'ocr-models', 'assets', 'ch_PP-OCRv4_det_infer.onnx');

/** Seconds from `start()` until `ready` is visible. */
async function timed(start: () => Promise<void>, ready: () => Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  await start();
  await ready();
  return (Date.now() - t0) / 1000;
}

export async function probeCurvesBench(page: Page, url: string, record: Record): Promise<void> {
  // Probes: 100 built-in stroke images through the sample's five layers (first run includes the SVDs of U).
  await page.goto(`${url}?v=1&sample=stroke-cnn&layer=conv2.weight&view=probe`);
  await page.getByTestId('probe-use-sample').click({ timeout: 60_000 });
  const probe = await timed(
    () => page.getByTestId('probe-run').click(),
    () => page.locator('[data-testid="profiles-view"][data-ready="true"]').waitFor({ timeout: 120_000 }),
  );
  record('sample: probe 100 inputs × 5 layers (first run)', probe, 's');

  // Curves: 720 radial + 648 orientation × curvature + 64 baseline stimuli, through conv1 and conv2.
  await page.getByTestId('tab-curves').click();
  const curves = await timed(
    () => page.getByTestId('curves-run').click({ timeout: 60_000 }),
    () => page.locator('[data-testid="curve-results"]').waitFor({ timeout: 300_000 }),
  );
  record('sample: curve sweeps, 0.5° (2 × 1432 stimuli, conv1 + conv2)', curves, 's', `${((curves * 1000) / 2864).toFixed(2)} ms per stimulus per layer`);

  if (!existsSync(OCR_DET)) return;
  await page.goto(url);
  await page.locator('.progress-text[data-total-ms]').waitFor({ timeout: 60_000 });
  await page.getByTestId('file-input').setInputFiles(OCR_DET);
  await page.getByTestId('model-name').filter({ hasText: 'det_infer' }).waitFor({ timeout: 60_000 });
  await page.locator('.scan-row[data-layer="conv2d_400.w_0"]').click({ timeout: 120_000 });
  await page.getByTestId('tab-probe').click();
  for (const side of ['probe-height', 'probe-width']) {
    await page.getByTestId(side).fill('64', { timeout: 60_000 });
    await page.getByTestId(side).press('Enter');
  }
  await page.getByTestId('tab-curves').click();
  await page.getByTestId('curve-kind').selectOption('line');
  const det = await timed(
    () => page.getByTestId('curves-run').click(),
    () => page.locator('[data-testid="curve-results"]').waitFor({ timeout: 600_000 }),
  );
  record('PP-OCRv4 det: curve sweeps 64×64, 0.5° (2 × 1432 stimuli)', det, 's', `${((det * 1000) / 2864).toFixed(2)} ms per stimulus per layer`);
}

// Alone (`npx tsx bench/probeCurves.ts`): build, serve the build with the app's headers, and measure just this section.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  execSync('npx vite build --logLevel error', { stdio: 'inherit' });
  const server = await preview({ preview: { port: 4182, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await probeCurvesBench(page, 'http://127.0.0.1:4182/', (benchmark, value, unit, note) =>
      console.log(`${benchmark.padEnd(64)} ${String(Math.round(value * 100) / 100).padStart(8)} ${unit}${note ? `  (${note})` : ''}`),
    );
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}
