import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Drop files onto the page the way a user's drag and drop does (a DataTransfer with File objects). */
export async function dropFiles(page: Page, paths: readonly string[]): Promise<void> {
  const files = paths.map((p) => ({ name: basename(p), data: readFileSync(p).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, files);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}

/** Wait until a model is open and its scan has finished (explicit readiness attributes, no sleeps). */
export async function waitForScan(page: Page): Promise<void> {
  await expect(page.locator('.app')).toHaveAttribute('data-model-state', 'ready');
  await expect(page.locator('.progress')).toHaveAttribute('data-state', 'done');
}

/** Wait for the scan, then show the layer page (the layer list and the selected layer's view). */
export async function waitForLayers(page: Page): Promise<void> {
  await waitForScan(page);
  await expect(page.getByTestId('tab-layer')).toBeEnabled();
  await page.getByTestId('tab-layer').click();
  await expect(page.locator('.layer-list')).toBeVisible();
}
