/**
 * Class labels from the paths of a dropped or picked folder: one sub-folder per class, as torchvision's
 * `ImageFolder` and Keras' `image_dataset_from_directory` lay data sets out (`root/cat/1.png` → class `cat`).
 * Pure string work on '/'-separated relative paths (File.webkitRelativePath, or a drop entry's fullPath).
 */

/** Split a path into its non-empty segments ('\\' is treated as '/', for paths typed or pasted on Windows). */
function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s.length > 0 && s !== '.');
}

/** System clutter that is skipped silently: hidden files and folders, macOS resource forks, Windows thumbnails. */
export function isIgnoredPath(path: string): boolean {
  return segments(path).some((s) => s.startsWith('.') || s === '__MACOSX' || s === 'Thumbs.db' || s === 'desktop.ini');
}

/**
 * The class of each path: the first folder under the dropped root, or null for files that sit directly in the
 * root (the caller asks the user for their class).
 *
 * The root is the first path segment when every path shares it and at least one path lies two folders deep
 * (`shapes/cat/1.png`: root `shapes`, class `cat`), which is how a folder picker or a single dropped folder
 * reports its files. Otherwise there is no root to strip: dropping the folders `cat/` and `dog/` together gives
 * `cat/1.png` and `dog/1.png`, and dropping only `cat/` gives `cat/1.png`, class `cat` either way. Deeper folders
 * belong to their top class folder (`shapes/cat/tabby/1.png` → `cat`).
 */
export function classesFromPaths(paths: readonly string[]): (string | null)[] {
  const split = paths.map(segments);
  const first = split[0]?.[0];
  const sharedRoot =
    first !== undefined && split.every((s) => s.length >= 2 && s[0] === first) && split.some((s) => s.length >= 3);
  return split.map((s) => {
    const rest = sharedRoot ? s.slice(1) : s;
    return rest.length >= 2 ? (rest[0] ?? null) : null;
  });
}

/** Natural order for class and file names: `2` before `10`, case-insensitive, then by code unit for ties. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The file name of a path (its last segment). */
export function baseName(path: string): string {
  const s = segments(path);
  return s[s.length - 1] ?? path;
}
