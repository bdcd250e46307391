import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FIXTURES, dropFiles, waitForLayers, waitForScan } from './helpers';

const SHOTS = join(import.meta.dirname, '..', 'screenshots');

/** One good file (or file set) per format: it opens, lists its layers, and every weight gets a spectrum. */
const GOOD: { format: string; files: string[]; name: RegExp; minOk: number; conv?: string }[] = [
  { format: 'onnx', files: ['onnx/tiny-cnn.onnx'], name: /tiny-cnn\.onnx · onnx/, minOk: 3, conv: 'Conv' },
  { format: 'onnx (external data)', files: ['onnx/external/tiny-mlp.onnx', 'onnx/external/tiny-mlp.onnx.data'], name: /tiny-mlp\.onnx · onnx/, minOk: 2 },
  { format: 'keras 2 h5', files: ['keras/tiny-cnn-keras2.h5'], name: /tiny-cnn-keras2\.h5 · keras/, minOk: 3, conv: 'Conv2D' },
  { format: 'keras 3', files: ['keras/tiny-cnn.keras'], name: /tiny-cnn\.keras · keras/, minOk: 3, conv: 'HWIO' },
  { format: 'numpy npy', files: ['numpy/dense-64x32.npy'], name: /dense-64x32\.npy · numpy/, minOk: 1 },
  { format: 'numpy npz', files: ['numpy/arrays-compressed.npz'], name: /arrays-compressed\.npz · numpy/, minOk: 3 },
  { format: 'tfjs layers', files: ['tfjs/layers-cnn-uint8/model.json', 'tfjs/layers-cnn-uint8/group1-shard1of1.bin'], name: /model\.json · tfjs/, minOk: 2, conv: 'Conv2D' },
  { format: 'tfjs graph', files: ['tfjs/graph-model/model.json', 'tfjs/graph-model/group1-shard1of3.bin', 'tfjs/graph-model/group1-shard2of3.bin', 'tfjs/graph-model/group1-shard3of3.bin'], name: /model\.json · tfjs/, minOk: 2 },
  { format: 'tfjs weights manifest', files: ['tfjs/weights-manifest/tiny_model-weights_manifest.json', 'tfjs/weights-manifest/tiny_model-shard1'], name: /tiny_model.* · tfjs/, minOk: 2 },
  { format: 'gguf', files: ['gguf/tiny-llm.gguf'], name: /tiny-llm\.gguf · gguf/, minOk: 4 },
  { format: 'pytorch', files: ['pytorch/tiny-cnn.pt'], name: /tiny-cnn\.pt · pytorch/, minOk: 3, conv: 'OIHW' },
];

/** Hostile or broken files: a specific error code, and the app keeps the previous model. */
const BAD: { file: string; with?: string[]; code: RegExp; mentions: string }[] = [
  { file: 'tfjs/missing-shard/model.json', with: ['tfjs/missing-shard/group1-shard1of2.bin'], code: /MISSING_COMPANION/, mentions: 'group1-shard2of2.bin' },
  { file: 'tfjs/bad-json/model.json', code: /BAD_HEADER_JSON/, mentions: 'line 3' },
  { file: 'onnx/truncated.onnx', code: /TRUNCATED|BAD_PROTOBUF/, mentions: 'truncated.onnx' },
  { file: 'onnx/missing-external-data.onnx', code: /MISSING_COMPANION/, mentions: 'missing.onnx.data' },
  { file: 'keras/corrupt.h5', code: /BAD_HDF5/, mentions: 'corrupt.h5' },
  { file: 'pytorch/hostile-os-system.pt', code: /PICKLE_FORBIDDEN/, mentions: 'os.system' },
  { file: 'gguf/offset-beyond-eof.gguf', code: /OFFSETS_OUT_OF_BOUNDS/, mentions: 'offset-beyond-eof.gguf' },
  { file: 'pytorch/legacy.pt', code: /LEGACY_FORMAT/, mentions: 'legacy.pt' },
];

for (const g of GOOD) {
  test(`${g.format}: a dropped model opens and every weight gets a spectrum`, async ({ page }) => {
    await page.goto('/');
    await waitForScan(page);
    await dropFiles(page, g.files.map((f) => join(FIXTURES, f)));
    await expect(page.getByTestId('model-name')).toHaveText(g.name);
    await waitForLayers(page);
    expect(await page.locator('.layer-row[data-status="ok"]').count()).toBeGreaterThanOrEqual(g.minOk);
    await expect(page.locator('.layer-row[data-status="bad"]')).toHaveCount(0);
    await page.locator('.layer-row[data-status="ok"]').first().click();
    await expect(page.locator('.view-spectrum path.series-main')).toHaveAttribute('d', /^M.+L/);
    if (g.conv) await expect(page.locator('.layer-list')).toContainText(g.conv);
    await page.screenshot({ path: join(SHOTS, `format-${g.format.replace(/\W+/g, '-')}.png`) });
  });
}

for (const b of BAD) {
  test(`${b.file}: a specific error, and the app keeps working`, async ({ page }) => {
    await page.goto('/');
    await waitForLayers(page);
    await dropFiles(page, [b.file, ...(b.with ?? [])].map((f) => join(FIXTURES, f)));
    const banner = page.getByRole('alert');
    await expect(banner).toHaveAttribute('data-error-code', b.code);
    await expect(banner).toContainText(b.mentions);
    await expect(banner).toContainText('What to do');
    await expect(page.getByTestId('model-name')).toContainText('stroke-cnn');
    await page.locator('.layer-row[data-tensor="fc1.weight"]').click();
    await expect(page.locator('.view-spectrum')).toHaveAttribute('data-ready', 'true');
  });
}
