import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { waitForScan } from './helpers';

/**
 * Screenshot tests with committed baselines (e2e/screenshots.spec.ts-snapshots/): the scan, a layer view and an
 * embed of the sample model, at the fixed viewport of playwright.config.ts, light theme. The numbers behind the
 * pictures are seeded and deterministic; timings are masked. After a deliberate visual change, look at the new
 * pictures, then update with `npx playwright test e2e/screenshots.spec.ts --update-snapshots`.
 */
const SHOT = { animations: 'disabled', caret: 'hide', maxDiffPixelRatio: 0.004 } as const;

/** Things that differ run to run: timings. */
const volatile = (page: Page) => [page.locator('.progress-text'), page.locator('.stats [data-linalg]')];

test('the scan of the sample model', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight');
  await waitForScan(page);
  await expect(page.locator('.view-depth')).toHaveAttribute('data-ready', 'true');
  await page.mouse.move(0, 0);
  await expect(page).toHaveScreenshot('scan.png', { ...SHOT, mask: volatile(page) });
});

test('the layer view of a conv layer', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=layer');
  await waitForScan(page);
  await expect(page.locator('.layer-detail h2')).toHaveText('conv2.weight');
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-reference', 'true');
  await expect(page.locator('.view-fit circle.chosen')).toHaveCount(2);
  await page.mouse.move(0, 0);
  await expect(page).toHaveScreenshot('layer-conv2.png', { ...SHOT, mask: volatile(page) });
});

test('an embed of a layer ESD, dark', async ({ page }) => {
  await page.setViewportSize({ width: 720, height: 420 });
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=layer&embed=1&panel=esd&theme=dark');
  await expect(page.locator('.embed')).toHaveAttribute('data-scan', 'done');
  await expect(page.locator('.embed')).toHaveAttribute('data-reference', 'ready');
  await expect(page.locator('.view-esd')).toHaveAttribute('data-ready', 'true');
  await page.mouse.move(0, 0);
  await expect(page).toHaveScreenshot('embed-esd-dark.png', SHOT);
});
