import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { waitForScan } from './helpers';
import { singularValues } from '../src/analysis/linalg/singularValues';

const SHOTS = join(import.meta.dirname, '..', 'screenshots');

test('low-rank what-if: rank k for 90 % energy, its cost against dense, k marked on the spectrum; pooled conv spectra say to use unfold', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=fc1.weight&view=layer');
  await waitForScan(page);
  const panel = page.getByTestId('lowrank');
  await expect(panel).toBeVisible();
  // fc1 is 64 × 512: rank k costs k·(64 + 512) parameters against 32 768.
  await panel.getByRole('button', { name: /90 % energy/ }).click();
  const k = Number(await panel.getAttribute('data-k'));
  expect(k).toBeGreaterThan(1);
  await expect(page.locator('.view-spectrum')).toHaveAttribute('data-highlight-rank', String(k));
  await expect(page.getByTestId('lowrank-params')).toContainText(`32.8 k → ${k * 576 >= 1e4 ? (k * 576 / 1e3).toPrecision(3) + ' k' : String(k * 576)}`);
  await expect(page.getByTestId('lowrank-energy')).toContainText(/9\d\.\d %/);
  await page.getByTestId('lowrank-k').fill('1');
  await expect(panel).toHaveAttribute('data-k', '1');
  await expect(page.getByTestId('lowrank-params')).toContainText('32.8 k → 576');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'lowrank-fc1.png') });
  // conv2 under WeightWatcher's pooled definition has no single matrix to factorise; under unfold it does.
  await page.locator('.layer-row', { hasText: 'conv2.weight' }).click();
  await expect(page.getByTestId('lowrank-unavailable')).toContainText('unfold');
  await page.getByTestId('conv-definition').selectOption('unfold');
  await expect(page.getByTestId('lowrank')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('lowrank')).toContainText('3×3 conv + 1×1 conv');
});

/** Run the CLI on a file and return its layers by name. */
function cliLayers(path: string): Record<string, Record<string, number | string>> {
  const out = execFileSync(process.execPath, [join(import.meta.dirname, '..', 'cli', 'bin.mjs'), 'analyze', path, '--json', '--min-evals', '0'], { encoding: 'utf8' });
  const doc = JSON.parse(out) as { layers: Record<string, number | string>[] };
  return Object.fromEntries(doc.layers.map((l) => [String(l.name), l]));
}

test('rank-k truncation: the outputs on the probe inputs, and the truncated model as a download that reopens with rank k', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&layer=fc1.weight&view=layer');
  await waitForScan(page);
  const panel = page.getByTestId('lowrank');
  await panel.getByRole('button', { name: /90 % energy/ }).click();
  const k = Number(await panel.getAttribute('data-k'));
  // The model run with fc1 at its 90 % rank keeps every top-1 answer of the 100 built-in inputs; at rank 1 it does not.
  await page.getByTestId('lowrank-outputs-run').click();
  await expect(page.getByTestId('lowrank-outputs-result')).toHaveAttribute('data-agreement', '1');
  await page.getByTestId('lowrank-k').fill('1');
  await page.getByTestId('lowrank-outputs-run').click();
  await expect(page.getByTestId('lowrank-outputs-result')).not.toHaveAttribute('data-agreement', '1');
  const agreement = Number(await page.getByTestId('lowrank-outputs-result').getAttribute('data-agreement'));
  expect(agreement).toBeLessThan(0.8);
  // The download at rank k: fc1 has exactly k singular values above rounding, the other layers are the file's.
  await panel.getByRole('button', { name: /90 % energy/ }).click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('lowrank-export-run').click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe(`stroke-cnn.rank-${k}.safetensors`);
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-'));
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  // fc1 (stored F32) has k singular values and then only float32 rounding (σ_{k+1} < 1e-5·σ₁); the rest is unchanged.
  const bytes = readFileSync(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const fc1 = header['fc1.weight'] as { dtype: string; shape: number[]; data_offsets: [number, number] };
  expect([fc1.dtype, fc1.shape]).toEqual(['F32', [64, 512]]);
  const start = 8 + headerLength + fc1.data_offsets[0];
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + 64 * 512 * 4));
  const sigma = singularValues(values, 64, 512);
  expect((sigma[k - 1] as number) / (sigma[0] as number)).toBeGreaterThan(1e-3);
  expect((sigma[k] as number) / (sigma[0] as number)).toBeLessThan(1e-5);
  const truncated = cliLayers(path);
  const original = cliLayers(join(import.meta.dirname, '..', 'public', 'samples', 'stroke-cnn.safetensors'));
  expect(truncated['conv2.weight']?.alpha).toBe(original['conv2.weight']?.alpha);
  expect(truncated['fc1.weight']?.log_spectral_norm).toBeCloseTo(Number(original['fc1.weight']?.log_spectral_norm), 5);
});

test('whole-model low-rank totals, and every layer as factor pairs', async ({ page }) => {
  await page.goto('/?v=1&sample=stroke-cnn&conv=unfold');
  await waitForScan(page);
  const table = page.getByTestId('model-lowrank');
  await expect(table.locator('tbody tr')).toHaveCount(5);
  const ratio = Number(await page.getByTestId('model-lowrank-total').locator('td[data-ratio]').first().getAttribute('data-ratio'));
  expect(ratio).toBeGreaterThan(0.2);
  expect(ratio).toBeLessThan(1);
  await page.getByTestId('model-lowrank-export').getByLabel('What to write').selectOption('factors');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('model-lowrank-export-run').click();
  const file = await downloading;
  const path = join(mkdtempSync(join(tmpdir(), 'lowrank-')), file.suggestedFilename());
  await file.saveAs(path);
  const header = JSON.parse(readFileSync(path).subarray(8, 8 + Number(readFileSync(path).readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape: number[] } | Record<string, string>>;
  const left = header['fc1.lowrank_left'] as { shape: number[] };
  const right = header['fc1.lowrank_right'] as { shape: number[] };
  expect(left.shape[0]).toBe(64);
  expect(right.shape[1]).toBe(512);
  expect(left.shape[1]).toBe(right.shape[0]);
  // A conv becomes a k-channel 3×3 conv and a 1×1 conv (OIHW).
  expect((header['conv2.lowrank_right'] as { shape: number[] }).shape.slice(1)).toEqual([16, 3, 3]);
  expect((header['conv2.lowrank_left'] as { shape: number[] }).shape.slice(2)).toEqual([1, 1]);
  expect((header.__metadata__ as Record<string, string>).lowrank_form).toBe('factors');
});
