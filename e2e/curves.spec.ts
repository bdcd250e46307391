import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURES, dropFiles, waitForScan } from './helpers';

/** Screenshots for people to look at (not baselines); kept out of git. */
const SHOTS = join(import.meta.dirname, '..', 'screenshots');

test('the sample: stimuli through conv2, radial tuning, ranking, curvature and the conv1 → conv2 circuit; the link reopens it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=layer');
  await waitForScan(page);
  await page.getByTestId('tab-curves').click();
  await expect(page.locator('main[data-page="curves"]')).toBeVisible();
  await expect(page.getByTestId('curves-run')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('curve-step').selectOption('2');
  await page.getByTestId('curves-run').click();
  const results = page.getByTestId('curve-results');
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results).toHaveAttribute('data-units', '32');
  await expect(page.locator('.curve-unit-row')).toHaveCount(32);
  await expect(page.getByTestId('curve-radial').locator('[data-unit]').first()).toBeVisible();
  await expect(page.getByTestId('curve-heatmap').locator('svg.chart')).toBeVisible();
  await expect(page.getByTestId('curve-circuit').locator('svg.chart')).toBeVisible();
  await expect(page).toHaveURL(/view=curves.*cstep=2/);
  await page.screenshot({ path: join(SHOTS, 'curves-sample-conv2.png') });
  for (const id of ['curve-radial', 'curve-heatmap', 'curve-circuit']) {
    await page.getByTestId(id).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `curves-sample-conv2-${id}.png`) });
  }
  // Focus another unit from the ranking: the heatmap follows and the link keeps it.
  const second = page.locator('.curve-unit-row').nth(1);
  const unit = await second.getAttribute('data-unit');
  await second.click();
  await expect(page.getByTestId('curve-heatmap')).toContainText(`ch ${unit}`);
  await expect(page).toHaveURL(new RegExp(`cunit=${unit}`));
  const other = await page.context().newPage();
  await other.goto(page.url());
  await expect(other.locator('main[data-page="curves"]')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId('curve-step')).toHaveValue('2');
  await other.close();
});

test('a hand-built line detector comes out tuned to its orientation, and rotating the kernel rotates the tuning', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'onnx', 'line-detector.onnx')]);
  await waitForScan(page);
  const first = await page.locator('.scan-row[data-status="ok"]').first().getAttribute('data-layer');
  await page.locator(`.scan-row[data-layer="${first}"]`).click();
  await page.getByTestId('tab-curves').click();
  await expect(page.getByTestId('curves-run')).toBeEnabled({ timeout: 30_000 });
  // Its kernels are bright lines on a dark ground: lines, light on dark, every 1°.
  await page.getByTestId('curve-kind').selectOption('line');
  await page.getByTestId('curve-ink').selectOption('light');
  await page.getByTestId('curve-step').selectOption('1');
  await page.getByTestId('curves-run').click();
  await expect(page.getByTestId('curve-results')).toHaveAttribute('data-units', '4', { timeout: 60_000 });
  // Channel k's kernel is a line at 45°·k: its preferred orientation is 45°·k (a line is the same at θ + 180°).
  for (let k = 0; k < 4; k++) {
    const theta = Number(await page.locator(`.curve-unit-row[data-unit="${k}"]`).getAttribute('data-theta'));
    const off = Math.abs((((theta - 45 * k) % 180) + 270) % 180 - 90);
    expect(off, `channel ${k} prefers ${theta}°`).toBeLessThanOrEqual(1);
    expect(Number(await page.locator(`.curve-unit-row[data-unit="${k}"]`).getAttribute('data-selectivity'))).toBeGreaterThan(0.5);
  }
  await page.getByTestId('curve-radial').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'curves-line-detector.png') });

  // Circuit editing: channel 0's kernel replaced by a hand-built vertical line detector now prefers 90°.
  await page.getByTestId('edit-op').selectOption('replace');
  await page.getByTestId('edit-unit').fill('0');
  await page.getByTestId('edit-theta').fill('90');
  await page.getByTestId('edit-radius').fill('0');
  await page.getByTestId('edit-apply').click();
  await expect(page.getByTestId('curve-edit')).toHaveAttribute('data-edits', '1', { timeout: 60_000 });
  await expect(page.getByTestId('edit-before-after')).toBeVisible({ timeout: 60_000 });
  const preferred = async () => Number(await page.locator('.curve-unit-row[data-unit="0"]').getAttribute('data-theta'));
  await expect.poll(async () => Math.abs((((await preferred()) - 90) % 180 + 270) % 180 - 90)).toBeLessThanOrEqual(2);
  await page.getByTestId('edit-before-after').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'curves-line-detector-edited.png') });
  // The edited model downloads as ONNX; the file the user dropped is untouched (it is only ever read).
  const [onnx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('edit-export-onnx').click()]);
  expect(onnx.suggestedFilename()).toBe('line-detector.edited.onnx');
  // Back to the file's weights: channel 0 prefers 0° again.
  await page.getByTestId('edit-reset').click();
  await expect(page.getByTestId('curve-edit')).toHaveAttribute('data-edits', '0');
  await expect.poll(async () => Math.abs((((await preferred()) - 0) % 180 + 270) % 180 - 90), { timeout: 60_000 }).toBeLessThanOrEqual(1);
});

test('an embed of the radial tuning runs the stimuli of its link by itself', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 900, height: 640 });
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=curves&cstep=5&chstep=10&embed=1&panel=tuning&theme=dark');
  await expect(page.getByTestId('curve-radial').locator('[data-unit]').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('curve-heatmap')).toHaveCount(0);
  await expect(page.locator('.app-header')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'embed-tuning-dark.png') });
});
