import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURES, dropFiles, waitForScan } from './helpers';

/** Screenshots for people to look at (not baselines); kept out of git. */
const SHOTS = join(import.meta.dirname, '..', 'screenshots');

test('the sample: built-in inputs through its TF.js form, class profiles of conv2, a direction linked to the spectrum', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=layer');
  await waitForScan(page);
  await page.getByTestId('tab-probe').click();
  await expect(page.locator('main[data-page="probe"]')).toBeVisible();
  await page.getByTestId('probe-use-sample').click();
  await expect(page.getByTestId('probe-run')).toBeEnabled();
  await expect(page.getByTestId('probe-run')).toHaveText(/100 inputs/);
  await page.getByTestId('probe-run').click();
  const view = page.getByTestId('profiles-view');
  await expect(view).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(view).toHaveAttribute('data-layer', 'conv2.weight');
  // Five classes in the heatmap, the hypergraph and the Jaccard matrix.
  await expect(page.getByTestId('profile-hypergraph').locator('[data-node]')).not.toHaveCount(0);
  expect(await page.locator('.chart-jaccard [data-row]').count()).toBeGreaterThanOrEqual(5);
  // Click a direction in the hypergraph: the spectrum marks it and the top inputs list appears.
  const direction = page.getByTestId('profile-hypergraph').locator('g.hg-node[data-direction]:not([data-direction=""])').first();
  const k = Number(await direction.getAttribute('data-direction'));
  await direction.click();
  await expect(view).toHaveAttribute('data-selected-direction', String(k));
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-highlight-rank', String(k + 1));
  await expect(page.getByTestId('top-inputs')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('top-inputs').locator('img')).not.toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`view=probe.*inputs=builtin.*dir=${k}`));
  await page.screenshot({ path: join(SHOTS, 'probe-conv2.png'), fullPage: true });

  // Class overlap by layer: one dot per probed layer; the profiles export as CSV.
  const overlap = page.getByTestId('overlap-by-depth');
  await expect(overlap.locator('.view-overlap')).toHaveAttribute('data-ready', 'true');
  expect(Number(await overlap.getAttribute('data-points'))).toBeGreaterThanOrEqual(4);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('probe-export-csv').click()]);
  const text = await (await csv.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(text.split('\n')[0]).toBe('layer,definition,direction_k,sigma,class,inputs,weight,mean_weight');
  expect(text).toContain('conv2.weight,conv unfold,');
  expect(text).toContain('fc1.weight,dense,');

  // The dual, and the link reopens the same view (inputs, layer, direction) in a new tab.
  await page.getByTestId('hypergraph-dual').check();
  await expect(page.getByTestId('profile-hypergraph')).toHaveAttribute('data-mode', 'dual');
  const other = await page.context().newPage();
  await other.goto(page.url());
  await expect(other.locator('main[data-page="probe"]')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId('probe-run')).toHaveText(/100 inputs/, { timeout: 30_000 });
  await other.getByTestId('probe-run').click();
  await expect(other.getByTestId('profiles-view')).toHaveAttribute('data-selected-direction', String(k), { timeout: 60_000 });
  await expect(other.getByTestId('profile-hypergraph')).toHaveAttribute('data-mode', 'dual');
  await other.close();
});

test('an embed of the hypergraph runs the built-in inputs by itself', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 640 });
  await page.goto('/?v=1&sample=stroke-cnn&layer=fc1.weight&view=probe&inputs=builtin&embed=1&panel=hypergraph');
  await expect(page.getByTestId('profile-hypergraph')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('profile-heatmap')).toHaveCount(0);
  await expect(page.locator('.app-header')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'embed-hypergraph.png') });
  // The class overlap by layer embeds too; a click on a dot selects that layer.
  await page.goto('/?v=1&sample=stroke-cnn&layer=fc1.weight&view=probe&inputs=builtin&embed=1&panel=overlap');
  const dots = page.locator('.view-overlap circle[data-layer]');
  await expect(dots).not.toHaveCount(0, { timeout: 60_000 });
  await page.locator('.view-overlap circle[data-layer="conv2.weight"]').click();
  await expect(page.locator('.embed-title')).toContainText('conv2.weight');
  await page.screenshot({ path: join(SHOTS, 'embed-overlap.png') });
});

test('a weights-only file says probes need a runnable model; the rest keeps working', async ({ page }) => {
  await page.goto('/');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'tiny-mlp.safetensors')]);
  await waitForScan(page);
  await page.getByTestId('tab-probe').click();
  await expect(page.getByTestId('probe-not-runnable')).toContainText('weights only: probes need a runnable model');
  await page.getByTestId('tab-scan').click();
  await expect(page.locator('.view-strip rect.strip-cell')).toHaveCount(3);
});

test('an ONNX model runs in onnxruntime-web from our own origin', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  await waitForScan(page);
  await dropFiles(page, [join(FIXTURES, 'onnx', 'tiny-cnn.onnx')]);
  await waitForScan(page);
  await page.getByTestId('tab-probe').click();
  await expect(page.getByTestId('probe-run')).toBeVisible({ timeout: 30_000 });
  // Two classes of generated images, dropped as files with typed class names.
  for (const [cls, shade] of [
    ['dark', 40],
    ['light', 220],
  ] as const) {
    const files = await page.evaluate(async (v) => {
      const out: { name: string; data: string }[] = [];
      for (let i = 0; i < 4; i++) {
        const c = new OffscreenCanvas(16, 16);
        const g = c.getContext('2d')!;
        g.fillStyle = `rgb(${v + i * 3},${v},${v - i})`;
        g.fillRect(0, 0, 16, 16);
        g.fillStyle = `rgb(${255 - v},0,${i * 40})`;
        g.fillRect(i * 3, 2, 5, 9);
        const blob = await c.convertToBlob({ type: 'image/png' });
        const bytes = new Uint8Array(await blob.arrayBuffer());
        out.push({ name: `img${i}.png`, data: btoa(String.fromCharCode(...bytes)) });
      }
      return out;
    }, shade);
    await page.getByTestId('probe-class-name').fill(cls);
    await page.getByTestId('probe-files-input').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'image/png', buffer: Buffer.from(f.data, 'base64') })));
  }
  await expect(page.getByTestId('probe-run')).toHaveText(/8 inputs/, { timeout: 20_000 });
  // A file that is not an image is listed with the reason, and the rest of the set is kept.
  await page.getByTestId('probe-class-name').fill('dark');
  await page.getByTestId('probe-files-input').setInputFiles([{ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('definitely not a PNG') }]);
  await expect(page.getByTestId('probe-failures')).toContainText('broken.png');
  await expect(page.getByTestId('probe-failures')).toContainText(/could not be decoded|not an image/);
  await expect(page.getByTestId('probe-run')).toHaveText(/8 inputs/);
  await page.getByTestId('probe-run').click();
  await expect(page.getByTestId('profiles-view')).toHaveAttribute('data-ready', /true|false/, { timeout: 60_000 });
  await expect(page.getByTestId('probe-error')).toHaveCount(0);
  const own = new URL(page.url()).origin;
  expect(requests.filter((u) => u.includes('ort-wasm')).every((u) => u.startsWith(own))).toBe(true);
  expect(requests.some((u) => u.includes('ort-wasm') && u.endsWith('.wasm'))).toBe(true);
});
