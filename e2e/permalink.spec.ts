import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURES, dropFiles, waitForScan } from './helpers';

test('the URL follows the view, and reopening it restores the same layer and settings', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await page.locator('.layer-row[data-tensor="conv2.weight"]').click();
  await page.getByTestId('conv-definition').selectOption('unfold');
  await expect(page.locator('.metrics-definition')).toContainText('unfold');
  await expect(page).toHaveURL(/[?&]v=1&sample=stroke-cnn&layer=conv2\.weight&conv=unfold/);
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.locator('.layer-detail h2')).toHaveText('conv2.weight');
  await expect(other.locator('.metrics-definition')).toContainText('unfold');
  await expect(other.getByTestId('conv-definition')).toHaveValue('unfold');
  expect(other.url()).toBe(link);
});

test('a link made on a local file says which file to drop, then restores the view', async ({ page }) => {
  await page.goto(`/?v=1&file=${encodeURIComponent(JSON.stringify(['tiny-mlp.safetensors']))}&layer=fc2.weight&mp=0`);
  await expect(page.getByTestId('restore-hint')).toContainText('tiny-mlp.safetensors');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'tiny-mlp.safetensors')]);
  await expect(page.locator('.layer-detail h2')).toHaveText('fc2.weight');
  await expect(page.getByTestId('restore-hint')).toHaveCount(0);
  await expect(page.locator('.metric-group [data-column="sigma_mp"]')).toHaveCount(0);
  await expect(page).toHaveURL(/layer=fc2\.weight/);
});
