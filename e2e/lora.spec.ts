import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { waitForLayers } from './helpers';
import { writeSafetensors } from '../src/formats/safetensors/writeSafetensors';
import { singularValues } from '../src/analysis/linalg/singularValues';
import { gaussian, seededRandom } from '../src/analysis/random/seededRandom';

/** A PEFT adapter (rank 4 on a 32 × 64 layer, lora_alpha 8, so scale 2) and its config, written for this test. */
function peftAdapter(): { dir: string; sigma: Float64Array } {
  const rng = seededRandom(11);
  const [rank, out, inp] = [4, 32, 64];
  const a = Float32Array.from({ length: rank * inp }, () => gaussian(rng) * 0.1);
  const b = Float32Array.from({ length: out * rank }, () => gaussian(rng) * 0.1);
  const dir = mkdtempSync(join(tmpdir(), 'lora-'));
  writeFileSync(
    join(dir, 'adapter_model.safetensors'),
    writeSafetensors([
      { name: 'base_model.model.fc1.lora_A.weight', dtype: 'F32', shape: [rank, inp], data: a },
      { name: 'base_model.model.fc1.lora_B.weight', dtype: 'F32', shape: [out, rank], data: b },
    ]),
  );
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: rank, lora_alpha: 8, target_modules: ['fc1'] }));
  // The reference: σ of 2·B·A as a dense 32 × 64 matrix.
  const product = new Float64Array(out * inp);
  for (let i = 0; i < out; i++) for (let j = 0; j < inp; j++) for (let r = 0; r < rank; r++) product[i * inp + j] = (product[i * inp + j] as number) + 2 * (b[i * rank + r] as number) * (a[r * inp + j] as number);
  return { dir, sigma: singularValues(product, out, inp) };
}

test('a dropped LoRA adapter is analysed as its update scale·B·A, with the scale from adapter_config.json', async ({ page }) => {
  const { dir, sigma } = peftAdapter();
  await page.goto('/');
  await expect(page.locator('.app')).toHaveAttribute('data-model-state', 'ready');
  await page.getByTestId('file-input').setInputFiles([join(dir, 'adapter_model.safetensors'), join(dir, 'adapter_config.json')]);
  await expect(page.getByTestId('model-name')).toContainText('adapter_model.safetensors');
  await waitForLayers(page);
  const virtual = page.locator('.layer-row[data-tensor="base_model.model.fc1.lora_BA.weight"]');
  await expect(virtual).toHaveAttribute('data-status', 'ok');
  await virtual.click();
  await expect(page.locator('.layer-detail h2')).toHaveText('base_model.model.fc1.lora_BA.weight');
  // Its spectrum: the r = 4 nonzero σ of the product (WeightWatcher's PEFT definition), σ₁ equal to the dense SVD's.
  await expect(page.locator('.layer-detail .stats div', { hasText: 'singular values' }).locator('dd')).toHaveText('4');
  const lambdaMax = Number(await page.locator('.metric-group [data-column="log_spectral_norm"] dd').getAttribute('data-value'));
  expect(lambdaMax).toBeCloseTo(Math.log10((sigma[0] as number) ** 2), 10);
  // The factors are listed, not analysed on their own.
  await expect(page.locator('.layer-row[data-tensor="base_model.model.fc1.lora_A.weight"]')).toHaveAttribute('data-status', 'skipped');
  await expect(page.locator('.layer-row[data-tensor="base_model.model.fc1.lora_A.weight"] td.name')).toHaveAttribute('title', /./);
});
