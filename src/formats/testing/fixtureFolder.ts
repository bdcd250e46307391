/** Reading a committed fixture folder under `e2e/fixtures/` in the fixture tests (Node only). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
