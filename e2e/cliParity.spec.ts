import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { waitForLayers, waitForScan } from './helpers';

const ROOT = join(import.meta.dirname, '..');

/** The CLI's JSON for the sample, every layer included (WW's min_evals filter off), with the MP fit as the app runs it. */
function cliLayers(): Record<string, Record<string, number | string>> {
  const out = execFileSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'analyze', join(ROOT, 'public', 'samples', 'stroke-cnn.safetensors'), '--json', '--mp-fit', '--min-evals', '0'], {
    encoding: 'utf8',
  });
  const doc = JSON.parse(out) as { layers: Record<string, number | string>[] };
  return Object.fromEntries(doc.layers.map((l) => [String(l.name), l]));
}

for (const [route, url, linalg, isolated] of [
  ['WASM SIMD', '/', 'wasm-simd128 f64', true],
  ['plain TypeScript', '/?linalg=ts', 'typescript f64', true],
  ['WASM SIMD, dense Grams split across threads on shared memory', '/?gram=parallel', 'wasm-simd128 f64, Gram on several threads', true],
  // A host that cannot send COOP/COEP: no shared memory, so no parallel Gram and no shared cancel flag; the
  // single-thread WASM kernel still runs, with the same numbers.
  ['not cross-origin isolated', '/?gram=parallel', 'wasm-simd128 f64', false],
] as const) {
  test(`the app (${route}) and \`npm run analyze\` print identical numbers for every layer of the sample`, async ({ page }) => {
    const cli = cliLayers();
    expect(Object.keys(cli)).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc1.weight', 'fc2.weight']);
    if (!isolated) {
      await page.route('**/*', async (r) => {
        const response = await r.fetch();
        const headers = { ...response.headers() };
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await r.fulfill({ response, headers });
      });
    }
    await page.goto(url);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
    await waitForLayers(page);
    await page.locator('.layer-row[data-tensor="fc1.weight"]').click();
    await expect(page.locator('[data-linalg]')).toHaveAttribute('data-linalg', linalg);
    let compared = 0;
    const mismatches: string[] = [];
    for (const [name, record] of Object.entries(cli)) {
      await page.locator(`.layer-row[data-tensor="${name}"]`).click();
      await expect(page.locator('.layer-detail h2')).toHaveText(name);
      await expect(page.locator('.metrics-definition')).toContainText(String(record.definition));
      const shown = await page.locator('.metric-group [data-column]').evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-column') ?? '', el.querySelector('dd')?.getAttribute('data-value') ?? '']),
      );
      expect(shown.length).toBeGreaterThan(15);
      for (const [column, value] of shown) {
        if (value !== String(record[column as string])) mismatches.push(`${name} ${column}: app ${value}, CLI ${String(record[column as string])}`);
        compared++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(80);
  });
}

test('the metrics exported from the app as CSV and as a Netron attachment are the files `npm run analyze` writes', async ({ page }) => {
  const analyze = (output: string) =>
    execFileSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'analyze', join(ROOT, 'public', 'samples', 'stroke-cnn.safetensors'), output, '--mp-fit', '--min-evals', '0'], {
      encoding: 'utf8',
    });
  const cli = analyze('--csv');
  await page.goto('/');
  await waitForScan(page);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toBe('stroke-cnn-metrics.csv');
  expect(readFileSync(await csv.path(), 'utf8')).toBe(cli);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const doc = JSON.parse(readFileSync(await json.path(), 'utf8')) as { layers: { name: string; alpha: number }[] };
  expect(doc.layers.map((l) => l.name)).toEqual(['conv1.weight', 'conv2.weight', 'conv3.weight', 'fc1.weight', 'fc2.weight']);
  const [netron] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-netron').click()]);
  expect(netron.suggestedFilename()).toBe('stroke-cnn-netron.json');
  const attachment = readFileSync(await netron.path(), 'utf8');
  expect(JSON.parse(attachment)).toMatchObject({ signature: 'netron:attachment' });
  expect(attachment).toBe(analyze('--netron'));
});
