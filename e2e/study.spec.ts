import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { dropFiles } from './helpers';

const ROOT = join(import.meta.dirname, '..');
const GROK = join(ROOT, 'public', 'samples', 'grokking');
const CHECKPOINTS = readdirSync(GROK)
  .filter((f) => f.endsWith('.safetensors'))
  .sort();

/** Wait until every checkpoint of the open study is analysed. */
async function waitForStudy(page: Page): Promise<void> {
  await expect(page.locator('.study-page')).toHaveAttribute('data-study', 'done', { timeout: 60_000 });
}

/** The values of one layer's line in the metric-vs-step chart, in step order. */
async function lineValues(page: Page, layer: string): Promise<number[]> {
  return page.locator(`.chart-step g.step-layer[data-layer="${layer}"] circle`).evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-value'))));
}

test('the grokking sample opens in one click as a study, and its numbers are the CLI’s', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('open-study-grokking').click();
  await expect(page.locator('[data-page="study"]')).toBeVisible();
  await waitForStudy(page);
  await expect(page.getByTestId('study-checkpoints').locator('tbody tr')).toHaveCount(CHECKPOINTS.length);
  // Every layer at every checkpoint, with the training log beside it.
  await page.getByTestId('study-metric').selectOption('energy_rank_90');
  await expect(page.getByTestId('study-steps')).toHaveAttribute('data-points', String(3 * CHECKPOINTS.length));
  await expect(page.locator('.chart-step .step-curve[data-curve="test_acc"]')).toHaveCount(1);

  // The app's export and `npm run analyze -- --checkpoints` agree exactly on every metric of every layer and step: the
  // metrics use our own log/exp/pow (src/analysis/math/elementary.ts), since this Chromium's V8 and Node 20's differ by
  // an ulp in Math.log / Math.exp / Math.pow for a few % of arguments.
  const cli = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'analyze', '--checkpoints', ...CHECKPOINTS.map((f) => join(GROK, f)), '--json', '--mp-fit', '--min-evals', '0'], { encoding: 'utf8' }),
  ) as { records: Record<string, string | number>[] };
  const downloading = page.waitForEvent('download');
  await page.getByTestId('study-export-json').click();
  const app = JSON.parse(readFileSync((await (await downloading).path()) as string, 'utf8')) as { records: Record<string, string | number>[] };
  expect(app.records.length).toBe(cli.records.length);
  const mismatches: string[] = [];
  for (const [i, c] of cli.records.entries()) {
    const a = app.records[i] as Record<string, string | number>;
    for (const column of Object.keys(c)) {
      if (a[column] !== c[column]) mismatches.push(`${String(c.checkpoint)} ${String(c.name)} ${column}: app ${String(a[column])}, CLI ${String(c[column])}`);
    }
  }
  expect(mismatches).toEqual([]);
  // The chart draws those numbers: fc1's 90 %-energy rank falls from the first checkpoint to the last.
  const fc1 = await lineValues(page, 'fc1.weight');
  const fc1Cli = cli.records.filter((r) => r.name === 'fc1.weight').map((r) => r.energy_rank_90);
  expect(fc1).toEqual(fc1Cli);
  expect(fc1[fc1.length - 1] as number).toBeLessThan((fc1[0] as number) / 2);
});

test('the step slider moves every page to another checkpoint; steps are editable; the link reopens it', async ({ page }) => {
  await page.goto('/?v=1&sample=grokking&view=study&layer=fc1.weight');
  await waitForStudy(page);
  await expect(page.getByTestId('study-step-value')).toContainText('step 6000 (20 of 20)');
  const slider = page.getByTestId('study-step-slider');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('study-step-value')).toContainText('step 4280 (19 of 20)');
  await expect(page.getByTestId('model-name')).toContainText('grok-step-004280.safetensors');
  // The small multiples outline the shown checkpoint, and clicking one shows it.
  await expect(page.locator('.chart-spectra-grid .grid-cell.current')).toHaveAttribute('data-checkpoint', 'grok-step-004280.safetensors');
  await page.locator('.chart-spectra-grid .grid-cell[data-checkpoint="grok-step-002360.safetensors"]').click();
  await expect(page.getByTestId('study-step-value')).toContainText('step 2360');
  // The scan and the layer view show that checkpoint too.
  await page.getByTestId('tab-scan').click();
  await expect(page.getByTestId('study-step-bar')).toBeVisible();
  await expect(page.locator('.progress')).toHaveAttribute('data-state', 'done');
  await page.getByTestId('tab-layer').click();
  await expect(page.locator('.layer-detail h2')).toHaveText('fc1.weight');
  await expect(page).toHaveURL(/ckpt=grok-step-002360\.safetensors/);
  // A reload of the link opens the same checkpoint and page.
  await page.reload();
  await expect(page.getByTestId('study-step-value')).toContainText('step 2360');
  await expect(page.locator('.layer-detail h2')).toHaveText('fc1.weight');
  // Editing a step re-orders the study (the first checkpoint moved to the end).
  await page.getByTestId('tab-study').click();
  const first = page.getByLabel('Step of grok-step-000000.safetensors');
  await first.fill('9000');
  await first.press('Enter');
  await expect(page.getByTestId('study-checkpoints').locator('tbody tr').last()).toContainText('grok-step-000000.safetensors');
});

