import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURES, dropFiles, waitForLayers, waitForScan } from './helpers';

/** Screenshots for people to look at (not baselines); kept out of git and out of Playwright's cleaned output dir. */
const SHOTS = join(import.meta.dirname, '..', 'screenshots');

test('the page is cross-origin isolated (SharedArrayBuffer available)', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});

test('opens on the embedded sample and shows every layer spectrum', async ({ page }) => {
  await page.goto('/');
  await waitForLayers(page);
  await expect(page.getByTestId('model-name')).toContainText('stroke-cnn');
  const rows = page.locator('.layer-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(8);
  // Every weight tensor got a spectrum; biases are listed but not analysed.
  await expect(page.locator('.layer-row[data-status="ok"]')).toHaveCount(5);
  await expect(page.locator('.layer-row[data-status="bad"]')).toHaveCount(0);
  await expect(page.locator('.layer-detail')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.view-spectrum path.series-main')).toHaveAttribute('d', /^M.+L/);
  expect(await page.locator('.view-esd .bars rect').count()).toBeGreaterThan(3);
  await page.screenshot({ path: join(SHOTS, 'sample-first-layer.png') });

  // Keyboard: move down the list to the conv layer and see its pooled spectrum.
  await page.locator('.layer-row[data-tensor="conv2.weight"]').click();
  await expect(page.locator('.layer-detail h2')).toHaveText('conv2.weight');
  await expect(page.locator('.metrics-definition')).toContainText('ww-pooled');
  await expect(page.locator('.metrics-definition')).toContainText('λ = ½σ²');
  await expect(page.locator('.metric-group [data-column="alpha"] dd')).toHaveText(/^\d+\.\d+$/);
  // The ESD carries the fitted power law and MP density; the diagnostics mark the chosen xmin.
  await expect(page.locator('.view-esd path.fit-powerlaw')).toHaveAttribute('d', /^M.+L/);
  await expect(page.locator('.view-esd path.fit-mp')).toHaveAttribute('d', /^M.+L/);
  await expect(page.locator('.view-fit circle.chosen')).toHaveCount(2);
  await page.screenshot({ path: join(SHOTS, 'sample-conv2-fits.png') });
  // Another conv definition restarts the scan and labels every number with it.
  await page.getByTestId('conv-definition').selectOption('operator');
  await expect(page.locator('.metrics-definition')).toContainText('operator', { timeout: 30_000 });
  await expect(page.locator('.stats')).toContainText('256 × (32 × 16) · n = 16');
  await page.getByTestId('conv-definition').selectOption('ww-pooled');
  await expect(page.locator('.metrics-definition')).toContainText('ww-pooled', { timeout: 30_000 });
  // The randomised ESD adds its group of metrics.
  await page.getByTestId('randomize').check();
  await expect(page.locator('.metric-group [data-column="rand_distance"] dd')).toHaveText(/^\d/, { timeout: 30_000 });
  await page.getByTestId('randomize').uncheck();
  await page.locator('.layer-list tbody').press('ArrowDown');
  await expect(page.locator('.layer-row.selected')).toHaveAttribute('data-tensor', 'conv2.bias');
  await page.locator('.layer-row[data-tensor="fc1.weight"]').click();
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-ready', 'true');
  // The random-init twin is drawn behind the trained layer for comparison, and can be hidden.
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-reference', 'true');
  await expect(page.locator('.view-spectrum path.series-reference')).toHaveAttribute('d', /^M.+L/);
  await page.screenshot({ path: join(SHOTS, 'sample-fc1.png') });
  await page.getByLabel(/compare with/).uncheck();
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-reference', 'false');
});

test('dropping a generated safetensors file analyses it', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'tiny-mlp.safetensors')]);
  await expect(page.getByTestId('model-name')).toContainText('tiny-mlp.safetensors');
  await waitForLayers(page);
  await expect(page.locator('.layer-row[data-status="ok"]')).toHaveCount(3);
  await expect(page.locator('.view-spectrum path.series-main')).toHaveAttribute('d', /^M.+L/);
});

test('the Open button takes an F16 conv model and a sharded set', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await page.getByTestId('file-input').setInputFiles(join(FIXTURES, 'tiny-cnn-f16.safetensors'));
  await expect(page.getByTestId('model-name')).toContainText('tiny-cnn-f16.safetensors');
  await waitForLayers(page);
  expect(await page.locator('.layer-row[data-status="ok"]').count()).toBeGreaterThanOrEqual(2);

  const shards = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json'];
  await page.getByTestId('file-input').setInputFiles(shards.map((f) => join(FIXTURES, 'sharded', f)));
  await expect(page.getByTestId('model-name')).toContainText('safetensors');
  await waitForLayers(page);
  expect(await page.locator('.layer-row[data-status="ok"]').count()).toBeGreaterThanOrEqual(2);
});

