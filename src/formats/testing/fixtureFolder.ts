/** Reading a committed fixture folder under `e2e/fixtures/` in the fixture tests (Node only). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** `e2e/fixtures/<folder>` in this checkout. */
export function fixtureFolder(folder: string): string {
  return join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', folder);
}

/** The bytes of `path` (with `/` separators) under `root`. */
export function committedBytes(root: string, path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(root, ...path.split('/'))));
}

/** Total size of the files below `dir`, to keep committed fixtures small. */
export function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, name) => {
    const path = join(dir, name);
    return n + (statSync(path).isDirectory() ? folderBytes(path) : statSync(path).size);
  }, 0);
}

/**
 * Assert that a committed fixture folder is what its generator writes: each file equals its builder's bytes,
 * the README equals the generator's text for those sizes, and the folder stays under 100 KB.
 */
export function expectFolderMatchesBuilders(
  root: string,
  fixtures: readonly { readonly path: string; bytes(): Uint8Array }[],
  readme: (sizes: ReadonlyMap<string, number>) => string,
  generator: string,
): void {
  const sizes = new Map<string, number>();
  for (const f of fixtures) {
    const bytes = committedBytes(root, f.path);
    expect(bytes, `${f.path} differs from its builder: run npx tsx ${generator}`).toEqual(f.bytes());
    sizes.set(f.path, bytes.length);
  }
  expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe(readme(sizes));
  expect(folderBytes(root)).toBeLessThan(100 * 1024);
}
