import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURES, dropFiles, waitForLayers, waitForScan } from './helpers';

test('the URL follows the view, and reopening it restores the same layer and settings', async ({ page }) => {
  await page.goto('/');
  await waitForLayers(page);
  await page.locator('.layer-row[data-tensor="conv2.weight"]').click();
  await page.getByTestId('conv-definition').selectOption('unfold');
  await expect(page.locator('.metrics-definition')).toContainText('unfold');
  await expect(page).toHaveURL(/[?&]v=1&sample=stroke-cnn&layer=conv2\.weight&view=layer&conv=unfold/);
  const link = page.url();
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.locator('.layer-detail h2')).toHaveText('conv2.weight');
  await expect(other.locator('.metrics-definition')).toContainText('unfold');
  await expect(other.getByTestId('conv-definition')).toHaveValue('unfold');
  expect(other.url()).toBe(link);
});

test('a link made on a local file says which file to drop, then restores the view', async ({ page }) => {
  await page.goto(`/?v=1&file=${encodeURIComponent(JSON.stringify(['tiny-mlp.safetensors']))}&layer=fc2.weight&view=layer&mp=0`);
  await expect(page.getByTestId('restore-hint')).toContainText('tiny-mlp.safetensors');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'tiny-mlp.safetensors')]);
  await expect(page.locator('.layer-detail h2')).toHaveText('fc2.weight');
  await expect(page.getByTestId('restore-hint')).toHaveCount(0);
  await expect(page.locator('.metric-group [data-column="sigma_mp"]')).toHaveCount(0);
  await expect(page).toHaveURL(/layer=fc2\.weight/);
});

/** The sample's TF.js form, served from public/samples (a model.json and its one shard). */
const SHARDS = ['weights.bin'];
const TFJS_LAYER = 'conv2/kernel';

test('a ?url= link opens a model the browser may fetch (here a TF.js model and its shard), and a bad URL says what to do', async ({ page }) => {
  const urls = ['samples/stroke-cnn/model.json', ...SHARDS.map((s) => `samples/stroke-cnn/${s}`)];
  await page.goto(`/?v=1&${urls.map((u) => `url=${encodeURIComponent(u)}`).join('&')}&layer=${encodeURIComponent(TFJS_LAYER)}&view=layer`);
  await expect(page.getByTestId('model-name')).toContainText('tfjs');
  await expect(page.locator('.layer-detail h2')).toHaveText(TFJS_LAYER);
  await expect(page.locator('.view-esd')).toHaveAttribute('data-ready', 'true');
  await expect(page).toHaveURL(/[?&]url=samples%2Fstroke-cnn%2Fmodel\.json&url=/);

  // A server that cannot be reached (port 9 on this machine: nothing listens there).
  await page.goto(`/?v=1&url=${encodeURIComponent('http://127.0.0.1:9/no-such-model.onnx')}`);
  const banner = page.getByRole('alert');
  await expect(banner).toHaveAttribute('data-error-code', 'URL_FETCH_FAILED');
  await expect(banner).toContainText('no-such-model.onnx');
  await expect(banner).toContainText('cross-origin');
  await expect(banner).toContainText('Download the file and drop it');
});