for (const [file, code] of [
  ['truncated-header.safetensors', /TRUNCATED|HEADER_TOO_LARGE/],
  ['bad-json.safetensors', /BAD_HEADER_JSON/],
  ['offsets-out-of-bounds.safetensors', /OFFSETS_OUT_OF_BOUNDS/],
  ['not-a-model.txt', /UNKNOWN_FORMAT/],
] as const) {
  test(`a bad file (${file}) gets a specific error and the app keeps working`, async ({ page }) => {
    await page.goto('/');
    await waitForLayers(page);
    await dropFiles(page, [join(FIXTURES, file)]);
    const banner = page.getByRole('alert');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('data-error-code', code);
    await expect(banner).toContainText(file);
    await expect(banner).toContainText('What to do');
    if (file === 'bad-json.safetensors') await page.screenshot({ path: join(SHOTS, 'error-bad-json.png') });
    // The sample is still open and usable.
    await expect(page.getByTestId('model-name')).toContainText('stroke-cnn');
    await page.locator('.layer-row[data-tensor="fc2.weight"]').click();
    await expect(page.locator('.view-spectrum')).toHaveAttribute('data-ready', 'true');
    // And a good file still opens afterwards.
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    await dropFiles(page, [join(FIXTURES, 'tiny-mlp.safetensors')]);
    await waitForScan(page);
    await expect(page.getByTestId('model-name')).toContainText('tiny-mlp.safetensors');
  });
}

test('an unsupported dtype is listed with a clear reason while the rest is analysed', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'unsupported-dtype.safetensors')]);
  await waitForLayers(page);
  const quantized = page.locator('.layer-row[data-tensor="quantized.weight"]');
  await expect(quantized).toHaveAttribute('data-status', 'skipped');
  await expect(quantized.locator('.status')).toHaveAttribute('title', /dtype I8 is not supported/);
  await quantized.click();
  await expect(page.locator('.layer-detail')).toContainText('Not analysed: dtype I8 is not supported');
  await expect(page.locator('.layer-row[data-status="ok"]')).toHaveCount(2);
});

test('a long scan shows progress and can be cancelled, then resumed', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  // A generated model with a few large matrices: long enough to cancel mid-scan.
  const big = await bigModelBase64();
  await page.evaluate((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const input = document.querySelector<HTMLInputElement>('[data-testid="file-input"]');
    if (!input) throw new Error('no file input');
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'big.safetensors'));
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, big);
  await expect(page.locator('.progress')).toHaveAttribute('data-state', 'running');
  await expect(page.locator('.progress progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('.progress')).toHaveAttribute('data-state', 'cancelled');
  const doneBefore = await page.locator('.scan-row[data-status="ok"]').count();
  expect(doneBefore).toBeLessThan(6);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('.progress')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(page.locator('.scan-row[data-status="ok"]')).toHaveCount(6);
});

/** Six 1024×1024 float32 matrices (seeded), as base64 safetensors. */
async function bigModelBase64(): Promise<string> {
  const { writeSafetensors } = await import('../src/formats/safetensors/writeSafetensors');
  const { seededRandom } = await import('../src/analysis/random/seededRandom');
  const rng = seededRandom(7);
  const tensors = Array.from({ length: 6 }, (_, i) => ({
    name: `layer${i}.weight`,
    dtype: 'F32' as const,
    shape: [1024, 1024],
    data: Float32Array.from({ length: 1024 * 1024 }, () => rng() - 0.5),
  }));
  return Buffer.from(writeSafetensors(tensors)).toString('base64');
}

test('NaN/Inf weights are counted and flagged per layer, never fed to the SVD', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'nan-weights.safetensors')]);
  await waitForLayers(page);
  await expect(page.locator('.layer-row[data-tensor="good.weight"]')).toHaveAttribute('data-status', 'ok');
  const broken = page.locator('.layer-row[data-tensor="broken.weight"]');
  await expect(broken).toHaveAttribute('data-status', 'bad');
  await expect(broken.locator('.status')).toHaveAttribute('title', '2 NaN and 1 ±Inf values: not analysed');
  await broken.click();
  await expect(page.locator('.layer-detail [role="alert"]')).toContainText('2 NaN and 1 ±Inf');
});

test('the theme follows the system and can be switched to light or dark, and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await waitForScan(page);
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(await background()).toBe('rgb(15, 18, 22)');
  await page.getByTestId('theme-toggle').click();
  await expect(page.getByTestId('theme-toggle')).toHaveText('theme: light');
  expect(await background()).toBe('rgb(255, 255, 255)');
  await page.getByTestId('theme-toggle').click();
  await expect(page.getByTestId('theme-toggle')).toHaveText('theme: dark');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(15, 18, 22)');
  await page.reload();
  await expect(page.getByTestId('theme-toggle')).toHaveText('theme: dark');
  await page.getByTestId('theme-toggle').click();
  await expect(page.getByTestId('theme-toggle')).toHaveText('theme: system');
  expect(await background()).toBe('rgb(255, 255, 255)');
});
