import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { waitForScan } from './helpers';

const SHOTS = join(import.meta.dirname, '..', 'screenshots');

test('low-rank what-if: rank k for 90 % energy, its cost against dense, k marked on the spectrum; pooled conv spectra say to use unfold', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=fc1.weight&view=layer');
  await waitForScan(page);
  const panel = page.getByTestId('lowrank');
  await expect(panel).toBeVisible();
  // fc1 is 64 × 512: rank k costs k·(64 + 512) parameters against 32 768.
  await panel.getByRole('button', { name: /90 % energy/ }).click();
  const k = Number(await panel.getAttribute('data-k'));
  expect(k).toBeGreaterThan(1);
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-highlight-rank', String(k));
  await expect(page.getByTestId('lowrank-params')).toContainText(`32.8 k → ${k * 576 >= 1e4 ? (k * 576 / 1e3).toPrecision(3) + ' k' : String(k * 576)}`);
  await expect(page.getByTestId('lowrank-energy')).toContainText(/9\d\.\d %/);
  await page.getByTestId('lowrank-k').fill('1');
  await expect(panel).toHaveAttribute('data-k', '1');
  await expect(page.getByTestId('lowrank-params')).toContainText('32.8 k → 576');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'lowrank-fc1.png') });
  // conv2 under WeightWatcher's pooled definition has no single matrix to factorise; under unfold it does.
  await page.locator('.layer-row', { hasText: 'conv2.weight' }).click();
  await expect(page.getByTestId('lowrank-unavailable')).toContainText('unfold');
  await page.getByTestId('conv-definition').selectOption('unfold');
  await expect(page.getByTestId('lowrank')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('lowrank')).toContainText('3×3 conv + 1×1 conv');
});