test('dropping two models opens them as a study without steps; a single file stays one model', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.app')).toHaveAttribute('data-model-state', 'ready');
  await dropFiles(page, [join(ROOT, 'public', 'samples', 'stroke-cnn-init.safetensors'), join(ROOT, 'public', 'samples', 'stroke-cnn.safetensors')]);
  await expect(page.locator('[data-page="study"]')).toBeVisible();
  await waitForStudy(page);
  await expect(page.getByTestId('study-checkpoints').locator('tbody tr')).toHaveCount(2);
  await expect(page.locator('.chart-step .axis-label').first()).toHaveText('checkpoint (no steps in the names)');
  await expect(page.locator('.chart-step g.step-layer')).toHaveCount(5);
  await dropFiles(page, [join(ROOT, 'public', 'samples', 'stroke-cnn.safetensors')]);
  await expect(page.getByTestId('tab-study')).toHaveCount(0);
  await expect(page.getByTestId('model-name')).toContainText('stroke-cnn.safetensors');
});

test('ΔW between two checkpoints: the CLI’s numbers, linked to the layer, in the link; the app’s plots of the grokking run', async ({ page }) => {
  const a = 'grok-step-000900.safetensors';
  const b = 'grok-step-003350.safetensors';
  await page.goto(`/?v=1&sample=grokking&view=study&layer=fc1.weight&metric=energy_rank_90&da=${a}&db=${b}`);
  await waitForStudy(page);
  // The link's comparison runs by itself once both checkpoints are open.
  await expect(page.getByTestId('diff-panel')).toHaveAttribute('data-diff', 'done', { timeout: 60_000 });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('diff-export-json').click();
  const app = JSON.parse(readFileSync((await (await downloading).path()) as string, 'utf8')) as { records: Record<string, string | number>[] };
  const cli = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'cli', 'bin.mjs'), 'analyze', '--diff', join(GROK, a), join(GROK, b), '--json'], { encoding: 'utf8' })) as {
    records: Record<string, string | number>[];
  };
  expect(app.records.map((r) => r.name)).toEqual(cli.records.map((r) => r.name));
  for (const [i, c] of cli.records.entries()) {
    const r = app.records[i] as Record<string, string | number>;
    for (const column of ['delta_energy_rank_90', 'delta_matrix_rank', 'subspace_k']) expect(r[column]).toBe(c[column]);
    for (const column of ['rel_change', 'delta_stable_rank', 'subspace_cos2', 'max_principal_angle_deg']) expect(Number(r[column])).toBeCloseTo(Number(c[column]), 10);
  }
  // Clicking a row selects that layer everywhere; the spectrum of its ΔW is drawn.
  await page.getByTestId('diff-table').locator('tr[data-layer="out.weight"]').click();
  await expect(page.getByTestId('diff-view')).toHaveAttribute('data-layer-shown', 'out.weight');
  await expect(page).toHaveURL(/da=grok-step-000900/);
  // The app's own plots of the run, for the record (screenshots/, git-ignored).
  await page.getByTestId('diff-table').locator('tr[data-layer="fc1.weight"]').click();
  await page.getByTestId('study-steps').scrollIntoViewIfNeeded();
  await page.getByTestId('study-steps').screenshot({ path: join(ROOT, 'screenshots', 'study-grokking-k90.png') });
  await page.getByTestId('study-metric').selectOption('stable_rank');
  await page.getByTestId('study-steps').screenshot({ path: join(ROOT, 'screenshots', 'study-grokking-stable-rank.png') });
  await page.getByTestId('study-spectra').screenshot({ path: join(ROOT, 'screenshots', 'study-grokking-fc1-spectra.png') });
  await page.getByTestId('diff-panel').screenshot({ path: join(ROOT, 'screenshots', 'study-grokking-diff-900-3350.png') });
});
