import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { waitForScan } from './helpers';

/** Screenshots for people to look at (not baselines); kept out of git. */
const SHOTS = join(import.meta.dirname, '..', 'screenshots');

test('the scan: strip, metric by depth and table, linked by hover; a click opens the layer, Esc comes back', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await expect(page.locator('main[data-page="scan"]')).toBeVisible();
  // Every analysed layer in depth order in the strip and the depth chart; every tensor in the table.
  await expect(page.locator('.view-strip rect.strip-cell[data-layer]')).toHaveCount(5);
  await expect(page.locator('.view-depth circle.depth-dot')).toHaveCount(5);
  await expect(page.locator('.layer-table .scan-row')).toHaveCount(10);
  // Hover one view, the others highlight the same layer.
  await page.locator('.scan-row[data-layer="fc1.weight"]').hover();
  await expect(page.locator('.view-depth circle.hovered')).toHaveAttribute('data-layer', 'fc1.weight');
  await expect(page.locator('.view-strip .hovered')).toHaveAttribute('data-layer', 'fc1.weight');
  await page.locator('.view-depth circle[data-layer="conv3.weight"]').hover();
  await expect(page.locator('.scan-row.hovered')).toHaveAttribute('data-layer', 'conv3.weight');
  await expect(page.locator('.view-strip .hovered')).toHaveAttribute('data-layer', 'conv3.weight');
  await page.screenshot({ path: join(SHOTS, 'scan.png') });
  // One metric selector colours the strip and plots the depth chart.
  await page.getByTestId('scan-metric').selectOption('stable_rank');
  await expect(page.locator('.view-depth svg')).toHaveAttribute('aria-label', /stable rank of 5 layers/);
  await expect(page).toHaveURL(/[?&]metric=stable_rank/);
  await page.getByTestId('scan-metric').selectOption('alpha');
  // Clicking a strip cell opens the layer view; Esc goes back to the scan.
  await page.locator('.view-strip rect.strip-cell[data-layer="conv3.weight"]').click();
  await expect(page.locator('main[data-page="layer"]')).toBeVisible();
  await expect(page.locator('.layer-detail h2')).toHaveText('conv3.weight');
  await expect(page).toHaveURL(/layer=conv3\.weight&view=layer/);
  await page.keyboard.press('Escape');
  await expect(page.locator('main[data-page="scan"]')).toBeVisible();
  await expect(page.locator('.view-depth circle.selected')).toHaveAttribute('data-layer', 'conv3.weight');
});

test('the layer table sorts by any metric and filters by name, kind or a condition', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  const table = page.getByRole('table', { name: 'All layers and metrics' });
  await expect(table).toBeVisible();
  const alphaHeader = table.locator('th[data-column="alpha"]');
  await alphaHeader.getByRole('button').click();
  await expect(alphaHeader).toHaveAttribute('aria-sort', /ascending|descending/);
  const sorted = async () =>
    (await table.locator('.scan-row td[data-column="alpha"]').evaluateAll((tds) => tds.map((td) => Number((td.getAttribute('title') ?? '').split(' = ')[1])))).filter(Number.isFinite);
  const first = await sorted();
  expect(first.length).toBe(5);
  const direction = (await alphaHeader.getAttribute('aria-sort')) === 'ascending' ? 1 : -1;
  expect(first).toEqual([...first].sort((a, b) => direction * (a - b)));
  await page.getByTestId('layer-filter').fill('kind:conv2d');
  await expect(page.getByTestId('layer-count')).toContainText('3 of 10');
  await page.getByTestId('layer-filter').fill('alpha>0 fc');
  await expect(table.locator('.scan-row')).toHaveCount(2);
  await page.getByTestId('layer-filter').fill('');
  await expect(table.locator('.scan-row')).toHaveCount(10);
});

test('keyboard: j/k and arrows move, Enter opens, Esc goes back, ? lists the shortcuts', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv1.weight');
  await waitForScan(page);
  await expect(page).toHaveURL(/layer=conv1\.weight/);
  await page.locator('body').press('j');
  await expect(page).toHaveURL(/layer=conv2\.weight/);
  await page.locator('body').press('ArrowDown');
  await expect(page).toHaveURL(/layer=conv3\.weight/);
  await page.locator('body').press('k');
  await expect(page).toHaveURL(/layer=conv2\.weight/);
  await page.locator('body').press('Enter');
  await expect(page.locator('.layer-detail h2')).toHaveText('conv2.weight');
  await page.locator('body').press('j');
  await expect(page.locator('.layer-detail h2')).toHaveText('conv3.weight');
  await page.locator('body').press('Escape');
  await expect(page.locator('main[data-page="scan"]')).toBeVisible();
  await page.locator('body').press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Enter');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // Focus is visible: a focused control gets an outline.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => (document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : 'none'));
  expect(outline).not.toBe('none');
});

test('the main views have accessible names', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=layer');
  await waitForScan(page);
  for (const name of ['Layers', 'Layer view', 'Layer metrics', 'Views']) await expect(page.getByRole('navigation', { name }).or(page.getByLabel(name, { exact: true })).first()).toBeVisible();
  await page.getByTestId('tab-scan').click();
  await expect(page.getByRole('main', { name: 'Whole-model scan' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'All layers and metrics' })).toBeVisible();
});
