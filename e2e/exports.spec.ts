import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { waitForLayers, waitForScan } from './helpers';

test('every chart downloads as a self-contained SVG and as a 2× PNG', async ({ page }) => {
  await page.goto('/');
  await waitForLayers(page);
  await page.locator('.layer-row[data-tensor="conv2.weight"]').click();
  await expect(page.locator('.view-fit circle.chosen')).toHaveCount(2);
  const figure = page.locator('figure', { has: page.locator('.view-esd') });
  const [svg] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'SVG' }).click()]);
  expect(svg.suggestedFilename()).toBe('conv2.weight-esd.svg');
  const text = readFileSync(await svg.path(), 'utf8');
  expect(text.startsWith('<svg')).toBe(true);
  expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(text).toMatch(/class="fit fit-powerlaw"[^>]*style="[^"]*stroke:rgb/);
  const box = await figure.locator('svg.chart').boundingBox();
  const [png] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'PNG' }).click()]);
  const bytes = readFileSync(await png.path());
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(bytes.readUInt32BE(16)).toBe(Math.round((box?.width ?? 0) * 2));
  expect(bytes.readUInt32BE(20)).toBe(Math.round((box?.height ?? 0) * 2));
  for (const view of ['.view-spectrum', '.view-fit']) {
    const fig = page.locator('figure', { has: page.locator(view) });
    const [file] = await Promise.all([page.waitForEvent('download'), fig.getByRole('button', { name: 'SVG' }).click()]);
    expect(readFileSync(await file.path(), 'utf8')).toContain('<path');
  }
});

test('the scan strip and the depth chart export too, with the strip legend inside the file', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  const strip = page.locator('figure.strip');
  const [svg] = await Promise.all([page.waitForEvent('download'), strip.getByRole('button', { name: 'SVG' }).click()]);
  expect(svg.suggestedFilename()).toBe('scan-alpha.svg');
  const text = readFileSync(await svg.path(), 'utf8');
  expect(text).toContain('over-trained &lt; 2');
  expect(text).toContain('data-layer="conv2.weight"');
  const depth = page.locator('figure', { has: page.locator('.view-depth') });
  const [png] = await Promise.all([page.waitForEvent('download'), depth.getByRole('button', { name: 'PNG' }).click()]);
  expect(png.suggestedFilename()).toBe('depth-alpha.png');
  expect(readFileSync(await png.path()).subarray(1, 4).toString('latin1')).toBe('PNG');
});
