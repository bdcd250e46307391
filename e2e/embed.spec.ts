import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { waitForScan } from './helpers';

/**
 * A slide deck on a second local origin (another port of 127.0.0.1, so a different origin) that embeds views of
 * the app in iframes: the embed must render there, chrome-less, sized to its frame, and load nothing from anywhere
 * but the app's own origin (it works offline).
 */
async function slideServer(html: string) {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('Copy embed code gives an iframe snippet that renders the same view on another origin, offline', async ({ page, baseURL }) => {
  const app = new URL(baseURL ?? '').origin;
  // 1. In the app: open a layer, copy the embed code of its ESD.
  await page.goto('/?v=1&sample=stroke-cnn&layer=conv2.weight&view=layer');
  await waitForScan(page);
  await expect(page.locator('.layer-detail h2')).toHaveText('conv2.weight');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app });
  await page.getByTestId('embed-esd').click();
  await page.getByTestId('embed-snippet').waitFor();
  await page.locator('.embed-popover select').selectOption('dark');
  await page.getByTestId('embed-copy').click();
  await expect(page.locator('.embed-popover [role="status"]')).toHaveText('Copied.');
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  expect(snippet).toBe(await page.getByTestId('embed-snippet').inputValue());
  expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?v=1&amp;sample=stroke-cnn&amp;layer=conv2\.weight&amp;view=layer&amp;embed=1&amp;panel=esd&amp;theme=dark"/);

  // 2. On a slide from another origin, with the network limited to the two local origins.
  const slide = await slideServer(`<!doctype html><html><head><title>Lecture 3</title></head><body style="margin:0;background:#888">
    <h1>Spectra of a trained CNN</h1>${snippet.replace('<iframe ', '<iframe id="esd" ')}
    <iframe id="scan" title="scan" src="${app}/?v=1&sample=stroke-cnn&embed=1&panel=strip" width="900" height="220" style="border:0"></iframe>
  </body></html>`);
  try {
    const requests: string[] = [];
    const context = page.context();
    await context.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith(app) || url.startsWith(slide.origin) ? route.continue() : route.abort('internetdisconnected');
    });
    const deck = await context.newPage();
    await deck.goto(`${slide.origin}/`);
    const esd = deck.frameLocator('#esd');
    await expect(esd.locator('.embed')).toHaveAttribute('data-panel', 'esd');
    await expect(esd.locator('.view-esd')).toHaveAttribute('data-ready', 'true', { timeout: 40_000 });
    await expect(esd.locator('.embed-title')).toContainText('conv2.weight');
    // Chrome-less: no header, toolbar, layer list or footer.
    for (const chrome of ['.app-header', '.toolbar', '.layer-list', '.app-footer']) await expect(esd.locator(chrome)).toHaveCount(0);
    // Sized to its 720×420 frame, in the dark theme the snippet asked for.
    const box = await esd.locator('.view-esd svg.chart').boundingBox();
    expect(box?.width).toBeGreaterThan(650);
    expect(box?.height).toBeGreaterThan(300);
    expect(await esd.locator('html').getAttribute('data-theme')).toBe('dark');
    // The link opens the same view in the full app.
    const open = esd.getByTestId('open-in-app');
    await expect(open).toHaveAttribute('target', '_blank');
    const href = (await open.getAttribute('href')) ?? '';
    expect(new URL(href).searchParams.get('embed')).toBeNull();
    expect(new URL(href).searchParams.get('layer')).toBe('conv2.weight');
    // The scan strip embed on the same slide.
    const scan = deck.frameLocator('#scan');
    await expect(scan.locator('.embed')).toHaveAttribute('data-panel', 'strip');
    await expect(scan.locator('[data-layer]').first()).toBeVisible({ timeout: 40_000 });
    // Offline: everything came from the app's origin (wasm included) or the slide's.
    const foreign = requests.filter((u) => !u.startsWith(app) && !u.startsWith(slide.origin));
    expect(foreign).toEqual([]);
    expect(requests.some((u) => u.startsWith(app) && u.endsWith('.wasm'))).toBe(true);
    await deck.close();
  } finally {
    await slide.close();
  }
});

test('the ΔW charts have embed codes; the spectrum of ΔW embeds alone, chrome-less, once the link’s diff has run', async ({ page }) => {
  const pair = 'da=grok-step-000900.safetensors&db=grok-step-003350.safetensors';
  // 1. In the app: the study's comparison offers Embed beside SVG/PNG on both charts; the code names the pair.
  await page.goto(`/?v=1&sample=grokking&view=study&layer=fc1.weight&${pair}`);
  await expect(page.getByTestId('diff-panel')).toHaveAttribute('data-diff', 'done', { timeout: 60_000 });
  await expect(page.locator('.diff-angles figcaption').getByTestId('embed-principal-angles')).toBeVisible();
  const spectrumCaption = page.locator('.diff-spectrum figcaption');
  await expect(spectrumCaption.getByRole('button', { name: 'SVG' })).toBeVisible();
  await spectrumCaption.getByTestId('embed-delta-spectrum').click();
  const src = ((await page.getByTestId('embed-snippet').inputValue()).match(/src="([^"]+)"/)?.[1] ?? '').replace(/&amp;/g, '&');
  expect(new URL(src).searchParams.get('panel')).toBe('delta-spectrum');
  expect(src).toContain(pair);

  // 2. The embed, in a frame-sized page.
  await page.setViewportSize({ width: 720, height: 420 });
  await page.goto(src);
  await expect(page.locator('.embed')).toHaveAttribute('data-panel', 'delta-spectrum');
  // The link's pair is compared by itself; the chart appears with the layer's ΔW line.
  const chart = page.locator('.embed-body .view-delta-spectrum svg.chart');
  await expect(chart).toBeVisible({ timeout: 60_000 });
  await expect(chart.locator('path.delta-line')).toHaveAttribute('d', /^M.+L/);
  await expect(page.locator('.embed-title')).toContainText('fc1.weight');
  await expect(page.locator('.embed-body figcaption')).toContainText('fc1.weight: spectrum of ΔW, step 900 → step 3350');
  // Just that chart: not the angles, the ΔW table or its controls, nor the app's chrome or export buttons.
  for (const other of ['.view-principal-angles', '[data-testid="diff-table"]', '[data-testid="diff-panel"]', '.chart-export', '.app-header', '.toolbar', '.layer-list', '.app-footer']) {
    await expect(page.locator(other)).toHaveCount(0);
  }
  // It fills the frame below its caption.
  const box = await chart.boundingBox();
  expect(box?.width).toBeGreaterThan(650);
  expect(box?.height).toBeGreaterThan(250);
});
